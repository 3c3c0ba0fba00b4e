import { describe, expect, it } from 'vitest';
import { parseDepends } from './depends.js';

describe('parseDepends', () => {
  it('splits terms out of the boolean expression', () => {
    expect(parseDepends('(A.Succeeded || B-1.Failed) && !C')).toEqual([
      { task: 'A', result: 'Succeeded' },
      { task: 'B-1', result: 'Failed' },
      { task: 'C' },
    ]);
  });

  it('keeps a misspelt result for the caller to judge', () => {
    expect(parseDepends('A.Suceeded')).toEqual([{ task: 'A', result: 'Suceeded' }]);
  });

  it('reads a known task name containing a dot as a bare term', () => {
    expect(parseDepends('v1.2 && v1.2.Succeeded', new Set(['v1.2']))).toEqual([{ task: 'v1.2' }, { task: 'v1.2', result: 'Succeeded' }]);
  });

  it('returns nothing for an empty expression', () => {
    expect(parseDepends('  ')).toEqual([]);
  });
});
