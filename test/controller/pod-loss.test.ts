// Pod loss against the real controller (spec/containerset.md §2, §3.7; scenarios PD-13, PD-16,
// PD-18, PD-19 of §7.2, and SM-14 across a controller restart): the controller, engine, lock table
// and memory store are real; pods are FakeRuntime scripts (`hold` keeps one running until the test
// releases, deletes or loses it). A "restart" stops the controller and starts a new one over the
// same store and runtime: what happened to the pods meanwhile reaches it only through adopt().
//
// The other PD scenarios are proven elsewhere:
// - PD-01 test/engine/container-set.test.ts "PD-01 (#13951) DAG + retry Always + dependencies: …";
//   with the mutex, real processes and a second workflow: test/server/pod-delete.test.ts "the user
//   story: two workflows share a mutex; a containerSet pod deleted while b runs …".
// - PD-02 test/engine/container-set.test.ts "PD-02 the same under a steps entrypoint".
// - PD-03 test/engine/container-set.test.ts "PD-03 containerSet entrypoint with OnError: exactly one more attempt, never a third".
// - PD-04 test/engine/container-set.test.ts "PD-04 without a retry: …" (and "PD-04 also when the pod goes
//   before any container reported …"); real runtime: test/server/pod-delete.test.ts "PD-04 deleting the pod while b runs …".
// - PD-05 test/engine/container-set.test.ts "PD-05 the default policy (OnFailure) does not retry a deleted pod";
//   real runtime: test/server/pod-delete.test.ts "PD-05 retryPolicy OnFailure does not retry a deleted pod".
// - PD-06 test/engine/container-set.test.ts "PD-06 OnError retries a deleted pod"; real runtime:
//   test/server/pod-delete.test.ts "PD-06 retryStrategy {limit: 2, retryPolicy: OnError}: …".
// - PD-07 (OnTransientError does not retry a deleted pod) test/engine/container-set.test.ts
//   "PD-07 OnTransientError does not retry a deleted pod"; the TRANSIENT_ERROR_PATTERN variant: todo below.
// - PD-08 test/engine/container-set.test.ts "PD-08 the retry expression sees the deletion …".
// - PD-09 test/engine/container-set.test.ts "PD-09 repeated deletions exhaust the limit: …".
// - PD-12 test/engine/container-set.test.ts "PD-12 a graceful deletion observed before removal …";
//   real runtime: test/server/pod-delete.test.ts "PD-12 a graceful deletion reads the exit states: …".
// - PD-13 in the pure engine: test/engine/container-set.test.ts "PD-13 a pod collected after its node
//   finished is not a deletion"; with the controller's podGC: below.
// - PD-14 test/engine/container-set.test.ts "PD-14 the exit handler sees the deletion in workflow.status and workflow.failures".
// - PD-15 test/engine/container-set.test.ts "PD-15 deleting the exit handler's containerSet pod: …".
// - PD-17 test/controller/invariants.test.ts "ends the unfinished containers of a finished pod node, logs it,
//   and counts it"; the repair itself: test/engine/container-set.test.ts "invariant: a finished Pod node has
//   no unfinished Container node > repairs them as "container deleted", …".
import { afterEach, describe, expect, it } from 'vitest';
import { podName } from '../../src/engine/index.js';
import type { NodeStatus, Template, Workflow } from '../../src/spec/types.js';
import { getWf, NS, nodeByDisplay, removeLogDirs, sleep, startHarness, until, waitPhase, workflow, type Harness } from './harness.js';

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.stop();
  removeLogDirs();
});

async function harness(opts: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  const h = await startHarness(opts);
  open.push(h);
  return h;
}

/** The controller goes away (as a stop or crash would); its store and the pods stay. */
async function stopController(h: Harness): Promise<void> {
  await h.controller.stop();
}

/** A new controller over the same store and runtime: it adopts what the runtime still knows. */
async function restart(h: Harness): Promise<Harness> {
  return harness({ store: h.store, runtime: h.runtime });
}

/**
 * F-CS3 (spec §7.0) for the fake runtime: a -> b -> main. The fake plays the first container's
 * script for the whole pod, so `script` is "b is blocked on its gate" (`hold`) or "runs through".
 */
function cs3(script: string, extra: Partial<Template> = {}): Template {
  return {
    name: 'cs',
    containerSet: {
      containers: [
        { name: 'a', image: 'fake', args: [script] },
        { name: 'b', image: 'fake', dependencies: ['a'], args: ['say b'] },
        { name: 'main', image: 'fake', dependencies: ['b'], args: ['say main'] },
      ],
    },
    ...extra,
  };
}

/** DAG `main`: task A runs cs, and B (echo) after it when `next`. */
function dag(name: string, cs: Template, opts: { next?: Template; spec?: Partial<Workflow['spec']> } = {}): Workflow {
  const tasks = [{ name: 'A', template: 'cs' }, ...(opts.next ? [{ name: 'B', template: opts.next.name, dependencies: ['A'] }] : [])];
  return workflow(name, [{ name: 'main', dag: { tasks } }, cs, ...(opts.next ? [opts.next] : [])], opts.spec ?? {});
}

/** The pod of the node named `nodeName` (full name), once the workflow has that node. */
async function podOfNode(h: Harness, wfName: string, nodeName: string): Promise<string> {
  return until(async () => {
    const node = Object.values((await getWf(h, wfName))?.status?.nodes ?? {}).find((n) => n.name === nodeName);
    return node ? podName(wfName, node.name, node.templateName) : undefined;
  }, `${wfName}: node ${nodeName}`);
}

/** Waits until the runtime holds the pod of node `nodeName`; returns the pod. */
async function held(h: Harness, wfName: string, nodeName: string): Promise<string> {
  const pod = await podOfNode(h, wfName, nodeName);
  await until(() => h.runtime.heldPods().includes(pod), `held pod of ${nodeName}`);
  return pod;
}

function node(wf: Workflow | undefined, name: string): NodeStatus {
  const found = Object.values(wf?.status?.nodes ?? {}).find((n) => n.name === name);
  if (!found) throw new Error(`no node ${name} in ${Object.values(wf?.status?.nodes ?? {}).map((n) => n.name).join(', ')}`);
  return found;
}

function deletionMessages(wf: Workflow | undefined): string[] {
  return Object.values(wf?.status?.nodes ?? {})
    .filter((n) => n.message?.includes('deleted'))
    .map((n) => `${n.name}: ${n.message ?? ''}`);
}

const unfinished = (wf: Workflow | undefined): string[] =>
  Object.values(wf?.status?.nodes ?? {})
    .filter((n) => n.phase === 'Pending' || n.phase === 'Running')
    .map((n) => n.name);

const echo: Template = { name: 'echo', container: { image: 'fake', args: ['say done'] } };

describe('pod loss through the controller', () => {
  it('PD-13 podGC OnPodCompletion removes a finished pod before its successor ends: not a deletion, nothing re-run', async () => {
    const h = await harness();
    const wf = workflow('gc-cs', [{ name: 'main', dag: { tasks: [{ name: 'A', template: 'quick' }, { name: 'B', template: 'slow', dependencies: ['A'] }] } }, { ...cs3('say a'), name: 'quick' }, { ...cs3('hold'), name: 'slow' }], {
      podGC: { strategy: 'OnPodCompletion', deleteDelayDuration: '0s' },
    });
    await h.controller.submit(wf);
    const b = await held(h, 'gc-cs', 'gc-cs.B');
    const a = await podOfNode(h, 'gc-cs', 'gc-cs.A');
    // A's pod is gone from the runtime while B still runs.
    await until(() => h.runtime.cleaned.includes(a), 'A collected');
    expect(await h.runtime.listPods()).not.toContain(a);
    await sleep(100);
    const mid = await getWf(h, 'gc-cs');
    for (const n of ['gc-cs.A', 'gc-cs.A.a', 'gc-cs.A.b', 'gc-cs.A.main']) expect(node(mid, n).phase, n).toBe('Succeeded');
    h.runtime.release(b);
    const done = await h.controller.waitFor(NS, 'gc-cs');
    expect(done.status?.phase).toBe('Succeeded');
    for (const n of ['gc-cs.A', 'gc-cs.A.a', 'gc-cs.A.b', 'gc-cs.A.main', 'gc-cs.B', 'gc-cs.B.a', 'gc-cs.B.b', 'gc-cs.B.main']) expect(node(done, n).phase, n).toBe('Succeeded');
    expect(deletionMessages(done)).toEqual([]);
    // Both pod records are gone; each pod was created once.
    await until(() => h.runtime.cleaned.includes(b), 'B collected');
    expect(await h.runtime.listPods()).toEqual([]);
    expect(h.runtime.created).toEqual([a, b]);
  });

  it('PD-16 a template-level mutex is held across attempts: W2 waits while W1.A(0) is deleted and A(1) runs, then gets it', async () => {
    const h = await harness();
    const cs = cs3('hold', { synchronization: { mutexes: [{ name: 'tmpl-lock' }] }, retryStrategy: { limit: 1, retryPolicy: 'Always' } });
    const lock = { kind: 'mutex' as const, id: `${NS}/Mutex/tmpl-lock` };
    const waiting = `Waiting for ${NS}/Mutex/tmpl-lock lock. Lock status: 0/1`;
    await h.controller.submit(dag('w1', cs));
    const first = await held(h, 'w1', 'w1.A(0)');
    await h.controller.submit(dag('w2', cs));
    await until(async () => nodeByDisplay(await getWf(h, 'w2'), 'A')?.message === waiting || undefined, 'W2.A waiting');
    expect(nodeByDisplay(await getWf(h, 'w2'), 'A')).toMatchObject({ phase: 'Pending', synchronizationStatus: { waiting: `${NS}/Mutex/tmpl-lock` } });

    await h.runtime.deletePod(first);
    const second = await held(h, 'w1', 'w1.A(1)');
    const w1 = await getWf(h, 'w1');
    expect(node(w1, 'w1.A(0)')).toMatchObject({ phase: 'Error', message: 'pod deleted' });
    for (const c of ['a', 'b', 'main']) expect(node(w1, `w1.A(0).${c}`)).toMatchObject({ phase: 'Error', message: 'container deleted' });
    // W2 is still queued: the lock never left W1's Retry node between the attempts.
    const w2 = await getWf(h, 'w2');
    expect(nodeByDisplay(w2, 'A')).toMatchObject({ phase: 'Pending', message: waiting });
    expect(h.runtime.created.filter((p) => h.runtime.specs.get(p)?.workflowName === 'w2')).toEqual([]);
    expect(h.controller.locks.table.holdersOfLock(lock)).toEqual([`${NS}/w1/${node(w1, 'w1.A').id}`]);
    expect(h.controller.locks.stats.taken.get(lock.id)?.count).toBe(1);

    h.runtime.release(second);
    const done1 = await h.controller.waitFor(NS, 'w1');
    expect(done1.status?.phase).toBe('Succeeded');
    expect(node(done1, 'w1.A')).toMatchObject({ type: 'Retry', phase: 'Succeeded' });
    const w2pod = await held(h, 'w2', 'w2.A(0)');
    h.runtime.release(w2pod);
    const done2 = await h.controller.waitFor(NS, 'w2');
    expect(done2.status?.phase).toBe('Succeeded');
    expect(node(done2, 'w2.A').children).toHaveLength(1);
    expect(h.controller.locks.stats.taken.get(lock.id)?.count).toBe(2);
    expect(h.controller.locks.table.holdersOfLock(lock) ?? []).toEqual([]);
    for (const w of [done1, done2]) expect(w.status?.synchronization).toBeUndefined();
  });
});

describe('pod loss while no controller runs (spec §3.7)', () => {
  /** PD-01's cs-del-N: a workflow mutex, DAG set1 (cs, retry limit 2 Always) -> set2 (echo). */
  const csDel = (name: string): Workflow =>
    workflow(
      name,
      [
        { name: 'main', dag: { tasks: [{ name: 'set1', template: 'cs' }, { name: 'set2', template: 'echo', dependencies: ['set1'] }] } },
        cs3('hold', { retryStrategy: { limit: 2, retryPolicy: 'Always' } }),
        echo,
      ],
      { synchronization: { mutexes: [{ name: 'cs-lock' }] } },
    );
  const waitingForCsLock = `Waiting for ${NS}/Mutex/cs-lock lock. Lock status: 0/1`;

  it('PD-18 a pod deleted while the controller is down: the mutex hold is re-established first, set1(0) is "pod deleted", set1(1) runs, then cs-del-2 gets the mutex', async () => {
    const h = await harness();
    await h.controller.submit(csDel('cs-del-1'));
    const pod0 = await held(h, 'cs-del-1', 'cs-del-1.set1(0)');
    await h.controller.submit(csDel('cs-del-2'));
    await until(async () => (await getWf(h, 'cs-del-2'))?.status?.message === waitingForCsLock || undefined, 'cs-del-2 queued');
    await until(async () => node(await getWf(h, 'cs-del-1'), 'cs-del-1.set1(0)').phase === 'Running' || undefined, 'set1(0) stored Running');

    await stopController(h);
    // The pod's processes are killed while no one listens: a later adopt() reports it gone.
    h.runtime.lose(pod0, 'pod deleted');
    const again = await restart(h);
    // The hold of cs-del-1 came back from its stored status before anything was reconciled.
    expect(again.controller.locks.table.holdersOfLock({ kind: 'mutex', id: `${NS}/Mutex/cs-lock` })).toEqual([`${NS}/cs-del-1`]);

    const pod1 = await held(again, 'cs-del-1', 'cs-del-1.set1(1)');
    const mid = await getWf(again, 'cs-del-1');
    expect(node(mid, 'cs-del-1.set1(0)')).toMatchObject({ type: 'Pod', phase: 'Error', message: 'pod deleted' });
    for (const c of ['a', 'b', 'main']) expect(node(mid, `cs-del-1.set1(0).${c}`)).toMatchObject({ phase: 'Error', message: 'container deleted' });
    const queued = await getWf(again, 'cs-del-2');
    expect(queued?.status).toMatchObject({ phase: 'Pending', message: waitingForCsLock });
    expect(queued?.status?.nodes ?? {}).toEqual({});

    again.runtime.release(pod1);
    const done1 = await again.controller.waitFor(NS, 'cs-del-1');
    expect(done1.status?.phase).toBe('Succeeded');
    expect(node(done1, 'cs-del-1.set1')).toMatchObject({ type: 'Retry', phase: 'Succeeded' });
    expect(node(done1, 'cs-del-1.set1').children).toHaveLength(2);
    expect(node(done1, 'cs-del-1.set2').phase).toBe('Succeeded');
    expect(unfinished(done1)).toEqual([]);

    const pod2 = await held(again, 'cs-del-2', 'cs-del-2.set1(0)');
    again.runtime.release(pod2);
    const done2 = await again.controller.waitFor(NS, 'cs-del-2');
    expect(done2.status?.phase).toBe('Succeeded');
    expect(node(done2, 'cs-del-2.set1').children).toHaveLength(1);
    // cs-del-2 started only once cs-del-1 had finished.
    expect(Date.parse(done2.status?.startedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(done1.status?.finishedAt ?? ''));
    expect(again.controller.locks.table.holdersOfLock({ kind: 'mutex', id: `${NS}/Mutex/cs-lock` }) ?? []).toEqual([]);
  });

  // Invariant I3 (spec §3.7): a Running pod node whose pod the runtime no longer knows at all when a
  // controller starts (its record went with it, so adopt() does not list it) lost its pod: "pod
  // deleted", and the retry strategy decides; attempt 0 is never silently run a second time.
  it('PD-18 (record gone) a pod whose record vanished while the controller was down is "pod deleted", not run again', async () => {
    const h = await harness();
    await h.controller.submit(csDel('cs-gone'));
    const pod0 = await held(h, 'cs-gone', 'cs-gone.set1(0)');
    await until(async () => node(await getWf(h, 'cs-gone'), 'cs-gone.set1(0)').phase === 'Running' || undefined, 'set1(0) stored Running');
    await stopController(h);
    h.runtime.vanish(pod0);
    const again = await restart(h);
    await sleep(300);
    expect(again.runtime.created.filter((p) => p === pod0)).toHaveLength(1);
    expect(node(await getWf(again, 'cs-gone'), 'cs-gone.set1(0)')).toMatchObject({ phase: 'Error', message: 'pod deleted' });
  });

  it('PD-19 containers that finish while the controller is down are read from the adopted pod: Succeeded, not deletions, nothing re-run', async () => {
    const h = await harness();
    await h.controller.submit(dag('cs-down', cs3('hold'), { next: echo }));
    const pod = await held(h, 'cs-down', 'cs-down.A');
    await until(async () => node(await getWf(h, 'cs-down'), 'cs-down.A').phase === 'Running' || undefined, 'A stored Running');
    await stopController(h);
    h.runtime.release(pod);
    const again = await restart(h);
    const done = await again.controller.waitFor(NS, 'cs-down');
    expect(done.status?.phase).toBe('Succeeded');
    for (const n of ['cs-down.A', 'cs-down.A.a', 'cs-down.A.b', 'cs-down.A.main', 'cs-down.B']) expect(node(done, n).phase, n).toBe('Succeeded');
    expect(node(done, 'cs-down.A').outputs?.exitCode).toBe('0');
    expect(deletionMessages(done)).toEqual([]);
    // The adopted pod was not created again: only B's pod is new.
    expect(h.runtime.created.filter((p) => p === pod)).toHaveLength(1);
    expect(h.runtime.created).toHaveLength(2);
  });

  it('SM-14 (controller) a restart during a retry backoff keeps the workflow Running with its startedAt, and the wait counts from finishedAt(0)', async () => {
    const h = await harness();
    const wf = workflow('backoff', [{ name: 'main', retryStrategy: { limit: 1, retryPolicy: 'Always', backoff: { duration: '2' } }, container: { image: 'fake', args: ['exit {{=1 - asInt(retries)}}'] } }]);
    await h.controller.submit(wf);
    const waiting = await until(async () => {
      const w = await getWf(h, 'backoff');
      return w?.status?.nodes?.backoff?.message === 'Backoff for 2 seconds' ? w : undefined;
    }, 'backoff');
    const finished0 = Date.parse(node(waiting, 'backoff(0)').finishedAt ?? '');
    const startedAt = waiting.status?.startedAt;
    await stopController(h);
    await sleep(Math.max(0, finished0 + 1000 - Date.now()));
    const again = await restart(h);
    const running = await getWf(again, 'backoff');
    expect(running?.status).toMatchObject({ phase: 'Running', startedAt });
    const done = await waitPhase(again, 'backoff', 'Succeeded', 8000);
    expect(done.status?.startedAt).toBe(startedAt);
    const started1 = Date.parse(node(done, 'backoff(1)').startedAt ?? '');
    expect(started1 - finished0).toBeGreaterThanOrEqual(2000);
    expect(started1 - finished0).toBeLessThanOrEqual(2000 + 5000);
    expect(node(done, 'backoff')).toMatchObject({ type: 'Retry', phase: 'Succeeded' });
    expect(h.runtime.created).toHaveLength(2);
  });

  // PD-07 (variant): argot has no TRANSIENT_ERROR_PATTERN setting: OnTransientError retries only the
  // built-in transient messages (src/engine/retry.ts), never "pod deleted".
  it.todo('PD-07 (variant) with TRANSIENT_ERROR_PATTERN=pod deleted, OnTransientError retries a deleted pod');
  // PD-10: test/sync/f-pod-loss.test.ts "a node still Pending when its pod vanished is re-created, not failed".
  // PD-11: argot has no grace window for recently started pods (podMissingGrace): a pod is judged
  // by what its runtime reports, never by an informer that may lag (spec §6.1 maps G to 0 in tests).
  it.todo('PD-11 a pod deleted within podMissingGrace of its node starting is re-created, not "pod deleted"');
});
