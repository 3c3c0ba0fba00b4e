// The conformance suite every Store passes (memory, SQLite, and the PostgreSQL/MySQL stores to
// come): what the controller, the server and the CLI may rely on. Run it from a store's test file:
//
//   storeConformance('sqlite (memory)', () => openSqliteStore(':memory:'));
//
// `open` must return a fresh, empty store each time; the suite closes it after each test.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NodeStatus, ObjectMeta, Resource, Workflow, WorkflowPhase } from '../spec/types.js';
import { ConflictError, NotFoundError, type Change, type ObjectStore, type Store } from './types.js';

const NS = 'argo';

/** `n` seconds after a fixed instant, as Argo writes times. */
function at(n: number): string {
  return new Date(Date.UTC(2025, 0, 1) + n * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function meta(name: string, namespace: string, extra: Partial<ObjectMeta> = {}): ObjectMeta {
  return { name, namespace, ...extra };
}

function node(id: string, extra: Partial<NodeStatus> = {}): NodeStatus {
  return { id, name: `wf.${id}`, displayName: id, type: 'Pod', phase: 'Running', ...extra };
}

function nodesOf(...nodes: NodeStatus[]): Record<string, NodeStatus> {
  return Object.fromEntries(nodes.map((n) => [n.id, n]));
}

function workflow(name: string, opts: { namespace?: string; labels?: Record<string, string>; created?: number; phase?: WorkflowPhase; nodes?: NodeStatus[] } = {}): Workflow {
  const wf: Workflow = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: meta(name, opts.namespace ?? NS, {
      ...(opts.labels ? { labels: opts.labels } : {}),
      ...(opts.created !== undefined ? { creationTimestamp: at(opts.created) } : {}),
    }),
    spec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'alpine', command: ['true'] } }] },
  };
  if (opts.phase !== undefined || opts.nodes) {
    wf.status = { ...(opts.phase ? { phase: opts.phase } : {}), nodes: nodesOf(...(opts.nodes ?? [])) };
  }
  return wf;
}

/** One kind, as the generic tests see it. */
interface KindCase {
  kind: string;
  clusterScoped: boolean;
  store(s: Store): ObjectStore<Resource>;
  make(name: string, opts?: { namespace?: string; labels?: Record<string, string>; created?: number }): Resource;
  /** A visible change to the object's content. */
  change(obj: Resource): Resource;
}

function objectMeta(name: string, opts: { namespace?: string; labels?: Record<string, string>; created?: number }, clusterScoped: boolean): ObjectMeta {
  const m: ObjectMeta = { name };
  if (!clusterScoped) m.namespace = opts.namespace ?? NS;
  if (opts.labels) m.labels = opts.labels;
  if (opts.created !== undefined) m.creationTimestamp = at(opts.created);
  return m;
}

const spec = { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'alpine', command: ['echo', 'hi'] } }] };

const KINDS: KindCase[] = [
  {
    kind: 'Workflow',
    clusterScoped: false,
    store: (s) => s.workflows as ObjectStore<Resource>,
    make: (name, opts = {}) => workflow(name, opts),
    change: (obj) => ({ ...(obj as Workflow), spec: { ...(obj as Workflow).spec, entrypoint: 'other' } }),
  },
  {
    kind: 'WorkflowTemplate',
    clusterScoped: false,
    store: (s) => s.workflowTemplates as ObjectStore<Resource>,
    make: (name, opts = {}) => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'WorkflowTemplate', metadata: objectMeta(name, opts, false), spec }),
    change: (obj) => ({ ...obj, spec: { ...spec, entrypoint: 'other' } }) as Resource,
  },
  {
    kind: 'ClusterWorkflowTemplate',
    clusterScoped: true,
    store: (s) => s.clusterWorkflowTemplates as ObjectStore<Resource>,
    make: (name, opts = {}) => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'ClusterWorkflowTemplate', metadata: objectMeta(name, opts, true), spec }),
    change: (obj) => ({ ...obj, spec: { ...spec, entrypoint: 'other' } }) as Resource,
  },
  {
    kind: 'CronWorkflow',
    clusterScoped: false,
    store: (s) => s.cronWorkflows as ObjectStore<Resource>,
    make: (name, opts = {}) => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'CronWorkflow', metadata: objectMeta(name, opts, false), spec: { schedule: '* * * * *', workflowSpec: spec } }),
    change: (obj) => ({ ...obj, spec: { schedule: '*/5 * * * *', workflowSpec: spec } }) as Resource,
  },
  {
    kind: 'ConfigMap',
    clusterScoped: false,
    store: (s) => s.configMaps as ObjectStore<Resource>,
    make: (name, opts = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: objectMeta(name, opts, false), data: { limit: '1' } }),
    change: (obj) => ({ ...obj, data: { limit: '2' } }) as Resource,
  },
];

function names(items: readonly Resource[]): string[] {
  return items.map((i) => i.metadata.name ?? '');
}

function rv(obj: Resource): number {
  return Number(obj.metadata.resourceVersion);
}

export function storeConformance(name: string, open: () => Promise<Store> | Store): void {
  describe(`store conformance: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    describe.each(KINDS)('$kind', (k) => {
      const s = (): ObjectStore<Resource> => k.store(store);
      const ns = k.clusterScoped ? '' : NS;

      it('create stamps uid, creationTimestamp and resourceVersion; get returns what create returned', async () => {
        const created = await s().create(k.make('a'));
        expect(created.metadata.uid).toMatch(/\S/);
        expect(created.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
        expect(rv(created)).toBeGreaterThan(0);
        expect(await s().get(ns, 'a')).toEqual(created);
        expect(await s().get(ns, 'missing')).toBeUndefined();
      });

      it('keeps a uid and creationTimestamp given on create', async () => {
        const obj = k.make('a', { created: 5 });
        obj.metadata.uid = 'given-uid';
        const created = await s().create(obj);
        expect(created.metadata).toMatchObject({ uid: 'given-uid', creationTimestamp: at(5) });
      });

      it('refuses a taken name with ConflictError', async () => {
        await s().create(k.make('a'));
        await expect(s().create(k.make('a'))).rejects.toBeInstanceOf(ConflictError);
        if (!k.clusterScoped) {
          const other = await s().create(k.make('a', { namespace: 'other' }));
          expect(other.metadata.namespace).toBe('other');
          expect((await s().list({ namespace: 'other' })).items).toHaveLength(1);
        }
      });

      it('update replaces the content, keeps uid and creationTimestamp, and moves resourceVersion on', async () => {
        const created = await s().create(k.make('a', { created: 1 }));
        const changed = k.change(created);
        const updated = await s().update({ ...changed, metadata: { ...changed.metadata, uid: undefined, creationTimestamp: at(99) } });
        expect(updated.metadata.uid).toBe(created.metadata.uid);
        expect(updated.metadata.creationTimestamp).toBe(at(1));
        expect(rv(updated)).toBeGreaterThan(rv(created));
        const got = await s().get(ns, 'a');
        expect(got).toEqual(updated);
        expect(got).toMatchObject({ ...changed, metadata: { name: 'a' } });
      });

      it('update with a stale expectedVersion is a ConflictError; with the current one it succeeds', async () => {
        const created = await s().create(k.make('a'));
        const first = await s().update(k.change(created), created.metadata.resourceVersion);
        await expect(s().update(k.change(created), created.metadata.resourceVersion)).rejects.toBeInstanceOf(ConflictError);
        await expect(s().update(k.change(created), created.metadata.resourceVersion)).rejects.toThrow(/resourceVersion/);
        await expect(s().update(first, first.metadata.resourceVersion)).resolves.toBeDefined();
      });

      it('update of a replaced object (another uid) is a ConflictError, of a missing one NotFoundError', async () => {
        const created = await s().create(k.make('a'));
        await s().delete(ns, 'a');
        await s().create(k.make('a'));
        await expect(s().update(created)).rejects.toBeInstanceOf(ConflictError);
        await expect(s().update(k.make('missing'))).rejects.toBeInstanceOf(NotFoundError);
      });

      it('delete removes the object and resolves false when there is none', async () => {
        await s().create(k.make('a'));
        await s().create(k.make('b'));
        expect(await s().delete(ns, 'a')).toBe(true);
        expect(await s().get(ns, 'a')).toBeUndefined();
        expect(await s().delete(ns, 'a')).toBe(false);
        expect(names((await s().list()).items)).toEqual(['b']);
        const again = await s().create(k.make('a'));
        expect(await s().get(ns, 'a')).toEqual(again);
      });

      it('lists newest first, then by name', async () => {
        await s().create(k.make('b', { created: 1 }));
        await s().create(k.make('c', { created: 2 }));
        await s().create(k.make('a', { created: 1 }));
        await s().create(k.make('d', { created: 0 }));
        expect(names((await s().list()).items)).toEqual(['c', 'a', 'b', 'd']);
      });

      it('filters by namespace, labels, fields and name prefix', async () => {
        await s().create(k.make('web-1', { labels: { app: 'web', tier: 'front' } }));
        await s().create(k.make('web-2', { labels: { app: 'web' } }));
        await s().create(k.make('db-1', { labels: { app: 'db' } }));
        if (!k.clusterScoped) await s().create(k.make('web-3', { namespace: 'other', labels: { app: 'web' } }));
        const list = async (opts: Parameters<ObjectStore<Resource>['list']>[0]): Promise<string[]> => names((await s().list(opts)).items).sort();
        expect(await list({ labelSelector: 'app=web', namespace: NS })).toEqual(['web-1', 'web-2']);
        expect(await list({ labelSelector: 'app=web,tier', namespace: NS })).toEqual(['web-1']);
        expect(await list({ labelSelector: 'app!=web', namespace: NS })).toEqual(['db-1']);
        expect(await list({ labelSelector: '!tier', namespace: NS })).toEqual(['db-1', 'web-2']);
        expect(await list({ labelSelector: 'tier!=front', namespace: NS })).toEqual(['db-1', 'web-2']);
        expect(await list({ labelSelector: 'app in (db, web)', namespace: NS })).toEqual(['db-1', 'web-1', 'web-2']);
        expect(await list({ labelSelector: 'app notin (web)', namespace: NS })).toEqual(['db-1']);
        expect(await list({ fieldSelector: 'metadata.name=web-2' })).toEqual(['web-2']);
        expect(await list({ fieldSelector: 'metadata.name!=web-2', namespace: NS })).toEqual(['db-1', 'web-1']);
        expect(await list({ namePrefix: 'web-', namespace: NS })).toEqual(['web-1', 'web-2']);
        if (k.clusterScoped) {
          expect(await list({ fieldSelector: 'metadata.namespace=' })).toEqual(['db-1', 'web-1', 'web-2']);
        } else {
          expect(await list({ labelSelector: 'app==web' })).toEqual(['web-1', 'web-2', 'web-3']);
          expect(await list({ namespace: 'other' })).toEqual(['web-3']);
          expect(await list({ fieldSelector: `metadata.namespace==other` })).toEqual(['web-3']);
          expect(await list({ namespace: 'nowhere' })).toEqual([]);
          expect(await list({ namespace: '', labelSelector: 'app=web' })).toEqual(['web-1', 'web-2', 'web-3']);
        }
      });

      it('watch delivers ADDED, MODIFIED, DELETED with the object, in order, until unsubscribed', async () => {
        const changes: Change<Resource>[] = [];
        const unsubscribe = s().watch((c) => changes.push(c));
        const created = await s().create(k.make('a'));
        const updated = await s().update(k.change(created));
        await s().delete(ns, 'a');
        unsubscribe();
        await s().create(k.make('b'));
        expect(changes.map((c) => c.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
        expect(changes[0]?.object).toEqual(created);
        expect(changes[1]?.object).toEqual(updated);
        expect(changes[2]?.object).toMatchObject({ metadata: { name: 'a', uid: created.metadata.uid } });
        expect(rv(changes[2]?.object as Resource)).toBeGreaterThan(rv(updated));
      });
    });

    describe('resourceVersion', () => {
      it('is one store-wide counter that every write of every kind moves forward', async () => {
        const seen: number[] = [];
        for (const k of KINDS) {
          const created = await k.store(store).create(k.make('a'));
          seen.push(rv(created));
          seen.push(rv(await k.store(store).update(k.change(created))));
        }
        expect(seen).toEqual([...seen].sort((a, b) => a - b));
        expect(new Set(seen).size).toBe(seen.length);
        const listed = await store.configMaps.list();
        expect(Number(listed.resourceVersion)).toBe(seen.at(-1));
        await store.configMaps.delete(NS, 'a');
        expect(Number((await store.workflows.list()).resourceVersion)).toBeGreaterThan(seen.at(-1) ?? 0);
      });
    });

    describe('cluster-scoped kinds', () => {
      it('live in namespace "" whatever namespace the caller names', async () => {
        const created = await store.clusterWorkflowTemplates.create({ apiVersion: 'argoproj.io/v1alpha1', kind: 'ClusterWorkflowTemplate', metadata: meta('shared', NS), spec });
        expect(created.metadata.namespace).toBeUndefined();
        expect(await store.clusterWorkflowTemplates.get('', 'shared')).toEqual(created);
        expect(await store.clusterWorkflowTemplates.get('elsewhere', 'shared')).toEqual(created);
        expect((await store.clusterWorkflowTemplates.list({ namespace: 'elsewhere' })).items).toHaveLength(1);
      });
    });

    describe('list pagination', () => {
      const make = (i: number, created = i): Workflow => workflow(`wf-${String(i).padStart(3, '0')}`, { created: Math.floor(created / 3), labels: { even: String(i % 2 === 0) } });

      async function pages(limit: number, opts: { labelSelector?: string } = {}, between?: (page: number) => Promise<void>): Promise<string[][]> {
        const out: string[][] = [];
        let token: string | undefined;
        do {
          const page = await store.workflows.list({ ...opts, limit, ...(token ? { continue: token } : {}) });
          expect(page.items.length).toBeLessThanOrEqual(limit);
          out.push(names(page.items));
          token = page.continue;
          if (between) await between(out.length);
        } while (token);
        return out;
      }

      it('walks every item once, in order, with a token on every page but the last', async () => {
        for (let i = 0; i < 23; i++) await store.workflows.create(make(i));
        const all = names((await store.workflows.list()).items);
        expect(all).toHaveLength(23);
        const walked = await pages(5);
        expect(walked.map((p) => p.length)).toEqual([5, 5, 5, 5, 3]);
        expect(walked.flat()).toEqual(all);
        const exact = await pages(23);
        expect(exact).toEqual([all]);
      });

      it('pages through a selector', async () => {
        for (let i = 0; i < 20; i++) await store.workflows.create(make(i));
        const evens = names((await store.workflows.list({ labelSelector: 'even=true' })).items);
        expect(evens).toHaveLength(10);
        expect((await pages(3, { labelSelector: 'even=true' })).flat()).toEqual(evens);
      });

      it('has no duplicates or gaps while items are added and deleted between pages', async () => {
        for (let i = 0; i < 30; i++) await store.workflows.create(make(i));
        const before = names((await store.workflows.list()).items);
        let extra = 100;
        const deleted = new Set<string>();
        const walked = await pages(7, {}, async (page) => {
          // New items are the newest (they sort before every page yet to come) ...
          await store.workflows.create(make(extra++, 1000));
          // ... and deleting an item already returned shifts nothing.
          const gone = before[page - 1] as string;
          deleted.add(gone);
          await store.workflows.delete(NS, gone);
        });
        const flat = walked.flat();
        expect(new Set(flat).size).toBe(flat.length);
        expect(flat).toEqual(before);
        expect(deleted.size).toBeGreaterThan(1);
      });

      it('rejects a malformed continue token or limit with InvalidArgument', async () => {
        await expect(store.workflows.list({ continue: 'not a token' })).rejects.toMatchObject({ code: 'InvalidArgument', message: expect.stringMatching(/continue token/) });
        await expect(store.configMaps.list({ continue: 'eyJ4IjoxfQ' })).rejects.toMatchObject({ code: 'InvalidArgument' });
        await expect(store.workflows.list({ limit: -1 })).rejects.toMatchObject({ code: 'InvalidArgument' });
      });
    });

    describe('selectors', () => {
      it('reject invalid label and field selectors with what is wrong and where', async () => {
        await expect(store.workflows.list({ labelSelector: 'app in web' })).rejects.toMatchObject({
          code: 'InvalidArgument',
          message: expect.stringMatching(/label selector "app in web".*"\(".*column 8/),
        });
        await expect(store.configMaps.list({ fieldSelector: 'spec.x=1' })).rejects.toThrow(/field "spec.x" is not supported/);
        await expect(store.workflows.list({ fieldSelector: 'status.phase' })).rejects.toMatchObject({ code: 'InvalidArgument' });
      });

      it('select workflows by status.phase and by the phase label the UI sends', async () => {
        await store.workflows.create({ ...workflow('run', { phase: 'Running', labels: { 'workflows.argoproj.io/phase': 'Running' } }) });
        await store.workflows.create({ ...workflow('ok', { phase: 'Succeeded', labels: { 'workflows.argoproj.io/phase': 'Succeeded' } }) });
        await store.workflows.create(workflow('new'));
        const list = async (opts: Parameters<Store['workflows']['list']>[0]): Promise<string[]> => names((await store.workflows.list(opts)).items).sort();
        expect(await list({ fieldSelector: 'status.phase=Running' })).toEqual(['run']);
        expect(await list({ fieldSelector: 'status.phase!=Running' })).toEqual(['new', 'ok']);
        expect(await list({ fieldSelector: 'status.phase=' })).toEqual(['new']);
        expect(await list({ fieldSelector: 'status.phase!=Running,metadata.name!=new' })).toEqual(['ok']);
        expect(await list({ labelSelector: 'workflows.argoproj.io/phase in (Running,Succeeded)' })).toEqual(['ok', 'run']);
        expect(await list({ labelSelector: 'workflows.argoproj.io/phase in (Running,Succeeded)', fieldSelector: 'metadata.name=ok' })).toEqual(['ok']);
      });
    });

    describe('workflows', () => {
      const A = node('a', { phase: 'Succeeded' });
      const B = node('b');
      const C = node('c', { phase: 'Pending' });

      async function createWithNodes(): Promise<Workflow> {
        return store.workflows.create(workflow('wf', { phase: 'Running', nodes: [A, B, C] }));
      }

      it('get reassembles the nodes saved with the workflow', async () => {
        const created = await createWithNodes();
        expect(created.status?.nodes).toEqual(nodesOf(A, B, C));
        expect(await store.workflows.get(NS, 'wf')).toEqual(created);
      });

      it('lists without status.nodes but with the rest of status', async () => {
        await createWithNodes();
        const [item] = (await store.workflows.list()).items;
        expect(item?.status).toEqual({ phase: 'Running' });
        expect(item?.spec).toEqual(workflow('x').spec);
      });

      it('saveStatus writes the workflow and only the listed nodes', async () => {
        const created = await createWithNodes();
        const B2 = { ...B, phase: 'Succeeded' as const, message: 'done' };
        const C2 = { ...C, phase: 'Running' as const }; // changed, but not listed: must not be written
        const D = node('d');
        const next: Workflow = { ...created, metadata: { ...created.metadata, labels: { step: '2' } }, status: { phase: 'Running', message: 'm', nodes: nodesOf(A, B2, C2, D) } };
        const saved = await store.workflows.saveStatus(next, ['b', 'd']);
        expect(rv(saved)).toBeGreaterThan(rv(created));
        const got = await store.workflows.get(NS, 'wf');
        expect(got?.status?.nodes).toEqual(nodesOf(A, B2, C, D));
        expect(got?.status?.message).toBe('m');
        expect(got?.metadata.labels).toEqual({ step: '2' });
        expect(got?.metadata.resourceVersion).toBe(saved.metadata.resourceVersion);
      });

      it('saveStatus round-trips the saved document exactly when the listed nodes are the changed ones', async () => {
        let wf = await createWithNodes();
        for (let step = 0; step < 5; step++) {
          const id = `n${step}`;
          const nodes = { ...wf.status?.nodes, [id]: node(id, { startedAt: at(step) }) };
          const a = nodes.a as NodeStatus;
          nodes.a = { ...a, message: `step ${step}` };
          wf = await store.workflows.saveStatus({ ...wf, status: { ...wf.status, phase: 'Running', progress: `${step}/5`, nodes } }, [id, 'a']);
          expect(await store.workflows.get(NS, 'wf')).toEqual(wf);
        }
        // Nodes keep the order they were first written in, as the engine iterates them.
        expect(Object.keys((await store.workflows.get(NS, 'wf'))?.status?.nodes ?? {})).toEqual(['a', 'b', 'c', 'n0', 'n1', 'n2', 'n3', 'n4']);
      });

      it('saveStatus deletes a listed node that is gone from status.nodes, and prunes the rest only when asked', async () => {
        const created = await createWithNodes();
        const withoutB = nodesOf(A, C);
        await store.workflows.saveStatus({ ...created, status: { phase: 'Running', nodes: nodesOf(A) } }, ['b']);
        expect((await store.workflows.get(NS, 'wf'))?.status?.nodes).toEqual(withoutB);
        await store.workflows.saveStatus({ ...created, status: { phase: 'Running', nodes: nodesOf(A) } }, [], { prune: true });
        expect((await store.workflows.get(NS, 'wf'))?.status?.nodes).toEqual(nodesOf(A));
      });

      it('saveStatus of a workflow that is gone is NotFoundError', async () => {
        const created = await createWithNodes();
        await store.workflows.delete(NS, 'wf');
        await expect(store.workflows.saveStatus(created, ['a'])).rejects.toBeInstanceOf(NotFoundError);
      });

      it('update replaces every node', async () => {
        const created = await createWithNodes();
        const updated = await store.workflows.update({ ...created, status: { phase: 'Running', nodes: nodesOf({ ...A, message: 'x' }, node('e')) } });
        expect(await store.workflows.get(NS, 'wf')).toEqual(updated);
        expect(Object.keys((await store.workflows.get(NS, 'wf'))?.status?.nodes ?? {})).toEqual(['a', 'e']);
      });

      it('delete takes the nodes with it', async () => {
        await createWithNodes();
        await store.workflows.delete(NS, 'wf');
        const again = await store.workflows.create(workflow('wf', { phase: 'Pending', nodes: [] }));
        expect((await store.workflows.get(NS, 'wf'))?.status?.nodes).toEqual({});
        expect(again.status?.nodes).toEqual({});
      });

      it('keeps status and status.nodes absent when they were', async () => {
        await store.workflows.create(workflow('bare'));
        const got = await store.workflows.get(NS, 'bare');
        expect(got?.status).toBeUndefined();
        await store.workflows.saveStatus({ ...(got as Workflow), status: { phase: 'Pending' } }, []);
        expect((await store.workflows.get(NS, 'bare'))?.status).toEqual({ phase: 'Pending' });
      });

      it('watch carries the whole workflow, nodes included', async () => {
        const changes: Change<Workflow>[] = [];
        store.workflows.watch((c) => changes.push(c));
        const created = await createWithNodes();
        const saved = await store.workflows.saveStatus({ ...created, status: { phase: 'Succeeded', nodes: nodesOf(A, B, C) } }, []);
        await store.workflows.delete(NS, 'wf');
        expect(changes.map((c) => c.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
        expect(changes[1]?.object).toEqual(saved);
        expect(changes[2]?.object.status?.nodes).toEqual(nodesOf(A, B, C));
      });

      it('a watch of one kind sees no other kind', async () => {
        const changes: Change<Workflow>[] = [];
        store.workflows.watch((c) => changes.push(c));
        await store.configMaps.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('cm', NS) });
        expect(changes).toEqual([]);
      });

      it('listUnfinished returns the workflows without a final phase, with their nodes', async () => {
        await store.workflows.create(workflow('none', { created: 1 }));
        await store.workflows.create(workflow('pending', { created: 2, phase: 'Pending', nodes: [] }));
        await store.workflows.create(workflow('running', { created: 3, phase: 'Running', nodes: [A, B] }));
        for (const phase of ['Succeeded', 'Failed', 'Error'] as const) await store.workflows.create(workflow(phase.toLowerCase(), { created: 4, phase, nodes: [A] }));
        const unfinished = await store.workflows.listUnfinished();
        expect(names(unfinished)).toEqual(['none', 'pending', 'running']);
        expect(unfinished[2]?.status?.nodes).toEqual(nodesOf(A, B));
      });
    });

    describe('events', () => {
      const event = (reason: string, message: string, when: string, name = 'wf') => ({
        namespace: NS,
        involvedObject: { kind: 'Workflow', name, namespace: NS, uid: `uid-${name}` },
        reason,
        message,
        type: 'Normal' as const,
        at: when,
      });

      it('folds repeats of the same event into a count and lastTimestamp', async () => {
        await store.events.record(event('WorkflowRunning', 'Workflow Running', at(1)));
        await store.events.record(event('WorkflowNodeRunning', 'Running node wf.a', at(2)));
        await store.events.record(event('WorkflowRunning', 'Workflow Running', at(3)));
        const events = await store.events.list({ namespace: NS });
        expect(events).toHaveLength(2);
        expect(events[1]).toEqual({
          namespace: NS,
          involvedObject: { kind: 'Workflow', name: 'wf', namespace: NS, uid: 'uid-wf' },
          reason: 'WorkflowRunning',
          message: 'Workflow Running',
          type: 'Normal',
          firstTimestamp: at(1),
          lastTimestamp: at(3),
          count: 2,
        });
        expect(events[0]).toMatchObject({ reason: 'WorkflowNodeRunning', count: 1 });
      });

      it('lists by namespace and involved object, oldest first, the most recent `limit`', async () => {
        for (let i = 0; i < 5; i++) await store.events.record(event('R', `m${i}`, at(i)));
        await store.events.record(event('R', 'other', at(9), 'other-wf'));
        await store.events.record({ ...event('R', 'elsewhere', at(9)), namespace: 'other' });
        expect((await store.events.list({ involvedName: 'wf', namespace: NS })).map((e) => e.message)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
        expect((await store.events.list({ involvedName: 'wf', namespace: NS, limit: 2 })).map((e) => e.message)).toEqual(['m3', 'm4']);
        expect(await store.events.list({ namespace: NS })).toHaveLength(6);
        expect(await store.events.list({})).toHaveLength(7);
      });
    });
  });
}
