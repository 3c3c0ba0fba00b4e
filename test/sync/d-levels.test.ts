// spec/sync.md §3 D: workflow-level × template-level locks.
import { describe, expect, it } from 'vitest';
import type { Template } from '../../src/spec/types.js';
import { environments, mutexes, pod, semaphores, SyncEnv, TEMPLATE_SEMAPHORE, until, wf } from './harness.js';

const envs = environments();

describe('D-01 workflow mutex + template semaphore', () => {
  it('wf1 runs holding M while its node waits on S; both are released and status.synchronization removed at its end', async () => {
    const env = await envs.start({ configMaps: { 'my-config': { template: '1' } } });
    const usesS: Template[] = [{ name: 'main', steps: [[{ name: 'uses-s', template: 's' }]] }, pod('s', 'hold', { synchronization: semaphores('template') })];
    await env.submit(wf('wf2', { created: 0, templates: usesS }));
    await env.started('wf2');
    await env.submit(wf('wf1', { created: 1, sync: mutexes('M'), templates: usesS }));
    const w1 = await env.until('wf1', (w) => SyncEnv.node(w, 'uses-s')?.synchronizationStatus?.waiting === TEMPLATE_SEMAPHORE, 'node waiting on S');
    expect(w1.status?.phase).toBe('Running');
    expect(w1.status?.synchronization?.mutex?.holding).toEqual([{ mutex: 'argo/Mutex/M', holder: 'argo/wf1' }]);
    expect(SyncEnv.node(w1, 'uses-s')?.phase).toBe('Pending');
    await env.finish('wf2');
    await env.started('wf1');
    const done = await env.finish('wf1');
    expect(done.status?.phase).toBe('Succeeded');
    expect(done.status?.synchronization).toBeUndefined();
    expect(env.monitor.recorded('argo/Mutex/M')).toEqual([]);
    expect(env.monitor.recorded(TEMPLATE_SEMAPHORE)).toEqual([]);
  });
});

describe('D-02 the same mutex at both levels [ENGINE]', () => {
  it('the API refuses it; past the API the node fails at once naming the lock its workflow holds', async () => {
    const env = await envs.start();
    const self = wf('self', { sync: mutexes('m'), templates: [{ name: 'main', steps: [[{ name: 'inner', template: 't' }]] }, pod('t', 'exit 0', { synchronization: mutexes('m') })] });
    const r = await env.trySubmit(self);
    expect(r.status).toBe(400);
    expect((r.body as unknown as { message: string }).message).toMatch(/mutex "m" is also requested by template "t"/);
    const t = performance.now();
    await env.stack.controller.submit(self);
    const w = await env.until('self', (x) => ['Failed', 'Error'].includes(x.status?.phase ?? ''), 'finished', 1000);
    expect(performance.now() - t).toBeLessThan(1000);
    const node = SyncEnv.node(w, 'inner');
    expect(node?.phase).toBe('Error');
    expect(node?.message).toMatch(/already holds argo\/Mutex\/m at workflow level/);
    expect(w.status?.synchronization).toBeUndefined();
    expect(env.monitor.started('self')).toBe(false);
  });
});

describe('D-03 a steps-template lock covers its subtree', () => {
  it("wf2's steps node waits until wf1's steps node completes, and none of wf2's children has a pod meanwhile", async () => {
    const env = await envs.start();
    const templates: Template[] = [
      { name: 'main', synchronization: mutexes('s'), steps: [[{ name: 'a', template: 'leaf' }], [{ name: 'b', template: 'leaf' }], [{ name: 'c', template: 'leaf' }]] },
      pod('leaf'),
    ];
    await env.submit(wf('wf1', { created: 0, templates }));
    await env.started('wf1');
    await env.submit(wf('wf2', { created: 1, templates }));
    const w2 = await env.until('wf2', (w) => SyncEnv.node(w, 'wf2')?.synchronizationStatus?.waiting === 'argo/Mutex/s', 'steps node waiting');
    expect(SyncEnv.node(w2, 'wf2')?.phase).toBe('Pending');
    for (let i = 0; i < 2; i++) {
      await env.release('wf1');
      await env.quiet(50);
      expect(env.monitor.started('wf2')).toBe(false);
      expect((await env.get('wf1')).status?.synchronization?.mutex?.holding).toEqual([{ mutex: 'argo/Mutex/s', holder: 'argo/wf1/wf1' }]);
    }
    await env.release('wf1');
    await env.phaseIs('wf1', 'Succeeded');
    await env.started('wf2');
    for (let i = 0; i < 3; i++) await env.release('wf2');
    await env.phaseIs('wf2', 'Succeeded');
    expect(env.runtime.created.filter((p) => p.startsWith('wf1'))).toHaveLength(3);
  });
});

describe('D-04 a retry holds its lock across attempts and backoff', () => {
  it('the waiter starts neither during the backoff nor during the second attempt, only after the retry node completes', async () => {
    const env = await envs.start();
    await env.submit(wf('retry', { created: 0, templates: [pod('main', 'hold', { synchronization: mutexes('r'), retryStrategy: { limit: 2, backoff: { duration: '1s' } } })] }));
    await env.started('retry');
    await env.submit(wf('waiter', { created: 1, sync: mutexes('r') }));
    await env.waiting('waiter');
    // The first attempt fails (its main container exits 143).
    const first = await until(() => env.runtime.heldPods()[0], 'the first attempt');
    await env.runtime.deletePod(first, { graceSeconds: 1 });
    const backoff = await env.until('retry', (w) => /^Backoff for/.test(SyncEnv.node(w, 'retry')?.message ?? ''), 'backoff');
    expect(backoff.status?.synchronization?.mutex?.holding).toEqual([{ mutex: 'argo/Mutex/r', holder: 'argo/retry/retry' }]);
    await env.quiet(300);
    expect(env.monitor.started('waiter')).toBe(false);
    const second = await until(() => env.runtime.heldPods()[0], 'the second attempt', 3000);
    expect(second).not.toBe(first);
    await env.quiet(100);
    expect(env.monitor.started('waiter')).toBe(false);
    env.runtime.release(second);
    await env.phaseIs('retry', 'Succeeded');
    await env.started('waiter');
    await env.finish('waiter');
  });
});
