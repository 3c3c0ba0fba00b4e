// Small helpers the lint rules share.

import type { PathSegment } from './path.js';

export type Report = (path: PathSegment[], message: string, severity?: 'error' | 'warning') => void;

/** List items with their indices, skipping the ones the schema check rejected. */
export function present<T>(list: readonly (T | null | undefined)[] | undefined): [T, number][] {
  const out: [T, number][] = [];
  list?.forEach((item, i) => {
    if (item !== null && item !== undefined) out.push([item, i]);
  });
  return out;
}

/** The value at `path` in a parsed document, before any checking. */
export function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let value = root;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PathSegment, unknown>)[segment];
  }
  return value;
}
