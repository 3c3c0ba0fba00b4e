// What only a file-backed SQLite store can show: data and the resourceVersion counter outlive the
// process's handle, the schema is migrated once and refuses a newer database, and saveStatus
// leaves the rows of unlisted nodes untouched.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NodeStatus, Workflow } from '../../spec/types.js';
import { openDatabase } from './database.js';
import { openSqliteStore, SchemaTooNewError } from './index.js';
import { migrate } from './migrations.js';
import { MIGRATIONS } from './schema.js';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'argot-sqlite-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function node(id: string, extra: Partial<NodeStatus> = {}): NodeStatus {
  return { id, name: `wf.${id}`, displayName: id, type: 'Pod', phase: 'Running', ...extra };
}

function workflow(name: string, nodes: NodeStatus[]): Workflow {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: { name, namespace: 'argo' },
    spec: { entrypoint: 'main' },
    status: { phase: 'Running', nodes: Object.fromEntries(nodes.map((n) => [n.id, n])) },
  };
}

describe('sqlite file', () => {
  it('keeps data and the resourceVersion counter across close and reopen, in a directory it creates', async () => {
    const file = join(dir, 'nested', 'deeper', 'argot.db');
    const first = openSqliteStore(file);
    const wf = await first.workflows.create(workflow('wf', [node('a'), node('b')]));
    const saved = await first.workflows.saveStatus({ ...wf, status: { ...wf.status, nodes: { ...wf.status?.nodes, c: node('c') } } }, ['c']);
    const cm = await first.configMaps.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'argo' }, data: { k: 'v' } });
    await first.events.record({ namespace: 'argo', involvedObject: { kind: 'Workflow', name: 'wf', namespace: 'argo' }, reason: 'R', message: 'm', type: 'Normal', at: '2025-01-01T00:00:00Z' });
    const version = Number((await first.workflows.list()).resourceVersion);
    await first.close();

    const second = openSqliteStore(file);
    expect(await second.workflows.get('argo', 'wf')).toEqual(saved);
    expect(await second.configMaps.get('argo', 'cm')).toEqual(cm);
    expect(await second.events.list({})).toHaveLength(1);
    expect((await second.workflows.list()).resourceVersion).toBe(String(version));
    const next = await second.configMaps.update(cm);
    expect(Number(next.metadata.resourceVersion)).toBe(version + 1);
    await second.close();
  });

  it('uses WAL, so a killed process loses no commit', async () => {
    const file = join(dir, 'argot.db');
    await openSqliteStore(file).close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('writes only the rows of the listed nodes', async () => {
    const file = join(dir, 'argot.db');
    const store = openSqliteStore(file);
    const nodes = Array.from({ length: 50 }, (_, i) => node(`n${i}`));
    const created = await store.workflows.create(workflow('wf', nodes));
    const changed = { ...created, status: { ...created.status, nodes: { ...created.status?.nodes, n7: node('n7', { phase: 'Succeeded' }) } } };
    const saved = await store.workflows.saveStatus(changed, ['n7']);

    const db = new Database(file, { readonly: true });
    const rows = db.prepare<[], { node_id: string; resource_version: number }>('SELECT node_id, resource_version FROM workflow_nodes').all();
    db.close();
    await store.close();
    expect(rows).toHaveLength(50);
    for (const row of rows) {
      expect(row.resource_version, row.node_id).toBe(Number(row.node_id === 'n7' ? saved.metadata.resourceVersion : created.metadata.resourceVersion));
    }
  });
});

describe('migrations', () => {
  it('apply each step once, in order, and record the version', () => {
    const file = join(dir, 'm.db');
    const runs: string[] = [];
    const steps = [
      'CREATE TABLE one (x INTEGER)',
      () => {
        runs.push('two');
      },
    ];
    const db = openDatabase(file);
    expect(migrate(db, steps)).toEqual({ from: 0, to: 2 });
    expect(migrate(db, steps)).toEqual({ from: 2, to: 2 });
    db.close();

    const again = openDatabase(file);
    const third = () => {
      runs.push('three');
    };
    expect(migrate(again, [...steps, third])).toEqual({ from: 2, to: 3 });
    expect(again.prepare('SELECT version FROM schema_version').pluck().all()).toEqual([3]);
    again.close();
    expect(runs).toEqual(['two', 'three']);
  });

  it('leave the previous version intact when a step fails', () => {
    const db = openDatabase(join(dir, 'm.db'));
    migrate(db, ['CREATE TABLE one (x INTEGER)']);
    expect(() => migrate(db, ['CREATE TABLE one (x INTEGER)', 'CREATE TABLE two (x INTEGER)', 'NOT SQL'])).toThrow(/syntax error/);
    expect(db.prepare('SELECT version FROM schema_version').pluck().get()).toBe(1);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'two'").pluck().get()).toBe(0);
    db.close();
  });

  it('the store opens at the latest version', async () => {
    const file = join(dir, 'argot.db');
    await openSqliteStore(file).close();
    await openSqliteStore(file).close();
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT version FROM schema_version').pluck().all()).toEqual([MIGRATIONS.length]);
    db.close();
  });

  it('refuse a database from a newer argot, saying so', async () => {
    const file = join(dir, 'argot.db');
    await openSqliteStore(file).close();
    const db = new Database(file);
    db.prepare('UPDATE schema_version SET version = ?').run(MIGRATIONS.length + 1);
    db.close();
    expect(() => openSqliteStore(file)).toThrow(SchemaTooNewError);
    expect(() => openSqliteStore(file)).toThrow(`${file} has schema version ${MIGRATIONS.length + 1}, but this argot knows versions up to ${MIGRATIONS.length}: upgrade argot`);
  });
});
