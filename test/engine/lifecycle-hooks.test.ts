// Lifecycle hooks other than exit (spec/containerset.md §3.5): each fires once when its expression
// holds, as `<owner>.hooks.<name>`, and its owner does not complete before it.
import { describe, expect, it } from 'vitest';
import { commandOf, workflowFrom, World } from './harness.js';

const notify = `  - name: notify
    inputs: {parameters: [{name: what}]}
    container: {image: alpine, command: [sh, -c, "echo {{inputs.parameters.what}}"]}`;

const behaviour = (pod: Parameters<typeof commandOf>[0]): { exitCode: number; ticks: number } => ({ exitCode: 0, ticks: commandOf(pod).includes('sleep') ? 2 : 0 });

describe('lifecycle hooks', () => {
  it('step-level: running and success hooks fire once each, with the step status; the group waits for them', () => {
    const world = new World(
      workflowFrom(`
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: step-1
        template: work
        hooks:
          running: {expression: 'steps["step-1"].status == "Running"', template: notify, arguments: {parameters: [{name: what, value: running}]}}
          success: {expression: 'steps["step-1"].status == "Succeeded"', template: notify, arguments: {parameters: [{name: what, value: success}]}}
          failure: {expression: 'steps["step-1"].status == "Failed"', template: notify, arguments: {parameters: [{name: what, value: failure}]}}
    - - name: step2
        template: work
  - name: work
    container: {image: alpine, command: [sh, -c, "sleep 1"]}
${notify}
`),
      behaviour,
    ).run();
    expect(world.phase).toBe('Succeeded');
    const hooks = Object.values(world.workflow.status?.nodes ?? {}).filter((n) => n.name.includes('.hooks.'));
    expect(hooks.map((n) => n.name).sort()).toEqual(['wf[0].step-1.hooks.running', 'wf[0].step-1.hooks.success']);
    for (const h of hooks) expect(h).toMatchObject({ phase: 'Succeeded', nodeFlag: expect.objectContaining({ hooked: true }) });
    const said = world.created.map(commandOf).filter((c) => c.startsWith('sh -c echo'));
    expect(said.sort()).toEqual(['sh -c echo running', 'sh -c echo success']);
    const step1 = Object.values(world.workflow.status?.nodes ?? {}).find((n) => n.name === 'wf[0].step-1');
    expect(step1?.children).toEqual(expect.arrayContaining(hooks.map((h) => h.id)));
    // step2 starts only after step-1's success hook ended.
    const successEnd = hooks.find((h) => h.name.endsWith('success'))?.finishedAt ?? '';
    const step2 = Object.values(world.workflow.status?.nodes ?? {}).find((n) => n.name === 'wf[1].step2');
    expect(Date.parse(step2?.startedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(successEnd));
  });

  it('task-level in a DAG: the hook fires and dependents wait for it', () => {
    const world = new World(
      workflowFrom(`
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - name: a
        template: work
        hooks:
          done: {expression: 'tasks.a.status == "Succeeded"', template: notify, arguments: {parameters: [{name: what, value: done}]}}
      - {name: b, template: work, dependencies: [a]}
  - name: work
    container: {image: alpine, command: [sh, -c, "sleep 1"]}
${notify}
`),
      behaviour,
    ).run();
    expect(world.phase).toBe('Succeeded');
    const hook = Object.values(world.workflow.status?.nodes ?? {}).find((n) => n.name === 'wf.a.hooks.done');
    expect(hook).toMatchObject({ phase: 'Succeeded' });
    const b = Object.values(world.workflow.status?.nodes ?? {}).find((n) => n.name === 'wf.b');
    expect(Date.parse(b?.startedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(hook?.finishedAt ?? ''));
  });

  it('workflow-level: a hook on the outcome runs before the exit handler, and a hook whose expression never holds never runs', () => {
    const world = new World(
      workflowFrom(`
spec:
  entrypoint: main
  onExit: bye
  hooks:
    failed: {expression: 'workflow.status == "Failed"', template: notify, arguments: {parameters: [{name: what, value: failed}]}}
    succeeded: {expression: 'workflow.status == "Succeeded"', template: notify, arguments: {parameters: [{name: what, value: succeeded}]}}
  templates:
  - name: main
    container: {image: alpine, command: [sh, -c, "sleep 1"]}
  - name: bye
    container: {image: alpine, command: [sh, -c, "echo bye"]}
${notify}
`),
      behaviour,
    ).run();
    expect(world.phase).toBe('Succeeded');
    const names = Object.values(world.workflow.status?.nodes ?? {}).map((n) => n.name);
    expect(names).toContain('wf.hooks.succeeded');
    expect(names).not.toContain('wf.hooks.failed');
    const hook = Object.values(world.workflow.status?.nodes ?? {}).find((n) => n.name === 'wf.hooks.succeeded');
    const exit = Object.values(world.workflow.status?.nodes ?? {}).find((n) => n.name === 'wf.onExit');
    expect(Date.parse(exit?.startedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(hook?.finishedAt ?? ''));
  });
});
