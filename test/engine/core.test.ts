import { describe, expect, it } from 'vitest';
import { fnv32a, podName, reconcile } from '../../src/engine/index.js';
import { commandOf, runWorkflow, testLocks, workflowFrom } from './harness.js';

describe('ids', () => {
  it('matches the pod names of Argo docs (fnv32a of the node name)', () => {
    expect(fnv32a('steps-z2zdn[0].hello1')).toBe(27420706);
    expect(podName('steps-z2zdn', 'steps-z2zdn[0].hello1', 'whalesay')).toBe('steps-z2zdn-whalesay-27420706');
    expect(podName('wf', 'wf', 'main')).toBe('wf');
  });
});

describe('container template', () => {
  const hello = workflowFrom(`
spec:
  entrypoint: main
  templates:
  - name: main
    container: {image: busybox, command: [echo, "{{workflow.name}}"]}
`);

  it('creates one pod named after the workflow, then succeeds with its result', () => {
    const run = runWorkflow(hello, () => ({ exitCode: 0, result: 'hi' }));
    expect(run.workflow.status?.phase).toBe('Succeeded');
    expect(run.created).toHaveLength(1);
    expect(run.created[0]?.name).toBe('wf');
    expect(commandOf(run.created[0]!)).toBe('echo wf');
    const root = run.workflow.status?.nodes?.wf;
    expect(root).toMatchObject({ id: 'wf', name: 'wf', type: 'Pod', phase: 'Succeeded', templateName: 'main', outputs: { result: 'hi', exitCode: '0' } });
  });

  it('fails with Argo message on a non-zero exit', () => {
    const run = runWorkflow(hello, () => ({ exitCode: 3 }));
    expect(run.workflow.status?.phase).toBe('Failed');
    expect(run.workflow.status?.message).toBe('Error (exit code 3)');
    expect(run.workflow.status?.nodes?.wf?.outputs?.exitCode).toBe('3');
  });

  it('is idempotent: reconciling a running workflow again creates nothing new', () => {
    const first = reconcile({ workflow: hello, observed: new Map(), now: new Date('2026-01-01T00:00:00Z'), config: { namespace: 'argo' }, locks: testLocks() });
    expect(first.actions.filter((a) => a.type === 'createPod')).toHaveLength(1);
    const again = reconcile({ workflow: first.workflow, observed: new Map(), now: new Date('2026-01-01T00:00:01Z'), config: { namespace: 'argo' }, locks: testLocks() });
    // The same pod is requested again (the runtime's create is idempotent), never a different one.
    expect(again.actions.map((a) => (a.type === 'createPod' ? a.pod.name : a.type))).toEqual(['wf']);
    expect(again.changedNodes).toEqual([]);
  });

  it('a pod deleted before it ran is made again; one that ran (its events folded into one reconcile) ends Error', () => {
    const base = { config: { namespace: 'argo' }, locks: testLocks() };
    const first = reconcile({ ...base, workflow: hello, observed: new Map(), now: new Date('2026-01-01T00:00:00Z') });
    expect(first.workflow.status?.nodes?.wf?.phase).toBe('Pending');
    const gone = { name: 'wf', phase: 'Gone' as const, reason: 'deleted' as const, message: 'pod deleted', finishedAt: '2026-01-01T00:00:01Z', containers: {} };
    const neverRan = reconcile({ ...base, workflow: first.workflow, observed: new Map([['wf', gone]]), now: new Date('2026-01-01T00:00:01Z') });
    expect(neverRan.actions.map((a) => a.type)).toEqual(['createPod']);
    expect(neverRan.workflow.status?.nodes?.wf?.phase).toBe('Pending');
    const ran = reconcile({ ...base, workflow: first.workflow, observed: new Map([['wf', { ...gone, startedAt: '2026-01-01T00:00:00Z' }]]), now: new Date('2026-01-01T00:00:01Z') });
    expect(ran.actions.filter((a) => a.type === 'createPod')).toEqual([]);
    expect(ran.workflow.status?.nodes?.wf).toMatchObject({ phase: 'Error', message: 'pod deleted' });
  });

  it('does not build again a pod the controller created and has not heard of yet; one reported Gone (deleted before it ran) is asked for again', () => {
    const base = { config: { namespace: 'argo' }, locks: testLocks() };
    const first = reconcile({ ...base, workflow: hello, observed: new Map(), now: new Date('2026-01-01T00:00:00Z') });
    const waiting = reconcile({ ...base, workflow: first.workflow, observed: new Map(), requested: new Set(['wf']), now: new Date('2026-01-01T00:00:01Z') });
    expect(waiting.actions).toEqual([]);
    expect(waiting.changedNodes).toEqual([]);
    const gone = { name: 'wf', phase: 'Gone' as const, reason: 'deleted' as const, message: 'pod deleted', containers: {} };
    const again = reconcile({ ...base, workflow: first.workflow, observed: new Map([['wf', gone]]), requested: new Set(['wf']), now: new Date('2026-01-01T00:00:01Z') });
    expect(again.actions.map((a) => a.type)).toEqual(['createPod']);
  });

  it('reports missing required inputs as an Error node', () => {
    const wf = workflowFrom(`
spec:
  entrypoint: main
  templates:
  - name: main
    inputs: {parameters: [{name: msg}]}
    container: {image: busybox, command: [echo, "{{inputs.parameters.msg}}"]}
`);
    const run = runWorkflow(wf);
    expect(run.workflow.status?.phase).toBe('Error');
    expect(run.workflow.status?.message).toContain('inputs.parameters.msg was not supplied');
    expect(run.created).toHaveLength(0);
  });
});

describe('steps', () => {
  const steps = workflowFrom(
    `
spec:
  entrypoint: hello-hello-hello
  templates:
  - name: hello-hello-hello
    steps:
    - - name: hello1
        template: whalesay
        arguments: {parameters: [{name: message, value: hello1}]}
    - - name: hello2a
        template: whalesay
        arguments: {parameters: [{name: message, value: "{{steps.hello1.outputs.result}}-2a"}]}
      - name: hello2b
        template: whalesay
        arguments: {parameters: [{name: message, value: hello2b}]}
  - name: whalesay
    inputs: {parameters: [{name: message}]}
    container: {image: busybox, command: [echo, "{{inputs.parameters.message}}"]}
`,
    'steps-z2zdn',
  );

  it('runs groups in order and the steps of a group in parallel, with Argo node names and edges', () => {
    const run = runWorkflow(steps, (pod) => ({ exitCode: 0, result: commandOf(pod).replace('echo ', '') }));
    expect(run.workflow.status?.phase).toBe('Succeeded');
    expect(run.created.map((p) => commandOf(p))).toEqual(['echo hello1', 'echo hello1-2a', 'echo hello2b']);
    const hello1 = run.byDisplay('hello1');
    expect(hello1.id).toBe('steps-z2zdn-27420706');
    expect(hello1.name).toBe('steps-z2zdn[0].hello1');
    expect(run.byDisplay('[0]').type).toBe('StepGroup');
    // The second group hangs under the first group's outbound node (hello1).
    expect(hello1.children).toEqual([run.byDisplay('[1]').id]);
    expect(run.byDisplay('[1]').children).toEqual([run.byDisplay('hello2a').id, run.byDisplay('hello2b').id]);
    expect(run.workflow.status?.nodes?.['steps-z2zdn']?.outboundNodes).toEqual([run.byDisplay('hello2a').id, run.byDisplay('hello2b').id]);
    // Both steps of group 1 were requested in the same reconcile.
    const batches = run.actions.map((a) => a.filter((x) => x.type === 'createPod').length).filter((n) => n > 0);
    expect(batches).toContain(2);
  });

  it('fails the workflow when a step fails, and does not start later groups', () => {
    const run = runWorkflow(steps, (pod) => ({ exitCode: commandOf(pod) === 'echo hello1' ? 1 : 0 }));
    expect(run.workflow.status?.phase).toBe('Failed');
    expect(run.created).toHaveLength(1);
    expect(run.workflow.status?.message).toBe(`child '${run.byDisplay('hello1').id}' failed`);
  });

  it('skips a step whose when is false, with Argo message', () => {
    const wf = workflowFrom(`
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: flip
        template: echo
    - - name: heads
        template: echo
        when: "{{steps.flip.outputs.result}} == heads"
      - name: tails
        template: echo
        when: "{{steps.flip.outputs.result}} == tails"
  - name: echo
    container: {image: busybox, command: [echo]}
`);
    const run = runWorkflow(wf, () => ({ exitCode: 0, result: 'tails' }));
    expect(run.workflow.status?.phase).toBe('Succeeded');
    expect(run.byDisplay('heads')).toMatchObject({ type: 'Skipped', phase: 'Skipped', message: "when 'tails == heads' evaluated false" });
    expect(run.byDisplay('tails').phase).toBe('Succeeded');
  });

  it('expands withItems, names children name(i:item) and aggregates their outputs', () => {
    const wf = workflowFrom(`
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: gen
        template: echo
        arguments: {parameters: [{name: m, value: "{{item}}"}]}
        withItems: [a, b, {x: 1, z: two}]
    - - name: use
        template: echo
        arguments: {parameters: [{name: m, value: "{{steps.gen.outputs.result}}"}]}
  - name: echo
    inputs: {parameters: [{name: m}]}
    container: {image: busybox, command: [echo, "{{inputs.parameters.m}}"]}
`);
    const run = runWorkflow(wf, (pod) => ({ exitCode: 0, result: commandOf(pod).slice(5) }));
    expect(run.workflow.status?.phase).toBe('Succeeded');
    expect(run.nodes.map((n) => n.displayName)).toEqual(expect.arrayContaining(['gen(0:a)', 'gen(1:b)', 'gen(2:x:1,z:two)']));
    expect(commandOf(run.created[3]!)).toBe('echo ["a","b",{"x":1,"z":"two"}]');
  });

  it('marks an empty withParam Skipped with "Skipped, empty params"', () => {
    const wf = workflowFrom(`
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: loop
        template: echo
        withParam: "[]"
  - name: echo
    container: {image: busybox, command: [echo]}
`);
    const run = runWorkflow(wf);
    expect(run.workflow.status?.phase).toBe('Succeeded');
    expect(run.byDisplay('loop')).toMatchObject({ phase: 'Skipped', message: 'Skipped, empty params' });
  });

  it('lets continueOn.failed keep the workflow going', () => {
    const wf = workflowFrom(`
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: bad
        template: fail
        continueOn: {failed: true}
    - - name: after
        template: ok
  - name: fail
    container: {image: busybox, command: [false]}
  - name: ok
    container: {image: busybox, command: [true]}
`);
    const run = runWorkflow(wf, (pod) => ({ exitCode: commandOf(pod) === 'false' ? 1 : 0 }));
    expect(run.workflow.status?.phase).toBe('Succeeded');
    expect(run.byDisplay('bad').phase).toBe('Failed');
    expect(run.byDisplay('after').phase).toBe('Succeeded');
  });
});
