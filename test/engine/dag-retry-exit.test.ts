import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandOf, runWorkflow, workflowFrom } from './harness.js';

const diamond = (extra = '') =>
  workflowFrom(`
spec:
  entrypoint: diamond
  templates:
  - name: diamond
    dag:
      tasks:
      - {name: A, template: echo, arguments: {parameters: [{name: m, value: A}]}}
      - {name: B, dependencies: [A], template: echo, arguments: {parameters: [{name: m, value: B}]}}
      - {name: C, dependencies: [A], template: echo, arguments: {parameters: [{name: m, value: C}]}}
      - {name: D, dependencies: [B, C], template: echo, arguments: {parameters: [{name: m, value: "{{tasks.B.outputs.result}}+{{tasks.C.outputs.result}}"}]}}
${extra}
  - name: echo
    inputs: {parameters: [{name: m}]}
    container: {image: busybox, command: [echo, "{{inputs.parameters.m}}"]}
`);

describe('dag', () => {
  it('runs a diamond in dependency order, passing outputs, with Argo edges', () => {
    const run = runWorkflow(diamond(), (pod) => ({ exitCode: 0, result: commandOf(pod).slice(5) }));
    expect(run.workflow.status?.phase).toBe('Succeeded');
    expect(run.created.map(commandOf)).toEqual(['echo A', 'echo B', 'echo C', 'echo B+C']);
    const [a, b, c, d] = ['A', 'B', 'C', 'D'].map((n) => run.byDisplay(n));
    expect(run.workflow.status?.nodes?.wf?.children).toEqual([a!.id]);
    expect(a!.children).toEqual([b!.id, c!.id]);
    expect(b!.children).toEqual([d!.id]);
    expect(c!.children).toEqual([d!.id]);
    expect(run.workflow.status?.nodes?.wf?.outboundNodes).toEqual([d!.id]);
  });

  it('omits dependents of a failed task and fails the DAG', () => {
    const run = runWorkflow(diamond(), (pod) => ({ exitCode: commandOf(pod) === 'echo B' ? 1 : 0 }));
    expect(run.workflow.status?.phase).toBe('Failed');
    expect(run.byDisplay('D')).toMatchObject({ type: 'Skipped', phase: 'Omitted', message: 'omitted: depends condition not met' });
  });

  it('does not fail when a failure is consumed by depends (dag-enhanced-depends)', () => {
    const text = readFileSync(join(import.meta.dirname, 'fixtures', 'enhanced-depends.yaml'), 'utf8');
    const run = runWorkflow(workflowFrom(text), (pod) => ({ exitCode: commandOf(pod).includes('exit 1') ? 1 : 0 }));
    expect(run.workflow.status?.phase).toBe('Succeeded');
    expect(run.byDisplay('C').phase).toBe('Failed');
    expect(run.byDisplay('should-not-execute').phase).toBe('Omitted');
    expect(run.byDisplay('should-execute-1').phase).toBe('Succeeded');
    expect(run.byDisplay('should-execute-3').phase).toBe('Succeeded');
  });

  it('keeps the inputs a looped task started with while its pods run for several reconciles', () => {
    const wf = workflowFrom(`
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: fan, template: echo, arguments: {parameters: [{name: m, value: "{{item}}"}]}, withItems: [p, q]}
  - name: echo
    inputs: {parameters: [{name: m}]}
    container: {image: busybox, command: [echo, "{{inputs.parameters.m}}"]}
`);
    const run = runWorkflow(wf, () => ({ exitCode: 0, ticks: 3 }));
    expect(run.workflow.status?.phase).toBe('Succeeded');
    expect(run.created.map(commandOf)).toEqual(['echo p', 'echo q']);
    expect(run.byDisplay('fan(0:p)').inputs?.parameters?.[0]?.value).toBe('p');
  });

  it('runs only the targets and their ancestors', () => {
    const wf = diamond();
    wf.spec.templates![0]!.dag!.target = 'B';
    const run = runWorkflow(wf);
    expect(run.workflow.status?.phase).toBe('Succeeded');
    expect(run.created.map(commandOf)).toEqual(['echo A', 'echo B']);
  });
});

describe('retryStrategy', () => {
  const retrying = (strategy: string) =>
    workflowFrom(`
spec:
  entrypoint: flaky
  templates:
  - name: flaky
    retryStrategy: ${strategy}
    container: {image: busybox, command: [sh, -c, "exit {{retries}}"]}
`);

  it('retries up to limit and then says No more retries left', () => {
    const run = runWorkflow(retrying('{limit: 2}'), () => ({ exitCode: 1 }));
    expect(run.workflow.status?.phase).toBe('Failed');
    const retry = run.workflow.status?.nodes?.wf;
    expect(retry).toMatchObject({ type: 'Retry', phase: 'Failed', message: 'No more retries left' });
    expect(retry?.children?.map((id) => run.workflow.status?.nodes?.[id]?.displayName)).toEqual(['wf(0)', 'wf(1)', 'wf(2)']);
    expect(run.created.map(commandOf)).toEqual(['sh -c exit 0', 'sh -c exit 1', 'sh -c exit 2']);
  });

  it('stops at the first success and takes its outputs', () => {
    const run = runWorkflow(retrying('{limit: 5}'), (pod) => {
      const n = Number(commandOf(pod).slice(-1));
      return { exitCode: n < 2 ? 1 : 0, result: `try${n}` };
    });
    expect(run.workflow.status?.phase).toBe('Succeeded');
    expect(run.workflow.status?.nodes?.wf?.outputs?.result).toBe('try2');
  });

  it('waits out an exponential backoff between attempts (1s, 2s)', () => {
    const run = runWorkflow(retrying('{limit: 2, backoff: {duration: "1s", factor: 2}}'), () => ({ exitCode: 1 }));
    const attempts = (run.workflow.status?.nodes?.wf?.children ?? []).map((id) => run.workflow.status?.nodes?.[id]);
    const starts = attempts.map((a) => Date.parse(a!.startedAt!) / 1000);
    const ends = attempts.map((a) => Date.parse(a!.finishedAt!) / 1000);
    expect(starts[1]! - ends[0]!).toBeGreaterThanOrEqual(1);
    expect(starts[2]! - ends[1]!).toBeGreaterThanOrEqual(2);
    expect(run.workflow.status?.nodes?.wf?.message).toBe('No more retries left');
  });

  it('does not retry Error under OnFailure, and does under OnError', () => {
    const gone = () => ({ gone: 'pod deleted' });
    expect(runWorkflow(retrying('{limit: 2}'), gone).created).toHaveLength(1);
    expect(runWorkflow(retrying('{limit: 2, retryPolicy: OnError}'), gone).created).toHaveLength(3);
  });
});

describe('exit handlers', () => {
  it('runs spec.onExit after the entry node with workflow.status, and keeps the entry phase', () => {
    const wf = workflowFrom(`
spec:
  entrypoint: main
  onExit: bye
  templates:
  - name: main
    container: {image: busybox, command: ["false"]}
  - name: bye
    container: {image: busybox, command: [echo, "{{workflow.status}}"]}
`);
    const run = runWorkflow(wf, (pod) => ({ exitCode: commandOf(pod) === 'false' ? 1 : 0 }));
    expect(run.workflow.status?.phase).toBe('Failed');
    expect(run.created.map(commandOf)).toEqual(['false', 'echo Failed']);
    expect(run.byDisplay('wf.onExit')).toMatchObject({ phase: 'Succeeded', nodeFlag: { hooked: true } });
  });
});

describe('engine purity', () => {
  it('imports nothing that does I/O and reads no clock', () => {
    const dir = join(import.meta.dirname, '../../src/engine');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(join(dir, file), 'utf8');
      expect(text, file).not.toMatch(/from 'node:(fs|child_process|net|http|https|dgram|worker_threads|timers)/);
      expect(text, file).not.toMatch(/from '\.\.\/(runtime\/local|store|controller|cli|server)/);
      expect(text, file).not.toMatch(/Date\.now\(|new Date\(\)|setTimeout|setInterval|process\./);
    }
  });
});

describe('spec.activeDeadlineSeconds', () => {
  it('ends running pods with "Step exceeded its deadline", starts nothing new, and still runs the exit handler', () => {
    const wf = workflowFrom(`
spec:
  entrypoint: main
  activeDeadlineSeconds: 3
  onExit: bye
  templates:
  - name: main
    steps:
    - - {name: slow, template: sleep}
    - - {name: never, template: sleep}
  - name: sleep
    container: {image: busybox, command: [sleep, "60"]}
  - name: bye
    container: {image: busybox, command: [echo, "{{workflow.status}}"]}
`);
    const run = runWorkflow(wf, (pod) => ({ exitCode: 0, ticks: commandOf(pod).startsWith('sleep') ? 30 : 0 }));
    expect(run.workflow.status?.phase).toBe('Failed');
    expect(run.byDisplay('slow')).toMatchObject({ phase: 'Failed', message: 'Step exceeded its deadline' });
    expect(run.nodes.some((n) => n.displayName === 'never')).toBe(false);
    expect(run.actions.flat().some((a) => a.type === 'deletePod')).toBe(true);
    expect(run.created.map(commandOf)).toEqual(['sleep 60', 'echo Failed']);
    expect(run.byDisplay('wf.onExit').phase).toBe('Succeeded');
    const finished = Date.parse(run.workflow.status!.finishedAt!) - Date.parse(run.workflow.status!.startedAt!);
    expect(finished).toBeLessThan(10_000);
  });
});
