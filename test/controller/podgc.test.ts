// podGC (containerset.md §4.2): each strategy cleans exactly the pods it names, once their nodes are
// fulfilled, and deleteDelayDuration postpones the clean-up.
import { afterEach, describe, expect, it } from 'vitest';
import type { Workflow } from '../../src/spec/types.js';
import { fake, getWf, heldPod, NS, nodeByDisplay, podOf, removeLogDirs, sleep, startHarness, until, workflow, type Harness } from './harness.js';

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

/**
 * First group: `ok` succeeds and `bad` fails (continueOn.failed); second group: `gate` holds until
 * released and then exits `gateExit`. The workflow succeeds iff the gate does.
 */
function gcWorkflow(name: string, podGC: Workflow['spec']['podGC'], gateExit = 0): Workflow {
  return workflow(
    name,
    [
      {
        name: 'main',
        steps: [
          [
            { name: 'ok', template: 'ok' },
            { name: 'bad', template: 'bad', continueOn: { failed: true } },
          ],
          [{ name: 'gate', template: 'gate' }],
        ],
      },
      fake('ok', 'exit 0'),
      fake('bad', 'exit 1'),
      fake('gate', `hold; exit ${gateExit}`),
    ],
    podGC ? { podGC } : {},
  );
}

interface Run {
  ok: string;
  bad: string;
  gate: string;
}

/** Submits, waits until ok and bad are done and the gate pod is held (and any immediate GC ran). */
async function runToGate(h: Harness, wf: Workflow): Promise<Run> {
  const name = wf.metadata.name ?? '';
  await h.controller.submit(wf);
  const gate = await heldPod(h, name, 'gate');
  const stored = await until(async () => {
    const w = await getWf(h, name);
    return nodeByDisplay(w, 'ok')?.phase === 'Succeeded' && nodeByDisplay(w, 'bad')?.phase === 'Failed' ? w : undefined;
  }, 'first group done');
  await sleep(100);
  return { ok: podOf(stored, 'ok'), bad: podOf(stored, 'bad'), gate };
}

async function finish(h: Harness, name: string, gate: string): Promise<Workflow> {
  h.runtime.release(gate);
  const wf = await h.controller.waitFor(NS, name);
  await sleep(100);
  return wf;
}

describe('podGC', () => {
  it('no podGC: no pod is ever cleaned', async () => {
    const h = await harness();
    const run = await runToGate(h, gcWorkflow('gc-none', undefined));
    expect((await finish(h, 'gc-none', run.gate)).status?.phase).toBe('Succeeded');
    expect(h.runtime.cleaned).toEqual([]);
  });

  it('OnPodCompletion cleans each pod as soon as its node is fulfilled, failed or not', async () => {
    const h = await harness();
    const run = await runToGate(h, gcWorkflow('gc-pod-completion', { strategy: 'OnPodCompletion' }));
    expect([...h.runtime.cleaned].sort()).toEqual([run.ok, run.bad].sort());
    expect(h.runtime.cleaned).not.toContain(run.gate);
    expect(h.runtime.deleted).toEqual([]);
    await finish(h, 'gc-pod-completion', run.gate);
    expect([...h.runtime.cleaned].sort()).toEqual([run.ok, run.bad, run.gate].sort());
  });

  it('OnPodSuccess cleans succeeded pods and keeps failed ones', async () => {
    const h = await harness();
    const run = await runToGate(h, gcWorkflow('gc-pod-success', { strategy: 'OnPodSuccess' }));
    expect(h.runtime.cleaned).toEqual([run.ok]);
    await finish(h, 'gc-pod-success', run.gate);
    expect([...h.runtime.cleaned].sort()).toEqual([run.ok, run.gate].sort());
    expect(await h.runtime.listPods()).toContain(run.bad);
  });

  it('OnWorkflowCompletion cleans nothing while the workflow runs, then every pod, whatever its outcome', async () => {
    const h = await harness();
    const run = await runToGate(h, gcWorkflow('gc-wf-completion', { strategy: 'OnWorkflowCompletion' }));
    expect(h.runtime.cleaned).toEqual([]);
    await finish(h, 'gc-wf-completion', run.gate);
    expect([...h.runtime.cleaned].sort()).toEqual([run.ok, run.bad, run.gate].sort());

    const failed = await runToGate(h, gcWorkflow('gc-wf-completion-failed', { strategy: 'OnWorkflowCompletion' }, 1));
    expect((await finish(h, 'gc-wf-completion-failed', failed.gate)).status?.phase).toBe('Failed');
    expect(h.runtime.cleaned).toEqual(expect.arrayContaining([failed.ok, failed.bad, failed.gate]));
    expect(h.runtime.cleaned).toHaveLength(6);
  });

  it('OnWorkflowSuccess cleans every pod of a succeeded workflow and none of a failed one', async () => {
    const h = await harness();
    const run = await runToGate(h, gcWorkflow('gc-wf-success', { strategy: 'OnWorkflowSuccess' }));
    expect(h.runtime.cleaned).toEqual([]);
    expect((await finish(h, 'gc-wf-success', run.gate)).status?.phase).toBe('Succeeded');
    expect([...h.runtime.cleaned].sort()).toEqual([run.ok, run.bad, run.gate].sort());

    const failed = await runToGate(h, gcWorkflow('gc-wf-success-failed', { strategy: 'OnWorkflowSuccess' }, 1));
    expect((await finish(h, 'gc-wf-success-failed', failed.gate)).status?.phase).toBe('Failed');
    expect(h.runtime.cleaned).toHaveLength(3);
    expect(h.runtime.cleaned).not.toContain(failed.ok);
    expect(await h.runtime.listPods()).toEqual(expect.arrayContaining([failed.ok, failed.bad, failed.gate]));
  });

  it('deleteDelayDuration delays the clean-up', async () => {
    const h = await harness();
    const run = await runToGate(h, gcWorkflow('gc-delayed', { strategy: 'OnPodCompletion', deleteDelayDuration: '1s' }));
    const finishedAt = Date.now();
    await finish(h, 'gc-delayed', run.gate);
    expect(h.runtime.cleaned).toEqual([]);
    // ok and bad finished before the gate was released; the gate last.
    await until(() => h.runtime.cleaned.length === 3 || undefined, 'delayed clean-up', 3000);
    expect(Date.now() - finishedAt).toBeGreaterThanOrEqual(800);
    expect([...h.runtime.cleaned].sort()).toEqual([run.ok, run.bad, run.gate].sort());
  });

  it('a bare number of deleteDelayDuration means seconds', async () => {
    const h = await harness();
    const run = await runToGate(h, gcWorkflow('gc-delayed-number', { strategy: 'OnWorkflowCompletion', deleteDelayDuration: '1' }));
    await finish(h, 'gc-delayed-number', run.gate);
    await sleep(400);
    expect(h.runtime.cleaned).toEqual([]);
    await until(() => h.runtime.cleaned.length === 3 || undefined, 'delayed clean-up', 3000);
  });

  it('pods re-run by a retry are collected again when they finish again', async () => {
    const h = await harness();
    const run = await runToGate(h, gcWorkflow('gc-retry', { strategy: 'OnPodCompletion' }, 1));
    await finish(h, 'gc-retry', run.gate);
    expect(await h.runtime.listPods()).toEqual([]);
    await h.service.retry(NS, 'gc-retry');
    const mark = h.runtime.cleaned.length;
    // `bad` and `gate` failed: both run again under the same pod names; `ok` does not.
    expect(await heldPod(h, 'gc-retry', 'gate')).toBe(run.gate);
    await finish(h, 'gc-retry', run.gate);
    expect(h.runtime.created.filter((p) => p === run.ok)).toHaveLength(1);
    expect(h.runtime.created.filter((p) => p === run.bad)).toHaveLength(2);
    expect([...h.runtime.cleaned.slice(mark)].sort()).toEqual([run.bad, run.gate].sort());
    expect(await h.runtime.listPods()).toEqual([]);
  });

  it('a delayed clean-up scheduled before a retry does not kill the re-run pod of the same name', async () => {
    const h = await harness();
    const run = await runToGate(h, gcWorkflow('gc-retry-delayed', { strategy: 'OnPodCompletion', deleteDelayDuration: '1s' }, 1));
    await finish(h, 'gc-retry-delayed', run.gate);
    await h.service.retry(NS, 'gc-retry-delayed');
    expect(await heldPod(h, 'gc-retry-delayed', 'gate')).toBe(run.gate);
    // The clean-up timers of the first run fire while the gate runs again.
    await sleep(1300);
    expect(h.runtime.heldPods()).toContain(run.gate);
    expect(h.runtime.deleted.map((d) => d.pod)).not.toContain(run.gate);
    const wf = await getWf(h, 'gc-retry-delayed');
    expect(wf?.status?.phase).toBe('Running');
    expect(nodeByDisplay(wf, 'gate')?.phase).toBe('Running');
    // It finishes and is collected, after its own delay.
    const mark = h.runtime.cleaned.length;
    await finish(h, 'gc-retry-delayed', run.gate);
    await until(() => h.runtime.cleaned.slice(mark).includes(run.gate) || undefined, 'gate collected after the re-run', 3000);
  });

  it('a workflow re-created under a deleted one\'s name has its pods collected', async () => {
    const h = await harness();
    const first = await runToGate(h, gcWorkflow('gc-reused', { strategy: 'OnPodSuccess' }));
    await finish(h, 'gc-reused', first.gate);
    await h.service.delete(NS, 'gc-reused');
    const before = h.runtime.cleaned.length;
    const second = await runToGate(h, gcWorkflow('gc-reused', { strategy: 'OnPodSuccess' }));
    await finish(h, 'gc-reused', second.gate);
    expect([...h.runtime.cleaned.slice(before)].sort()).toEqual([second.ok, second.gate].sort());
  });
});
