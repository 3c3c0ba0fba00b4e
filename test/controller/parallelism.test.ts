// Controller-wide `parallelism` (features.md §1.15): at most N workflows Running; the others wait
// Pending with Argo's "postponed" message and are admitted by spec.priority (higher first), then
// creation time, as slots free.
import { afterEach, describe, expect, it } from 'vitest';
import type { Workflow } from '../../src/spec/types.js';
import { getWf, NS, POSTPONED, removeLogDirs, single, sleep, startHarness, until, waitPhase, type Harness } from './harness.js';

const open: Harness[] = [];
const unwatch: (() => void)[] = [];

afterEach(async () => {
  for (const u of unwatch.splice(0)) u();
  for (const h of open.splice(0)) await h.stop();
  removeLogDirs();
});

/** Watches the store: the order in which workflows turned Running and the most Running at once. */
function observeRunning(h: Harness): { order: string[]; max: () => number } {
  const phases = new Map<string, string>();
  const order: string[] = [];
  let max = 0;
  unwatch.push(
    h.store.workflows.watch((change) => {
      const name = change.object.metadata.name ?? '';
      const phase = change.type === 'DELETED' ? 'Deleted' : (change.object.status?.phase ?? 'Pending');
      if (phase === 'Running' && phases.get(name) !== 'Running') order.push(name);
      phases.set(name, phase);
      max = Math.max(max, [...phases.values()].filter((p) => p === 'Running').length);
    }),
  );
  return { order, max: () => max };
}

function held(name: string, priority: number | undefined, creationTimestamp?: string): Workflow {
  const wf = single(name, 'hold', priority === undefined ? {} : { priority });
  if (creationTimestamp) wf.metadata.creationTimestamp = creationTimestamp;
  return wf;
}

async function expectPostponed(h: Harness, name: string): Promise<void> {
  const wf = await until(async () => {
    const w = await getWf(h, name);
    return w?.status?.message === POSTPONED ? w : undefined;
  }, `${name} postponed`);
  expect(wf.status?.phase).toBe('Pending');
  expect(wf.metadata.labels?.['workflows.argoproj.io/phase']).toBe('Pending');
  expect(Object.keys(wf.status?.nodes ?? {})).toEqual([]);
}

describe('controller parallelism', () => {
  it('parallelism 1: one Running at a time, the rest postponed, admitted by priority then creation time', async () => {
    const h = await startHarness({ parallelism: 1 });
    open.push(h);
    const seen = observeRunning(h);

    await h.controller.submit(held('first', undefined));
    await waitPhase(h, 'first', 'Running');
    await until(() => h.runtime.heldPods().includes('first') || undefined, 'first held');

    // Equal priority: the older one goes first, although its name sorts last.
    await h.controller.submit(held('a-new', 0, '2030-01-01T00:00:10Z'));
    await h.controller.submit(held('b-old', 0, '2030-01-01T00:00:00Z'));
    await h.controller.submit(held('urgent', 5, '2030-01-01T00:00:20Z'));
    for (const name of ['a-new', 'b-old', 'urgent']) await expectPostponed(h, name);
    await sleep(100);
    expect(h.runtime.created).toEqual(['first']);
    expect((await getWf(h, 'first'))?.status?.phase).toBe('Running');

    const expected = ['urgent', 'b-old', 'a-new'];
    let current = 'first';
    for (const next of expected) {
      h.runtime.release(current);
      expect((await h.controller.waitFor(NS, current)).status?.phase).toBe('Succeeded');
      const running = await waitPhase(h, next, 'Running');
      // The postponed message does not outlive the admission.
      expect(running.status?.message).toBeUndefined();
      await until(() => h.runtime.heldPods().includes(next) || undefined, `${next} held`);
      for (const waiting of expected.slice(expected.indexOf(next) + 1)) {
        const w = await getWf(h, waiting);
        expect(w?.status?.phase, waiting).toBe('Pending');
        expect(w?.status?.message, waiting).toBe(POSTPONED);
      }
      current = next;
    }
    h.runtime.release(current);
    await h.controller.waitFor(NS, current);

    expect(seen.order).toEqual(['first', ...expected]);
    expect(seen.max()).toBe(1);
    expect(h.runtime.created).toEqual(['first', ...expected]);
  });

  it('three submitted together: only one runs; the highest priority is admitted first', async () => {
    const h = await startHarness({ parallelism: 1 });
    open.push(h);
    const seen = observeRunning(h);
    // Submitted back to back, before any of them was reconciled.
    await Promise.all([h.controller.submit(held('low', 1)), h.controller.submit(held('mid', 2)), h.controller.submit(held('high', 3))]);
    await waitPhase(h, 'high', 'Running');
    await expectPostponed(h, 'mid');
    await expectPostponed(h, 'low');
    for (const [current, next] of [
      ['high', 'mid'],
      ['mid', 'low'],
    ] as const) {
      await until(() => h.runtime.heldPods().includes(current) || undefined, `${current} held`);
      h.runtime.release(current);
      await waitPhase(h, next, 'Running');
    }
    await until(() => h.runtime.heldPods().includes('low') || undefined, 'low held');
    h.runtime.release('low');
    await h.controller.waitFor(NS, 'low');
    expect(seen.order).toEqual(['high', 'mid', 'low']);
    expect(seen.max()).toBe(1);
  });

  it('deleting the running workflow frees its slot', async () => {
    const h = await startHarness({ parallelism: 1 });
    open.push(h);
    await h.controller.submit(held('hog', undefined));
    await until(() => h.runtime.heldPods().includes('hog') || undefined, 'hog held');
    await h.controller.submit(held('next', undefined));
    await expectPostponed(h, 'next');
    await h.service.delete(NS, 'hog');
    await waitPhase(h, 'next', 'Running');
    expect(h.runtime.deleted.map((d) => d.pod)).toContain('hog');
  });

  it('parallelism 2 runs two at once, never three', async () => {
    const h = await startHarness({ parallelism: 2 });
    open.push(h);
    const seen = observeRunning(h);
    for (const name of ['p1', 'p2', 'p3']) await h.controller.submit(held(name, undefined));
    await until(() => h.runtime.heldPods().length === 2 || undefined, 'two held');
    await sleep(100);
    expect(h.runtime.heldPods()).toHaveLength(2);
    const waiting = ['p1', 'p2', 'p3'].find((n) => !h.runtime.heldPods().includes(n)) ?? '';
    await expectPostponed(h, waiting);
    const [firstHeld] = h.runtime.heldPods();
    h.runtime.release(firstHeld ?? '');
    await waitPhase(h, waiting, 'Running');
    expect(seen.max()).toBe(2);
  });

  it('namespaceParallelism 1: one Running per namespace, each namespace admitted on its own', async () => {
    const h = await startHarness({ namespaceParallelism: 1 });
    open.push(h);
    const inNs = (name: string, namespace: string): Workflow => {
      const wf = held(name, undefined);
      wf.metadata.namespace = namespace;
      return wf;
    };
    await h.controller.submit(inNs('a1', 'team-a'));
    await h.controller.submit(inNs('a2', 'team-a'));
    await h.controller.submit(inNs('b1', 'team-b'));
    const phase = async (ns: string, name: string): Promise<string | undefined> => (await h.store.workflows.get(ns, name))?.status?.phase;
    await until(async () => (await phase('team-a', 'a1')) === 'Running' && (await phase('team-b', 'b1')) === 'Running', 'a1 and b1 running');
    const a2 = await until(async () => {
      const w = await h.store.workflows.get('team-a', 'a2');
      return w?.status?.message === POSTPONED ? w : undefined;
    }, 'a2 postponed');
    expect(a2.status?.phase).toBe('Pending');
    h.runtime.releaseWorkflow('a1', 'team-a');
    await until(async () => (await phase('team-a', 'a2')) === 'Running', 'a2 admitted after a1');
    expect(await phase('team-b', 'b1')).toBe('Running');
  });
});
