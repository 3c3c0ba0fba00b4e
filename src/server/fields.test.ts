import { describe, expect, it } from 'vitest';
import { applyFields, keepsPath, parseFields } from './fields.js';

const list = {
  metadata: { resourceVersion: '7', continue: 'abc' },
  items: [
    { metadata: { name: 'a', namespace: 'ns', labels: { x: '1' } }, spec: { entrypoint: 'main' }, status: { phase: 'Running', nodes: { a: {} } } },
    { metadata: { name: 'b', namespace: 'ns' }, spec: {}, status: { phase: 'Failed' } },
  ],
};

describe('fields=', () => {
  it('keeps only the listed paths, through arrays, and nothing beside them', () => {
    expect(applyFields(list, parseFields('items.metadata.name,items.status.phase'))).toEqual({
      items: [
        { metadata: { name: 'a' }, status: { phase: 'Running' } },
        { metadata: { name: 'b' }, status: { phase: 'Failed' } },
      ],
    });
  });

  it('keeps whole subtrees named by a parent path', () => {
    expect(applyFields(list, parseFields('metadata,items.metadata'))).toEqual({
      metadata: list.metadata,
      items: [{ metadata: list.items[0]?.metadata }, { metadata: list.items[1]?.metadata }],
    });
  });

  it('drops the listed paths when the list starts with -', () => {
    const out = applyFields(list, parseFields('-items.status.nodes,metadata.continue'));
    expect(out.metadata).toEqual({ resourceVersion: '7' });
    expect(out.items[0]?.status).toEqual({ phase: 'Running' });
    expect(out.items[0]?.spec).toEqual({ entrypoint: 'main' });
  });

  it('filters stream messages on result.object paths and leaves the input alone', () => {
    const message = { result: { type: 'ADDED', object: list.items[0] } };
    expect(applyFields(message, parseFields('result.type,result.object.metadata.name'))).toEqual({ result: { type: 'ADDED', object: { metadata: { name: 'a' } } } });
    expect(message.result.object?.status.nodes).toEqual({ a: {} });
  });

  it('treats an empty or missing value as no filter', () => {
    expect(parseFields(undefined)).toBeUndefined();
    expect(parseFields('')).toBeUndefined();
    expect(parseFields('-')).toBeUndefined();
    expect(applyFields(list, undefined)).toBe(list);
  });

  it('tells whether a path can survive a filter', () => {
    expect(keepsPath(undefined, 'items.status.nodes')).toBe(true);
    expect(keepsPath(parseFields('items.status.nodes'), 'items.status.nodes')).toBe(true);
    expect(keepsPath(parseFields('items.status'), 'items.status.nodes')).toBe(true);
    expect(keepsPath(parseFields('items.status.nodes.x.phase'), 'items.status.nodes')).toBe(true);
    expect(keepsPath(parseFields('items.status.phase'), 'items.status.nodes')).toBe(false);
    expect(keepsPath(parseFields('-items.status'), 'items.status.nodes')).toBe(false);
    expect(keepsPath(parseFields('-items.spec'), 'items.status.nodes')).toBe(true);
  });
});
