import { describe, expect, it } from 'vitest';
import {
  OperationError,
  resubmitWorkflow,
  resumeWorkflow,
  retryWorkflow,
  setNodes,
  shutdownWorkflow,
  suspendWorkflow,
} from '../../src/engine/operations.js';
import { commandOf, World, workflowFrom } from './harness.js';

const twoGroupsWithExit = () =>
  workflowFrom(`
spec:
  entrypoint: main
  onExit: bye
  templates:
  - name: main
    steps:
    - - {name: slow, template: slow}
    - - {name: after, template: quick}
  - name: slow
    container: {image: busybox, command: [sleep, "100"]}
  - name: quick
    container: {image: busybox, command: [echo, quick]}
  - name: bye
    container: {image: busybox, command: [echo, bye]}
`);

const slowThenQuick = (pod: Parameters<ConstructorParameters<typeof World>[1] & object>[0]) => ({ exitCode: 0, ticks: commandOf(pod).startsWith('sleep') ? 50 : 0 });

describe('stop and terminate', () => {
  it('stop kills running pods, starts nothing new, runs the exit handler, ends Failed', () => {
    const world = new World(twoGroupsWithExit(), slowThenQuick).run((w) => w.node('slow')?.phase === 'Running');
    world.workflow = shutdownWorkflow(world.workflow, 'Stop');
    world.run();
    expect(world.phase).toBe('Failed');
    expect(world.workflow.status?.message).toBe("Stopped with strategy 'Stop'");
    expect(world.node('slow')).toMatchObject({ phase: 'Failed', message: 'workflow shutdown with strategy: Stop' });
    expect(world.actions.flat().some((a) => a.type === 'deletePod')).toBe(true);
    expect(world.created.map(commandOf)).toEqual(['sleep 100', 'echo bye']);
  });

  it('terminate does not run the exit handler', () => {
    const world = new World(twoGroupsWithExit(), slowThenQuick).run((w) => w.node('slow')?.phase === 'Running');
    world.workflow = shutdownWorkflow(world.workflow, 'Terminate');
    world.run();
    expect(world.phase).toBe('Failed');
    expect(world.workflow.status?.message).toBe("Stopped with strategy 'Terminate'");
    expect(world.created.map(commandOf)).toEqual(['sleep 100']);
  });

  it('refuses to stop a finished workflow', () => {
    const world = new World(twoGroupsWithExit()).run();
    expect(() => shutdownWorkflow(world.workflow, 'Stop')).toThrow(OperationError);
  });
});

describe('suspend and resume', () => {
  it('a suspended workflow starts nothing new until resumed', () => {
    const world = new World(twoGroupsWithExit(), (pod) => ({ exitCode: 0, ticks: commandOf(pod).startsWith('sleep') ? 3 : 0 }));
    world.run((w) => w.node('slow')?.phase === 'Running');
    world.workflow = suspendWorkflow(world.workflow);
    for (let i = 0; i < 10; i++) world.step();
    expect(world.phase).toBe('Running');
    expect(world.node('slow')?.phase).toBe('Succeeded');
    expect(world.created.map(commandOf)).toEqual(['sleep 100']);
    world.workflow = resumeWorkflow(world.workflow, undefined, new Date(world.now));
    world.run();
    expect(world.phase).toBe('Succeeded');
    expect(world.created.map(commandOf)).toEqual(['sleep 100', 'echo quick', 'echo bye']);
  });

  it('resume completes a suspend node, and node set supplies its output parameters', () => {
    const wf = workflowFrom(`
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: approve, template: approve}
    - - name: use
        template: echo
        arguments: {parameters: [{name: m, value: "{{steps.approve.outputs.parameters.choice}}"}]}
  - name: approve
    suspend: {}
    outputs: {parameters: [{name: choice, valueFrom: {supplied: {}}}]}
  - name: echo
    inputs: {parameters: [{name: m}]}
    container: {image: busybox, command: [echo, "{{inputs.parameters.m}}"]}
`);
    const world = new World(wf).run((w) => w.node('approve')?.phase === 'Running');
    for (let i = 0; i < 5; i++) world.step();
    expect(world.node('approve')?.phase).toBe('Running');
    world.workflow = setNodes(world.workflow, { nodeFieldSelector: 'displayName=approve', outputParameters: { choice: 'yes' } }, new Date(world.now));
    world.workflow = resumeWorkflow(world.workflow, 'displayName=approve', new Date(world.now));
    world.run();
    expect(world.phase).toBe('Succeeded');
    expect(world.created.map(commandOf)).toEqual(['echo yes']);
  });

  it('a suspend template with a duration resumes by itself', () => {
    const wf = workflowFrom(`
spec:
  entrypoint: wait
  templates:
  - name: wait
    suspend: {duration: "20"}
`);
    const world = new World(wf).run();
    expect(world.phase).toBe('Succeeded');
    const node = world.workflow.status!.nodes!.wf!;
    expect(Date.parse(node.finishedAt!) - Date.parse(node.startedAt!)).toBeGreaterThanOrEqual(20_000);
  });
});

describe('retry and resubmit', () => {
  const flaky = () =>
    workflowFrom(`
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: good, template: good}
    - - {name: bad, template: bad}
  - name: good
    container: {image: busybox, command: [echo, good]}
  - name: bad
    container: {image: busybox, command: [sh, -c, "exit 1"]}
`);

  it('re-runs only the failed step, after its old pod is deleted', () => {
    let badFails = true;
    const world = new World(flaky(), (pod) => ({ exitCode: commandOf(pod).includes('exit 1') && badFails ? 1 : 0 })).run();
    expect(world.phase).toBe('Failed');
    const plan = retryWorkflow(world.workflow, {});
    expect(plan.workflow.status?.phase).toBe('Running');
    expect(plan.podsToDelete).toHaveLength(1);
    expect(Object.values(plan.workflow.status!.nodes!).some((n) => n.displayName === 'bad')).toBe(false);
    expect(Object.values(plan.workflow.status!.nodes!).find((n) => n.displayName === 'good')?.phase).toBe('Succeeded');
    badFails = false;
    world.forget(plan.podsToDelete);
    world.workflow = plan.workflow;
    world.run();
    expect(world.phase).toBe('Succeeded');
    expect(world.created.map(commandOf)).toEqual(['echo good', 'sh -c exit 1', 'sh -c exit 1']);
  });

  it('with --restart-successful and a selector, re-runs the selected succeeded step too', () => {
    const world = new World(flaky(), (pod) => ({ exitCode: commandOf(pod).includes('exit 1') ? 1 : 0 })).run();
    const plan = retryWorkflow(world.workflow, { restartSuccessful: true, nodeFieldSelector: 'displayName=good' });
    expect(plan.podsToDelete).toHaveLength(2);
    expect(Object.keys(plan.workflow.status!.nodes!).length).toBeLessThan(Object.keys(world.workflow.status!.nodes!).length);
  });

  it('refuses to retry a workflow that succeeded', () => {
    const world = new World(flaky()).run();
    expect(world.phase).toBe('Succeeded');
    expect(() => retryWorkflow(world.workflow, {})).toThrow(/must be Failed or Error/);
  });

  it('resubmit makes a new workflow with the same spec and new parameters', () => {
    const wf = flaky();
    wf.metadata.labels = { team: 'a', 'workflows.argoproj.io/completed': 'true' };
    wf.spec.arguments = { parameters: [{ name: 'x', value: '1' }] };
    const next = resubmitWorkflow(wf, new Map([['x', '2']]));
    expect(next.metadata).toMatchObject({ generateName: 'wf-', labels: { team: 'a', 'workflows.argoproj.io/resubmitted-from-workflow': 'wf' } });
    expect(next.metadata.labels?.['workflows.argoproj.io/completed']).toBeUndefined();
    expect(next.spec.arguments?.parameters).toEqual([{ name: 'x', value: '2' }]);
    expect(next.status).toBeUndefined();
  });
});

describe('workflowTemplateRef', () => {
  const library = workflowFrom(`
kind: WorkflowTemplate
spec:
  entrypoint: hello
  arguments: {parameters: [{name: who, value: template}, {name: greeting, value: hi}]}
  templates:
  - name: hello
    container: {image: busybox, command: [echo, "{{workflow.parameters.greeting}} {{workflow.parameters.who}}"]}
`, 'lib') as unknown as import('../../src/spec/types.js').WorkflowTemplate;

  it('runs the template with the workflow arguments over its own, and keeps the merged spec', () => {
    const wf = workflowFrom(`
spec:
  workflowTemplateRef: {name: lib}
  arguments: {parameters: [{name: who, value: workflow}]}
`);
    const world = new World(wf);
    world.templates = { workflowTemplate: (name) => (name === 'lib' ? library : undefined), clusterWorkflowTemplate: () => undefined };
    world.run();
    expect(world.phase).toBe('Succeeded');
    expect(world.created.map(commandOf)).toEqual(['echo hi workflow']);
    expect(world.workflow.spec.workflowTemplateRef).toEqual({ name: 'lib' });
    expect(world.workflow.status?.storedWorkflowTemplateSpec?.entrypoint).toBe('hello');
  });

  it('ends in Error naming a template that does not exist', () => {
    const world = new World(workflowFrom('spec:\n  workflowTemplateRef: {name: nope}\n')).run();
    expect(world.phase).toBe('Error');
    expect(world.workflow.status?.message).toBe("WorkflowTemplate 'nope' not found");
  });
});
