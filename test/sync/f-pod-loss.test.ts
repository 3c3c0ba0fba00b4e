// spec/sync.md §3 F: a holder's pod (or its machine) disappears.
import { describe, expect, it } from 'vitest';
import type { Template } from '../../src/spec/types.js';
import { call } from '../../src/server/test-helpers/api.js';
import { environments, mutexes, NS, pod, SyncEnv, until, wf } from './harness.js';

const envs = environments();
const M = mutexes('m');

/** wf1 holds mutex m with a running pod; wf2 waits for it. */
async function holding(env: SyncEnv, templates?: Template[]): Promise<void> {
  await env.submit(wf('wf1', { sync: M, created: 0, ...(templates ? { templates } : {}) }));
  await env.started('wf1');
  await env.submit(wf('wf2', { sync: M, created: 1 }));
  await env.waiting('wf2');
}

describe('F-01 pod deleted while holding', () => {
  it('a force-deleted pod ends its node Error "pod deleted", wf1 ends, and wf2 runs right after', async () => {
    const env = await envs.start();
    await holding(env);
    const r = await call(env.stack.app, 'DELETE', `/api/v1/workflows/${NS}/wf1/pods/wf1`);
    expect(r.status, r.text).toBe(200);
    const w1 = await env.until('wf1', (w) => ['Error', 'Failed'].includes(w.status?.phase ?? ''), 'ended', 1000);
    expect(SyncEnv.node(w1, 'wf1')).toMatchObject({ phase: 'Error', message: 'pod deleted' });
    const endedAt = performance.now();
    await env.phaseIs('wf2', 'Running', 1000);
    expect(performance.now() - endedAt).toBeLessThan(1000);
    await env.finish('wf2');
  });

  it('node loss (the pod vanishes with its machine) gives the same result', async () => {
    const env = await envs.start();
    await holding(env);
    env.runtime.lose('wf1');
    const w1 = await env.until('wf1', (w) => ['Error', 'Failed'].includes(w.status?.phase ?? ''), 'ended', 1000);
    expect(SyncEnv.node(w1, 'wf1')?.phase).toBe('Error');
    await env.phaseIs('wf2', 'Running', 1000);
    await env.finish('wf2');
  });

  it.todo('grace: a pod deleted 3 s after its node started is not marked Error before 10 s after the start (RECENTLY_STARTED_POD_DURATION), and is by 15 s: the grace window is not built');

  // PD-10 / F-01: a pod deleted before it ever ran is made again under the same name (Argo skips
  // Pending nodes in its missing-pod check and re-creates their pods), consuming no retry.
  it('a node still Pending when its pod vanished is re-created, not failed', async () => {
    const env = await envs.start();
    await env.submit(wf('wf1', { sync: M, script: 'pending' }));
    await until(() => env.runtime.livePods().find((p) => p.workflowName === 'wf1'), 'the pod');
    await env.quiet(50);
    expect(SyncEnv.node(await env.get('wf1'), 'wf1')?.phase).toBe('Pending');
    await env.runtime.deletePod('wf1');
    await until(() => (env.runtime.created.filter((p) => p === 'wf1').length === 2 ? true : undefined), 'the pod created again', 1000);
    expect(SyncEnv.node(await env.get('wf1'), 'wf1')?.phase).toBe('Pending');
    await env.op('wf1', 'terminate');
  });
});

describe('F-02 containerSet pod deleted mid-run, with dependencies', () => {
  it('the pod node is Error "pod deleted", a and its dependent main "container deleted", wf1 ends and wf2 starts; never both hold m', async () => {
    const env = await envs.start();
    const templates: Template[] = [
      { name: 'main', dag: { tasks: [{ name: 'set', template: 'set' }] } },
      {
        name: 'set',
        containerSet: {
          containers: [
            { name: 'a', image: 'fake', args: ['hold'] },
            { name: 'main', image: 'fake', args: ['exit 0'], dependencies: ['a'] },
          ],
        },
      },
    ];
    await holding(env, templates);
    const podOfSet = await until(() => env.runtime.heldPods().find((p) => p.startsWith('wf1')), 'the containerSet pod');
    const r = await call(env.stack.app, 'DELETE', `/api/v1/workflows/${NS}/wf1/pods/${podOfSet}`);
    expect(r.status, r.text).toBe(200);
    const w1 = await env.until('wf1', (w) => ['Error', 'Failed'].includes(w.status?.phase ?? ''), 'ended', 1000);
    expect(SyncEnv.node(w1, 'set')).toMatchObject({ phase: 'Error', message: 'pod deleted' });
    expect(SyncEnv.node(w1, 'a')).toMatchObject({ phase: 'Error', message: 'container deleted' });
    expect(SyncEnv.node(w1, 'main')).toMatchObject({ phase: 'Error', message: 'container deleted' });
    expect(['Error', 'Failed']).toContain(SyncEnv.node(w1, 'wf1')?.phase);
    await env.phaseIs('wf2', 'Running', 1000);
    await env.finish('wf2');
    expect(env.monitor.peaks.get('argo/Mutex/m')).toBe(1);
  });
});

describe('F-03 stuck-workflow recovery [ENGINE]', () => {
  it('a holder whose pod vanished without a trace is ended by terminate: every unfinished node Failed, the workflow Failed, m released', async () => {
    const env = await envs.start();
    await holding(env, [{ name: 'main', steps: [[{ name: 'work', template: 'work' }]] }, pod('work')]);
    const lost = await until(() => env.runtime.heldPods().find((p) => p.startsWith('wf1')), 'the pod');
    // No event ever comes: the controller still believes the pod runs.
    env.runtime.vanish(lost);
    await env.quiet();
    expect((await env.get('wf1')).status?.phase).toBe('Running');
    await env.op('wf1', 'terminate');
    const w1 = await env.phaseIs('wf1', 'Failed', 1000);
    for (const n of Object.values(w1.status?.nodes ?? {})) expect(['Failed', 'Error', 'Succeeded', 'Skipped', 'Omitted']).toContain(n.phase);
    expect(w1.status?.synchronization).toBeUndefined();
    await env.phaseIs('wf2', 'Running', 1000);
    await env.finish('wf2');
  });
});
