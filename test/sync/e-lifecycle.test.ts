// spec/sync.md §3 E: terminate, stop, delete and suspend against holders and waiters.
import { describe, expect, it } from 'vitest';
import { podName } from '../../src/engine/index.js';
import type { Template, Workflow } from '../../src/spec/types.js';
import { environments, mutexes, NS, pod, semaphores, SyncEnv, wf, WORKFLOW_SEMAPHORE } from './harness.js';

const envs = environments();
const sem = semaphores('workflow');
const ONE = { configMaps: { 'my-config': { workflow: '1' } } };

/** wf1 holds the workflow semaphore (limit 1); `waiters` queue behind it in order. */
async function holderAndWaiters(env: SyncEnv, waiters: Workflow[]): Promise<void> {
  await env.submit(wf('wf1', { sync: sem, created: 0 }));
  await env.started('wf1');
  for (const w of waiters) {
    await env.submit(w);
    await env.waiting(w.metadata.name ?? '');
  }
}

describe('E-01 terminate while waiting (workflow level)', () => {
  it("wf2 is Failed \"Stopped with strategy 'Terminate'\" at once, with no nodes and no synchronization; wf3 runs after wf1; wf2 never ran", async () => {
    const env = await envs.start(ONE);
    await holderAndWaiters(env, [wf('wf2', { sync: sem, created: 1 }), wf('wf3', { sync: sem, created: 2 })]);
    expect(await env.lockGauge('pending', WORKFLOW_SEMAPHORE)).toBe(2);
    const t = performance.now();
    await env.op('wf2', 'terminate');
    const w2 = await env.phaseIs('wf2', 'Failed', 2000);
    expect(performance.now() - t).toBeLessThan(2000);
    expect(w2.status?.message).toBe("Stopped with strategy 'Terminate'");
    expect(w2.status?.nodes ?? {}).toEqual({});
    expect(w2.status?.synchronization).toBeUndefined();
    expect(await env.lockGauge('pending', WORKFLOW_SEMAPHORE)).toBe(1);
    await env.finish('wf1');
    await env.started('wf3', 1000);
    await env.finish('wf3');
    expect(env.monitor.order()).toEqual(['wf1', 'wf3']);
  });

  it('[ENGINE] the same for a workflow from a workflowTemplateRef, and wf3 is not blocked (T24)', async () => {
    const env = await envs.start(ONE);
    await env.createTemplate('locked', { entrypoint: 'main', synchronization: sem, templates: [pod('main')] });
    const fromRef = (name: string, created: number): Workflow => {
      const w = wf(name, { created });
      w.spec = { workflowTemplateRef: { name: 'locked' } };
      return w;
    };
    await holderAndWaiters(env, [fromRef('wf2', 1), fromRef('wf3', 2)]);
    await env.op('wf2', 'terminate');
    const w2 = await env.phaseIs('wf2', 'Failed', 2000);
    expect(w2.status?.message).toBe("Stopped with strategy 'Terminate'");
    expect(w2.status?.nodes ?? {}).toEqual({});
    expect(w2.status?.synchronization).toBeUndefined();
    expect(await env.lockGauge('pending', WORKFLOW_SEMAPHORE)).toBe(1);
    await env.finish('wf1');
    await env.started('wf3', 1000);
    await env.finish('wf3');
    expect(env.monitor.order()).toEqual(['wf1', 'wf3']);
  });
});

describe('E-02 stop while waiting (workflow level)', () => {
  it('wf2 waits on until wf1 completes, then takes the lock, runs only its exit handler, ends Failed and releases; wf3 runs after it', async () => {
    const env = await envs.start(ONE);
    const withExit = wf('wf2', { sync: sem, created: 1, templates: [pod('main'), pod('bye', 'say bye')], spec: { onExit: 'bye' } });
    await holderAndWaiters(env, [withExit, wf('wf3', { sync: sem, created: 2 })]);
    await env.op('wf2', 'stop');
    await env.quiet();
    expect((await env.get('wf2')).status?.phase).toBe('Pending');
    await env.finish('wf1');
    const w2 = await env.phaseIs('wf2', 'Failed');
    expect(w2.status?.message).toBe("Stopped with strategy 'Stop'");
    expect(SyncEnv.node(w2, 'wf2.onExit')?.phase).toBe('Succeeded');
    expect(SyncEnv.node(w2, 'wf2')?.phase).not.toBe('Succeeded');
    expect(env.runtime.created).not.toContain('wf2');
    expect(w2.status?.synchronization).toBeUndefined();
    await env.started('wf3', 1000);
    await env.finish('wf3');
    expect(env.monitor.order()).toEqual(['wf1', 'wf2', 'wf3']);
  });
});

describe('E-03 terminate or stop while a node waits (template level)', () => {
  const lockedNode = (name: string, created: number, locks = ['m']): Workflow =>
    wf(name, { created, templates: [{ name: 'main', steps: [[{ name: 'locked', template: 't' }]] }, pod('t', 'hold', { synchronization: mutexes(...locks) })] });

  for (const strategy of ['Terminate', 'Stop'] as const) {
    it(`${strategy}: the waiting node is Failed "Stopped with strategy '${strategy}'", wf2 is Failed, and wf3 takes the mutex when wf1 releases it`, async () => {
      const env = await envs.start();
      await env.submit(lockedNode('wf1', 0));
      await env.started('wf1');
      for (const [name, t] of [['wf2', 1], ['wf3', 2]] as const) {
        await env.submit(lockedNode(name, t));
        await env.until(name, (w) => SyncEnv.node(w, 'locked')?.synchronizationStatus?.waiting === 'argo/Mutex/m', 'node waiting');
      }
      const t0 = performance.now();
      await env.op('wf2', strategy.toLowerCase());
      const w2 = await env.phaseIs('wf2', 'Failed', 2000);
      expect(performance.now() - t0).toBeLessThan(2000);
      expect(SyncEnv.node(w2, 'locked')).toMatchObject({ phase: 'Failed', message: `Stopped with strategy '${strategy}'` });
      expect(Object.values(w2.status?.nodes ?? {}).filter((n) => n.phase === 'Pending')).toEqual([]);
      expect(w2.status?.synchronization).toBeUndefined();
      await env.finish('wf1');
      await env.started('wf3', 1000);
      await env.finish('wf3');
      expect(env.monitor.order()).toEqual(['wf1', 'wf3']);
    });
  }

  it('[ENGINE] a node waiting for several locks leaves every queue (T25): a workflow wanting only the free one then runs', async () => {
    const env = await envs.start();
    await env.submit(lockedNode('wf1', 0));
    await env.started('wf1');
    await env.submit(lockedNode('wf2', 1, ['m', 'n']));
    await env.until('wf2', (w) => SyncEnv.node(w, 'locked')?.synchronizationStatus?.waiting === 'argo/Mutex/m', 'node waiting');
    // wf4 wants only n, which is free, but wf2 is ahead of it in n's queue.
    await env.submit(lockedNode('wf4', 2, ['n']));
    await env.until('wf4', (w) => SyncEnv.node(w, 'locked')?.synchronizationStatus?.waiting === 'argo/Mutex/n', 'node waiting on n');
    await env.quiet();
    expect(env.monitor.started('wf4')).toBe(false);
    await env.op('wf2', 'terminate');
    await env.phaseIs('wf2', 'Failed', 2000);
    await env.started('wf4', 1000);
    expect(await env.lockGauge('pending', 'argo/Mutex/m')).toBe(0);
    await env.finish('wf4');
    await env.finish('wf1');
  });
});

describe('E-04 terminate while holding; completion by error', () => {
  it("terminating wf1 kills its pod, wf1 is Failed, and wf2 starts at once", async () => {
    const env = await envs.start();
    await env.submit(wf('wf1', { sync: mutexes('m'), created: 0 }));
    await env.started('wf1');
    await env.submit(wf('wf2', { sync: mutexes('m'), created: 1 }));
    await env.waiting('wf2');
    await env.op('wf1', 'terminate');
    await env.phaseIs('wf1', 'Failed');
    const failedAt = performance.now();
    expect(env.runtime.deleted.map((d) => d.pod)).toContain('wf1');
    await env.started('wf2', 1000);
    expect((env.monitor.starts.get('argo/wf2') ?? Infinity) - failedAt).toBeLessThan(1000);
    await env.finish('wf2');
  });

  it('wf1 ending Error by itself (its pod deleted) hands the mutex over the same way', async () => {
    const env = await envs.start();
    await env.submit(wf('wf1', { sync: mutexes('m'), created: 0 }));
    await env.started('wf1');
    await env.submit(wf('wf2', { sync: mutexes('m'), created: 1 }));
    await env.waiting('wf2');
    await env.runtime.deletePod('wf1');
    const w1 = await env.phaseIs('wf1', 'Error');
    expect(w1.status?.synchronization).toBeUndefined();
    await env.started('wf2', 1000);
    await env.finish('wf2');
  });
});

describe('E-05 delete while holding', () => {
  it('deleting wf1 starts wf2 at once', async () => {
    const env = await envs.start(ONE);
    await holderAndWaiters(env, [wf('wf2', { sync: sem, created: 1 })]);
    await env.remove('wf1');
    await env.started('wf2', 1000);
    await env.finish('wf2');
  });

  it('a delete the controller never hears of (deleted while it was down): wf2 starts once it is back', async () => {
    const env = await envs.start(ONE);
    await holderAndWaiters(env, [wf('wf2', { sync: sem, created: 1 })]);
    await env.stack.stopController();
    // As kubectl would, with Kubernetes' garbage collector removing its pods.
    await env.stack.store.workflows.delete(NS, 'wf1');
    await env.runtime.deletePod('wf1');
    await env.stack.startController();
    await env.started('wf2', 1000);
    await env.finish('wf2');
  });

  it('a delete the running controller never hears of (straight from the store): the periodic resync releases the lock', async () => {
    const env = await envs.start({ ...ONE, controller: { resyncMs: 200 } });
    // wf1 holds the lock at a suspend node: no pod whose end could wake anything.
    await env.submit(wf('wf1', { sync: sem, created: 0, templates: [{ name: 'main', steps: [[{ name: 'wait', template: 'wait' }]] }, { name: 'wait', suspend: {} }] }));
    await env.until('wf1', (w) => SyncEnv.node(w, 'wait')?.phase === 'Running', 'suspended');
    await env.submit(wf('wf2', { sync: sem, created: 1 }));
    await env.waiting('wf2');
    await env.stack.store.workflows.delete(NS, 'wf1');
    await env.started('wf2', 1500);
    await env.finish('wf2');
  });
});

describe('E-06 delete while waiting', () => {
  it('deleting wf2 leaves no queue entry (locks_pending drops by one) and wf3 runs right after wf1', async () => {
    const env = await envs.start(ONE);
    await holderAndWaiters(env, [wf('wf2', { sync: sem, created: 1 }), wf('wf3', { sync: sem, created: 2 })]);
    expect(await env.lockGauge('pending', WORKFLOW_SEMAPHORE)).toBe(2);
    await env.remove('wf2');
    expect(await env.lockGauge('pending', WORKFLOW_SEMAPHORE)).toBe(1);
    expect(env.stack.controller.locks.snapshot().flatMap((l) => l.waiting.map((w) => w.holder))).toEqual(['argo/wf3']);
    await env.finish('wf1');
    await env.started('wf3', 1000);
    await env.finish('wf3');
    expect(env.monitor.order()).toEqual(['wf1', 'wf3']);
  });
});

describe('E-07 suspend keeps the lock', () => {
  const suspending: Template[] = [{ name: 'main', steps: [[{ name: 'work', template: 'work' }], [{ name: 'wait', template: 'wait' }]] }, pod('work', 'exit 0'), { name: 'wait', suspend: {} }];

  it('wf1 at a suspend node keeps mutex m; wf2 starts only after wf1 is resumed and completes', async () => {
    const env = await envs.start();
    await env.submit(wf('wf1', { sync: mutexes('m'), created: 0, templates: suspending }));
    await env.until('wf1', (w) => SyncEnv.node(w, 'wait')?.phase === 'Running', 'suspended');
    await env.submit(wf('wf2', { sync: mutexes('m'), created: 1 }));
    await env.waiting('wf2');
    await env.quiet();
    expect(env.monitor.started('wf2')).toBe(false);
    expect((await env.get('wf1')).status?.synchronization?.mutex?.holding).toEqual([{ mutex: 'argo/Mutex/m', holder: 'argo/wf1' }]);
    await env.op('wf1', 'resume');
    await env.phaseIs('wf1', 'Succeeded');
    await env.started('wf2', 1000);
    await env.finish('wf2');
  });

  it('`argo suspend` of the holder keeps the lock too', async () => {
    const env = await envs.start();
    await env.submit(wf('wf1', { sync: mutexes('m'), created: 0, templates: [{ name: 'main', steps: [[{ name: 'a', template: 'work' }], [{ name: 'b', template: 'work' }]] }, pod('work')] }));
    await env.started('wf1');
    await env.submit(wf('wf2', { sync: mutexes('m'), created: 1 }));
    await env.waiting('wf2');
    await env.op('wf1', 'suspend');
    await env.release('wf1');
    await env.quiet();
    expect(env.runtime.created.filter((p) => p.startsWith('wf1'))).toHaveLength(1);
    expect(env.monitor.started('wf2')).toBe(false);
    await env.op('wf1', 'resume');
    await env.release('wf1');
    await env.phaseIs('wf1', 'Succeeded');
    await env.started('wf2', 1000);
    await env.finish('wf2');
    expect(env.runtime.created).toContain(podName('wf2', 'wf2', 'main'));
  });
});
