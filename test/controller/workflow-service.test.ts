// The operations of ControllerWorkflowService over the real controller and store: suspend/resume,
// stop, terminate, retry, resubmit and delete, as `argo` and the REST API call them.
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidError } from '../../src/controller/service.js';
import type { PodEventListener } from '../../src/runtime/types.js';
import type { Workflow } from '../../src/spec/types.js';
import { NotFoundError } from '../../src/store/types.js';
import { fake, getWf, heldPod, logDir, NS, nodeByDisplay, podOf, RecordingRuntime, removeLogDirs, single, sleep, startHarness, until, waitPhase, workflow, type Harness } from './harness.js';

const open: Harness[] = [];
async function harness(): Promise<Harness> {
  const h = await startHarness();
  open.push(h);
  return h;
}

afterEach(async () => {
  for (const h of open.splice(0)) await h.stop();
  removeLogDirs();
});

/** first (held) → second, with an exit handler. */
function twoSteps(name: string, extra: Partial<Workflow['spec']> = {}): Workflow {
  return workflow(
    name,
    [
      { name: 'main', steps: [[{ name: 'first', template: 'first' }], [{ name: 'second', template: 'second' }]] },
      fake('first', 'hold'),
      fake('second', 'exit 0'),
      fake('cleanup', 'exit 0'),
    ],
    { onExit: 'cleanup', ...extra },
  );
}

const created = (h: Harness, wf: Workflow | undefined, display: string): number => (nodeByDisplay(wf, display) ? h.runtime.created.filter((p) => p === podOf(wf, display)).length : 0);

describe('ControllerWorkflowService', () => {
  it('suspend holds back the next step; resume lets it run', async () => {
    const h = await harness();
    await h.service.create(twoSteps('susp'));
    const first = await heldPod(h, 'susp', 'first');
    const suspended = await h.service.suspend(NS, 'susp');
    expect(suspended.spec.suspend).toBe(true);
    h.runtime.release(first);
    await until(async () => nodeByDisplay(await getWf(h, 'susp'), 'first')?.phase === 'Succeeded' || undefined, 'first done');
    await sleep(150);
    const wf = await getWf(h, 'susp');
    expect(wf?.status?.phase).toBe('Running');
    expect(nodeByDisplay(wf, 'second')).toBeDefined();
    expect(h.runtime.created).toEqual([first]);

    const resumed = await h.service.resume(NS, 'susp');
    expect(resumed.spec.suspend).toBeUndefined();
    const done = await h.controller.waitFor(NS, 'susp');
    expect(done.status?.phase).toBe('Succeeded');
    expect(created(h, done, 'second')).toBe(1);
    expect(created(h, done, 'susp.onExit')).toBe(1);
  });

  it('resume completes a suspend template node', async () => {
    const h = await harness();
    await h.service.create(
      workflow('approve', [
        { name: 'main', steps: [[{ name: 'wait', template: 'wait' }], [{ name: 'go', template: 'go' }]] },
        { name: 'wait', suspend: {} },
        fake('go', 'exit 0'),
      ]),
    );
    await until(async () => nodeByDisplay(await getWf(h, 'approve'), 'wait')?.phase === 'Running' || undefined, 'suspend node');
    await sleep(100);
    expect(h.runtime.created).toEqual([]);
    await h.service.resume(NS, 'approve');
    const done = await h.controller.waitFor(NS, 'approve');
    expect(done.status?.phase).toBe('Succeeded');
    expect(nodeByDisplay(done, 'wait')?.phase).toBe('Succeeded');
    expect(created(h, done, 'go')).toBe(1);
  });

  it('stop kills the running pod, starts no further step, but runs the exit handler', async () => {
    const h = await harness();
    await h.service.create(twoSteps('stopped'));
    const first = await heldPod(h, 'stopped', 'first');
    await h.service.stop(NS, 'stopped');
    const done = await h.controller.waitFor(NS, 'stopped');
    expect(done.status?.phase).toBe('Failed');
    expect(done.status?.message).toBe("Stopped with strategy 'Stop'");
    expect(h.runtime.deleted.map((d) => d.pod)).toContain(first);
    expect(nodeByDisplay(done, 'first')?.phase).toBe('Failed');
    expect(created(h, done, 'second')).toBe(0);
    expect(nodeByDisplay(done, 'stopped.onExit')?.phase).toBe('Succeeded');
  });

  it('terminate kills the running pod and skips the exit handler', async () => {
    const h = await harness();
    await h.service.create(twoSteps('terminated'));
    const first = await heldPod(h, 'terminated', 'first');
    await h.service.terminate(NS, 'terminated');
    const done = await h.controller.waitFor(NS, 'terminated');
    expect(done.status?.phase).toBe('Failed');
    expect(done.status?.message).toBe("Stopped with strategy 'Terminate'");
    expect(h.runtime.deleted.map((d) => d.pod)).toContain(first);
    expect(nodeByDisplay(done, 'terminated.onExit')).toBeUndefined();
    expect(h.runtime.created).toEqual([first]);
  });

  it('operations on a finished workflow are refused as invalid; on a missing one, not found', async () => {
    const h = await harness();
    await h.service.create(single('finished', 'exit 0'));
    await h.controller.waitFor(NS, 'finished');
    await expect(h.service.suspend(NS, 'finished')).rejects.toBeInstanceOf(InvalidError);
    await expect(h.service.stop(NS, 'finished')).rejects.toBeInstanceOf(InvalidError);
    await expect(h.service.terminate(NS, 'finished')).rejects.toBeInstanceOf(InvalidError);
    await expect(h.service.retry(NS, 'finished')).rejects.toBeInstanceOf(InvalidError);
    await expect(h.service.suspend(NS, 'missing')).rejects.toBeInstanceOf(NotFoundError);
    await expect(h.service.retry(NS, 'missing')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('retry of a failed workflow re-runs only the failed step', async () => {
    const h = await harness();
    const wf = workflow(
      'retried',
      [
        {
          name: 'main',
          steps: [
            [{ name: 'ok', template: 'ok' }],
            [{ name: 'flaky', template: 'flaky', arguments: { parameters: [{ name: 'code', value: '{{workflow.parameters.code}}' }] } }],
          ],
        },
        fake('ok', 'say fine'),
        { name: 'flaky', inputs: { parameters: [{ name: 'code' }] }, container: { image: 'fake', args: ['exit {{inputs.parameters.code}}'] } },
      ],
      { arguments: { parameters: [{ name: 'code', value: '1' }] } },
    );
    await h.service.create(wf);
    const failed = await h.controller.waitFor(NS, 'retried');
    expect(failed.status?.phase).toBe('Failed');
    expect(nodeByDisplay(failed, 'flaky')?.phase).toBe('Failed');
    const okNode = nodeByDisplay(failed, 'ok');
    const okPod = podOf(failed, 'ok');
    const flakyPod = podOf(failed, 'flaky');

    const retried = await h.service.retry(NS, 'retried', { parameters: ['code=0'] });
    expect(retried.status?.phase).toBe('Running');
    const done = await h.controller.waitFor(NS, 'retried');
    expect(done.status?.phase).toBe('Succeeded');
    expect(nodeByDisplay(done, 'flaky')?.phase).toBe('Succeeded');
    // The succeeded step kept its node as it was and did not run again.
    expect(nodeByDisplay(done, 'ok')).toEqual(okNode);
    expect(h.runtime.created.filter((p) => p === okPod)).toHaveLength(1);
    expect(h.runtime.created.filter((p) => p === flakyPod)).toHaveLength(2);
  });

  it('resubmit creates a new workflow from the spec and leaves the original as it was', async () => {
    const h = await harness();
    await h.service.create(single('orig', 'exit 1'));
    const orig = await h.controller.waitFor(NS, 'orig');
    expect(orig.status?.phase).toBe('Failed');
    const copy = await h.service.resubmit(NS, 'orig');
    const name = copy.metadata.name ?? '';
    expect(name).toMatch(/^orig-[a-z0-9]{5}$/);
    expect(copy.metadata.labels?.['workflows.argoproj.io/resubmitted-from-workflow']).toBe('orig');
    expect(copy.metadata.uid).not.toBe(orig.metadata.uid);
    const again = await h.controller.waitFor(NS, name);
    expect(again.status?.phase).toBe('Failed');
    expect(h.runtime.created).toEqual(['orig', name]);
    const still = await getWf(h, 'orig');
    expect(still?.status).toEqual(orig.status);
  });

  it('delete while running kills its pods and removes it from the store', async () => {
    const h = await harness();
    await h.service.create(
      workflow('doomed', [
        { name: 'main', steps: [[{ name: 'a', template: 'hold' }, { name: 'b', template: 'hold' }]] },
        fake('hold', 'hold'),
      ]),
    );
    const a = await heldPod(h, 'doomed', 'a');
    const b = await heldPod(h, 'doomed', 'b');
    await waitPhase(h, 'doomed', 'Running');
    await h.service.delete(NS, 'doomed');
    expect(await getWf(h, 'doomed')).toBeUndefined();
    expect(h.runtime.deleted.map((d) => d.pod).sort()).toEqual([a, b].sort());
    expect(h.runtime.heldPods()).toEqual([]);
    expect(h.runtime.cleaned.sort()).toEqual([a, b].sort());
    expect(await h.runtime.listPods()).toEqual([]);
    expect(h.controller.podsOfWorkflow(NS, 'doomed')).toEqual([]);
    await expect(h.service.delete(NS, 'doomed')).rejects.toBeInstanceOf(NotFoundError);
    // Nothing comes back: no reconcile re-creates the workflow or its pods.
    await sleep(150);
    expect(await getWf(h, 'doomed')).toBeUndefined();
    expect(h.runtime.created.sort()).toEqual([a, b].sort());
    expect(h.errors).toEqual([]);
  });
});

describe('a runtime whose events arrive late', () => {
  // Real runtimes report a pod's start and its kill some time after the call; here every event is 20 ms late.
  class LateRuntime extends RecordingRuntime {
    override onEvent(listener: PodEventListener): () => void {
      return super.onEvent((event) => void setTimeout(() => listener(event), 20));
    }
  }

  it('delete kills a pod created but not yet reported started', async () => {
    const h = await startHarness({ runtime: new LateRuntime(logDir()) });
    open.push(h);
    await h.service.create(single('early', 'hold'));
    await until(() => h.runtime.created.includes('early') || undefined, 'pod created');
    await h.service.delete(NS, 'early');
    expect(h.runtime.deleted.map((d) => d.pod)).toContain('early');
    await sleep(60);
    expect(h.runtime.heldPods()).toEqual([]);
    expect(await h.runtime.listPods()).toEqual([]);
  });

  it("a workflow deleted while running and re-created under its name runs afresh: the old pod's podGone is not taken for the new pod", async () => {
    const h = await startHarness({ runtime: new LateRuntime(logDir()) });
    open.push(h);
    await h.service.create(single('again', 'hold'));
    await until(async () => (await getWf(h, 'again'))?.status?.nodes?.['again']?.hostNodeName !== undefined || undefined, 'pod reported running');
    await h.service.delete(NS, 'again');
    expect(h.runtime.deleted.map((d) => d.pod)).toEqual(['again']);
    // The kill is reported after the workflow is gone.
    await sleep(60);
    await h.service.create(single('again', 'hold'));
    await until(() => h.runtime.heldPods().includes('again') || undefined, 'new pod held');
    expect(h.runtime.created).toEqual(['again', 'again']);
    await sleep(100);
    const wf = await getWf(h, 'again');
    expect(wf?.status?.nodes?.['again']?.phase).toBe('Running');
    expect(wf?.status?.phase).toBe('Running');
    h.runtime.release('again');
    expect((await h.controller.waitFor(NS, 'again')).status?.phase).toBe('Succeeded');
  });
});
