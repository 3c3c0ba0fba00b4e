// spec/sync.md §3 B: limits, ConfigMaps and limit changes.
import { describe, expect, it } from 'vitest';
import { cmSemaphore, environments, pod, semaphores, SyncEnv, wf, WORKFLOW_SEMAPHORE } from './harness.js';

const envs = environments();
const sem = semaphores('workflow');

describe('B-01 bad limit source at first use', () => {
  const cases: [string, Record<string, string> | undefined, RegExp][] = [
    ['(a) no ConfigMap my-config', undefined, /ConfigMap argo\/my-config not found/],
    ['(b) no key workflow', { other: '1' }, /key 'workflow' not found/],
    ['(c) workflow: "two"', { workflow: 'two' }, /not an integer/],
    ['(d) workflow: " 2"', { workflow: ' 2' }, /not an integer/],
    ['(e) workflow: "0"', { workflow: '0' }, /limit is 0/],
  ];
  for (const [what, data, reason] of cases) {
    it(`${what}: the workflow Fails with Argo's message and [ENGINE] the reason`, async () => {
      const env = await envs.start({ configMaps: data ? { 'my-config': data } : {} });
      await env.submit(wf('wf1', { sync: sem }));
      const w = await env.phaseIs('wf1', 'Failed');
      expect(w.status?.message).toMatch(new RegExp(`^Failed to acquire the synchronization lock\\. failed to initialize semaphore ${WORKFLOW_SEMAPHORE} with limit`));
      expect(w.status?.message).toMatch(reason);
      expect(w.status?.synchronization).toBeUndefined();
      expect(env.monitor.started('wf1')).toBe(false);
    });

    it(`${what}, template level: the node is Error with "failed to initialize semaphore" and status.synchronization stays empty`, async () => {
      const env = await envs.start({ configMaps: data ? { 'my-config': data } : {} });
      await env.submit(wf('wf1', { templates: [{ name: 'main', steps: [[{ name: 'locked', template: 't' }]] }, pod('t', 'exit 0', { synchronization: sem })] }));
      const w = await env.until('wf1', (x) => ['Failed', 'Error'].includes(x.status?.phase ?? ''), 'finished');
      const node = SyncEnv.node(w, 'locked');
      expect(node?.phase).toBe('Error');
      expect(node?.message).toContain('failed to initialize semaphore');
      expect(node?.message).toMatch(reason);
      expect(w.status?.synchronization).toBeUndefined();
      expect(env.monitor.statesOf('wf1').every((s) => Object.keys(s.holds).length === 0)).toBe(true);
      expect(env.monitor.started('wf1')).toBe(false);
    });
  }

  it.todo('with TRANSIENT_ERROR_PATTERN="failed to initialize semaphore" the workflow stays Pending ("Waiting to acquire the synchronization lock.") and starts once the ConfigMap exists: TRANSIENT_ERROR_PATTERN is not built');
});

describe('B-02 limit source becomes invalid while the lock is in use', () => {
  for (const [what, breakIt] of [
    ['deleted', (env: SyncEnv) => env.deleteConfigMap('my-config')],
    ['set to "abc"', (env: SyncEnv) => env.putConfigMap('my-config', { workflow: 'abc' })],
  ] as const) {
    it(`ConfigMap ${what}: the last known limit 1 is used, nothing fails; after a restart a new workflow Fails as at first use`, async () => {
      const env = await envs.start({ configMaps: { 'my-config': { workflow: '1' } } });
      await env.submit(wf('wf1', { sync: sem, created: 0 }));
      await env.started('wf1');
      await env.submit(wf('wf2', { sync: sem, created: 1 }));
      await env.waiting('wf2');
      await breakIt(env);
      await env.quiet();
      expect((await env.get('wf1')).status?.phase).toBe('Running');
      expect((await env.get('wf2')).status?.phase).toBe('Pending');
      expect(env.monitor.started('wf2')).toBe(false);
      expect((await env.finish('wf1')).status?.phase).toBe('Succeeded');
      expect((await env.finish('wf2')).status?.phase).toBe('Succeeded');
      expect(env.monitor.order()).toEqual(['wf1', 'wf2']);

      await env.stack.restart();
      await env.submit(wf('wf3', { sync: sem, created: 2 }));
      const w3 = await env.phaseIs('wf3', 'Failed');
      expect(w3.status?.message).toMatch(new RegExp(`^Failed to acquire the synchronization lock\\. failed to initialize semaphore ${WORKFLOW_SEMAPHORE} with limit`));
    });
  }
});

describe('B-03 limit set to 0 on a live lock', () => {
  it('holders are untouched, the waiter shows "Failed to get semaphore limit", and starts once the limit is back and a slot frees', async () => {
    const env = await envs.start({ configMaps: { 'my-config': { workflow: '2' } } });
    await env.submitAll([wf('wf1', { sync: sem, created: 0 }), wf('wf2', { sync: sem, created: 1 })]);
    await env.started('wf1');
    await env.started('wf2');
    await env.submit(wf('wf3', { sync: sem, created: 2 }));
    await env.waiting('wf3');
    await env.setLimit('workflow', 0);
    await env.until('wf3', (w) => w.status?.message === `Failed to get semaphore limit for ${WORKFLOW_SEMAPHORE}`, 'the limit-0 message', 1000);
    expect((await env.get('wf1')).status?.phase).toBe('Running');
    expect((await env.get('wf2')).status?.phase).toBe('Running');
    await env.finish('wf1');
    await env.quiet();
    expect(env.monitor.started('wf3')).toBe(false);
    await env.setLimit('workflow', 2);
    const t = performance.now();
    await env.started('wf3', 1000);
    expect(performance.now() - t).toBeLessThan(1000);
    await env.finish('wf2');
    await env.finish('wf3');
  });
});

describe('B-04 limit increase', () => {
  it('1 → 3 starts exactly wf1 and wf2 at once, in one wake-up [ENGINE], never more than 3; wf3 after wf0 ends', async () => {
    const env = await envs.start({ configMaps: { 'my-config': { workflow: '1' } } });
    await env.submit(wf('wf0', { sync: sem, created: 0 }));
    await env.started('wf0');
    await env.submitAll([1, 2, 3, 4].map((t) => wf(`wf${t}`, { sync: sem, created: t })));
    for (const t of [1, 2, 3, 4]) await env.waiting(`wf${t}`);
    await env.setLimit('workflow', 3);
    await env.started('wf1', 1000);
    await env.started('wf2', 1000);
    const gap = Math.abs((env.monitor.starts.get('argo/wf1') ?? 0) - (env.monitor.starts.get('argo/wf2') ?? 0));
    expect(gap).toBeLessThan(200);
    await env.quiet();
    expect(env.monitor.order()).toEqual(['wf0', 'wf1', 'wf2']);
    // The others wait on, with the new limit in their message.
    for (const name of ['wf3', 'wf4']) expect((await env.get(name)).status?.message).toBe(`Waiting for ${WORKFLOW_SEMAPHORE} lock. Lock status: 0/3`);
    await env.finish('wf0');
    await env.started('wf3', 1000);
    await env.quiet();
    expect(env.monitor.started('wf4')).toBe(false);
    for (const name of ['wf1', 'wf2', 'wf3', 'wf4']) await env.finish(name);
    expect(env.monitor.peaks.get(WORKFLOW_SEMAPHORE)).toBe(3);
  });
});

describe('B-05 limit decrease without preemption', () => {
  it('3 → 1: the three holders go on; wf4 starts only after all three finish; then at most one runs', async () => {
    const env = await envs.start({ configMaps: { 'my-config': { workflow: '3' } } });
    await env.submitAll([1, 2, 3].map((t) => wf(`wf${t}`, { sync: sem, created: t })));
    for (const t of [1, 2, 3]) await env.started(`wf${t}`);
    await env.submit(wf('wf4', { sync: sem, created: 4 }));
    await env.waiting('wf4');
    await env.setLimit('workflow', 1);
    await env.quiet();
    for (const t of [1, 2, 3]) expect((await env.get(`wf${t}`)).status?.phase).toBe('Running');
    for (const name of ['wf1', 'wf2']) {
      await env.finish(name);
      await env.quiet();
      expect(env.monitor.started('wf4')).toBe(false);
    }
    await env.finish('wf3');
    await env.started('wf4', 1000);
    await env.submit(wf('wf5', { sync: sem, created: 5 }));
    await env.waiting('wf5');
    await env.finish('wf4');
    await env.finish('wf5');
    expect(env.monitor.order()).toEqual(['wf1', 'wf2', 'wf3', 'wf4', 'wf5']);
  });
});

describe('B-06 limit cache TTL', () => {
  it.todo('with semaphoreLimitCacheSeconds=30 a raised limit is seen between T+30 s and T+35 s: there is no limit cache (limits are watched, a change applies at once)');
});

describe('B-07 cross-namespace semaphore', () => {
  const shared = { semaphores: [cmSemaphore('k', 'shared', 'limits')] };
  it('workflows of team-a and team-b serialize on limits/ConfigMap/shared/k, read from namespace limits', async () => {
    const env = await envs.start();
    await env.putConfigMap('shared', { k: '1' }, 'limits');
    await env.submit(wf('wf-a', { ns: 'team-a', sync: shared, created: 0 }));
    await env.started('wf-a', 3000, 'team-a');
    expect((await env.get('wf-a', 'team-a')).status?.synchronization?.semaphore?.holding).toEqual([{ semaphore: 'limits/ConfigMap/shared/k', holders: ['team-a/wf-a'] }]);
    await env.submit(wf('wf-b', { ns: 'team-b', sync: shared, created: 1 }));
    const b = await env.waiting('wf-b', 3000, 'team-b');
    expect(b.status?.message).toBe('Waiting for limits/ConfigMap/shared/k lock. Lock status: 0/1');
    await env.finish('wf-a', 'team-a');
    await env.started('wf-b', 1000, 'team-b');
    await env.finish('wf-b', 'team-b');
    expect(env.monitor.peaks.get('limits/ConfigMap/shared/k')).toBe(1);
  });

  it('[ENGINE] raising the limit in namespace limits starts the waiters of both namespaces at once', async () => {
    const env = await envs.start();
    await env.putConfigMap('shared', { k: '1' }, 'limits');
    await env.submit(wf('wf-a', { ns: 'team-a', sync: shared, created: 0 }));
    await env.started('wf-a', 3000, 'team-a');
    await env.submit(wf('wf-b', { ns: 'team-b', sync: shared, created: 1 }));
    await env.submit(wf('wf-c', { ns: 'team-a', sync: shared, created: 2 }));
    await env.waiting('wf-b', 3000, 'team-b');
    await env.waiting('wf-c', 3000, 'team-a');
    await env.setLimit('k', 3, 'shared', 'limits');
    await env.started('wf-b', 1000, 'team-b');
    await env.started('wf-c', 1000, 'team-a');
    for (const [name, ns] of [['wf-a', 'team-a'], ['wf-b', 'team-b'], ['wf-c', 'team-a']] as const) await env.finish(name, ns);
  });
});
