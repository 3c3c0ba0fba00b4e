// The controller's self-checks (issue 6): a finished pod node with unfinished containers, and a
// finished workflow still in the lock table, are repaired on the next reconcile and reported.
import { afterEach, describe, expect, it } from 'vitest';
import type { NodeStatus, Workflow } from '../../src/spec/types.js';
import { NS, removeLogDirs, startHarness, until, type Harness } from './harness.js';

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.stop();
  removeLogDirs();
});

function node(id: string, fields: Partial<NodeStatus>): NodeStatus {
  return { id, name: id, displayName: id, type: 'Container', phase: 'Running', startedAt: '2026-01-01T00:00:00Z', ...fields };
}

describe('controller invariants', () => {
  it('ends the unfinished containers of a finished pod node, logs it, and counts it', async () => {
    const h = await startHarness();
    open.push(h);
    // State as an older build (or a forgotten path) could have left it: the pod ended, `main` (a grandchild) did not.
    const wf: Workflow = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: { name: 'broken', namespace: NS },
      spec: { entrypoint: 'cs', templates: [{ name: 'cs', containerSet: { containers: [{ name: 'a', image: 'fake' }, { name: 'main', image: 'fake', dependencies: ['a'] }] } }] },
      status: {
        phase: 'Running',
        startedAt: '2026-01-01T00:00:00Z',
        nodes: {
          broken: node('broken', { type: 'Pod', phase: 'Error', message: 'pod deleted', templateName: 'cs', children: ['broken-a'], finishedAt: '2026-01-01T00:00:05Z' }),
          'broken-a': node('broken-a', { name: 'broken.a', displayName: 'a', boundaryID: 'broken', phase: 'Error', message: 'container deleted', children: ['broken-main'] }),
          'broken-main': node('broken-main', { name: 'broken.main', displayName: 'main', boundaryID: 'broken' }),
        },
      },
    };
    await h.store.workflows.create(wf);
    h.controller.enqueue(`${NS}/broken`);
    const done = await until(async () => {
      const w = await h.store.workflows.get(NS, 'broken');
      return w?.status?.phase === 'Error' ? w : undefined;
    }, 'broken workflow ends');
    expect(done.status?.nodes?.['broken-main']).toMatchObject({ phase: 'Error', message: 'container deleted' });
    expect(h.controller.repairs.podContainers).toBe(1);
    expect(h.errors.some((e) => e.includes('invariant') && e.includes('broken-main'))).toBe(true);
  });

  it('releases the locks of a workflow that finished while the table still lists it', async () => {
    const h = await startHarness();
    open.push(h);
    const wf: Workflow = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: { name: 'done', namespace: NS },
      spec: { entrypoint: 'main', templates: [] },
      status: { phase: 'Succeeded', nodes: {} },
    };
    await h.store.workflows.create(wf);
    const ref = { kind: 'mutex' as const, storage: 'memory' as const, namespace: NS, name: 'm', id: `${NS}/Mutex/m` };
    h.controller.locks.table.sync(`${NS}/done`, { holds: [{ holder: `${NS}/done`, ref }], waits: [], priority: 0, creation: '' });
    expect(h.controller.locks.table.holdersOfLock(ref)).toEqual([`${NS}/done`]);
    h.controller.enqueue(`${NS}/done`);
    await until(() => (h.controller.locks.table.holdersOfLock(ref)?.length ?? 0) === 0 || undefined, 'released');
    expect(h.controller.locks.stats.leaksRepaired).toBe(1);
    expect(h.errors.some((e) => e.includes('finished workflow default/done still held locks'))).toBe(true);
  });
});
