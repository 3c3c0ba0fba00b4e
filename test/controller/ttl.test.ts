// ttlStrategy (containerset.md §4.1): a finished workflow is deleted from the store, pods and all,
// once its TTL has run from status.finishedAt; the specific fields override secondsAfterCompletion;
// a controller started after the TTL passed deletes at once.
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/store/memory/index.js';
import { getWf, NS, RecordingRuntime, logDir, removeLogDirs, single, sleep, startHarness, until, waitPhase, type Harness } from './harness.js';

// A clock frozen on a whole second: finishedAt (whole seconds) equals it, so a TTL of N seconds is
// exactly N seconds of real timer from the moment the workflow finishes.
const T0 = Date.parse('2031-05-01T10:00:00Z');
const frozen = (): Date => new Date(T0);

const open: Harness[] = [];
async function harness(...args: Parameters<typeof startHarness>): Promise<Harness> {
  const h = await startHarness(...args);
  open.push(h);
  return h;
}

afterEach(async () => {
  for (const h of open.splice(0)) await h.stop();
  removeLogDirs();
});

async function gone(h: Harness, name: string, timeoutMs = 3000): Promise<void> {
  await until(async () => (await getWf(h, name)) === undefined, `${name} to be deleted`, timeoutMs);
}

describe('ttlStrategy', () => {
  it('secondsAfterCompletion deletes a finished workflow after the TTL, not before, and cleans its pods', async () => {
    const h = await harness({ clock: frozen });
    await h.controller.submit(single('ttl-done', 'say hi', { ttlStrategy: { secondsAfterCompletion: 1 } }));
    const done = await h.controller.waitFor(NS, 'ttl-done');
    expect(done.status?.phase).toBe('Succeeded');
    expect(done.status?.finishedAt).toBe('2031-05-01T10:00:00Z');
    await sleep(500);
    expect(await getWf(h, 'ttl-done')).toBeDefined();
    expect(h.runtime.cleaned).not.toContain('ttl-done');
    await gone(h, 'ttl-done');
    // The workflow's single pod is named after it; deletion cleaned it from the runtime.
    expect(h.runtime.cleaned).toContain('ttl-done');
    expect(await h.runtime.listPods()).not.toContain('ttl-done');
  });

  it('secondsAfterSuccess applies to a succeeded workflow and overrides secondsAfterCompletion', async () => {
    const h = await harness({ clock: frozen });
    await h.controller.submit(single('ok-fast', 'exit 0', { ttlStrategy: { secondsAfterCompletion: 3600, secondsAfterSuccess: 1 } }));
    expect((await h.controller.waitFor(NS, 'ok-fast')).status?.phase).toBe('Succeeded');
    await gone(h, 'ok-fast');
  });

  it('a failed workflow with only secondsAfterSuccess is kept', async () => {
    const h = await harness({ clock: frozen });
    await h.controller.submit(single('bad-kept', 'exit 1', { ttlStrategy: { secondsAfterSuccess: 1 } }));
    await h.controller.submit(single('ok-gone', 'exit 0', { ttlStrategy: { secondsAfterSuccess: 1 } }));
    expect((await h.controller.waitFor(NS, 'bad-kept')).status?.phase).toBe('Failed');
    await gone(h, 'ok-gone');
    await sleep(300);
    expect((await getWf(h, 'bad-kept'))?.status?.phase).toBe('Failed');
    expect(h.runtime.cleaned).not.toContain('bad-kept');
  });

  it('secondsAfterFailure applies to a failed workflow and overrides secondsAfterCompletion; a success then uses secondsAfterCompletion', async () => {
    const h = await harness({ clock: frozen });
    const ttlStrategy = { secondsAfterCompletion: 3600, secondsAfterFailure: 1 };
    await h.controller.submit(single('bad-fast', 'exit 3', { ttlStrategy }));
    await h.controller.submit(single('ok-slow', 'exit 0', { ttlStrategy }));
    expect((await h.controller.waitFor(NS, 'bad-fast')).status?.phase).toBe('Failed');
    expect((await h.controller.waitFor(NS, 'ok-slow')).status?.phase).toBe('Succeeded');
    await gone(h, 'bad-fast');
    await sleep(300);
    expect(await getWf(h, 'ok-slow')).toBeDefined();
  });

  it('an Error workflow honours only secondsAfterCompletion, not secondsAfterFailure (§4.1)', async () => {
    const h = await harness({ clock: frozen });
    // A pod deleted under a running workflow ends its node (and the workflow) in Error.
    await h.controller.submit(single('err-failure-only', 'hold', { ttlStrategy: { secondsAfterFailure: 1 } }));
    await h.controller.submit(single('err-completion', 'hold', { ttlStrategy: { secondsAfterCompletion: 1 } }));
    await until(() => h.runtime.heldPods().length === 2 || undefined, 'both pods held');
    await h.runtime.deletePod('err-failure-only');
    await h.runtime.deletePod('err-completion');
    expect((await h.controller.waitFor(NS, 'err-failure-only')).status?.phase).toBe('Error');
    expect((await h.controller.waitFor(NS, 'err-completion')).status?.phase).toBe('Error');
    await gone(h, 'err-completion');
    await sleep(300);
    expect((await getWf(h, 'err-failure-only'))?.status?.phase).toBe('Error');
  });

  it('a workflow without ttlStrategy is never deleted', async () => {
    const h = await harness({ clock: frozen });
    await h.controller.submit(single('forever', 'exit 0'));
    await h.controller.waitFor(NS, 'forever');
    await sleep(1200);
    expect(await getWf(h, 'forever')).toBeDefined();
  });

  it('a workflow retried before its TTL fired is not deleted while it runs again (#12636)', async () => {
    const h = await harness({ clock: frozen });
    await h.controller.submit(single('retried', 'hold; exit 1', { ttlStrategy: { secondsAfterCompletion: 1 } }));
    await until(() => h.runtime.heldPods().includes('retried') || undefined, 'held pod');
    h.runtime.release('retried');
    expect((await h.controller.waitFor(NS, 'retried')).status?.phase).toBe('Failed');
    await h.service.retry(NS, 'retried');
    await until(() => h.runtime.heldPods().includes('retried') || undefined, 'retried pod held');
    await sleep(1300);
    const wf = await getWf(h, 'retried');
    expect(wf?.status?.phase).toBe('Running');
    expect(h.runtime.heldPods()).toContain('retried');
    // Once it finishes again, its TTL runs from the new finishedAt.
    h.runtime.release('retried');
    await waitPhase(h, 'retried', 'Failed');
    await gone(h, 'retried');
  });

  it('a deleted workflow takes its TTL timer along: one re-created under the same name is not deleted by it', async () => {
    const h = await harness({ clock: frozen });
    await h.controller.submit(single('reused', 'exit 0', { ttlStrategy: { secondsAfterCompletion: 1 } }));
    await h.controller.waitFor(NS, 'reused');
    await h.service.delete(NS, 'reused');
    await h.controller.submit(single('reused', 'exit 0'));
    expect((await h.controller.waitFor(NS, 'reused')).status?.phase).toBe('Succeeded');
    await sleep(1300);
    expect(await getWf(h, 'reused')).toBeDefined();
  });

  it('a controller started after the TTL passed deletes the workflow (and its adopted pod) on start; unexpired ones stay', async () => {
    const store = createMemoryStore({ now: frozen });
    const first = await startHarness({ store, clock: frozen });
    await first.controller.submit(single('expired', 'exit 0', { ttlStrategy: { secondsAfterCompletion: 30 } }));
    await first.controller.submit(single('fresh', 'exit 0', { ttlStrategy: { secondsAfterCompletion: 3600 } }));
    await first.controller.waitFor(NS, 'expired');
    await first.controller.waitFor(NS, 'fresh');
    const spec = first.runtime.specs.get('expired');
    await first.stop();
    expect(spec).toBeDefined();
    if (!spec) return;

    // 40 s later, a new process: its runtime still has the finished pod of `expired`.
    const runtime = new RecordingRuntime(logDir());
    runtime.leftovers = [{ spec, observation: { name: 'expired', phase: 'Succeeded', containers: {} } }];
    const later = (): Date => new Date(T0 + 40_000);
    const second = await harness({ store, runtime, clock: later });
    await gone(second, 'expired', 1000);
    expect(second.runtime.cleaned).toContain('expired');
    await sleep(200);
    expect(await getWf(second, 'fresh')).toBeDefined();
    expect(second.runtime.created).toEqual([]);
  });
});
