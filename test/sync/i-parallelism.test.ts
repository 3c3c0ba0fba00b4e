// spec/sync.md §3 I: parallelism (controller, workflow, template) together with locks.
import { describe, expect, it } from 'vitest';
import type { Template, Workflow } from '../../src/spec/types.js';
import { environments, mutexes, pod, semaphores, SyncEnv, TEMPLATE_SEMAPHORE, wf } from './harness.js';

const envs = environments();
const POSTPONED = 'Workflow processing has been postponed because too many workflows are already running';

/** Releases the workflow's held pods one at a time until it has finished. */
async function drain(env: SyncEnv, name: string): Promise<void> {
  for (let i = 0; i < 50 && (await env.get(name)).status?.phase === 'Running'; i++) {
    const held = env.runtime.heldPods();
    if (held[0]) env.runtime.release(held[0]);
    await env.quiet(10);
  }
}

describe('I-01 controller parallelism versus lock waiters (Argo-compatible, T28)', () => {
  it('with parallelism 2, a workflow waiting on a mutex takes a slot: wf3 (no locks) is postponed until wf1 completes', async () => {
    const env = await envs.start({ controller: { parallelism: 2 } });
    await env.submit(wf('wf1', { sync: mutexes('m'), created: 0 }));
    await env.started('wf1');
    await env.submit(wf('wf2', { sync: mutexes('m'), created: 1 }));
    await env.waiting('wf2');
    await env.submit(wf('wf3', { created: 2 }));
    const w3 = await env.until('wf3', (w) => w.status?.message === POSTPONED, 'postponed');
    expect(w3.status?.phase).toBe('Pending');
    await env.quiet();
    expect(env.monitor.started('wf3')).toBe(false);
    await env.finish('wf1');
    await env.started('wf2', 1000);
    await env.started('wf3', 1000);
    await env.finish('wf2');
    await env.finish('wf3');
  });

  it('namespace variant without labels: namespaceParallelism 1 runs one workflow per namespace, the highest priority first within a namespace', async () => {
    const env = await envs.start({ controller: { namespaceParallelism: 1 } });
    const livePerNamespace = (): Map<string, number> => {
      const out = new Map<string, number>();
      for (const p of env.runtime.livePods()) out.set(p.namespace, (out.get(p.namespace) ?? 0) + 1);
      return out;
    };
    await env.submit(wf('a1', { ns: 'team-a', created: 0 }));
    await env.started('a1', 3000, 'team-a');
    await env.submitAll([
      wf('a2', { ns: 'team-a', created: 1 }),
      wf('a3', { ns: 'team-a', created: 2, priority: 5 }),
      wf('b1', { ns: 'team-b', created: 3 }),
      wf('b2', { ns: 'team-b', created: 4 }),
    ]);
    await env.started('b1', 3000, 'team-b');
    for (const [name, ns] of [['a2', 'team-a'], ['a3', 'team-a'], ['b2', 'team-b']] as const) await env.until(name, (w) => w.status?.message === POSTPONED, 'postponed', 3000, ns);
    for (const [name, ns] of [['a1', 'team-a'], ['b1', 'team-b'], ['a3', 'team-a'], ['b2', 'team-b'], ['a2', 'team-a']] as const) {
      await env.quiet(20);
      expect([...livePerNamespace().values()].every((n) => n <= 1), `before finishing ${ns}/${name}: ${env.runtime.livePods().map((p) => `${p.namespace}/${p.name}`).join(", ")}`).toBe(true);
      await env.finish(name, ns);
    }
    expect(env.monitor.order((n) => n.startsWith('a'))).toEqual(['a1', 'a3', 'a2']);
    expect(env.monitor.order((n) => n.startsWith('b'))).toEqual(['b1', 'b2']);
  });

  it.todo('namespace variant with the label workflows.argoproj.io/parallelism-limit: "2" on team-a (2 run in team-a, 1 in team-b): per-namespace limits from namespace labels are not built');
});

describe('I-02 workflow and template parallelism versus waiters', () => {
  it('spec.parallelism 2: nodes waiting for the lock do not count, so one locked pod and the unlocked pod run together', async () => {
    const env = await envs.start({ configMaps: { 'my-config': { template: '1' } } });
    const templates: Template[] = [
      {
        name: 'main',
        steps: [
          [
            { name: 'locked', template: 'locked', withItems: [0, 1, 2, 3] },
            { name: 'free', template: 'free' },
          ],
        ],
      },
      pod('locked', 'hold', { synchronization: semaphores('template') }),
      pod('free'),
    ];
    await env.submit(wf('par', { templates, spec: { parallelism: 2 } }));
    const pods = (): string[] => env.runtime.heldPods();
    await env.until('par', () => pods().length === 2, 'two pods running');
    const w = await env.get('par');
    const running = Object.values(w.status?.nodes ?? {}).filter((n) => n.type === 'Pod' && n.phase !== 'Pending');
    expect(running.map((n) => n.templateName).sort()).toEqual(['free', 'locked']);
    expect(Object.values(w.status?.nodes ?? {}).filter((n) => n.synchronizationStatus?.waiting === TEMPLATE_SEMAPHORE)).toHaveLength(3);
    await drain(env, 'par');
    expect((await env.get('par')).status?.phase).toBe('Succeeded');
    expect(env.monitor.peaks.get(TEMPLATE_SEMAPHORE)).toBe(1);
  });

  it('template parallelism 2 on the parent steps: waiting children count, so at most 2 children (1 running + 1 waiting) exist at once', async () => {
    const env = await envs.start({ configMaps: { 'my-config': { template: '1' } } });
    const templates: Template[] = [
      { name: 'main', parallelism: 2, steps: [[{ name: 'locked', template: 'locked', withItems: [0, 1, 2, 3] }]] },
      pod('locked', 'hold', { synchronization: semaphores('template') }),
    ];
    let peak = 0;
    const unsubscribe = env.stack.store.workflows.watch((c) => {
      if (c.object.metadata.name !== 'par') return;
      const live = Object.values((c.object as Workflow).status?.nodes ?? {}).filter((n) => n.templateName === 'locked' && n.type === 'Pod' && ['Pending', 'Running'].includes(n.phase));
      peak = Math.max(peak, live.length);
    });
    try {
      await env.submit(wf('par', { templates }));
      await env.until('par', (w) => Object.values(w.status?.nodes ?? {}).some((n) => n.synchronizationStatus), 'one child waiting');
      await env.quiet();
      const w = await env.get('par');
      expect(Object.values(w.status?.nodes ?? {}).filter((n) => n.templateName === 'locked')).toHaveLength(2);
      await drain(env, 'par');
      expect((await env.get('par')).status?.phase).toBe('Succeeded');
      expect(peak).toBe(2);
    } finally {
      unsubscribe();
    }
  });
});
