// Adoption on start: a controller restarted over the store of an earlier process takes the pods its
// runtime reports through adopt() instead of creating them again; a pod that is Gone ('lost') ends
// its node in Error "pod deleted", which retryStrategy OnError retries.
import { afterEach, describe, expect, it } from 'vitest';
import type { PodObservation, PodSpec } from '../../src/runtime/types.js';
import type { Workflow } from '../../src/spec/types.js';
import { createMemoryStore } from '../../src/store/memory/index.js';
import type { Store } from '../../src/store/types.js';
import { fake, getWf, logDir, NS, nodeByDisplay, RecordingRuntime, removeLogDirs, startHarness, until, workflow, type Harness } from './harness.js';

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.stop();
  removeLogDirs();
});

const at = '2031-01-01T00:00:05Z';

function succeeded(spec: PodSpec): PodObservation {
  return {
    name: spec.name,
    phase: 'Succeeded',
    startedAt: '2031-01-01T00:00:00Z',
    finishedAt: at,
    containers: { main: { state: 'terminated', exitCode: 0, startedAt: '2031-01-01T00:00:00Z', finishedAt: at, outputs: {} } },
  };
}

function lost(spec: PodSpec): PodObservation {
  return { name: spec.name, phase: 'Gone', finishedAt: at, message: 'pod deleted', containers: {} };
}

/**
 * Runs `wf` in a first controller until the pod of node `display` is held (stored Running), then
 * stops that controller as a crash would, leaving the store behind. Returns the store and the pod.
 */
async function crashWhileRunning(wf: Workflow, display: string): Promise<{ store: Store; spec: PodSpec }> {
  const store = createMemoryStore();
  const first = await startHarness({ store });
  const name = wf.metadata.name ?? '';
  await first.controller.submit(wf);
  const pod = await until(async () => {
    const w = await getWf(first, name);
    const node = nodeByDisplay(w, display);
    const held = first.runtime.heldPods()[0];
    return node?.phase === 'Running' && w?.status?.phase === 'Running' && held ? held : undefined;
  }, 'stored Running with a held pod');
  const spec = first.runtime.specs.get(pod);
  await first.stop();
  if (!spec) throw new Error('no spec recorded');
  return { store, spec };
}

async function restart(store: Store, adopt: { spec: PodSpec; observation: PodObservation }[]): Promise<Harness> {
  const runtime = new RecordingRuntime(logDir());
  runtime.leftovers = adopt;
  const h = await startHarness({ store, runtime });
  open.push(h);
  return h;
}

describe('adoption on start', () => {
  it('a pod that finished while no controller ran completes its workflow without being created again', async () => {
    const wf = workflow('adopt-done', [
      { name: 'main', steps: [[{ name: 'work', template: 'work' }], [{ name: 'after', template: 'after' }]] },
      fake('work', 'hold'),
      fake('after', 'exit 0'),
    ]);
    const { store, spec } = await crashWhileRunning(wf, 'work');
    expect((await store.workflows.get(NS, 'adopt-done'))?.status?.phase).toBe('Running');

    const h = await restart(store, [{ spec, observation: succeeded(spec) }]);
    const done = await h.controller.waitFor(NS, 'adopt-done');
    expect(done.status?.phase).toBe('Succeeded');
    const work = nodeByDisplay(done, 'work');
    expect(work?.phase).toBe('Succeeded');
    expect(work?.outputs?.exitCode).toBe('0');
    expect(work?.finishedAt).toBe(at);
    // Only the next step's pod was created by the new process; the adopted one was not.
    expect(h.runtime.created).not.toContain(spec.name);
    expect(h.runtime.created).toHaveLength(1);
    expect(h.controller.podsOfWorkflow(NS, 'adopt-done')).toContain(spec.name);
  });

  it('an adopted pod still running is waited for, not re-created', async () => {
    const { store, spec } = await crashWhileRunning(workflow('adopt-running', [fake('main', 'hold')]), 'adopt-running');
    const h = await restart(store, [{ spec, observation: { name: spec.name, phase: 'Running', containers: {} } }]);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(h.runtime.created).toEqual([]);
    expect((await getWf(h, 'adopt-running'))?.status?.phase).toBe('Running');
  });

  it("without adoption, a node whose pod was running and is now unknown ends Error 'pod deleted' (I3); its pod is not run again", async () => {
    const { store } = await crashWhileRunning(workflow('adopt-none', [fake('main', 'hold')]), 'adopt-none');
    const h = await restart(store, []);
    const done = await h.controller.waitFor(NS, 'adopt-none');
    expect(done.status?.nodes?.['adopt-none']).toMatchObject({ phase: 'Error', message: 'pod deleted' });
    expect(done.status?.phase).toBe('Error');
    expect(h.runtime.created).toEqual([]);
  });

  it("a pod Gone ('lost') ends its node in Error 'pod deleted'", async () => {
    const { store, spec } = await crashWhileRunning(workflow('adopt-lost', [fake('main', 'hold')]), 'adopt-lost');
    const h = await restart(store, [{ spec, observation: lost(spec) }]);
    const done = await h.controller.waitFor(NS, 'adopt-lost');
    const node = done.status?.nodes?.['adopt-lost'];
    expect(node?.phase).toBe('Error');
    expect(node?.message).toBe('pod deleted');
    expect(done.status?.phase).toBe('Error');
    expect(h.runtime.created).toEqual([]);
  });

  it("a lost pod is retried under retryStrategy retryPolicy OnError", async () => {
    const wf = workflow('adopt-retry', [fake('main', 'hold', { retryStrategy: { limit: 2, retryPolicy: 'OnError' } })]);
    const { store, spec } = await crashWhileRunning(wf, 'adopt-retry(0)');
    const h = await restart(store, [{ spec, observation: lost(spec) }]);
    // The retry's second attempt is a new pod, created by the new process.
    const second = await until(() => h.runtime.heldPods()[0], 'second attempt held');
    expect(second).not.toBe(spec.name);
    const running = await getWf(h, 'adopt-retry');
    const first = nodeByDisplay(running, 'adopt-retry(0)');
    expect(first?.phase).toBe('Error');
    expect(first?.message).toBe('pod deleted');
    expect(nodeByDisplay(running, 'adopt-retry(1)')?.phase).toBe('Running');
    h.runtime.release(second);
    const done = await h.controller.waitFor(NS, 'adopt-retry');
    expect(done.status?.phase).toBe('Succeeded');
    expect(h.runtime.created).toEqual([second]);
  });

  it('retryPolicy OnFailure does not retry a lost pod', async () => {
    const wf = workflow('adopt-no-retry', [fake('main', 'hold', { retryStrategy: { limit: 2, retryPolicy: 'OnFailure' } })]);
    const { store, spec } = await crashWhileRunning(wf, 'adopt-no-retry(0)');
    const h = await restart(store, [{ spec, observation: lost(spec) }]);
    const done = await h.controller.waitFor(NS, 'adopt-no-retry');
    expect(done.status?.phase).toBe('Error');
    expect(nodeByDisplay(done, 'adopt-no-retry(0)')?.message).toBe('pod deleted');
    expect(nodeByDisplay(done, 'adopt-no-retry(1)')).toBeUndefined();
    expect(h.runtime.created).toEqual([]);
  });
});
