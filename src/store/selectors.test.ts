import { describe, expect, it } from 'vitest';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector, SelectorError } from './selectors.js';

describe('parseLabelSelector', () => {
  it.each([
    ['', []],
    ['  ', []],
    ['a=b', [{ key: 'a', op: 'in', values: ['b'] }]],
    ['a==b', [{ key: 'a', op: 'in', values: ['b'] }]],
    ['a!=b', [{ key: 'a', op: 'notin', values: ['b'] }]],
    ['a=', [{ key: 'a', op: 'in', values: [''] }]],
    ['a', [{ key: 'a', op: 'exists' }]],
    ['!a', [{ key: 'a', op: 'notExists' }]],
    ['a in (x, y)', [{ key: 'a', op: 'in', values: ['x', 'y'] }]],
    ['a notin (x)', [{ key: 'a', op: 'notin', values: ['x'] }]],
    [
      'workflows.argoproj.io/phase in (Running,Failed), app = web , !done,tier',
      [
        { key: 'workflows.argoproj.io/phase', op: 'in', values: ['Running', 'Failed'] },
        { key: 'app', op: 'in', values: ['web'] },
        { key: 'done', op: 'notExists' },
        { key: 'tier', op: 'exists' },
      ],
    ],
    ['in=notin', [{ key: 'in', op: 'in', values: ['notin'] }]],
    ['a-b_c.d=v.1-2_3', [{ key: 'a-b_c.d', op: 'in', values: ['v.1-2_3'] }]],
  ])('%j', (selector, expected) => {
    expect(parseLabelSelector(selector)).toEqual(expected);
  });

  it.each([
    ['a in x', 'expected "(" after "in", found "x" at column 6'],
    ['a in ()', 'the set after "in" is empty at column 7'],
    ['a in (x', 'expected "," or ")" in the set after "in", found the end at column 8'],
    ['a in (x y)', 'expected "," or ")" in the set after "in", found "y" at column 9'],
    ['a b', 'expected an operator (=, ==, !=, in, notin) after "a", found "b" at column 3'],
    ['a=b c', 'expected "," between requirements, found "c" at column 5'],
    ['a,', 'expected a label key, found the end at column 3'],
    [',a', 'expected a label key, found "," at column 1'],
    ['=b', 'expected a label key, found "=" at column 1'],
    ['!', 'expected a label key, found the end at column 2'],
    ['a(', 'expected an operator (=, ==, !=, in, notin) after "a", found "(" at column 2'],
    ['-a=b', 'key "-a" must be at most 63 alphanumerics'],
    ['Bad.Prefix/a', 'key prefix "Bad.Prefix" must be a lowercase DNS subdomain at column 1'],
    ['a=b!c', 'expected "," between requirements, found "!" at column 4'],
    ['a=-b', 'value "-b" must be empty or at most 63'],
    [`a=${'x'.repeat(64)}`, 'must be empty or at most 63'],
  ])('%j fails: %s', (selector, message) => {
    let error: unknown;
    try {
      parseLabelSelector(selector);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SelectorError);
    expect((error as SelectorError).message).toContain(`invalid label selector "${selector}": `);
    expect((error as SelectorError).message).toContain(message);
    expect((error as SelectorError).code).toBe('InvalidArgument');
  });
});

describe('matchesLabels', () => {
  const labels = { app: 'web', tier: 'front', empty: '' };
  it.each([
    ['', true],
    ['app=web', true],
    ['app=db', false],
    ['app!=db', true],
    ['missing!=x', true],
    ['missing=x', false],
    ['missing notin (x)', true],
    ['missing in (x)', false],
    ['app in (db,web)', true],
    ['app notin (db,web)', false],
    ['tier', true],
    ['!tier', false],
    ['!missing', true],
    ['empty=', true],
    ['empty', true],
    ['app=web,tier=back', false],
    ['app=web,tier=front', true],
  ])('%j → %s', (selector, expected) => {
    expect(matchesLabels(parseLabelSelector(selector), labels)).toBe(expected);
  });

  it('treats absent labels as no labels', () => {
    expect(matchesLabels(parseLabelSelector('a!=b,!c'), undefined)).toBe(true);
    expect(matchesLabels(parseLabelSelector('a'), undefined)).toBe(false);
  });

  it('does not see inherited properties as labels', () => {
    expect(matchesLabels(parseLabelSelector('constructor'), {})).toBe(false);
  });
});

describe('parseFieldSelector', () => {
  const fields = ['metadata.name', 'metadata.namespace', 'status.phase'];

  it('parses =, == and != terms joined by commas', () => {
    expect(parseFieldSelector('metadata.name=a, status.phase!=Running,metadata.namespace==argo', fields)).toEqual([
      { field: 'metadata.name', op: '=', value: 'a' },
      { field: 'status.phase', op: '!=', value: 'Running' },
      { field: 'metadata.namespace', op: '=', value: 'argo' },
    ]);
    expect(parseFieldSelector('', fields)).toEqual([]);
    expect(parseFieldSelector('status.phase=', fields)).toEqual([{ field: 'status.phase', op: '=', value: '' }]);
  });

  it('says which term is wrong and where', () => {
    expect(() => parseFieldSelector('metadata.name=a,spec.x=1', fields)).toThrow(
      'invalid field selector "metadata.name=a,spec.x=1": field "spec.x" is not supported (supported: metadata.name, metadata.namespace, status.phase) at column 17',
    );
    expect(() => parseFieldSelector('metadata.name', fields)).toThrow(/expected <field>=<value>.*found "metadata.name" at column 1/);
    expect(() => parseFieldSelector('metadata.name=a,', fields)).toThrow(/found "" at column 17/);
  });

  it('matches like Kubernetes: unset fields select as the empty string', () => {
    const phaseless = { 'metadata.name': 'a', 'metadata.namespace': 'argo', 'status.phase': '' };
    expect(matchesFields(parseFieldSelector('status.phase=', fields), phaseless)).toBe(true);
    expect(matchesFields(parseFieldSelector('status.phase!=Running,metadata.name=a', fields), phaseless)).toBe(true);
    expect(matchesFields(parseFieldSelector('metadata.namespace!=argo', fields), phaseless)).toBe(false);
  });
});
