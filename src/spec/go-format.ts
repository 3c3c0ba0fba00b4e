// Go's strconv.FormatFloat with precision -1 (shortest representation that round-trips), for the
// two places where Argo turns a YAML number into a string: AnyString fields ('f', 64 bits) and
// plain string fields reached through sigs.k8s.io/yaml ('g', 32 bits, e.g. `1e+06`, `3.1415927`).

interface Digits {
  negative: boolean;
  /** Significant decimal digits, no leading or trailing zeros. */
  digits: string;
  /** Position of the decimal point relative to the start of `digits`. */
  point: number;
}

export function formatGoFloat(input: number, fmt: 'f' | 'g', bits: 32 | 64): string {
  const value = bits === 32 ? Math.fround(input) : input;
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  const d = shortestDigits(value, bits);
  if (fmt === 'f') return formatFixed(d);
  const exp = d.point - 1;
  // Go's %g with the shortest precision switches to exponent form outside [1e-4, 1e6).
  return exp < -4 || exp >= 6 ? formatExponent(d) : formatFixed(d);
}

function shortestDigits(value: number, bits: 32 | 64): Digits {
  const negative = value < 0 || Object.is(value, -0);
  const abs = Math.abs(value);
  if (abs === 0) return { negative, digits: '0', point: 1 };
  let repr = abs.toExponential();
  if (bits === 32) {
    const target = Math.fround(abs);
    for (let p = 0; p < 9; p++) {
      const candidate = target.toExponential(p);
      if (Math.fround(Number(candidate)) === target) {
        repr = candidate;
        break;
      }
    }
  }
  const [mantissa = '0', exponent = '0'] = repr.split('e');
  const digits = mantissa.replace('.', '').replace(/0+$/, '') || '0';
  return { negative, digits, point: Number(exponent) + 1 };
}

function formatFixed({ negative, digits, point }: Digits): string {
  let out: string;
  if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return negative ? `-${out}` : out;
}

function formatExponent({ negative, digits, point }: Digits): string {
  const exp = point - 1;
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const expText = String(Math.abs(exp)).padStart(2, '0');
  return `${negative ? '-' : ''}${mantissa}e${exp < 0 ? '-' : '+'}${expText}`;
}
