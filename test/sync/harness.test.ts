// The INV monitor itself: it must see an over-admission, in stored status and in live pods, and
// must not count holders carried over a limit decrease.
import { describe, expect, it } from 'vitest';
import type { PodSpec } from '../../src/runtime/types.js';
import type { Workflow } from '../../src/spec/types.js';
import { environments, NS, wf, WORKFLOW_SEMAPHORE } from './harness.js';

const envs = environments();

/** A workflow stored as if it held `lock` (written straight to the store: the controller never sees it). */
function holding(name: string, lock: string): Workflow {
  const w = wf(name);
  const sync = lock.includes('/Mutex/') ? { mutex: { holding: [{ mutex: lock, holder: `${NS}/${name}` }] } } : { semaphore: { holding: [{ semaphore: lock, holders: [`${NS}/${name}`] }] } };
  w.status = { phase: 'Running', nodes: {}, synchronization: sync };
  return w;
}

function podOf(name: string): PodSpec {
  return { name, namespace: NS, workflowName: name, nodeId: name, volumes: [], containers: [{ name: 'main', role: 'main', args: ['hold'], env: [], volumeMounts: [] }] };
}

describe('LockMonitor (INV)', () => {
  it('reports a second holder of a mutex, in status and in pods', async () => {
    const env = await envs.start();
    const { store } = env.stack;
    await store.workflows.create(holding('x1', 'argo/Mutex/m'));
    await env.runtime.createPod(podOf('x1'));
    expect(env.monitor.violations).toEqual([]);
    await store.workflows.create(holding('x2', 'argo/Mutex/m'));
    await env.runtime.createPod(podOf('x2'));
    const found = env.monitor.violations.splice(0);
    expect(found.some((v) => v.startsWith('INV (status)') && v.includes('argo/x2'))).toBe(true);
    expect(found.some((v) => v.startsWith('INV (pods)') && v.includes('argo/x2'))).toBe(true);
    for (const pod of ['x1', 'x2']) await env.runtime.deletePod(pod);
    for (const w of ['x1', 'x2']) await store.workflows.delete(NS, w);
  });

  it('keeps holders carried over a limit decrease, but refuses a new one until they drain below it', async () => {
    const env = await envs.start({ configMaps: { 'my-config': { workflow: '2' } } });
    const { store } = env.stack;
    await store.workflows.create(holding('y1', WORKFLOW_SEMAPHORE));
    await store.workflows.create(holding('y2', WORKFLOW_SEMAPHORE));
    await env.putConfigMap('my-config', { workflow: '1' });
    expect(env.monitor.violations).toEqual([]);
    await store.workflows.delete(NS, 'y1');
    expect(env.monitor.violations).toEqual([]);
    await store.workflows.create(holding('y3', WORKFLOW_SEMAPHORE));
    expect(env.monitor.violations.splice(0)).toHaveLength(1);
    for (const w of ['y2', 'y3']) await store.workflows.delete(NS, w);
  });

  it('reports a finished workflow that still records synchronization', async () => {
    const env = await envs.start();
    const w = holding('z1', 'argo/Mutex/m');
    w.status = { ...w.status, phase: 'Succeeded' };
    await env.stack.store.workflows.create(w);
    expect(env.monitor.violations.splice(0)).toEqual([expect.stringContaining('argo/z1 is Succeeded but still records status.synchronization')]);
    await env.stack.store.workflows.delete(NS, 'z1');
  });
});
