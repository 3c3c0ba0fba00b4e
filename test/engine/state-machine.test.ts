// The general node-status state machine in the pure engine: spec/containerset.md §3 and the
// scenarios SM-01..SM-14 of §7.3. Each `it` is named after its scenario; a scenario (or part of
// one) already proven elsewhere is a comment naming the test that proves it.
//
// Covered elsewhere (the tests below add only what those do not prove):
// - SM-09 the deadline ends every unfinished container of a containerSet, the grandchild included:
//   test/engine/container-set.test.ts "SM-09 the workflow deadline ends every container of a running
//   containerSet, the grandchild included"; with steps and plain pods: test/engine/dag-retry-exit.test.ts
//   "spec.activeDeadlineSeconds > ends running pods with "Step exceeded its deadline", starts nothing
//   new, and still runs the exit handler". The containerSet with an exit handler: "SM-09 (with onExit)" below.
// - SM-10 first bullet (a pod past its own activeDeadlineSeconds): test/engine/container-set.test.ts
//   "SM-10 a containerSet pod past its own deadline: Failed, its unfinished containers "Pod Failed
//   whilst container running"" and test/engine/language.test.ts "template deadlines > fails the node
//   with the runtime message when the pod hits its deadline". Bullets 2 and 3: "SM-10 (timeout)" and
//   "SM-10 (pendingTimeout)" below.
// - SM-11 second bullet (entry fails, onExit runs with workflow.status Failed, workflow stays Failed):
//   test/engine/dag-retry-exit.test.ts "exit handlers > runs spec.onExit after the entry node with
//   workflow.status, and keeps the entry phase".
// - SM-12 Stop with a retried containerSet and no exit handler: test/engine/container-set.test.ts
//   "SM-12 stop while b runs: …"; Stop and Terminate on plain pods: test/engine/operations.test.ts
//   "stop and terminate > stop kills running pods, starts nothing new, runs the exit handler, ends
//   Failed" and "… > terminate does not run the exit handler"; a workflow Pending on a mutex and
//   terminated leaves the queue holding nothing (#16776): test/engine/sync.test.ts "workflow-level
//   locks > terminate while waiting fails at once and leaves the queue; stop while waiting keeps
//   waiting". The retried containerSet with an exit handler: "SM-12 (with onExit)" below.
// - SM-14 against the real controller's timers (stop and start over the same store):
//   test/controller/pod-loss.test.ts "SM-14 (controller) …".
import { describe, expect, it } from 'vitest';
import type { PodObservation, PodSpec } from '../../src/runtime/types.js';
import type { NodeStatus } from '../../src/spec/types.js';
import { shutdownWorkflow } from '../../src/engine/operations.js';
import { commandOf, World, workflowFrom, type Behaviour } from './harness.js';
import { exited, finishedPod, PodWorld, running, runningPod, type PodScript } from './pod-world.js';

const nodesOf = (w: { workflow: World['workflow'] }): NodeStatus[] => Object.values(w.workflow.status?.nodes ?? {});

function byName(w: { workflow: World['workflow'] }, name: string): NodeStatus {
  const found = nodesOf(w).filter((n) => n.name === name);
  if (found.length !== 1) throw new Error(`expected one node ${name}, found ${found.length}: ${nodesOf(w).map((n) => n.name).join(', ')}`);
  return found[0] as NodeStatus;
}

const has = (w: { workflow: World['workflow'] }, name: string): boolean => nodesOf(w).some((n) => n.name === name);

/** The attempts of a Retry node, in order. */
function attempts(w: { workflow: World['workflow'] }, retryName: string): NodeStatus[] {
  return (byName(w, retryName).children ?? []).map((id) => w.workflow.status?.nodes?.[id]).filter((n): n is NodeStatus => !!n && n.nodeFlag?.retried === true);
}

const seconds = (iso: string | undefined): number => Date.parse(iso ?? '') / 1000;

/** A single-container entrypoint `main` with the given retryStrategy (YAML flow) and command. */
function retried(strategy: string, args = 'exit 1', name = 'wf') {
  return workflowFrom(
    `
spec:
  entrypoint: main
  templates:
  - name: main
    retryStrategy: ${strategy}
    container: {image: alpine, command: [sh, -c], args: ["${args}"]}
`,
    name,
  );
}

const alwaysFails: Behaviour = () => ({ exitCode: 1 });

describe('retry nodes (spec §3.3 Retry)', () => {
  it('SM-01 names attempts name(i), flags them retried, gives each its own pod name, and takes the last attempt\'s outputs', () => {
    const wf = workflowFrom(
      `
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: t, template: flaky}
  - name: flaky
    retryStrategy: {limit: 2}
    container: {image: alpine, command: [sh, -c], args: ["echo {{pod.name}}; [ '{{retries}}' = '2' ]"]}
`,
      'rn',
    );
    const world = new World(wf, (pod) => ({ exitCode: commandOf(pod).includes("'2' = '2'") ? 0 : 1 })).run();
    expect(world.phase).toBe('Succeeded');
    const retry = byName(world, 'rn[0].t');
    expect(retry).toMatchObject({ type: 'Retry', phase: 'Succeeded', displayName: 't' });
    const names = ['rn[0].t(0)', 'rn[0].t(1)', 'rn[0].t(2)'];
    expect(retry.children).toEqual(names.map((n) => byName(world, n).id));
    expect(names.map((n) => byName(world, n))).toEqual([
      expect.objectContaining({ type: 'Pod', displayName: 't(0)', nodeFlag: expect.objectContaining({ retried: true }), phase: 'Failed' }),
      expect.objectContaining({ type: 'Pod', displayName: 't(1)', nodeFlag: expect.objectContaining({ retried: true }), phase: 'Failed' }),
      expect.objectContaining({ type: 'Pod', displayName: 't(2)', nodeFlag: expect.objectContaining({ retried: true }), phase: 'Succeeded' }),
    ]);
    // {{pod.name}} is each attempt's own pod.
    const pods = world.created.map((p) => p.name);
    expect(new Set(pods).size).toBe(3);
    expect(world.created.map((p) => commandOf(p).split(';')[0])).toEqual(pods.map((p) => `sh -c echo ${p}`));
    expect(retry.outputs?.exitCode).toBe('0');
  });

  it('SM-02 backs off duration × factor^n, clipped by cap, says "Backoff for …" while waiting, and does not wait after the last attempt', () => {
    const world = new World(retried('{limit: 3, retryPolicy: Always, backoff: {duration: "1", factor: 2, cap: "3s"}}'), alwaysFails);
    const messages: string[] = [];
    for (let i = 0; i < 50 && world.phase !== 'Failed'; i++) {
      world.step();
      const m = world.workflow.status?.nodes?.wf?.message;
      if (m && messages[messages.length - 1] !== m) messages.push(m);
    }
    expect(world.phase).toBe('Failed');
    const tries = attempts(world, 'wf');
    expect(tries).toHaveLength(4);
    const gaps = tries.slice(1).map((a, k) => seconds(a.startedAt) - seconds(tries[k]?.finishedAt));
    expect(gaps).toHaveLength(3);
    [1, 2, 3].forEach((want, k) => {
      expect(gaps[k]).toBeGreaterThanOrEqual(want);
      expect(gaps[k]).toBeLessThanOrEqual(want + 1);
    });
    expect(messages).toEqual(['Backoff for 1 second', 'Backoff for 2 seconds', 'Backoff for 3 seconds', 'No more retries left']);
    const retry = byName(world, 'wf');
    expect(retry).toMatchObject({ type: 'Retry', phase: 'Failed', message: 'No more retries left' });
    // No wait after attempt 3: the Retry node ends when it does.
    expect(seconds(retry.finishedAt) - seconds(tries[3]?.finishedAt)).toBeLessThanOrEqual(1);
  });

  it('SM-03 maxDuration: a backoff that would end past it stops the retries ("Backoff would exceed max duration limit")', () => {
    const world = new World(retried('{limit: 10, retryPolicy: Always, backoff: {duration: "2", factor: 2, maxDuration: "5"}}'), alwaysFails).run();
    expect(world.phase).toBe('Failed');
    const tries = attempts(world, 'wf');
    expect(tries).toHaveLength(2);
    // Attempt 1 starts after the 2 s wait; the next wait (4 s) would end past start + 5 s.
    expect(seconds(tries[1]?.startedAt) - seconds(tries[0]?.finishedAt)).toBeGreaterThanOrEqual(2);
    expect(byName(world, 'wf')).toMatchObject({ phase: 'Failed', message: 'Backoff would exceed max duration limit' });
  });

  it('SM-03 (variant) a first attempt that outlives maxDuration is the only one ("Max duration limit exceeded"), and ran with no deadline of its own', () => {
    const world = new World(retried('{limit: 10, retryPolicy: Always, backoff: {duration: "2", factor: 2, maxDuration: "5"}}', 'sleep 6; exit 1'), () => ({ exitCode: 1, ticks: 6 })).run();
    expect(world.phase).toBe('Failed');
    expect(attempts(world, 'wf')).toHaveLength(1);
    expect(byName(world, 'wf')).toMatchObject({ phase: 'Failed', message: 'Max duration limit exceeded' });
    expect(world.created[0]?.activeDeadlineSeconds).toBeUndefined();
  });

  // Argo gives every attempt after the first the time left before firstAttempt.startedAt + maxDuration as its pod deadline (§3.3 Retry step 4.5).
  it('SM-03 (deadline) attempts after the first run with the time left before maxDuration as their pod deadline', () => {
    const world = new World(retried('{limit: 10, retryPolicy: Always, backoff: {duration: "2", factor: 2, maxDuration: "5"}}'), alwaysFails).run();
    expect(world.created).toHaveLength(2);
    expect(world.created[0]?.activeDeadlineSeconds).toBeUndefined();
    // Attempt 1 starts 3 s after attempt 0 did: 2 s of maxDuration are left.
    expect(world.created[1]?.activeDeadlineSeconds).toBeGreaterThan(0);
    expect(world.created[1]?.activeDeadlineSeconds).toBeLessThanOrEqual(2);
  });

  it('SM-04 limit as an int, a string, a parameter; an invalid one is an error only when a retry is decided', () => {
    for (const limit of ['2', '"2"']) {
      const world = new World(retried(`{limit: ${limit}}`), alwaysFails).run();
      expect(attempts(world, 'wf'), `limit ${limit}`).toHaveLength(3);
      expect(byName(world, 'wf').message).toBe('No more retries left');
    }

    const param = workflowFrom(`
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: s, template: flaky, arguments: {parameters: [{name: num, value: "1"}]}}
  - name: flaky
    inputs: {parameters: [{name: num}]}
    retryStrategy: {limit: "{{inputs.parameters.num}}"}
    container: {image: alpine, command: [sh, -c], args: ["exit 1"]}
`);
    const byParam = new World(param, alwaysFails).run();
    expect(byParam.phase).toBe('Failed');
    expect(attempts(byParam, 'wf[0].s')).toHaveLength(2);

    const lucky = new World(retried('{limit: "abc"}', 'exit 0'), () => ({ exitCode: 0 })).run();
    expect(lucky.phase).toBe('Succeeded');

    const invalid = new World(retried('{limit: "abc"}'), alwaysFails).run();
    expect(invalid.phase).toBe('Error');
    expect(attempts(invalid, 'wf')).toHaveLength(1);
    expect(byName(invalid, 'wf')).toMatchObject({ type: 'Retry', phase: 'Error', message: "value 'abc' cannot be resolved to an int" });
    expect(invalid.workflow.status?.message).toBe("value 'abc' cannot be resolved to an int");
  });

  it('SM-05 policy and expression decide about a Failed attempt', () => {
    const onError = new World(retried('{limit: 2, retryPolicy: OnError}'), alwaysFails).run();
    expect(onError.phase).toBe('Failed');
    expect(attempts(onError, 'wf')).toHaveLength(1);
    // The attempt's own message. (The spec writes "main: Error (exit code 1)"; argot names the
    // container only in containerSets, as core.test.ts pins: the prefix is not this scenario's point.)
    const only = attempts(onError, 'wf')[0];
    expect(only?.message).toMatch(/Error \(exit code 1\)$/);
    expect(byName(onError, 'wf')).toMatchObject({ phase: 'Failed', message: only?.message });

    for (const strategy of ['{limit: 2, retryPolicy: OnFailure}', '{limit: 2}']) {
      const world = new World(retried(strategy), alwaysFails).run();
      expect(attempts(world, 'wf'), strategy).toHaveLength(3);
    }

    const expression = '{limit: 2, expression: "asInt(lastRetry.exitCode) > 1"}';
    const exit1 = new World(retried(expression), alwaysFails).run();
    expect(attempts(exit1, 'wf')).toHaveLength(1);
    expect(byName(exit1, 'wf')).toMatchObject({ phase: 'Failed', message: 'retryStrategy.expression evaluated to false' });
    const exit2 = new World(retried(expression, 'exit 2'), () => ({ exitCode: 2 })).run();
    expect(attempts(exit2, 'wf')).toHaveLength(3);
    expect(byName(exit2, 'wf')).toMatchObject({ phase: 'Failed', message: 'No more retries left' });
  });
});

describe('parent phases (spec §3.3 StepGroup, Steps, DAG, TaskGroup)', () => {
  const stepsWf = (continueOn: boolean) =>
    workflowFrom(`
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: ok, template: ok}
      - {name: bad, template: bad${continueOn ? ', continueOn: {failed: true}' : ''}}
    - - {name: next, template: ok}
  - name: ok
    container: {image: alpine, command: [sh, -c, "true"]}
  - name: bad
    container: {image: alpine, command: [sh, -c, "exit 1"]}
`);
  const badExits: Behaviour = (pod) => ({ exitCode: commandOf(pod).includes('exit 1') ? 1 : 0 });

  it('SM-06 a failed step fails its StepGroup, the Steps node and the workflow with "child \'<id>\' failed"; the next group never starts', () => {
    const world = new World(stepsWf(false), badExits).run();
    expect(world.phase).toBe('Failed');
    const message = `child '${byName(world, 'wf[0].bad').id}' failed`;
    expect(byName(world, 'wf[0]')).toMatchObject({ type: 'StepGroup', phase: 'Failed', message });
    expect(byName(world, 'wf')).toMatchObject({ type: 'Steps', phase: 'Failed', message });
    expect(world.workflow.status?.message).toBe(message);
    expect(byName(world, 'wf[0].ok').phase).toBe('Succeeded');
    expect(has(world, 'wf[1]')).toBe(false);
    expect(world.created).toHaveLength(2);

    const lenient = new World(stepsWf(true), badExits).run();
    expect(lenient.phase).toBe('Succeeded');
    expect(byName(lenient, 'wf[0]')).toMatchObject({ phase: 'Succeeded' });
    expect(byName(lenient, 'wf[0].bad').phase).toBe('Failed');
    expect(byName(lenient, 'wf[1].next').phase).toBe('Succeeded');
  });

  const omitted = () =>
    workflowFrom(`
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: A, template: fail}
      - {name: B, template: slow}
      - {name: C, template: ok, dependencies: [A]}
      - {name: D, template: ok, dependencies: [B]}
  - name: fail
    container: {image: alpine, command: [sh, -c, "exit 1"]}
  - name: slow
    container: {image: alpine, command: [sh, -c, "sleep 2"]}
  - name: ok
    container: {image: alpine, command: [sh, -c, "true"]}
`);
  const dagBehaviour: Behaviour = (pod) => ({ exitCode: commandOf(pod).includes('exit 1') ? 1 : 0, ticks: commandOf(pod).includes('sleep') ? 2 : 0 });

  it('SM-07 a dependent of a failed task is Omitted; the DAG completes only when nothing runs, Failed with no message', () => {
    const world = new World(omitted(), dagBehaviour);
    world.run((w) => has(w, 'wf.C'));
    expect(byName(world, 'wf.C')).toMatchObject({ type: 'Skipped', phase: 'Omitted', message: 'omitted: depends condition not met' });
    expect(byName(world, 'wf.A').phase).toBe('Failed');
    // B still runs: the DAG waits for it.
    expect(byName(world, 'wf.B').phase).toBe('Running');
    expect(byName(world, 'wf').phase).toBe('Running');
    world.run();
    expect(byName(world, 'wf.B').phase).toBe('Succeeded');
    const dag = byName(world, 'wf');
    expect(dag).toMatchObject({ type: 'DAG', phase: 'Failed' });
    expect(dag.message).toBeUndefined();
    expect(world.phase).toBe('Failed');
    expect(nodesOf(world).filter((n) => n.phase === 'Pending' || n.phase === 'Running')).toEqual([]);
  });

  it('SM-07 (D) an independent branch goes on after another fails: D runs once B is done and Succeeds', () => {
    const world = new World(omitted(), dagBehaviour).run();
    expect(world.phase).toBe('Failed');
    expect(byName(world, 'wf.D').phase).toBe('Succeeded');
  });

  it('SM-08 a looped task is a TaskGroup of name(i:item) children; a failed item fails the group and the DAG', () => {
    const wf = workflowFrom(`
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: t, template: item, arguments: {parameters: [{name: num, value: "{{item}}"}]}, withItems: [1, 2, 3]}
  - name: item
    inputs: {parameters: [{name: num}]}
    container: {image: alpine, command: [sh, -c], args: ["[ {{inputs.parameters.num}} != 2 ]"]}
`);
    const world = new World(wf, (pod) => ({ exitCode: commandOf(pod).includes('[ 2 != 2 ]') ? 1 : 0 })).run();
    expect(world.phase).toBe('Failed');
    const group = byName(world, 'wf.t');
    expect(group).toMatchObject({ type: 'TaskGroup', phase: 'Failed' });
    const items = ['wf.t(0:1)', 'wf.t(1:2)', 'wf.t(2:3)'];
    expect(group.children).toEqual(items.map((n) => byName(world, n).id));
    expect(items.map((n) => byName(world, n).phase)).toEqual(['Succeeded', 'Failed', 'Succeeded']);
    expect(byName(world, 'wf')).toMatchObject({ type: 'DAG', phase: 'Failed' });
  });
});

describe('template timeouts (spec §3.4)', () => {
  const heldPending = (field: string) =>
    new PodWorld(
      workflowFrom(`
spec:
  entrypoint: main
  templates:
  - name: main
    ${field}
    container: {image: alpine, command: [sh, -c, "true"]}
`),
      () => [{ phase: 'Pending', containers: {} }],
    );

  // `timeout` counts from node.startedAt, Pending time included (the pod's activeDeadlineSeconds only starts with the pod).
  it('SM-10 (timeout) a pod held Pending past template.timeout ends Failed "timeout", and its pod is deleted', () => {
    const world = heldPending('timeout: "2s"').run(undefined, 10);
    expect(world.node('wf')).toMatchObject({ phase: 'Failed', message: 'timeout' });
    expect(world.phase).toBe('Failed');
    expect(world.actions.flat()).toContainEqual(expect.objectContaining({ type: 'deletePod', pod: 'wf' }));
  });

  it('SM-10 (pendingTimeout) a pod Pending longer than pendingTimeout ends Failed "timeout", and its pod is deleted', () => {
    const world = heldPending('pendingTimeout: "1s"').run(undefined, 10);
    expect(world.node('wf')).toMatchObject({ phase: 'Failed', message: 'timeout' });
    expect(world.phase).toBe('Failed');
    expect(world.actions.flat()).toContainEqual(expect.objectContaining({ type: 'deletePod', pod: 'wf' }));
  });
});

describe('exit handlers and hooks (spec §3.5)', () => {
  it("SM-11 an entry that succeeds and an onExit that fails: the workflow is Failed with the onExit node's message", () => {
    const wf = workflowFrom(`
spec:
  entrypoint: main
  onExit: bye
  templates:
  - name: main
    container: {image: alpine, command: [sh, -c, "true"]}
  - name: bye
    container: {image: alpine, command: [sh, -c, "exit 1"]}
`);
    const world = new World(wf, (pod) => ({ exitCode: commandOf(pod).includes('exit 1') ? 1 : 0 })).run();
    expect(world.phase).toBe('Failed');
    expect(byName(world, 'wf').phase).toBe('Succeeded');
    const exit = byName(world, 'wf.onExit');
    expect(exit).toMatchObject({ phase: 'Failed', nodeFlag: expect.objectContaining({ hooked: true }) });
    expect(exit.message).toBeTruthy();
    expect(world.workflow.status?.message).toBe(exit.message);
  });

  it('SM-11 (hooks) a workflow-level hook whose expression holds runs once, as <wf>.hooks.running, a hooked child of the root', () => {
    const wf = workflowFrom(`
spec:
  entrypoint: main
  hooks:
    running: {expression: 'workflow.status == "Running"', template: notify}
  templates:
  - name: main
    container: {image: alpine, command: [sh, -c, "sleep 2"]}
  - name: notify
    container: {image: alpine, command: [sh, -c, "echo running"]}
`);
    const world = new World(wf, (pod) => ({ exitCode: 0, ticks: commandOf(pod).includes('sleep') ? 3 : 0 })).run();
    expect(world.phase).toBe('Succeeded');
    const hooks = nodesOf(world).filter((n) => n.name === 'wf.hooks.running');
    expect(hooks).toHaveLength(1);
    expect(hooks[0]).toMatchObject({ phase: 'Succeeded', nodeFlag: expect.objectContaining({ hooked: true }) });
    expect(byName(world, 'wf').children).toContain(hooks[0]?.id);
    expect(world.created.filter((p) => commandOf(p).includes('echo running'))).toHaveLength(1);
  });
});

/** Level by level through a containerSet's dependency graph, one reconcile each, all exiting 0. */
const throughSet: PodScript = (pod: PodSpec) => {
  const mains = pod.containers.filter((c) => c.role === 'main');
  const level = new Map<string, number>();
  const levelOf = (name: string): number => {
    const known = level.get(name);
    if (known !== undefined) return known;
    const deps = mains.find((c) => c.name === name)?.dependencies ?? [];
    const l = deps.length === 0 ? 0 : 1 + Math.max(...deps.map(levelOf));
    level.set(name, l);
    return l;
  };
  for (const c of mains) levelOf(c.name);
  const top = Math.max(0, ...level.values());
  const snapshots: Partial<PodObservation>[] = [];
  for (let t = 0; t <= top; t++) {
    const containers: PodObservation['containers'] = {};
    for (const [name, l] of level) if (l < t) containers[name] = exited(0);
    else if (l === t) containers[name] = running();
    snapshots.push(runningPod(containers));
  }
  snapshots.push(finishedPod('Succeeded', Object.fromEntries([...level.keys()].map((n) => [n, exited(0)]))));
  return snapshots;
};

/** F-CS3 as DAG task A (retryStrategy `retry`, if any), with `onExit: report` echoing workflow.status. */
function csWithExit(retry?: string) {
  return workflowFrom(`
spec:
  entrypoint: main
  onExit: report
  templates:
  - name: main
    dag:
      tasks:
      - {name: A, template: cs}
  - name: cs
${retry ? `    retryStrategy: ${retry}\n` : ''}    containerSet:
      containers:
      - {name: a, image: alpine, command: [sh, -c], args: ["echo a"]}
      - {name: b, image: alpine, dependencies: [a], command: [sh, -c], args: ["echo b"]}
      - {name: main, image: alpine, dependencies: [b], command: [sh, -c], args: ["echo main"]}
  - name: report
    container: {image: alpine, command: [sh, -c], args: ["echo {{workflow.status}}"]}
`);
}

/** The containerSet's pod gets stuck in `b` (its gate never opens); the exit handler's pod succeeds. */
const stuckInB: PodScript = (pod) =>
  pod.containers.some((c) => c.name === 'b') ? [runningPod({ a: running() }), runningPod({ a: exited(0), b: running(), main: running() })] : [finishedPod('Succeeded', { main: exited(0) })];

describe('deadline and shutdown with an exit handler (spec §3.4, §3.6)', () => {
  it('SM-09 (with onExit) past activeDeadlineSeconds every container of A ends, no pod is made for A again, and onExit runs and sees Failed', () => {
    const wf = csWithExit();
    wf.spec.activeDeadlineSeconds = 3;
    const world = new PodWorld(wf, stuckInB).run();
    expect(world.phase).toBe('Failed');
    expect(world.node('wf.A')).toMatchObject({ phase: 'Failed', message: 'Step exceeded its deadline' });
    // `a` had finished before the deadline and keeps its phase (Argo fails only unfulfilled members).
    expect(world.node('wf.A.a').phase).toBe('Succeeded');
    for (const c of ['b', 'main']) expect(world.node(`wf.A.${c}`), c).toMatchObject({ phase: 'Failed', message: 'Step exceeded its deadline' });
    expect(world.created.filter((p) => p.nodeId === world.node('wf.A').id)).toHaveLength(1);
    expect(world.node('wf.onExit').phase).toBe('Succeeded');
    expect(world.podOf('wf.onExit').containers.find((c) => c.name === 'main')?.args).toEqual(['echo Failed']);
    expect(world.unfinished()).toEqual([]);
  });

  it("SM-12 (with onExit) Stop on a retried containerSet: A(0) and its containers Failed, the Retry node Failed (#15472), onExit runs; Terminate skips onExit", () => {
    const stop = new PodWorld(csWithExit('{limit: 1, retryPolicy: Always}'), stuckInB).run((w) => w.has('wf.A(0).b') && w.node('wf.A(0).b').phase === 'Running');
    stop.step();
    stop.workflow = shutdownWorkflow(stop.workflow, 'Stop');
    stop.run();
    expect(stop.phase).toBe('Failed');
    expect(stop.workflow.status?.message).toBe("Stopped with strategy 'Stop'");
    expect(stop.node('wf.A')).toMatchObject({ type: 'Retry', phase: 'Failed' });
    expect(stop.node('wf.A(0)').phase).toBe('Failed');
    for (const c of ['b', 'main']) expect(stop.node(`wf.A(0).${c}`).phase, c).toBe('Failed');
    expect(stop.has('wf.A(1)')).toBe(false);
    expect(stop.node('wf.onExit').phase).toBe('Succeeded');
    expect(stop.actions.flat()).toContainEqual(expect.objectContaining({ type: 'deletePod', pod: stop.podOf('wf.A(0)').name }));
    expect(stop.unfinished()).toEqual([]);

    const terminate = new PodWorld(csWithExit('{limit: 1, retryPolicy: Always}'), stuckInB).run((w) => w.has('wf.A(0).b') && w.node('wf.A(0).b').phase === 'Running');
    terminate.workflow = shutdownWorkflow(terminate.workflow, 'Terminate');
    terminate.run();
    expect(terminate.phase).toBe('Failed');
    expect(terminate.workflow.status?.message).toBe("Stopped with strategy 'Terminate'");
    expect(terminate.has('wf.onExit')).toBe(false);
    expect(terminate.node('wf.A').phase).toBe('Failed');
    expect(terminate.unfinished()).toEqual([]);
  });
});

describe('workflow-level retryStrategy (spec §3.1, §6.3)', () => {
  it('SM-13 wraps every template: the Steps entry and the step are Retry nodes; a deleted attempt is retried OnError', () => {
    const wf = workflowFrom(`
spec:
  entrypoint: main
  retryStrategy: {limit: 1, retryPolicy: OnError}
  templates:
  - name: main
    steps:
    - - {name: s, template: cs}
  - name: cs
    volumes: [{name: ws, emptyDir: {}}]
    containerSet:
      volumeMounts: [{name: ws, mountPath: /ws}]
      containers:
      - {name: a, image: alpine, command: [sh, -c], args: ["echo a > /ws/log"]}
      - {name: b, image: alpine, dependencies: [a], command: [sh, -c], args: ["echo b >> /ws/log"]}
      - {name: main, image: alpine, dependencies: [b], command: [sh, -c], args: ["echo main >> /ws/log; cat /ws/log"]}
`);
    const world = new PodWorld(wf, throughSet);
    world.run((w) => w.has('wf(0)[0].s(0).a') && w.node('wf(0)[0].s(0).a').phase === 'Succeeded');
    expect(world.node('wf(0)[0].s(0).b').phase).toBe('Running');
    world.delete(world.podOf('wf(0)[0].s(0)').name).run();
    expect(world.phase).toBe('Succeeded');
    expect(world.node('wf')).toMatchObject({ type: 'Retry', phase: 'Succeeded', children: [world.node('wf(0)').id] });
    expect(world.node('wf(0)')).toMatchObject({ type: 'Steps', phase: 'Succeeded', nodeFlag: expect.objectContaining({ retried: true }) });
    const step = world.node('wf(0)[0].s');
    expect(step).toMatchObject({ type: 'Retry', phase: 'Succeeded' });
    expect(step.children).toEqual([world.node('wf(0)[0].s(0)').id, world.node('wf(0)[0].s(1)').id]);
    expect(world.node('wf(0)[0].s(0)')).toMatchObject({ type: 'Pod', phase: 'Error', message: 'pod deleted' });
    for (const c of ['a', 'b', 'main']) expect(world.node(`wf(0)[0].s(0).${c}`)).toMatchObject({ phase: 'Error', message: 'container deleted' });
    expect(world.node('wf(0)[0].s(1)')).toMatchObject({ type: 'Pod', phase: 'Succeeded' });
    expect(world.unfinished()).toEqual([]);
  });
});

describe('engine restart (spec §3.7)', () => {
  it('SM-14 a restart 1 s into a backoff keeps the status and the timer: attempt 1 starts at finishedAt(0) + 5 s, then Succeeds', () => {
    const wf = retried('{limit: 1, retryPolicy: Always, backoff: {duration: "5"}}', 'exit {{=1 - asInt(retries)}}');
    const exitCode = (pod: PodSpec): number => Number(commandOf(pod).slice(-1));
    const before = new World(wf, (pod) => ({ exitCode: exitCode(pod) }));
    before.run((w) => w.workflow.status?.nodes?.wf?.message === 'Backoff for 5 seconds');
    const first = byName(before, 'wf(0)');
    expect(first.phase).toBe('Failed');
    const startedAt = before.workflow.status?.startedAt;
    expect(before.phase).toBe('Running');

    // A new engine process: the persisted workflow, no pods known, a fresh lock table, 1 s later.
    const stored = structuredClone(before.workflow);
    const after = new World(stored, (pod) => ({ exitCode: exitCode(pod) }));
    after.now = Date.parse(first.finishedAt ?? '') + 1000;
    const phases: string[] = [];
    for (let i = 0; i < 30 && after.phase === 'Running'; i++) {
      after.step();
      phases.push(after.phase ?? '');
      if (after.workflow.status?.startedAt !== startedAt) throw new Error(`startedAt changed to ${after.workflow.status?.startedAt}`);
    }
    expect(after.phase).toBe('Succeeded');
    expect(phases.slice(0, -1).every((p) => p === 'Running')).toBe(true);
    const second = byName(after, 'wf(1)');
    const wait = seconds(second.startedAt) - seconds(first.finishedAt);
    expect(wait).toBeGreaterThanOrEqual(5);
    expect(wait).toBeLessThanOrEqual(5 + 5);
    expect(after.created.map(commandOf)).toEqual(['sh -c exit 0']);
    expect(byName(after, 'wf')).toMatchObject({ phase: 'Succeeded' });
  });
});
