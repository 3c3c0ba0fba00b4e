// The list's pure parts, without a browser: URL <-> filters, API queries, watch merging, sorting.
// (Those modules import with `.js` specifiers so that the root tsconfig, nodenext, checks them too.)
import { describe, expect, it } from 'vitest';
import { applyEvents } from '../../ui/src/list/merge.js';
import type { WorkflowRow } from '../../ui/src/list/model.js';
import { filtersFrom, listUrl, matches, urlOf, watchUrl } from '../../ui/src/list/query.js';
import { sortRows } from '../../ui/src/list/sort.js';

const row = (name: string, created: string, status: WorkflowRow['status'] = {}): WorkflowRow => ({ metadata: { name, namespace: 'default', creationTimestamp: created }, status });

describe('list filters', () => {
  it('round-trip through the URL, keeping the sort parameters', () => {
    const f = { namespace: 'team-a', phases: ['Running', 'Failed'], labels: 'app=x', name: 'build', nameMode: 'Prefix' as const };
    const url = urlOf(f, new URLSearchParams('sort=name&dir=asc&phase=Pending'));
    expect(url).toBe('/workflows/team-a?sort=name&dir=asc&phase=Running&phase=Failed&label=app%3Dx&name=build&nameFilter=Prefix');
    const q = url.slice(url.indexOf('?'));
    expect(filtersFrom('/workflows/team-a', new URLSearchParams(q))).toEqual(f);
  });

  it('become a paged list query with fields, and a watch from the list resourceVersion', () => {
    const f = filtersFrom('/workflows', new URLSearchParams('phase=Running&name=web'));
    const list = new URL(listUrl(f, 100, 'tok'), 'http://x');
    expect(list.pathname).toBe('/api/v1/workflows/');
    expect(Object.fromEntries(list.searchParams)).toMatchObject({
      'listOptions.labelSelector': 'workflows.argoproj.io/phase in (Running)',
      'listOptions.fieldSelector': 'metadata.name=web',
      nameFilter: 'Contains',
      'listOptions.limit': '100',
      'listOptions.continue': 'tok',
    });
    expect(list.searchParams.get('fields')).not.toContain('nodes');
    const watch = new URL(watchUrl(f, '42'), 'http://x');
    expect(watch.pathname).toBe('/api/v1/workflow-events/');
    expect(watch.searchParams.get('listOptions.resourceVersion')).toBe('42');
    // The stream has no nameFilter: Contains is matched in the browser, not sent as an exact name.
    expect(watch.searchParams.get('listOptions.fieldSelector')).toBeNull();
    expect(matches(f, row('my-web-1', '', { phase: 'Running' }))).toBe(true);
    expect(matches(f, row('db', '', { phase: 'Running' }))).toBe(false);
    // A workflow that left the filtered phase is dropped, whatever the stream sends.
    expect(matches(f, { ...row('web', ''), metadata: { name: 'web', labels: { 'workflows.argoproj.io/phase': 'Succeeded' } } })).toBe(false);
    expect(matches(f, { ...row('web', ''), metadata: { name: 'web', labels: { 'workflows.argoproj.io/phase': 'Running' } } })).toBe(true);
  });
});

describe('applyEvents', () => {
  const loaded = (cont: string | undefined) => ({ rows: new Map([['default/b', row('b', '2026-01-02')], ['default/c', row('c', '2026-01-03')]]), cont });

  it('updates and deletes loaded rows, and adds new ones newer than the oldest loaded', () => {
    const rows = applyEvents(loaded('more'), [
      { type: 'MODIFIED', object: row('b', '2026-01-02', { phase: 'Succeeded' }) },
      { type: 'DELETED', object: row('c', '2026-01-03') },
      { type: 'ADDED', object: row('d', '2026-01-04') },
      // Older than every loaded row while pages remain: a later page brings it.
      { type: 'MODIFIED', object: row('a', '2026-01-01') },
    ], () => true);
    expect([...rows.keys()].sort()).toEqual(['default/b', 'default/d']);
    expect(rows.get('default/b')?.status?.phase).toBe('Succeeded');
  });

  it('adds old ones too once every page is loaded, and drops rows that stop matching', () => {
    const rows = applyEvents(loaded(undefined), [{ type: 'MODIFIED', object: row('a', '2026-01-01') }], () => true);
    expect(rows.has('default/a')).toBe(true);
    expect(applyEvents(loaded(undefined), [{ type: 'MODIFIED', object: row('b', '2026-01-02') }], (wf) => wf.metadata.name !== 'b').has('default/b')).toBe(false);
  });
});

describe('sortRows', () => {
  const rows = [
    row('x', '2026-01-01', { progress: '1/4', startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:10:00Z' }),
    row('y', '2026-01-02', { progress: '3/4', startedAt: '2026-01-01T00:00:00Z' }),
    row('z', '2026-01-03', { progress: '2/2', startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:01:00Z' }),
  ];
  const names = (rs: WorkflowRow[]): (string | undefined)[] => rs.map((r) => r.metadata.name);

  it('orders by creation, progress as a fraction, and a running duration up to now', () => {
    expect(names(sortRows(rows, 'created', 'desc', 0))).toEqual(['z', 'y', 'x']);
    expect(names(sortRows(rows, 'progress', 'desc', 0))).toEqual(['z', 'y', 'x']);
    const now = Date.parse('2026-01-01T01:00:00Z');
    expect(names(sortRows(rows, 'duration', 'desc', now))).toEqual(['y', 'x', 'z']);
    expect(names(sortRows(rows, 'finished', 'asc', now))).toEqual(['z', 'x', 'y']);
  });
});
