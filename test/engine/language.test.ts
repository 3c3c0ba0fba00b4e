import { describe, expect, it } from 'vitest';
import { reconcile } from '../../src/engine/index.js';
import type { Action } from '../../src/engine/index.js';
import { commandOf, runWorkflow, testLocks, workflowFrom } from './harness.js';

/** Most pods in flight at once over a run: pods are requested, then finish `ticks` reconciles later. */
function peakConcurrency(actions: Action[][], ticks: number): number {
  const ends: number[] = [];
  let peak = 0;
  actions.forEach((batch, i) => {
    for (const a of batch) if (a.type === 'createPod') ends.push(i + ticks + 1);
    peak = Math.max(peak, ends.filter((end) => end > i).length);
  });
  return peak;
}

describe('parallelism', () => {
  it('spec.parallelism caps the pods of a workflow', () => {
    const wf = workflowFrom(`
spec:
  entrypoint: main
  parallelism: 1
  templates:
  - name: main
    steps:
    - - {name: a, template: work}
      - {name: b, template: work}
      - {name: c, template: work}
  - name: work
    container: {image: busybox, command: [sleep, "1"]}
`);
    const run = runWorkflow(wf, () => ({ exitCode: 0, ticks: 2 }));
    expect(run.workflow.status?.phase).toBe('Succeeded');
    expect(run.created).toHaveLength(3);
    const perReconcile = run.actions.map((batch) => new Set(batch.filter((a) => a.type === 'createPod').map((a) => (a.type === 'createPod' ? a.pod.name : ''))));
    const firstSeen = new Map<string, number>();
    perReconcile.forEach((names, i) => names.forEach((n) => firstSeen.has(n) || firstSeen.set(n, i)));
    expect(new Set(firstSeen.values()).size).toBe(3); // one new pod per wave, never two at once
  });

  it('template parallelism caps the children of one steps invocation', () => {
    const wf = workflowFrom(`
spec:
  entrypoint: main
  templates:
  - name: main
    parallelism: 2
    steps:
    - - {name: fan, template: work, withItems: [1, 2, 3, 4, 5]}
  - name: work
    container: {image: busybox, command: [sleep, "1"]}
`);
    const run = runWorkflow(wf, () => ({ exitCode: 0, ticks: 1 }));
    expect(run.workflow.status?.phase).toBe('Succeeded');
    expect(run.created).toHaveLength(5);
    const newPerReconcile = run.actions.map((batch) => batch.filter((a) => a.type === 'createPod').length);
    expect(Math.max(...newPerReconcile)).toBeLessThanOrEqual(2);
    expect(peakConcurrency(run.actions, 1)).toBeLessThanOrEqual(2);
  });
});

describe('template deadlines', () => {
  it('gives the pod the smaller of activeDeadlineSeconds and timeout', () => {
    const wf = workflowFrom(`
spec:
  entrypoint: main
  templates:
  - name: main
    activeDeadlineSeconds: 30
    timeout: 5s
    container: {image: busybox, command: [sleep, "60"]}
`);
    const first = reconcile({ workflow: wf, observed: new Map(), now: new Date('2026-01-01T00:00:00Z'), config: { namespace: 'argo' }, locks: testLocks() });
    const create = first.actions.find((a) => a.type === 'createPod');
    expect(create?.type === 'createPod' && create.pod.activeDeadlineSeconds).toBe(5);
  });

  it('fails the node with the runtime message when the pod hits its deadline', () => {
    const wf = workflowFrom(`
spec:
  entrypoint: main
  templates:
  - name: main
    activeDeadlineSeconds: 2
    container: {image: busybox, command: [sleep, "60"]}
`);
    const run = runWorkflow(wf, () => ({ gone: 'Pod was active on the node longer than the specified deadline' }));
    expect(run.workflow.status?.phase).toBe('Failed');
    expect(run.workflow.status?.message).toBe('Pod was active on the node longer than the specified deadline');
  });
});

describe('retry expressions', () => {
  it('stops retrying when the expression over lastRetry is false', () => {
    const wf = workflowFrom(`
spec:
  entrypoint: main
  templates:
  - name: main
    retryStrategy:
      limit: 10
      expression: "asInt(lastRetry.exitCode) > 1"
    container: {image: busybox, command: [sh, -c, "exit {{retries}}"]}
`);
    // Attempt n exits with n+2, until the third attempt exits 1: the expression is false, no more retries.
    const run = runWorkflow(wf, (pod) => ({ exitCode: Number(commandOf(pod).slice(-1)) === 2 ? 1 : 2 }));
    expect(run.workflow.status?.phase).toBe('Failed');
    expect(run.created).toHaveLength(3);
    expect(run.workflow.status?.nodes?.wf?.message).toBe('retryStrategy.expression evaluated to false');
  });
});

describe('exit handler variables and global outputs', () => {
  it('passes workflow.failures as JSON and exports globalName outputs to status.outputs', () => {
    const wf = workflowFrom(`
spec:
  entrypoint: main
  onExit: report
  templates:
  - name: main
    steps:
    - - {name: produce, template: produce}
    - - {name: break, template: break, continueOn: {failed: true}}
  - name: produce
    outputs:
      parameters:
      - {name: colour, globalName: favourite, valueFrom: {path: /tmp/c}}
    container: {image: busybox, command: [echo]}
  - name: break
    container: {image: busybox, command: ["false"]}
  - name: report
    container: {image: busybox, command: [echo, "{{workflow.status}} {{workflow.outputs.parameters.favourite}} {{workflow.failures}}"]}
`);
    const run = runWorkflow(wf, (pod) => ({ exitCode: commandOf(pod) === 'false' ? 1 : 0, outputs: { colour: 'green' } }));
    expect(run.workflow.status?.phase).toBe('Succeeded');
    expect(run.workflow.status?.outputs?.parameters).toEqual([{ name: 'favourite', value: 'green' }]);
    const report = commandOf(run.created[run.created.length - 1]!);
    expect(report.startsWith('echo Succeeded green ')).toBe(true);
    const failures = JSON.parse(report.slice('echo Succeeded green '.length)) as { displayName: string; phase: string; message: string }[];
    expect(failures).toEqual([expect.objectContaining({ displayName: 'break', phase: 'Failed', message: 'Error (exit code 1)' })]);
  });
});

describe('skipped producers', () => {
  it('offers the producer output default, then the consumer input default', () => {
    const wf = workflowFrom(`
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: producer, template: producer, when: "false"}
      - {name: plain, template: plain, when: "false"}
    - - name: with-default
        template: consume
        arguments: {parameters: [{name: v, value: "{{steps.producer.outputs.parameters.out}}"}]}
      - name: input-default
        template: consume
        arguments: {parameters: [{name: v, value: "{{steps.plain.outputs.result}}"}]}
  - name: producer
    outputs: {parameters: [{name: out, valueFrom: {path: /tmp/out, default: from-producer}}]}
    container: {image: busybox, command: [echo]}
  - name: plain
    container: {image: busybox, command: [echo]}
  - name: consume
    inputs: {parameters: [{name: v, default: from-input}]}
    container: {image: busybox, command: [echo, "{{inputs.parameters.v}}"]}
`);
    const run = runWorkflow(wf);
    expect(run.workflow.status?.phase).toBe('Succeeded');
    expect(run.created.map(commandOf).sort()).toEqual(['echo from-input', 'echo from-producer']);
  });
});
