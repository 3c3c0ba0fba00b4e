import { describe, expect, it } from 'vitest';
import { formatGoFloat } from './go-format.js';

describe('formatGoFloat', () => {
  it("prints like strconv.FormatFloat(v, 'f', -1, 64): shortest digits, never an exponent", () => {
    expect(formatGoFloat(0.5, 'f', 64)).toBe('0.5');
    expect(formatGoFloat(5, 'f', 64)).toBe('5');
    expect(formatGoFloat(-2.5, 'f', 64)).toBe('-2.5');
    expect(formatGoFloat(1e21, 'f', 64)).toBe('1000000000000000000000');
    expect(formatGoFloat(1e-7, 'f', 64)).toBe('0.0000001');
    expect(formatGoFloat(0.1 + 0.2, 'f', 64)).toBe('0.30000000000000004');
  });

  it("prints like strconv.FormatFloat(v, 'g', -1, 32): float32 precision, exponent outside [1e-4, 1e6)", () => {
    expect(formatGoFloat(1e6, 'g', 32)).toBe('1e+06');
    expect(formatGoFloat(123456, 'g', 32)).toBe('123456');
    expect(formatGoFloat(1234567, 'g', 32)).toBe('1.234567e+06');
    expect(formatGoFloat(3.14159265358979, 'g', 32)).toBe('3.1415927');
    expect(formatGoFloat(0.1, 'g', 32)).toBe('0.1');
    expect(formatGoFloat(0.0001, 'g', 32)).toBe('0.0001');
    expect(formatGoFloat(0.00001, 'g', 32)).toBe('1e-05');
    expect(formatGoFloat(1.5e300, 'g', 32)).toBe('+Inf');
  });
});
