// spec/sync.md §3 G: the controller restarts (a new Controller on the same store and runtime,
// adopting the pods still running) while locks are held and waited for.
import { describe, expect, it } from 'vitest';
import type { ConfigMap, Synchronization, Template } from '../../src/spec/types.js';
import { environments, mutexes, NS, pod, semaphores, SyncEnv, wf, WORKFLOW_SEMAPHORE } from './harness.js';

const envs = environments();
const sem = semaphores('workflow');

async function setStoredLimit(env: SyncEnv, value: string): Promise<void> {
  const cm = (await env.stack.store.configMaps.get(NS, 'my-config')) as ConfigMap;
  await env.stack.store.configMaps.update({ ...cm, data: { ...cm.data, workflow: value } });
}

describe('G-01 restart while holding (T4 regression)', () => {
  const variants: [string, Synchronization, string, number][] = [
    ['semaphore workflow: "1"', sem, WORKFLOW_SEMAPHORE, 1],
    ['mutex', mutexes('m'), 'argo/Mutex/m', 1],
    ['semaphore workflow: "2" with 2 holders', sem, WORKFLOW_SEMAPHORE, 2],
  ];
  for (const [what, sync, lock, limit] of variants) {
    it(`${what}: the holders keep the lock and the waiter stays Pending until one completes`, async () => {
      const env = await envs.start({ configMaps: { 'my-config': { workflow: String(limit) } } });
      const holders = Array.from({ length: limit }, (_, i) => `wf${i + 1}`);
      for (const [i, name] of holders.entries()) {
        await env.submit(wf(name, { sync, created: i }));
        await env.started(name);
      }
      await env.submit(wf('waiter', { sync, created: 10 }));
      await env.waiting('waiter');
      await env.stack.restart();
      await env.quiet();
      for (const name of holders) {
        const w = await env.get(name);
        expect(w.status?.phase).toBe('Running');
        if (lock.includes('Mutex')) expect(w.status?.synchronization?.mutex?.holding).toEqual([{ mutex: lock, holder: `argo/${name}` }]);
        else expect(w.status?.synchronization?.semaphore?.holding).toEqual([{ semaphore: lock, holders: [`argo/${name}`] }]);
      }
      expect((await env.get('waiter')).status?.phase).toBe('Pending');
      expect(env.monitor.started('waiter')).toBe(false);
      await env.finish('wf1');
      await env.started('waiter', 1000);
      for (const name of [...holders.slice(1), 'waiter']) await env.finish(name);
      expect(env.monitor.peaks.get(lock)).toBe(limit);
    });
  }
});

/** A small seeded generator (mulberry32), so the "random" scenario is the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('G-02 restart while waiting: priority preserved [ENGINE]', () => {
  it('20 waiters of random priority and age: after a restart (wf0 ending while the controller is down), they start in exact queue order', async () => {
    const env = await envs.start({ configMaps: { 'my-config': { workflow: '1' } } });
    await env.submit(wf('wf0', { sync: sem, created: 0 }));
    await env.started('wf0');
    const next = random(42);
    const waiters = Array.from({ length: 20 }, (_, i) => ({ name: `w${String(i).padStart(2, '0')}`, priority: Math.floor(next() * 4), created: 1 + Math.floor(next() * 1000) }));
    // Distinct creation times, submitted in an order unrelated to the queue's.
    const seen = new Set<number>();
    for (const w of waiters) {
      while (seen.has(w.created)) w.created++;
      seen.add(w.created);
    }
    for (const w of waiters) await env.submit(wf(w.name, { sync: sem, created: w.created, priority: w.priority }));
    for (const w of waiters) await env.waiting(w.name);
    const expected = [...waiters].sort((a, b) => b.priority - a.priority || a.created - b.created).map((w) => w.name);

    await env.stack.stopController();
    env.runtime.releaseWorkflow('wf0');
    await env.stack.startController();
    await env.phaseIs('wf0', 'Succeeded');
    for (const name of expected) {
      await env.started(name, 2000);
      await env.quiet(20);
      await env.finish(name);
    }
    expect(env.monitor.order()).toEqual(['wf0', ...expected]);
  });
});

describe('G-03 restart after the limit was lowered while down', () => {
  it('workflow: "3" → "1" while stopped: wf1..wf3 continue, wf4 starts only after all three complete', async () => {
    const env = await envs.start({ configMaps: { 'my-config': { workflow: '3' } } });
    for (const t of [1, 2, 3]) {
      await env.submit(wf(`wf${t}`, { sync: sem, created: t }));
      await env.started(`wf${t}`);
    }
    await env.submit(wf('wf4', { sync: sem, created: 4 }));
    await env.waiting('wf4');
    await env.stack.stopController();
    await setStoredLimit(env, '1');
    await env.stack.startController();
    await env.quiet();
    for (const t of [1, 2, 3]) expect((await env.get(`wf${t}`)).status?.phase).toBe('Running');
    for (const name of ['wf1', 'wf2']) {
      await env.finish(name);
      await env.quiet();
      expect(env.monitor.started('wf4')).toBe(false);
    }
    await env.finish('wf3');
    await env.started('wf4', 1000);
    await env.finish('wf4');
  });
});

describe('G-04 restart with the limit source unreadable', () => {
  it('the controller starts, admits no second holder, does not stall wf1; after the ConfigMap is restored and a restart, all is normal', async () => {
    const env = await envs.start({ configMaps: { 'my-config': { workflow: '1' } } });
    await env.submit(wf('wf1', { sync: sem, created: 0 }));
    await env.started('wf1');
    await env.stack.stopController();
    await env.stack.store.configMaps.delete(NS, 'my-config');
    await env.stack.startController();
    await env.submit(wf('wf5', { sync: sem, created: 5 }));
    // Either poisoned (waits) or, as argot chooses, refused as at first use (B-01).
    const w5 = await env.until('wf5', (w) => w.status?.phase === 'Failed' || /poisoned state/.test(w.status?.message ?? ''), 'refused or poisoned');
    if (w5.status?.phase === 'Failed') expect(w5.status.message).toMatch(new RegExp(`^Failed to acquire the synchronization lock\\. failed to initialize semaphore ${WORKFLOW_SEMAPHORE} with limit`));
    expect(env.monitor.started('wf5')).toBe(false);
    expect((await env.finish('wf1')).status?.phase).toBe('Succeeded');
    await env.putConfigMap('my-config', { workflow: '1' });
    await env.stack.restart();
    await env.submit(wf('wf6', { sync: sem, created: 6 }));
    await env.started('wf6');
    await env.submit(wf('wf7', { sync: sem, created: 7 }));
    await env.waiting('wf7');
    await env.finish('wf6');
    await env.finish('wf7');
  });
});

describe('G-05 restart with template-level holders and waiters (T5 regression)', () => {
  it('a steps node holding mutex-{{workflow.name}} completes after the restart; a waiting node keeps waiting and takes m when its holder ends', async () => {
    const env = await envs.start();
    const stepsLocked: Template[] = [{ name: 'main', synchronization: mutexes('mutex-{{workflow.name}}'), steps: [[{ name: 'child', template: 'leaf' }]] }, pod('leaf')];
    const nodeLocked: Template[] = [{ name: 'main', steps: [[{ name: 'locked', template: 't' }]] }, pod('t', 'hold', { synchronization: mutexes('m') })];
    await env.submit(wf('wfa', { created: 0, templates: stepsLocked }));
    await env.started('wfa');
    await env.submit(wf('wf1', { created: 1, templates: nodeLocked }));
    await env.started('wf1');
    await env.submit(wf('wf2', { created: 2, templates: nodeLocked }));
    await env.until('wf2', (w) => SyncEnv.node(w, 'locked')?.synchronizationStatus?.waiting === 'argo/Mutex/m', 'node waiting');

    await env.stack.restart();
    await env.quiet();
    expect((await env.get('wfa')).status?.synchronization?.mutex?.holding).toEqual([{ mutex: 'argo/Mutex/mutex-wfa', holder: 'argo/wfa/wfa' }]);
    const w2 = await env.get('wf2');
    expect(SyncEnv.node(w2, 'locked')).toMatchObject({ phase: 'Pending', synchronizationStatus: { waiting: 'argo/Mutex/m' } });
    expect((await env.finish('wfa')).status?.phase).toBe('Succeeded');
    expect(env.monitor.recorded('argo/Mutex/mutex-wfa')).toEqual([]);
    await env.finish('wf1');
    const freed = performance.now();
    await env.started('wf2', 1000);
    expect((env.monitor.starts.get('argo/wf2') ?? Infinity) - freed).toBeLessThan(1000);
    expect((await env.finish('wf2')).status?.phase).toBe('Succeeded');
  });
});
