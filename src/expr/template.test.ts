import { describe, expect, it } from 'vitest';
import { expandVars, ExprError, findTags, stringifyValue, substitute, UnresolvedTagError } from './index.js';

const vars = {
  'inputs.parameters.x': '5',
  'inputs.parameters.my-param': 'hyphen',
  'workflow.name': 'wf-abc',
  'steps.a.outputs.result': 'out',
  'steps.a.status': 'Succeeded',
  b: 'B',
};

const strictSteps = (tag: string): boolean => tag.startsWith('steps.') || tag === 'item' || tag.startsWith('item.');

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('substitute: simple tags', () => {
  it.each([
    ['hello {{inputs.parameters.x}}', 'hello 5'],
    ['{{ inputs.parameters.x }}', '5'],
    ['{{\tworkflow.name\n}}', 'wf-abc'],
    ['{{inputs.parameters.x}}{{workflow.name}}', '5wf-abc'],
    ['{{inputs.parameters.my-param}}', 'hyphen'],
    ['no tags at all', 'no tags at all'],
    ['{{custom.variable}} stays', '{{custom.variable}} stays'],
    ['{{ spaced.unknown }}', '{{ spaced.unknown }}'],
    ['unterminated {{inputs.parameters.x', 'unterminated {{inputs.parameters.x'],
    ['{{a {{b}}', '{{a B'],
    ['{}{{b}}}', '{}B}'],
  ])('%s', (text, expected) => {
    expect(substitute(text, vars)).toBe(expected);
  });

  it('throws for an unresolved strict tag', () => {
    const e = thrown(() => substitute('x {{steps.missing.outputs.result}}', vars, { strict: strictSteps }));
    expect(e).toBeInstanceOf(UnresolvedTagError);
    expect((e as UnresolvedTagError).tag).toBe('steps.missing.outputs.result');
  });

  it('leaves unresolved tags outside the strict set verbatim', () => {
    expect(substitute('{{workflow.unknown}}', vars, { strict: strictSteps })).toBe('{{workflow.unknown}}');
  });
});

describe('substitute: expression tags', () => {
  it.each([
    ['{{=asInt(inputs.parameters.x) * 10}}', '50'],
    ['{{= inputs.parameters.x }}', '5'],
    ["{{=inputs.parameters['my-param']}}", 'hyphen'],
    ['{{=steps.a.outputs.result + "!"}}', 'out!'],
    ['{{=10 / 4}}', '2.5'],
    ['{{=10 / 5}}', '2'],
    ['{{=float(1000000)}}', '1e+06'],
    ['{{=1000000}}', '1000000'],
    ['{{=true}}', 'true'],
    ['{{=[1, "a"]}}', '[1,"a"]'],
    ['{{=toJson({a: 1})}}', '{"a":1}'],
    ['{{="}}" + inputs.parameters.x}}', '}}5'],
    ["{{='{{' + 'x'}}", '{{x'],
    ['{{=sprig.upper("a")}} and {{b}}', 'A and B'],
    ['{{=inputs.parameters.y}}', '{{=inputs.parameters.y}}'],
    ['{{=asInt(inputs.parameters.y)}}', '{{=asInt(inputs.parameters.y)}}'],
    ['{{=item}}', '{{=item}}'],
    ['{{=workflow.parameters.z ?? "dflt"}}', 'dflt'],
    ['a {{=inputs.parameters.x}} b {{inputs.parameters.x}} c', 'a 5 b 5 c'],
  ])('%s', (text, expected) => {
    expect(substitute(text, vars)).toBe(expected);
  });

  it('uses exprEnv over the expanded vars', () => {
    const out = substitute('{{=item.name}}-{{=item.n + 1}}', vars, { exprEnv: { item: { name: 'x', n: 1 } } });
    expect(out).toBe('x-2');
  });

  it('throws UnresolvedTagError for an unknown strict variable', () => {
    const e = thrown(() => substitute('{{=item}}', vars, { strict: strictSteps }));
    expect(e).toBeInstanceOf(UnresolvedTagError);
    expect((e as UnresolvedTagError).tag).toBe('item');
  });

  it('reports the full dotted path of a missing nested variable', () => {
    const seen: string[] = [];
    const strict = (t: string): boolean => (seen.push(t), t.startsWith('steps.'));
    const e = thrown(() => substitute('{{=asInt(steps.b.outputs.result)}}', vars, { strict }));
    expect(e).toBeInstanceOf(UnresolvedTagError);
    expect((e as UnresolvedTagError).tag).toBe('steps.b.outputs.result');
    expect(seen).toEqual(['steps.b.outputs.result']);
  });

  it('throws ExprError for a nil result', () => {
    const e = thrown(() => substitute('{{=nil}}', vars));
    expect(e).toBeInstanceOf(ExprError);
    expect((e as ExprError).message).toContain('nil');
  });

  it('throws ExprError for a syntax error', () => {
    const e = thrown(() => substitute('{{=1 +}}', vars));
    expect(e).toBeInstanceOf(ExprError);
    expect((e as ExprError).expression).toBe('1 +');
  });

  it('can read a JSON-valued variable that is also a prefix', () => {
    const v = { 'workflow.parameters': '{"x":"1"}', 'workflow.parameters.x': '1' };
    expect(substitute('{{=workflow.parameters.x}} {{workflow.parameters}}', v)).toBe('1 {"x":"1"}');
  });
});

describe('findTags', () => {
  it('lists simple and expression tags', () => {
    const text = 'a {{x}} {{ y.z }} {{= asInt(1) }} {{=toJson("}}")}} {{unterminated';
    expect(findTags(text)).toEqual(['x', 'y.z', '=asInt(1)', '=toJson("}}")']);
  });

  it('returns nothing for plain text', () => {
    expect(findTags('plain {text}')).toEqual([]);
  });
});

describe('expandVars', () => {
  it('nests dotted keys', () => {
    expect(expandVars({ 'steps.a.outputs.result': 'x', 'steps.a.status': 'Succeeded', top: 1 })).toEqual({
      steps: { a: { outputs: { result: 'x' }, status: 'Succeeded' } },
      top: 1,
    });
  });

  it('keeps the nested map when a key is both a leaf and a prefix', () => {
    const flat = { 'workflow.parameters': '{"x":"1"}', 'workflow.parameters.x': '1' };
    expect(expandVars(flat)).toEqual({ workflow: { parameters: { x: '1' } } });
    const reversed = { 'workflow.parameters.x': '1', 'workflow.parameters': '{"x":"1"}' };
    expect(expandVars(reversed)).toEqual({ workflow: { parameters: { x: '1' } } });
  });

  it('keeps hyphens and does not mutate map values it extends', () => {
    const item = { a: 1 };
    expect(expandVars({ item, 'item.b': 2, 'inputs.parameters.my-p': 'v' })).toEqual({
      item: { a: 1, b: 2 },
      inputs: { parameters: { 'my-p': 'v' } },
    });
    expect(item).toEqual({ a: 1 });
  });
});

describe('stringifyValue', () => {
  it.each([
    ['x', 'x'],
    [42, '42'],
    [-0, '0'],
    [2.5, '2.5'],
    [0.00001, '1e-05'],
    [1e21, '1e+21'],
    [1234567.5, '1.2345675e+06'],
    [true, 'true'],
    [false, 'false'],
    [null, ''],
    [undefined, ''],
    [[1, 'a', null], '[1,"a",null]'],
    [{ b: 1, a: [true] }, '{"a":[true],"b":1}'],
    [new Date('2024-01-02T03:04:05.678Z'), '2024-01-02 03:04:05.678 +0000 UTC'],
  ] as [unknown, string][])('%j', (value, expected) => {
    expect(stringifyValue(value)).toBe(expected);
  });
});
