import { describe, expect, it } from 'vitest';
import { evaluateExpr, ExprError } from './index.js';

const env = {
  n: 5,
  f: 2.5,
  s: 'hello',
  b: true,
  nothing: null,
  list: [1, 2, 3, 4],
  words: ['b', 'a', 'c'],
  people: [
    { name: 'Baris', age: 43 },
    { name: 'Mo', age: 42 },
    { name: 'Jai', age: 44 },
  ],
  m: { a: 1, 'b-c': 'dash', nested: { deep: 'x' } },
  inputs: { parameters: { x: '7', 'my-param': 'hyphen', json: '{"a":{"b":[1,2,3]},"s":"str"}' } },
};

// [expression, expected value]
const cases: [string, unknown][] = [
  // literals
  ['42', 42],
  ['0x1F', 31],
  ['1_000_000', 1000000],
  ['1.5', 1.5],
  ['1e3', 1000],
  ["'single'", 'single'],
  ['"double"', 'double'],
  ['`raw \\n`', 'raw \\n'],
  ['"tab\\tnl\\n"', 'tab\tnl\n'],
  ['"\\u00e9\\x41"', 'éA'],
  ['nil', null],
  ['true', true],
  ['false', false],
  ['[1, "a", nil]', [1, 'a', null]],
  ['[1, 2,]', [1, 2]],
  ['{a: 1, "b c": 2}', { a: 1, 'b c': 2 }],
  ['{(s): 1}', { hello: 1 }],
  // arithmetic and int/float
  ['1 + 2 * 3', 7],
  ['(1 + 2) * 3', 9],
  ['10 / 4', 2.5],
  ['10 / 5', 2],
  ['type(10 / 5)', 'float'],
  ['type(10 * 5)', 'int'],
  ['type(1.0)', 'float'],
  ['7 % 3', 1],
  ['-7 % 3', -1],
  ['2 ** 10', 1024],
  ['2 ^ 3 ^ 2', 512],
  ['-2 ** 2', -4],
  ['n - 10', -5],
  ['f * 2', 5],
  ['string(float(1000000))', '1e+06'],
  ['string(1000000)', '1000000'],
  ['string(0.1 + 0.2)', '0.30000000000000004'],
  ['string(10 / 4)', '2.5'],
  ['string(3.0)', '3'],
  ['"a" + "b"', 'ab'],
  // comparison
  ['1 == 1.0', true],
  ['1 == "1"', false],
  ['nil == nil', true],
  ['"a" != "b"', true],
  ['2 > 1.5', true],
  ['"abc" < "abd"', true],
  ['1 < 2 < 3', true],
  ['3 > 2 > 2', false],
  ['[1, 2] == [1, 2]', true],
  ['{a: 1} == {a: 1.0}', true],
  // logic
  ['true && false', false],
  ['true and true', true],
  ['false || true', true],
  ['false or false', false],
  ['!true', false],
  ['not false', true],
  ['false && nothing.x', false],
  ['true || nothing.x', true],
  // membership and strings
  ['2 in list', true],
  ['9 in list', false],
  ['9 not in list', true],
  ['"a" in m', true],
  ['"zz" in m', false],
  ['"ell" in ["hello"]', false],
  ['s contains "ell"', true],
  ['s not contains "z"', true],
  ['s startsWith "he"', true],
  ['s endsWith "lo"', true],
  ['s matches "^h.l+o$"', true],
  ['s not matches "\\\\d"', true],
  ['"main.log" endsWith "main.log"', true],
  // member access
  ['m.a', 1],
  ["m['b-c']", 'dash'],
  ['m.nested.deep', 'x'],
  ['m.missing', null],
  ['m?.nested?.deep', 'x'],
  ['nothing?.foo', null],
  ['nothing?.foo.bar', null],
  ['nothing?.[0]', null],
  ["inputs.parameters['my-param']", 'hyphen'],
  ['inputs.parameters["my-param"]', 'hyphen'],
  ['list[0]', 1],
  ['list[-1]', 4],
  ['list[1:3]', [2, 3]],
  ['list[:2]', [1, 2]],
  ['list[2:]', [3, 4]],
  ['list[-2:]', [3, 4]],
  ['s[1:3]', 'el'],
  ['s[0]', 'h'],
  ['people[1].name', 'Mo'],
  // nil coalescing and ternary
  ['nothing ?? "default"', 'default'],
  ['m.missing ?? "fallback"', 'fallback'],
  ['m.missing.deeper ?? "fallback"', 'fallback'],
  ['m.a ?? 2', 1],
  ['n > 3 ? "big" : "small"', 'big'],
  ['n > 9 ? "big" : n > 4 ? "mid" : "small"', 'mid'],
  ['nothing ?: "elvis"', 'elvis'],
  ['if n > 3 { "yes" } else { "no" }', 'yes'],
  // ranges, pipes, let
  ['1..4', [1, 2, 3, 4]],
  ['3 in 1..5', true],
  ['list | filter(# % 2 == 0) | map(# * 10)', [20, 40]],
  ['s | upper()', 'HELLO'],
  ['"a,b" | split(",")', ['a', 'b']],
  ['let x = 2; x * n', 10],
  ['let x = 1; let y = x + 1; [x, y]', [1, 2]],
  // closures
  ['filter(list, # > 2)', [3, 4]],
  ['filter(list, {# > 2})', [3, 4]],
  ['map(list, # * #)', [1, 4, 9, 16]],
  ['map(people, .name)', ['Baris', 'Mo', 'Jai']],
  ['map(people, #.age)', [43, 42, 44]],
  ['filter(people, .age > 42) | map(.name)', ['Baris', 'Jai']],
  ['map(list, #index)', [0, 1, 2, 3]],
  ['all(list, # > 0)', true],
  ['any(list, # > 3)', true],
  ['none(list, # > 4)', true],
  ['one(list, # == 2)', true],
  ['count(list, # > 1)', 3],
  ['count([true, false, true])', 2],
  ['sum(list)', 10],
  ['sum(people, .age)', 129],
  ['find(people, .age == 42).name', 'Mo'],
  ['find(list, # > 9)', null],
  ['findIndex(list, # == 3)', 2],
  ['findLast(list, # < 3)', 2],
  ['findLastIndex(list, # < 3)', 1],
  ['groupBy(list, # % 2 == 0)', { true: [2, 4], false: [1, 3] }],
  ['sortBy(people, .age) | map(.name)', ['Mo', 'Baris', 'Jai']],
  ['sortBy(people, .name, "desc") | map(.age)', [42, 44, 43]],
  ['reduce(list, #acc + #)', 10],
  ['reduce(list, #acc + #, 100)', 110],
  ['reduce(list, #acc * #index, 1)', 0],
  ['map(filter([[1, 2], [3]], len(#) > 1), map(#, # + 1))', [[2, 3]]],
  // builtins
  ['len("héllo")', 5],
  ['string(nil)', '<nil>'],
  ['len(list)', 4],
  ['len(m)', 3],
  ['int("42")', 42],
  ['int(3.9)', 3],
  ['float("1.5")', 1.5],
  ['string(42)', '42'],
  ['string(true)', 'true'],
  ['trim("  x  ")', 'x'],
  ['trim("xxhixx", "x")', 'hi'],
  ['trimPrefix("prefix-body", "prefix-")', 'body'],
  ['trimSuffix("file.txt", ".txt")', 'file'],
  ['upper("abc")', 'ABC'],
  ['lower("ABC")', 'abc'],
  ['split("a,b,c", ",")', ['a', 'b', 'c']],
  ['split("a,b,c", ",", 2)', ['a', 'b,c']],
  ['splitAfter("a,b", ",")', ['a,', 'b']],
  ['join(words, "-")', 'b-a-c'],
  ['join(["x", "y"])', 'xy'],
  ['replace("aaa", "a", "b")', 'bbb'],
  ['repeat("ab", 3)', 'ababab'],
  ['indexOf("hello", "l")', 2],
  ['lastIndexOf("hello", "l")', 3],
  ['hasPrefix("hello", "he")', true],
  ['hasSuffix("hello", "lo")', true],
  ['toJSON([1, "a"])', '[\n  1,\n  "a"\n]'],
  ['toJSON({})', '{}'],
  ['toJSON("<&>")', '"\\u003c\\u0026\\u003e"'],
  ['fromJSON(inputs.parameters.json).a.b[1]', 2],
  ['type(fromJSON("1"))', 'float'],
  ['toBase64("hello")', 'aGVsbG8='],
  ['fromBase64("aGVsbG8=")', 'hello'],
  ['keys({b: 1, a: 2})', ['a', 'b']],
  ['values({b: 1, a: 2})', [2, 1]],
  ['first(list)', 1],
  ['last(list)', 4],
  ['first([])', null],
  ['max(1, 5, 3)', 5],
  ['max(list)', 4],
  ['min(2, 1.5)', 1.5],
  ['abs(-3)', 3],
  ['abs(-2.5)', 2.5],
  ['ceil(1.2)', 2],
  ['floor(1.8)', 1],
  ['round(2.5)', 3],
  ['round(-2.5)', -3],
  ['mean([1, 2, 3, 4])', 2.5],
  ['median([3, 1, 2])', 2],
  ['median([4, 1, 2, 3])', 2.5],
  ['concat([1], [2, 3])', [1, 2, 3]],
  ['flatten([1, [2, [3]]])', [1, 2, 3]],
  ['uniq([1, 2, 1, 3, 2])', [1, 2, 3]],
  ['get(m, "a")', 1],
  ['get(m, "zz")', null],
  ['get(list, 10)', null],
  ['get(list, -1)', 4],
  ['type(nil)', 'nil'],
  ['type("x")', 'string'],
  ['type(list)', 'array'],
  ['type(m)', 'map'],
  ['toPairs({b: 2, a: 1})', [['a', 1], ['b', 2]]],
  ['fromPairs([["a", 1], ["b", 2]])', { a: 1, b: 2 }],
  ['reverse([1, 2, 3])', [3, 2, 1]],
  ['sort(words)', ['a', 'b', 'c']],
  ['sort([3, 1, 2], "desc")', [3, 2, 1]],
  ['take(list, 2)', [1, 2]],
  // time
  ['duration("1h30m").Minutes()', 90],
  ['string(duration("90s"))', '1m30s'],
  ['string(duration("1500ms"))', '1.5s'],
  ['duration("1h") > duration("59m")', true],
  ['date("2024-03-05").Year()', 2024],
  ['date("2024-03-05T10:20:30Z").Format("2006/01/02 15:04")', '2024/03/05 10:20'],
  ['date("05.03.2024", "02.01.2006").Month()', 3],
  ['(date("2024-01-02") - date("2024-01-01")).Hours()', 24],
  ['string(date("2024-01-01") + duration("36h"))', '2024-01-02 12:00:00 +0000 UTC'],
  ['now() > date("2020-01-01")', true],
  ['type(now())', 'time.Time'],
  // comments
  ['1 + /* two */ 2 // trailing', 3],
];

describe('evaluateExpr', () => {
  it.each(cases)('%s', (source, expected) => {
    expect(evaluateExpr(source, env)).toEqual(expected);
  });

  it('returns plain JS values (no boxed floats)', () => {
    const v = evaluateExpr('[1.0, {x: 2.0}]', {}) as [number, { x: number }];
    expect(typeof v[0]).toBe('number');
    expect(typeof v[1].x).toBe('number');
  });

  it('passes plain values to functions from the env', () => {
    expect(evaluateExpr('double(1.0) + 1', { double: (x: number) => x * 2 })).toBe(3);
  });
});

// [expression, fragment of the error message]
const errors: [string, string][] = [
  ['foo', 'unknown name foo (1:1)'],
  ['1 + ', 'unexpected token EOF'],
  ['(1 + 2', 'an opened parenthesis is not properly closed'],
  ['"abc', 'literal not terminated'],
  ['1 + "a"', 'invalid operation: + (mismatched types int and string)'],
  ['1.5 % 2', 'invalid operation: %'],
  ['1 % 0', 'integer divide by zero'],
  ['list[10]', 'index out of range: 10 (array length is 4)'],
  ['nothing.foo', 'cannot fetch foo from <nil>'],
  ['int("1.5")', 'invalid syntax'],
  ['n ?? 1 + 2', 'cannot be mixed'],
  ['1 && true', 'invalid operation: &&'],
  ['# > 1', 'unexpected token'],
  ['s matches "("', 'error parsing regexp'],
  ['nothing ? 1 : 2', 'non-bool expression'],
  ['len()', 'not enough arguments to call len'],
  ['reduce([], #acc)', 'reduce of empty array'],
  ['fromJSON("{")', 'invalid JSON'],
  ['duration("5 minutes")', 'time: invalid duration'],
  ['n.x', 'cannot fetch x from int'],
];

describe('evaluateExpr errors', () => {
  it.each(errors)('%s', (source, fragment) => {
    let caught: unknown;
    try {
      evaluateExpr(source, env);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ExprError);
    expect((caught as ExprError).message).toContain(fragment);
    expect((caught as ExprError).expression).toBe(source);
  });

  it('points at the column of the failure', () => {
    expect(() => evaluateExpr('1 + foo', {})).toThrow(/unknown name foo \(1:5\)\n \| 1 \+ foo\n \| \.\.\.\.\^/);
  });
});

describe('names that exist on Object.prototype', () => {
  it.each(['toString(1)', 'constructor(1)', 'hasOwnProperty("x")'])('%s is not a builtin', (source) => {
    expect(() => evaluateExpr(source, {})).toThrow(/unknown name/);
  });

  it('does not read inherited properties from maps', () => {
    expect(evaluateExpr('m.constructor', { m: {} })).toBe(null);
    expect(evaluateExpr('"toString" in m', { m: {} })).toBe(false);
  });
});
