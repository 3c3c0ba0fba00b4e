// ContainerSet templates and pod loss in the pure engine (spec/containerset.md §1, §2; scenarios of
// §7.1 CS and §7.2 PD that need no processes). Pods play scripted per-container observations.
import { describe, expect, it } from 'vitest';
import { applyNodePatches, findBrokenPods, nodeId, podName, repairBrokenPods } from '../../src/engine/index.js';
import { shutdownWorkflow } from '../../src/engine/operations.js';
import type { PodObservation, PodSpec } from '../../src/runtime/types.js';
import type { NodeStatus } from '../../src/spec/types.js';
import { workflowFrom } from './harness.js';
import { PodWorld, exited, finishedPod, forever, running, runningPod, type PodScript } from './pod-world.js';

type Containers = PodObservation['containers'];

/** Level of each main container in its dependency graph (0: no dependencies). */
function levels(pod: PodSpec): Map<string, number> {
  const mains = pod.containers.filter((c) => c.role === 'main');
  const out = new Map<string, number>();
  const level = (name: string): number => {
    const known = out.get(name);
    if (known !== undefined) return known;
    const deps = mains.find((c) => c.name === name)?.dependencies ?? [];
    const l = deps.length === 0 ? 0 : 1 + Math.max(...deps.map(level));
    out.set(name, l);
    return l;
  };
  for (const c of mains) level(c.name);
  return out;
}

/**
 * A pod whose containers run level by level, one reconcile each, all exiting 0; `main` prints
 * `result` and leaves `outputs`. `fail` makes a container exit with that code instead (fail-fast:
 * the others end as the runtime ends them).
 */
function throughScript(opts: { result?: string; outputs?: Record<string, string>; exitCodes?: Record<string, number> } = {}): PodScript {
  return (pod) => {
    const lv = levels(pod);
    const max = Math.max(0, ...lv.values());
    const snapshots: Partial<PodObservation>[] = [];
    const done = (name: string): Containers[string] =>
      exited(opts.exitCodes?.[name] ?? 0, name === 'main' ? { ...(opts.result !== undefined ? { result: opts.result } : {}), outputs: opts.outputs ?? {} } : {});
    for (let t = 0; t <= max; t++) {
      const containers: Containers = {};
      for (const [name, l] of lv) if (l < t) containers[name] = done(name);
      else if (l === t) containers[name] = running();
      snapshots.push(runningPod(containers));
    }
    const all: Containers = {};
    for (const name of lv.keys()) all[name] = done(name);
    const ok = [...lv.keys()].every((n) => (opts.exitCodes?.[n] ?? 0) === 0);
    snapshots.push(finishedPod(ok ? 'Succeeded' : 'Failed', all));
    return snapshots;
  };
}

const CS3 = `
  - name: cs
    volumes: [{name: ws, emptyDir: {}}]
    containerSet:
      volumeMounts: [{name: ws, mountPath: /ws}]
      containers:
      - {name: a, image: alpine, command: [sh, -c], args: ["echo a > /ws/log"]}
      - {name: b, image: alpine, dependencies: [a], command: [sh, -c], args: ["echo b >> /ws/log"]}
      - {name: main, image: alpine, dependencies: [b], command: [sh, -c], args: ["echo main >> /ws/log; cat /ws/log"]}
`;

/** F-CS3 with a template-level retryStrategy (or none), as task `A` of a DAG (with `B` after it when `next`). */
function dagOverCs3(retry: string | undefined, opts: { next?: boolean; name?: string; onExit?: boolean } = {}) {
  return workflowFrom(
    `
spec:
  entrypoint: main
${opts.onExit ? '  onExit: report' : ''}
  templates:
  - name: main
    dag:
      tasks:
      - {name: A, template: cs}
${opts.next ? '      - {name: B, template: echo, dependencies: [A]}' : ''}
${CS3.replace('    volumes:', `${retry ? `    retryStrategy: ${retry}\n` : ''}    volumes:`)}
  - name: echo
    container: {image: alpine, command: [sh, -c], args: ["echo done"]}
  - name: report
    container: {image: alpine, command: [sh, -c], args: ["echo {{workflow.status}} '{{workflow.failures}}'"]}
`,
    opts.name ?? 'wf',
  );
}

const runsThrough = throughScript();

describe('containerSet: one pod, Argo node tree', () => {
  it('CS-01 runs independent containers in one pod: one Pod node, a Container node per container in declaration order', () => {
    const wf = workflowFrom(
      `
spec:
  entrypoint: par
  templates:
  - name: par
    containerSet:
      containers:
      - {name: a, image: alpine, command: [sh, -c, "true"]}
      - {name: b, image: alpine, command: [sh, -c, "true"]}
`,
      'cs-par',
    );
    const world = new PodWorld(wf, runsThrough).run();
    expect(world.phase).toBe('Succeeded');
    expect(world.created.map((p) => p.name)).toEqual(['cs-par']);
    expect(world.created[0]?.containers.map((c) => [c.name, c.role, c.dependencies])).toEqual([
      ['a', 'main', undefined],
      ['b', 'main', undefined],
    ]);
    expect(world.nodes).toHaveLength(3);
    const root = world.node('cs-par');
    expect(root).toMatchObject({ id: 'cs-par', type: 'Pod', phase: 'Succeeded', templateName: 'par' });
    expect(root.children).toEqual([nodeId('cs-par', 'cs-par.a'), nodeId('cs-par', 'cs-par.b')]);
    for (const c of ['a', 'b']) {
      expect(world.node(`cs-par.${c}`)).toMatchObject({ type: 'Container', displayName: c, boundaryID: 'cs-par', phase: 'Succeeded', templateName: 'par' });
    }
  });

  it('CS-02 chains dependent containers under what they depend on; a dependent task hangs off the leaf container', () => {
    const wf = workflowFrom(
      `
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: T, template: seq}
      - {name: U, template: echo, dependencies: [T]}
  - name: seq
    containerSet:
      containers:
      - {name: a, image: alpine, command: [sh, -c, "true"]}
      - {name: b, image: alpine, dependencies: [a], command: [sh, -c, "true"]}
      - {name: c, image: alpine, dependencies: [b], command: [sh, -c, "true"]}
  - name: echo
    container: {image: alpine, command: [echo, hi]}
`,
      'cs-seq',
    );
    const world = new PodWorld(wf, runsThrough).run();
    expect(world.phase).toBe('Succeeded');
    const id = (n: string) => world.node(n).id;
    expect(world.node('cs-seq.T').children).toEqual([id('cs-seq.T.a')]);
    expect(world.node('cs-seq.T.a').children).toEqual([id('cs-seq.T.b')]);
    expect(world.node('cs-seq.T.b').children).toEqual([id('cs-seq.T.c')]);
    expect(world.node('cs-seq.T.c').children).toEqual([id('cs-seq.U')]);
    expect(world.node('cs-seq').outboundNodes).toEqual([id('cs-seq.U')]);
    const spec = world.podOf('cs-seq.T');
    expect(spec.name).toBe(podName('cs-seq', 'cs-seq.T', 'seq'));
    expect(spec.containers.map((c) => c.dependencies ?? [])).toEqual([[], ['a'], ['b']]);
  });

  it('CS-03 a diamond: a -> (b, c) -> d', () => {
    const wf = workflowFrom(`
spec:
  entrypoint: d
  templates:
  - name: d
    containerSet:
      containers:
      - {name: a, image: alpine}
      - {name: b, image: alpine, dependencies: [a]}
      - {name: c, image: alpine, dependencies: [a]}
      - {name: d, image: alpine, dependencies: [b, c]}
`);
    const world = new PodWorld(wf, runsThrough).run();
    expect(world.phase).toBe('Succeeded');
    const id = (n: string) => world.node(n).id;
    expect(world.node('wf').children).toEqual([id('wf.a')]);
    expect(world.node('wf.a').children).toEqual([id('wf.b'), id('wf.c')]);
    expect(world.node('wf.b').children).toEqual([id('wf.d')]);
    expect(world.node('wf.c').children).toEqual([id('wf.d')]);
    expect(world.nodes.filter((n) => n.type === 'Container').every((n) => n.phase === 'Succeeded')).toBe(true);
  });

  it('CS-04/CS-05 mounts the shared volume in every container; outputs (parameters, result, exitCode) are main\'s', () => {
    const wf = workflowFrom(`
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: a, template: cs}
      - name: b
        template: show
        dependencies: [a]
        arguments: {parameters: [{name: msg, value: "{{tasks.a.outputs.parameters.msg}}"}, {name: res, value: "{{tasks.a.outputs.result}}"}]}
  - name: cs
    volumes: [{name: ws, emptyDir: {}}]
    outputs: {parameters: [{name: msg, valueFrom: {path: /ws/msg}}]}
    containerSet:
      volumeMounts: [{name: ws, mountPath: /ws}]
      containers:
      - {name: a, image: alpine, command: [sh, -c, "echo hello > /ws/msg"], volumeMounts: [{name: ws, mountPath: /extra}]}
      - {name: main, image: alpine, dependencies: [a], command: [sh, -c, "echo main >> /ws/msg; echo hi"]}
  - name: show
    inputs: {parameters: [{name: msg}, {name: res}]}
    container: {image: alpine, command: [echo, "{{inputs.parameters.msg}}|{{inputs.parameters.res}}"]}
`);
    const world = new PodWorld(wf, (pod, n) => (n === 0 ? throughScript({ result: 'hi', outputs: { msg: 'hello\nmain' } })(pod, n) : runsThrough(pod, n))).run();
    expect(world.phase).toBe('Succeeded');
    const spec = world.podOf('wf.a');
    expect(spec.volumes).toEqual([{ name: 'ws', source: { kind: 'emptyDir' } }]);
    const [a, main] = spec.containers;
    expect(a?.volumeMounts).toEqual([
      { name: 'ws', mountPath: '/extra' },
      { name: 'ws', mountPath: '/ws' },
    ]);
    expect(main?.volumeMounts).toEqual([{ name: 'ws', mountPath: '/ws' }]);
    expect(main).toMatchObject({ outputFiles: { msg: '/ws/msg' }, captureResult: true });
    expect(a?.outputFiles).toBeUndefined();
    expect(a?.captureResult).toBeUndefined();
    expect(world.node('wf.a').outputs).toMatchObject({ exitCode: '0', result: 'hi', parameters: [{ name: 'msg', value: 'hello\nmain' }] });
    expect(world.podOf('wf.b').containers.find((c) => c.name === 'main')?.command).toEqual(['echo', 'hello\nmain|hi']);
    expect(world.node('wf.a.main').children).toEqual([world.node('wf.b').id]);
    // Container nodes never carry outputs.
    expect(world.node('wf.a.main').outputs).toBeUndefined();
  });

  it('CS-08 reports a container waiting on its dependencies as Running, and Pending before the pod starts', () => {
    const wf = workflowFrom(`
spec:
  entrypoint: g
  templates:
  - name: g
    containerSet:
      containers:
      - {name: a, image: alpine}
      - {name: b, image: alpine, dependencies: [a]}
`);
    const world = new PodWorld(wf, () => [{ phase: 'Pending', containers: {} }, runningPod({ a: running() })]);
    world.step().step();
    expect(world.node('wf').phase).toBe('Pending');
    expect(world.node('wf.a').phase).toBe('Pending');
    expect(world.node('wf.b').phase).toBe('Pending');
    world.step();
    expect(world.node('wf')).toMatchObject({ phase: 'Running', hostNodeName: 'localhost' });
    expect(world.node('wf.a').phase).toBe('Running');
    expect(world.node('wf.b').phase).toBe('Running');
    world.set('wf', finishedPod('Succeeded', { a: exited(0), b: exited(0) })).run();
    expect(world.phase).toBe('Succeeded');
    expect(world.node('wf.b').phase).toBe('Succeeded');
  });

  it('CS-07 fail-fast: the failing container, the dependent that never ran and the killed sibling all end Failed; the pod carries the first failure', () => {
    const wf = workflowFrom(`
spec:
  entrypoint: ff
  templates:
  - name: ff
    containerSet:
      containers:
      - {name: c, image: alpine, command: [sleep, "300"]}
      - {name: a, image: alpine, command: [sh, -c, "exit 3"]}
      - {name: b, image: alpine, dependencies: [a], command: [touch, /tmp/b-ran]}
`);
    const world = new PodWorld(wf, () => [
      runningPod({ a: running(), c: running() }),
      finishedPod('Failed', {
        // Same second: the failure the command made counts before the ones the pod caused.
        c: exited(143, { reason: 'killed', at: '2026-01-01T00:00:04Z' }),
        a: exited(3, { at: '2026-01-01T00:00:04Z' }),
        b: exited(143, { reason: 'dependency "a" exited with non-zero code: 3', at: '2026-01-01T00:00:04Z' }),
      }),
    ]).run();
    expect(world.phase).toBe('Failed');
    expect(world.node('wf')).toMatchObject({ phase: 'Failed', message: 'a: Error (exit code 3)' });
    expect(world.workflow.status?.message).toBe('a: Error (exit code 3)');
    expect(world.node('wf.a')).toMatchObject({ phase: 'Failed', message: 'a: Error (exit code 3): ' });
    expect(world.node('wf.b')).toMatchObject({ phase: 'Failed', message: 'b: Error (exit code 143): dependency "a" exited with non-zero code: 3' });
    expect(world.node('wf.c')).toMatchObject({ phase: 'Failed', message: 'c: Error (exit code 143): killed' });
    // The pod node has no exit code without a container named main.
    expect(world.node('wf').outputs?.exitCode).toBeUndefined();
  });

  it('CS-11 a command that cannot be run makes its Container node Error, not Failed', () => {
    const wf = workflowFrom(`
spec:
  entrypoint: nf
  templates:
  - name: nf
    containerSet:
      retryStrategy: {retries: 3}
      containers:
      - {name: a, image: alpine, command: [/no/such/binary]}
`);
    const world = new PodWorld(wf, () => [finishedPod('Failed', { a: exited(127, { reason: 'command not found: /no/such/binary' }) })]).run();
    expect(world.phase).toBe('Failed');
    expect(world.node('wf.a')).toMatchObject({ phase: 'Error', message: 'a: Error (exit code 127): command not found: /no/such/binary' });
    expect(world.node('wf')).toMatchObject({ phase: 'Failed', message: 'a: Error (exit code 127): command not found: /no/such/binary' });
  });

  it('a failed init container fails the pod, and the containers that never ran end Failed (#14495)', () => {
    const wf = workflowFrom(`
spec:
  entrypoint: ic
  templates:
  - name: ic
    initContainers: [{name: setup, image: alpine, command: [sh, -c, "exit 1"]}]
    containerSet:
      containers:
      - {name: a, image: alpine}
      - {name: main, image: alpine, dependencies: [a]}
`);
    const world = new PodWorld(wf, () => [runningPod({ setup: running() }), finishedPod('Failed', { setup: exited(1) })]);
    world.step().step();
    // Init containers still running: the set's containers are Pending.
    expect(world.node('wf.a').phase).toBe('Pending');
    expect(world.podOf('wf').containers.map((c) => `${c.name}:${c.role}`)).toEqual(['setup:init', 'a:main', 'main:main']);
    world.run();
    expect(world.phase).toBe('Failed');
    expect(world.node('wf')).toMatchObject({ phase: 'Failed', message: 'setup: Error (exit code 1)' });
    for (const c of ['wf.a', 'wf.main']) expect(world.node(c)).toMatchObject({ phase: 'Failed', message: 'Pod Failed whilst container running' });
  });

  it('passes containerSet.retryStrategy to the runtime: retries N is N executions (0 counts as 1), duration is the delay', () => {
    const make = (retry: string) =>
      workflowFrom(`
spec:
  entrypoint: r
  templates:
  - name: r
    containerSet:
      retryStrategy: ${retry}
      containers:
      - {name: a, image: alpine}
      - {name: main, image: alpine}
`);
    const specOf = (retry: string) => new PodWorld(make(retry), forever).step().created[0]?.containers.map((c) => c.retry);
    expect(specOf('{retries: "2", duration: "1s"}')).toEqual([
      { executions: 2, delayMs: 1000 },
      { executions: 2, delayMs: 1000 },
    ]);
    expect(specOf('{retries: 3}')).toEqual([
      { executions: 3, delayMs: 0 },
      { executions: 3, delayMs: 0 },
    ]);
    expect(specOf('{retries: 0}')).toEqual([undefined, undefined]);
    const bad = new PodWorld(make('{retries: 2, duration: "soon"}'), forever).run();
    expect(bad.phase).toBe('Error');
    expect(bad.node('wf')).toMatchObject({ type: 'Pod', phase: 'Error', message: "containerSet.retryStrategy.duration: 'soon' is not a duration" });
    expect(bad.created).toHaveLength(0);
  });

  it('CS-12 a template-level retry runs the whole set again in a new pod, with new nodes per attempt', () => {
    const wf = workflowFrom(
      `
spec:
  entrypoint: cs
  templates:
  - name: cs
    retryStrategy: {limit: 1}
    containerSet:
      containers:
      - {name: a, image: alpine, command: [sh, -c, "echo a"]}
      - {name: main, image: alpine, dependencies: [a], command: [sh, -c, "[ '{{retries}}' != '0' ]"]}
`,
      'cs-tr',
    );
    const world = new PodWorld(wf, (pod, n) => throughScript({ exitCodes: n === 0 ? { main: 1 } : {} })(pod, n)).run();
    expect(world.phase).toBe('Succeeded');
    expect(world.node('cs-tr')).toMatchObject({ type: 'Retry', phase: 'Succeeded', children: [world.node('cs-tr(0)').id, world.node('cs-tr(1)').id] });
    expect(world.node('cs-tr(0)')).toMatchObject({ type: 'Pod', phase: 'Failed', displayName: 'cs-tr(0)', nodeFlag: { retried: true } });
    expect(world.node('cs-tr(0).a')).toMatchObject({ phase: 'Succeeded', displayName: 'a' });
    expect(world.node('cs-tr(0).main')).toMatchObject({ phase: 'Failed', displayName: 'main' });
    expect(world.node('cs-tr(1)').phase).toBe('Succeeded');
    expect(world.node('cs-tr(1).a').phase).toBe('Succeeded');
    expect(world.node('cs-tr(1).main').phase).toBe('Succeeded');
    expect(world.created.map((p) => p.name)).toEqual([podName('cs-tr', 'cs-tr(0)', 'cs'), podName('cs-tr', 'cs-tr(1)', 'cs')]);
    expect(world.created[1]?.containers[1]?.args ?? world.created[1]?.containers[1]?.command).toContain("[ '1' != '0' ]");
  });

  it('refuses an empty containerSet at run time', () => {
    const wf = workflowFrom(`
spec:
  entrypoint: e
  templates:
  - name: e
    containerSet: {containers: []}
`);
    const world = new PodWorld(wf).run();
    expect(world.phase).toBe('Error');
    expect(world.node('wf').message).toBe('templates.e.containerSet.containers must have at least one container');
  });
});

/** Runs until container `b` of the node's current pod runs, then deletes that pod abruptly. */
function deleteWhileBRuns(world: PodWorld, podNode: string): PodWorld {
  // A waiting dependent shows Running too (Argo parity): wait for `a` to be done.
  world.run((w) => w.has(`${podNode}.a`) && w.node(`${podNode}.a`).phase === 'Succeeded');
  expect(world.node(`${podNode}.b`).phase).toBe('Running');
  expect(world.node(`${podNode}.a`).phase).toBe('Succeeded');
  return world.delete(world.podOf(podNode).name);
}

/** Every member ends Error `container deleted`, even `a`, which had succeeded before the pod went (Argo, §6.3, PD-01). */
function expectDeleted(world: PodWorld, podNode: string): void {
  expect(world.node(podNode)).toMatchObject({ type: 'Pod', phase: 'Error', message: 'pod deleted' });
  for (const c of ['a', 'b', 'main']) {
    const node = world.node(`${podNode}.${c}`);
    expect(node, c).toMatchObject({ phase: 'Error', message: 'container deleted' });
    expect(node.finishedAt, c).toBeDefined();
  }
}

describe('pod loss: every container node of a deleted pod ends', () => {
  it('PD-01 (#13951) DAG + retry Always + dependencies: the grandchild ends, the retry succeeds, the workflow completes', () => {
    const world = deleteWhileBRuns(new PodWorld(dagOverCs3('{limit: 2, retryPolicy: Always}', { next: true, name: 'cs-del-1' }), runsThrough), 'cs-del-1.A(0)');
    world.run();
    expect(world.phase).toBe('Succeeded');
    expectDeleted(world, 'cs-del-1.A(0)');
    for (const n of ['cs-del-1.A(1)', 'cs-del-1.A(1).a', 'cs-del-1.A(1).b', 'cs-del-1.A(1).main', 'cs-del-1.B']) expect(world.node(n).phase, n).toBe('Succeeded');
    const retry = world.node('cs-del-1.A');
    expect(retry).toMatchObject({ type: 'Retry', phase: 'Succeeded' });
    expect(retry.children).toEqual([world.node('cs-del-1.A(0)').id, world.node('cs-del-1.A(1)').id]);
    // The dependent task hangs off the last attempt only.
    expect(world.node('cs-del-1.A(1)').children).toContain(world.node('cs-del-1.B').id);
    expect(world.nodes.filter((n) => n.children?.includes(world.node('cs-del-1.B').id)).map((n) => n.name)).toEqual(['cs-del-1.A(1)']);
    expect(world.unfinished()).toEqual([]);
    expect(findBrokenPods(world.workflow.status?.nodes ?? {})).toEqual([]);
  });

  it('PD-02 the same under a steps entrypoint', () => {
    const wf = workflowFrom(`
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: set1, template: cs}
    - - {name: set2, template: echo}
${CS3.replace('    volumes:', '    retryStrategy: {limit: 2, retryPolicy: Always}\n    volumes:')}
  - name: echo
    container: {image: alpine, command: [echo, done]}
`);
    const world = deleteWhileBRuns(new PodWorld(wf, runsThrough), 'wf[0].set1(0)').run();
    expect(world.phase).toBe('Succeeded');
    expectDeleted(world, 'wf[0].set1(0)');
    expect(world.node('wf[0]').phase).toBe('Succeeded');
    expect(world.node('wf[1]').phase).toBe('Succeeded');
    expect(world.unfinished()).toEqual([]);
  });

  it('PD-03 containerSet entrypoint with OnError: exactly one more attempt, never a third', () => {
    const wf = workflowFrom(`
spec:
  entrypoint: cs
  templates:
${CS3.replace('    volumes:', '    retryStrategy: {limit: 3, retryPolicy: OnError}\n    volumes:')}
`, 'cs-root');
    const world = deleteWhileBRuns(new PodWorld(wf, runsThrough), 'cs-root(0)').run();
    expect(world.phase).toBe('Succeeded');
    expectDeleted(world, 'cs-root(0)');
    expect(world.node('cs-root(1)').phase).toBe('Succeeded');
    expect(world.has('cs-root(2)')).toBe(false);
    expect(world.created).toHaveLength(2);
    expect(world.workflow.status?.nodes?.['cs-root']).toMatchObject({ type: 'Retry', phase: 'Succeeded' });
  });

  it('PD-04 without a retry: pod, all its containers, the DAG and the workflow end Error', () => {
    const world = deleteWhileBRuns(new PodWorld(dagOverCs3(undefined), runsThrough), 'wf.A').run();
    expect(world.phase).toBe('Error');
    expectDeleted(world, 'wf.A');
    expect(world.node('wf')).toMatchObject({ type: 'DAG', phase: 'Error' });
    expect(world.workflow.status?.finishedAt).toBeDefined();
    expect(world.unfinished()).toEqual([]);
  });

  it('PD-04 also when the pod goes before any container reported: every container node ends', () => {
    const world = new PodWorld(dagOverCs3(undefined), forever).run((w) => w.has('wf.A.main'));
    world.step();
    expect(world.node('wf.A.main').phase).toBe('Running');
    world.delete(world.podOf('wf.A').name).run();
    expect(world.phase).toBe('Error');
    expectDeleted(world, 'wf.A');
  });

  it('PD-05 the default policy (OnFailure) does not retry a deleted pod', () => {
    const world = deleteWhileBRuns(new PodWorld(dagOverCs3('{limit: 3}'), runsThrough), 'wf.A(0)').run();
    expect(world.phase).toBe('Error');
    expect(world.node('wf.A')).toMatchObject({ type: 'Retry', phase: 'Error', message: 'pod deleted' });
    expect(world.has('wf.A(1)')).toBe(false);
    expectDeleted(world, 'wf.A(0)');
  });

  it('PD-06 OnError retries a deleted pod', () => {
    const world = deleteWhileBRuns(new PodWorld(dagOverCs3('{limit: 1, retryPolicy: OnError}'), runsThrough), 'wf.A(0)').run();
    expect(world.phase).toBe('Succeeded');
    expect(world.node('wf.A(1)').phase).toBe('Succeeded');
    expect(world.node('wf.A').phase).toBe('Succeeded');
  });

  it('PD-07 OnTransientError does not retry a deleted pod', () => {
    const world = deleteWhileBRuns(new PodWorld(dagOverCs3('{limit: 1, retryPolicy: OnTransientError}'), runsThrough), 'wf.A(0)').run();
    expect(world.phase).toBe('Error');
    expect(world.node('wf.A')).toMatchObject({ phase: 'Error', message: 'pod deleted' });
    expect(world.has('wf.A(1)')).toBe(false);
  });

  it('PD-08 the retry expression sees the deletion (status, message, exit code -1), and so does the next attempt', () => {
    const wf = dagOverCs3(`{limit: 2, expression: "lastRetry.status == 'Error' && lastRetry.message == 'pod deleted' && asInt(lastRetry.exitCode) == -1"}`);
    const cs = wf.spec.templates?.find((t) => t.name === 'cs');
    cs!.containerSet!.containers[0]!.args = ['echo {{retries}}|{{lastRetry.status}}|{{lastRetry.message}}'];
    const world = deleteWhileBRuns(new PodWorld(wf, runsThrough), 'wf.A(0)').run();
    expect(world.phase).toBe('Succeeded');
    expect(world.podOf('wf.A(1)').containers[0]?.args).toEqual(['echo 1|Error|pod deleted']);
    expect(world.podOf('wf.A(0)').containers[0]?.args).toEqual(['echo 0||']);
  });

  it('PD-09 repeated deletions exhaust the limit: No more retries left, every container of both attempts ended', () => {
    const world = deleteWhileBRuns(new PodWorld(dagOverCs3('{limit: 1, retryPolicy: Always}'), runsThrough), 'wf.A(0)');
    deleteWhileBRuns(world, 'wf.A(1)').run();
    expect(world.phase).toBe('Error');
    expect(world.node('wf.A')).toMatchObject({ phase: 'Error', message: 'No more retries left' });
    expect(world.node('wf.A').children).toHaveLength(2);
    expectDeleted(world, 'wf.A(0)');
    expectDeleted(world, 'wf.A(1)');
    expect(world.unfinished()).toEqual([]);
  });

  it('PD-12 a graceful deletion observed before removal reads exit states: Failed, not Error, so OnError does not retry', () => {
    const message = 'Pod was terminated in response to imminent node shutdown.';
    const graceful = (world: PodWorld, podNode: string): PodWorld => {
      world.run((w) => w.has(`${podNode}.a`) && w.node(`${podNode}.a`).phase === 'Succeeded');
      return world.set(
        world.podOf(podNode).name,
        finishedPod('Failed', { a: exited(0), b: exited(143, { reason: 'killed' }), main: exited(143, { reason: 'pod deleted' }) }, message),
      );
    };
    const onError = graceful(new PodWorld(dagOverCs3('{limit: 1, retryPolicy: OnError}'), runsThrough), 'wf.A(0)').run();
    expect(onError.phase).toBe('Failed');
    expect(onError.node('wf.A(0)')).toMatchObject({ phase: 'Failed', message });
    expect(onError.node('wf.A(0).a').phase).toBe('Succeeded');
    expect(onError.node('wf.A(0).b')).toMatchObject({ phase: 'Failed', message: 'b: Error (exit code 143): killed' });
    expect(onError.node('wf.A(0).main')).toMatchObject({ phase: 'Failed' });
    expect(onError.has('wf.A(1)')).toBe(false);
    expect(onError.node('wf.A')).toMatchObject({ phase: 'Failed', message });

    const always = graceful(new PodWorld(dagOverCs3('{limit: 1, retryPolicy: Always}'), runsThrough), 'wf.A(0)').run();
    expect(always.phase).toBe('Succeeded');
    expect(always.node('wf.A(1)').phase).toBe('Succeeded');
  });

  it('PD-13 a pod collected after its node finished is not a deletion', () => {
    const world = new PodWorld(dagOverCs3(undefined, { next: true }), (pod, n) => (n === 0 ? runsThrough(pod, n) : [runningPod({ main: running() })]));
    world.run((w) => w.has('wf.B') && w.node('wf.B').phase === 'Running');
    expect(world.node('wf.A').phase).toBe('Succeeded');
    world.delete(world.podOf('wf.A').name).step().step();
    world.set(world.podOf('wf.B').name, finishedPod('Succeeded', { main: exited(0) })).run();
    expect(world.phase).toBe('Succeeded');
    expect(world.nodes.filter((n) => n.message?.includes('deleted'))).toEqual([]);
    for (const n of ['wf.A', 'wf.A.a', 'wf.A.b', 'wf.A.main']) expect(world.node(n).phase, n).toBe('Succeeded');
  });

  it('PD-14 the exit handler sees the deletion in workflow.status and workflow.failures', () => {
    const world = deleteWhileBRuns(new PodWorld(dagOverCs3(undefined, { onExit: true }), runsThrough), 'wf.A').run();
    expect(world.phase).toBe('Error');
    expect(world.node('wf.onExit').phase).toBe('Succeeded');
    const args = world.podOf('wf.onExit').containers.find((c) => c.name === 'main')?.args?.[0] ?? '';
    expect(args.startsWith('echo Error ')).toBe(true);
    const failures = JSON.parse(args.slice('echo Error '.length).replace(/^'|'$/g, '')) as { displayName: string; phase: string; message: string }[];
    expect(failures).toContainEqual(expect.objectContaining({ displayName: 'A', phase: 'Error', message: 'pod deleted' }));
    for (const c of ['b', 'main']) expect(failures).toContainEqual(expect.objectContaining({ displayName: c, phase: 'Error', message: 'container deleted' }));
  });

  it('PD-15 deleting the exit handler\'s containerSet pod: onExit Error, its containers ended, the workflow Error "pod deleted"', () => {
    const wf = workflowFrom(`
spec:
  entrypoint: ok
  onExit: cs
  templates:
  - name: ok
    container: {image: alpine, command: [echo, ok]}
${CS3}
`);
    const world = new PodWorld(wf, (pod, n) => (n === 0 ? [finishedPod('Succeeded', { main: exited(0) })] : runsThrough(pod, n)));
    deleteWhileBRuns(world, 'wf.onExit').run();
    expect(world.phase).toBe('Error');
    expect(world.workflow.status?.message).toBe('pod deleted');
    expectDeleted(world, 'wf.onExit');
    expect(world.unfinished()).toEqual([]);
  });

  it('a deleted container-template pod ends Error "pod deleted"; its own deadline ends it Failed with the kubelet message', () => {
    const wf = workflowFrom(`
spec:
  entrypoint: c
  templates:
  - name: c
    container: {image: alpine, command: [sleep, "60"]}
`);
    const deleted = new PodWorld(wf, () => [runningPod({ main: running() })]).step().step();
    deleted.delete('wf').run();
    expect(deleted.phase).toBe('Error');
    expect(deleted.node('wf')).toMatchObject({ phase: 'Error', message: 'pod deleted' });
    const deadline = new PodWorld(wf, () => [runningPod({ main: running() })]).step().step();
    deadline.delete('wf', 'Pod was active on the node longer than the specified deadline').run();
    expect(deadline.phase).toBe('Failed');
    expect(deadline.node('wf')).toMatchObject({ phase: 'Failed', message: 'Pod was active on the node longer than the specified deadline' });
  });

  it('SM-10 a containerSet pod past its own deadline: Failed, its unfinished containers "Pod Failed whilst container running"', () => {
    const wf = dagOverCs3(undefined);
    wf.spec.templates!.find((t) => t.name === 'cs')!.activeDeadlineSeconds = 5;
    const world = new PodWorld(wf, runsThrough).run((w) => w.has('wf.A.a') && w.node('wf.A.a').phase === 'Succeeded');
    expect(world.podOf('wf.A').activeDeadlineSeconds).toBe(5);
    world.delete(world.podOf('wf.A').name, 'Pod was active on the node longer than the specified deadline').run();
    expect(world.phase).toBe('Failed');
    expect(world.node('wf.A')).toMatchObject({ phase: 'Failed', message: 'Pod was active on the node longer than the specified deadline' });
    expect(world.node('wf.A.a').phase).toBe('Succeeded');
    for (const c of ['wf.A.b', 'wf.A.main']) expect(world.node(c)).toMatchObject({ phase: 'Failed', message: 'Pod Failed whilst container running' });
  });

  it('SM-12 stop while b runs: the pod is deleted, the pod node and every unfinished container fail with the shutdown message', () => {
    const world = new PodWorld(dagOverCs3('{limit: 1, retryPolicy: Always}'), runsThrough).run((w) => w.has('wf.A(0).a') && w.node('wf.A(0).a').phase === 'Succeeded');
    world.workflow = shutdownWorkflow(world.workflow, 'Stop');
    world.run();
    expect(world.phase).toBe('Failed');
    expect(world.actions.flat()).toContainEqual(expect.objectContaining({ type: 'deletePod', pod: world.podOf('wf.A(0)').name }));
    const message = 'workflow shutdown with strategy: Stop';
    expect(world.node('wf.A(0)')).toMatchObject({ phase: 'Failed', message });
    expect(world.node('wf.A(0).a').phase).toBe('Succeeded');
    for (const c of ['b', 'main']) expect(world.node(`wf.A(0).${c}`)).toMatchObject({ phase: 'Failed', message });
    expect(world.node('wf.A').phase).toBe('Failed');
    expect(world.has('wf.A(1)')).toBe(false);
    expect(world.unfinished()).toEqual([]);
  });

  it('SM-09 the workflow deadline ends every container of a running containerSet, the grandchild included', () => {
    const wf = dagOverCs3(undefined);
    wf.spec.activeDeadlineSeconds = 3;
    const world = new PodWorld(wf, () => [runningPod({ a: running() })]).run();
    expect(world.phase).toBe('Failed');
    expect(world.node('wf.A')).toMatchObject({ phase: 'Failed', message: 'Step exceeded its deadline' });
    for (const c of ['a', 'b', 'main']) expect(world.node(`wf.A.${c}`)).toMatchObject({ phase: 'Failed', message: 'Step exceeded its deadline' });
    expect(world.created).toHaveLength(1);
  });
});

describe('init containers and sidecars on a container template', () => {
  const wf = () =>
    workflowFrom(`
spec:
  entrypoint: c
  templates:
  - name: c
    volumes: [{name: v, emptyDir: {}}]
    initContainers: [{name: init1, image: alpine, command: [sh, -c, "echo init"]}]
    sidecars: [{name: side, image: alpine, command: [sleep, "300"], mirrorVolumeMounts: true}]
    container: {image: alpine, command: [sh, -c, "exit 2"], volumeMounts: [{name: v, mountPath: /v}]}
`);

  it('puts them in the pod around main (sidecars mirror main\'s mounts); the node tree is the Pod node alone', () => {
    const world = new PodWorld(wf(), () => [finishedPod('Succeeded', { init1: exited(0), side: exited(143, { reason: 'killed' }), main: exited(0) })]).run();
    expect(world.phase).toBe('Succeeded');
    expect(world.podOf('wf').containers.map((c) => [c.name, c.role, c.volumeMounts.map((m) => m.mountPath)])).toEqual([
      ['init1', 'init', []],
      ['main', 'main', ['/v']],
      ['side', 'sidecar', ['/v']],
    ]);
    expect(world.nodes.map((n) => [n.name, n.type, n.phase])).toEqual([['wf', 'Pod', 'Succeeded']]);
    expect(world.node('wf').outputs?.exitCode).toBe('0');
  });

  it("a failed main is the pod's failure, not the sidecar killed after it (Argo ignores a sidecar's 137 and 143)", () => {
    const world = new PodWorld(wf(), () => [finishedPod('Failed', { side: exited(143, { reason: 'killed' }), init1: exited(0), main: exited(2) })]).run();
    expect(world.phase).toBe('Failed');
    expect(world.node('wf')).toMatchObject({ phase: 'Failed', message: 'Error (exit code 2)', outputs: { exitCode: '2' } });
  });

  it('a failed init container is the failure', () => {
    const world = new PodWorld(wf(), () => [finishedPod('Failed', { init1: exited(7) })]).run();
    expect(world.node('wf')).toMatchObject({ phase: 'Failed', message: 'Error (exit code 7)' });
  });
});

describe('invariant: a finished Pod node has no unfinished Container node', () => {
  const at = '2026-01-01T00:00:10Z';
  const node = (name: string, fields: Partial<NodeStatus>): NodeStatus => ({
    id: nodeId('wf', name),
    name,
    displayName: name.split('.').pop() ?? name,
    type: 'Container',
    phase: 'Succeeded',
    ...fields,
  });
  /** PD-17: state left by a build that marked only direct children. */
  function fixture(): Record<string, NodeStatus> {
    const pod0 = node('wf.A(0)', { type: 'Pod', phase: 'Error', message: 'pod deleted' });
    const pod1 = node('wf.A(1)', { type: 'Pod', phase: 'Succeeded' });
    const running = node('wf.B', { type: 'Pod', phase: 'Running' });
    const nodes = [
      node('wf', { type: 'DAG', phase: 'Running', children: [nodeId('wf', 'wf.A')] }),
      node('wf.A', { type: 'Retry', phase: 'Succeeded', children: [pod0.id, pod1.id] }),
      { ...pod0, children: [nodeId('wf', 'wf.A(0).a')] },
      node('wf.A(0).a', { phase: 'Error', message: 'container deleted', boundaryID: pod0.id, children: [nodeId('wf', 'wf.A(0).main')] }),
      node('wf.A(0).main', { phase: 'Running', boundaryID: pod0.id, children: [nodeId('wf', 'wf.A(0).legacy')] }),
      // Written before boundaries were set: found through its parent container.
      node('wf.A(0).legacy', { phase: 'Pending', children: [running.id] }),
      { ...pod1, children: [nodeId('wf', 'wf.A(1).a')] },
      node('wf.A(1).a', { phase: 'Succeeded', boundaryID: pod1.id }),
      // A task hanging off a leaf container is not a member of that pod.
      { ...running, children: [nodeId('wf', 'wf.B.x')] },
      node('wf.B.x', { phase: 'Running', boundaryID: running.id }),
    ];
    return Object.fromEntries(nodes.map((n) => [n.id, n]));
  }

  it('finds the finished pods with unfinished containers, nested ones included', () => {
    const nodes = fixture();
    expect(findBrokenPods(nodes)).toEqual([{ podNodeId: nodeId('wf', 'wf.A(0)'), containerIds: [nodeId('wf', 'wf.A(0).main'), nodeId('wf', 'wf.A(0).legacy')] }]);
    expect(findBrokenPods(new Map(Object.entries(nodes)))).toHaveLength(1);
  });

  it('repairs them as "container deleted", leaving finished nodes and running pods alone', () => {
    const nodes = fixture();
    const patches = repairBrokenPods(nodes, new Date(at));
    expect(patches).toEqual([
      { id: nodeId('wf', 'wf.A(0).main'), patch: { phase: 'Error', message: 'container deleted', finishedAt: at } },
      { id: nodeId('wf', 'wf.A(0).legacy'), patch: { phase: 'Error', message: 'container deleted', finishedAt: at } },
    ]);
    const repaired = applyNodePatches(nodes, patches);
    expect(findBrokenPods(repaired)).toEqual([]);
    expect(repaired[nodeId('wf', 'wf.B.x')]?.phase).toBe('Running');
    expect(repaired[nodeId('wf', 'wf.B')]?.phase).toBe('Running');
    expect(repaired[nodeId('wf', 'wf.A(0).a')]).toEqual(nodes[nodeId('wf', 'wf.A(0).a')]);
    // The input is untouched.
    expect(nodes[nodeId('wf', 'wf.A(0).main')]?.phase).toBe('Running');
    expect(repairBrokenPods(repaired, at)).toEqual([]);
  });
});
