// spec/sync.md §3 C: several locks in one synchronization block.
import { describe, expect, it } from 'vitest';
import type { Synchronization } from '../../src/spec/types.js';
import { cmSemaphore, environments, mutexes, wf } from './harness.js';

const envs = environments();

describe('C-01 all or nothing', () => {
  it('wfX waits holding neither A nor B, names B, and takes both in one step when wfB completes', async () => {
    const env = await envs.start();
    await env.submit(wf('wfB', { sync: mutexes('B'), created: 0 }));
    await env.started('wfB');
    await env.submit(wf('wfX', { sync: mutexes('A', 'B'), created: 1 }));
    const x = await env.waiting('wfX');
    expect(x.status?.message).toBe('Waiting for argo/Mutex/B lock. Lock status: 0/1');
    expect(x.status?.synchronization?.mutex?.holding ?? []).toEqual([]);
    expect(env.monitor.recorded('argo/Mutex/A')).toEqual([]);
    await env.finish('wfB');
    await env.started('wfX');
    const held = env.monitor.statesOf('wfX').filter((s) => Object.keys(s.holds).length > 0);
    expect(held.length).toBeGreaterThan(0);
    // I4: never a strict subset of its block.
    for (const s of held) expect(Object.keys(s.holds).sort()).toEqual(['argo/Mutex/A', 'argo/Mutex/B']);
    await env.finish('wfX');
  });
});

describe('C-02 head-of-line blocking (documented semantics)', () => {
  it('wfY (A only) does not start while wfX (A+B) waits ahead of it, though A is free; it starts after wfX released A', async () => {
    const env = await envs.start();
    await env.submit(wf('wfB', { sync: mutexes('B'), created: 0 }));
    await env.started('wfB');
    await env.submit(wf('wfX', { sync: mutexes('A', 'B'), created: 1 }));
    await env.waiting('wfX');
    await env.submit(wf('wfY', { sync: mutexes('A'), created: 2 }));
    const y = await env.waiting('wfY');
    expect(y.status?.message).toBe('Waiting for argo/Mutex/A lock. Lock status: 1/1');
    await env.quiet();
    expect(env.monitor.started('wfY')).toBe(false);
    await env.finish('wfB');
    await env.started('wfX');
    await env.quiet();
    expect(env.monitor.started('wfY')).toBe(false);
    await env.finish('wfX');
    await env.started('wfY');
    await env.finish('wfY');
    expect(env.monitor.order()).toEqual(['wfB', 'wfX', 'wfY']);
  });
});

describe('C-03 multi-lock with priority, and mixed mutex and semaphore', () => {
  it('after wfLow, wfHigh (one+two, priority 5) takes both before the older wf1 and wf2 (two)', async () => {
    const env = await envs.start();
    await env.submit(wf('wfLow', { sync: mutexes('one', 'two'), created: 0 }));
    await env.started('wfLow');
    await env.submitAll([
      wf('wf1', { sync: mutexes('two'), created: 1 }),
      wf('wfHigh', { sync: mutexes('one', 'two'), created: 2, priority: 5 }),
      wf('wf2', { sync: mutexes('two'), created: 3 }),
    ]);
    for (const name of ['wf1', 'wfHigh', 'wf2']) await env.waiting(name);
    await env.finish('wfLow');
    await env.started('wfHigh');
    await env.quiet();
    expect(env.monitor.started('wf1')).toBe(false);
    expect(env.monitor.started('wf2')).toBe(false);
    for (const name of ['wfHigh', 'wf1', 'wf2']) await env.finish(name);
    expect(env.monitor.order()).toEqual(['wfLow', 'wfHigh', 'wf1', 'wf2']);
  });

  it('double: "2" held by wfMS1 (one + double) and wfMS2 (two + double): after wfMS1, wf(one) and wf(sem) start and wf(two) still waits', async () => {
    const env = await envs.start({ configMaps: { 'my-config': { double: '2' } } });
    const mixed = (mutex: string): Synchronization => ({ mutexes: [{ name: mutex }], semaphores: [cmSemaphore('double')] });
    await env.submitAll([wf('wfms1', { sync: mixed('one'), created: 0 }), wf('wfms2', { sync: mixed('two'), created: 1 })]);
    await env.started('wfms1');
    await env.started('wfms2');
    await env.submitAll([
      wf('wf-one', { sync: mutexes('one'), created: 2 }),
      wf('wf-two', { sync: mutexes('two'), created: 3 }),
      wf('wf-sem', { sync: { semaphores: [cmSemaphore('double')] }, created: 4 }),
    ]);
    for (const name of ['wf-one', 'wf-two', 'wf-sem']) await env.waiting(name);
    await env.finish('wfms1');
    await env.started('wf-one');
    await env.started('wf-sem');
    await env.quiet();
    expect(env.monitor.started('wf-two')).toBe(false);
    for (const name of ['wfms2', 'wf-one', 'wf-sem', 'wf-two']) await env.finish(name);
    expect(env.monitor.peaks.get('argo/ConfigMap/my-config/double')).toBe(2);
  });
});
