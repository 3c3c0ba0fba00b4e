import { describe, expect, it } from 'vitest';
import { closestMatch, editDistance } from './suggest.js';

describe('closestMatch', () => {
  it('finds near misses: a dropped letter, a swap, a different case', () => {
    expect(closestMatch('entrypont', ['entrypoint', 'templates'])).toBe('entrypoint');
    expect(closestMatch('tempaltes', ['entrypoint', 'templates'])).toBe('templates');
    expect(closestMatch('Entrypoint', ['entrypoint'])).toBe('entrypoint');
    expect(closestMatch('imag', ['image', 'args'])).toBe('image');
  });

  it('stays quiet when nothing is close', () => {
    expect(closestMatch('zzzzzz', ['entrypoint', 'templates'])).toBeUndefined();
    expect(closestMatch('X', ['A', 'B'])).toBeUndefined();
  });

  it('counts a transposition as one edit', () => {
    expect(editDistance('ab', 'ba')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});
