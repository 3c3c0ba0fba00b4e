// B7: listing N stored workflows through the API, a page of 50 (the UI's and `argo list`'s first
// request), first page and pages further down (continue tokens). The floor is the same page read
// straight from SQLite (the query and its JSON parse), measured in this run.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Workflow } from '../src/spec/types.js';
import { startApi } from './api.js';
import type { Floor } from './floor.js';
import { row, type Row } from './report.js';
import { openRig } from './rig.js';
import { percentile } from './stats.js';

/** A finished workflow as `argo list` sees many: three nodes, labels, a few outputs. */
function finished(i: number): Workflow {
  const name = `listed-${String(i).padStart(6, '0')}`;
  const at = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const node = (id: string, type: string) => ({ id, name: id, displayName: id, type, phase: 'Succeeded', startedAt: at, finishedAt: at, templateName: 'main' });
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: { name, namespace: 'default', creationTimestamp: at, labels: { 'workflows.argoproj.io/phase': 'Succeeded', 'workflows.argoproj.io/completed': 'true', team: i % 2 ? 'a' : 'b' } },
    spec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'alpine', command: ['echo', String(i)] } }] },
    status: { phase: 'Succeeded', startedAt: at, finishedAt: at, progress: '1/1', nodes: { [name]: node(name, 'Steps'), [`${name}-1`]: node(`${name}-1`, 'Pod'), [`${name}-2`]: node(`${name}-2`, 'Pod') } },
  } as Workflow;
}

export async function listBench(_floor: Floor, opts: { workflows: number; requests: number }): Promise<Row[]> {
  const rig = await openRig();
  const api = await startApi(rig);
  try {
    for (let i = 0; i < opts.workflows; i++) await rig.store.workflows.create(finished(i));
    const get = async (query: string): Promise<{ ms: number; body: { items: unknown[] | null; metadata: { continue?: string } } }> => {
      const t0 = performance.now();
      const res = await fetch(`${api.url}/api/v1/workflows/default?${query}`);
      const body = (await res.json()) as { items: unknown[] | null; metadata: { continue?: string } };
      if (res.status !== 200) throw new Error(`list: HTTP ${res.status}`);
      return { ms: performance.now() - t0, body };
    };
    for (let i = 0; i < 20; i++) await get('listOptions.limit=50'); // warm-up
    const first: number[] = [];
    for (let i = 0; i < opts.requests; i++) first.push((await get('listOptions.limit=50')).ms);
    // Walking down with continue tokens: every page, as far as `requests` pages go.
    const deeper: number[] = [];
    let token: string | undefined;
    for (let i = 0; i < opts.requests; i++) {
      const r = await get(`listOptions.limit=50${token ? `&listOptions.continue=${encodeURIComponent(token)}` : ''}`);
      deeper.push(r.ms);
      token = r.body.metadata.continue || undefined;
      if (!token) break;
    }
    const selector: number[] = [];
    for (let i = 0; i < Math.min(100, opts.requests); i++) selector.push((await get('listOptions.limit=50&listOptions.labelSelector=team%3Da')).ms);

    // The floor: the same page straight from SQLite, on a connection of our own.
    const db = new Database(join(rig.dir, 'argot.db'), { readonly: true });
    const page = db.prepare<[], { document: string }>("SELECT document FROM workflows WHERE namespace = 'default' ORDER BY creation_timestamp DESC, name LIMIT 51");
    const raw: number[] = [];
    for (let i = 0; i < opts.requests; i++) {
      const t0 = performance.now();
      JSON.stringify(page.all().map((r) => JSON.parse(r.document) as unknown));
      raw.push(performance.now() - t0);
    }
    db.close();
    const p99 = percentile([...first, ...deeper], 99);
    const floor = percentile(raw, 50);
    return [
      row({
        workload: `list ${opts.workflows} workflows via the API, page of 50`,
        metric: 'p99 (ms)',
        figure: p99,
        floorName: 'same page from SQLite + JSON, p50',
        floor,
        argo: 'archive lists: 13 s (#4546), timeouts >200k rows (#12025)',
        goal: '<20 ms',
        met: p99 < 20,
        details: {
          'first page p50 (ms)': percentile(first, 50),
          'first page p99 (ms)': percentile(first, 99),
          'continued pages p50 (ms)': percentile(deeper, 50),
          'continued pages p99 (ms)': percentile(deeper, 99),
          'label selector page p99 (ms)': percentile(selector, 99),
          'pages walked': deeper.length,
        },
      }),
    ];
  } finally {
    await api.close();
    await rig.close();
  }
}
