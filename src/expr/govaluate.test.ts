import { describe, expect, it } from 'vitest';
import { evaluateWhen, ExprError } from './index.js';

// [substituted `when`, expected]
const cases: [string, boolean][] = [
  ['heads == heads', true],
  ['heads == tails', false],
  ['tails != heads', true],
  ['Succeeded == Succeeded', true],
  ['Failed == Succeeded', false],
  ['Running != Succeeded', true],
  ['YES == YES', true],
  ['foo-bar == foo-bar', true],
  ['foo-bar == foo-baz', false],
  ['v1.2.3 == v1.2.3', true],
  ['even == even', true],
  ['odd == even', false],
  ['true', true],
  ['false', false],
  ['true == true', true],
  ['false == true', false],
  ['"true" == true', false],
  ["'heads' == heads", true],
  ['"a b" == "a b"', true],
  ['5.2 > 5', true],
  ['5 > 3', true],
  ['3 < 10', true],
  ['10 < 9', false],
  ['10 >= 10', true],
  ['9 <= 8', false],
  ['1 == 1.0', true],
  ['0.5 < .6', true],
  ['4 != 1 && 4 != 2', true],
  ['1 != 1 && 1 != 2', false],
  ['2 == 1 || 2 == 2', true],
  ['heads =~ hea', true],
  ['tails =~ hea', false],
  ['tails !~ hea', true],
  ['"abc" =~ "^a.c$"', true],
  ['"ABC" =~ "(?i)abc"', true],
  ['( heads == heads && tails == tails ) || ( tails == heads && heads == tails )', true],
  ['( heads == tails && tails == tails ) || ( tails == tails && heads == tails )', false],
  ['!false', true],
  ['!(1 > 2)', true],
  ['-1 < 0', true],
  ['1 + 2 == 3', true],
  ['10 - 2 - 3 == 5', true],
  ['2 * 3 + 1 == 7', true],
  ['2 ** 3 == 8', true],
  ['10 % 3 == 1', true],
  ['7 / 2 == 3.5', true],
  ['"a" + "b" == ab', true],
  ['"v" + 1 == v1', true],
  ['"x" + 2.5 == x2.5', true],
  ['2 & 3 == 2', true],
  ['1 << 3 == 8', true],
  ['a in (a, b, c)', true],
  ['d in (a, b, c)', false],
  ['"x" in ("x", "")', true],
  ['2 in (1, 2)', true],
  ['"2" in (1, 2)', false],
  ['solo in (solo)', true],
  ['[escaped name] == "escaped name"', true],
  ["'2024-01-02' > '2024-01-01'", true],
  ["'2024-01-01T00:00:00Z' == 1704067200", true],
  ["'2024-01-01 10:00' < '2024-01-01 11:00'", true],
  ['(true ? yes : no) == yes', true],
  ['(false ? yes : no) == no', true],
  ['3 > 2 && 2 > 1', true],
  ['5 > 3 == true', true],
  ['abc < abd', true],
  ['', true],
];

describe('evaluateWhen', () => {
  it.each(cases)('%s', (source, expected) => {
    expect(evaluateWhen(source)).toBe(expected);
  });
});

// [source, fragment of the reason]
const errors: [string, string][] = [
  ['{{steps.x.outputs.result}} == heads', "Invalid token: '{{steps.x.outputs.result}}'"],
  ['heads', 'expected boolean evaluation, got heads'],
  ['1 + 1', 'expected boolean evaluation, got 2'],
  ['a > 1', "Value 'a' cannot be used with the comparator '>', it is not a number"],
  ['heads - tails == x', "Value 'heads' cannot be used with the modifier '-', it is not a number"],
  ["'unterminated == x", 'Unclosed string literal'],
  ['1 = 1', "Invalid token: '='"],
  ['1.2.3 == 1.2.3', "Unable to parse numeric value '1.2.3' to float64"],
  ['(a == a', 'Unbalanced parenthesis'],
  ['a == ', 'Unexpected end of expression'],
  ['hello world == hello world', 'Unexpected token'],
  ['yes && true', "Value 'yes' cannot be used with the logical operator '&&', it is not a bool"],
  ['x =~ "("', 'error parsing regexp'],
];

describe('evaluateWhen errors', () => {
  it.each(errors)('%s', (source, fragment) => {
    let caught: unknown;
    try {
      evaluateWhen(source);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ExprError);
    const message = (caught as ExprError).message;
    expect(message).toContain(fragment);
    expect(message).toMatch(/^Invalid 'when' expression '/);
    expect(message).toContain(`'${source}': `);
    expect(message).toContain('(hint: try wrapping the affected expression in quotes ("))');
  });
});
