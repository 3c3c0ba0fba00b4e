// Synchronization in the pure engine: several workflows share one lock table, as they do in the
// controller; each World step is one reconcile followed by the controller's table sync.
import { describe, expect, it } from 'vitest';
import { testLocks, workflowFrom, World } from './harness.js';

function wf(name: string, sync: string, opts: { ticks?: number; template?: string; priority?: number } = {}): World {
  const yaml = `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
spec:
  entrypoint: main
  ${opts.priority !== undefined ? `priority: ${opts.priority}` : ''}
  ${sync ? `synchronization:\n${indent(sync, 4)}` : ''}
  templates:
${indent(opts.template ?? `- name: main\n  container: {image: alpine, command: [echo, ${name}]}`, 4)}
`;
  const world = new World(workflowFrom(yaml, name), () => ({ exitCode: 0, ticks: opts.ticks ?? 2 }));
  return world;
}

function indent(text: string, n: number): string {
  return text
    .split('\n')
    .map((l) => ' '.repeat(n) + l)
    .join('\n');
}

/** Steps every world once per round; returns, per round, which workflows had a running pod. */
function runAll(worlds: World[], rounds = 60): string[][] {
  const trace: string[][] = [];
  for (let i = 0; i < rounds; i++) {
    for (const w of worlds) if (!['Succeeded', 'Failed', 'Error'].includes(w.phase ?? '')) w.step();
    trace.push(worlds.filter((w) => w.pending.size > 0).map((w) => w.workflow.metadata.name ?? ''));
    if (worlds.every((w) => ['Succeeded', 'Failed', 'Error'].includes(w.phase ?? ''))) break;
  }
  return trace;
}

function share(worlds: World[], limits: Record<string, Record<string, string>> = {}): World[] {
  const locks = testLocks(limits);
  for (const w of worlds) w.locks = locks;
  return worlds;
}

const MUTEX = 'mutexes:\n- name: m';
const SEMAPHORE = 'semaphores:\n- configMapKeyRef: {name: my-config, key: workflow}';

describe('workflow-level locks', () => {
  it('a workflow waiting for a mutex is Pending with no nodes and Argo status, and starts when the holder ends', () => {
    const [a, b] = share([wf('wf1', MUTEX), wf('wf2', MUTEX)]) as [World, World];
    a.step();
    b.step();
    expect(a.workflow.status?.synchronization?.mutex?.holding).toEqual([{ mutex: 'argo/Mutex/m', holder: 'argo/wf1' }]);
    expect(b.phase).toBe('Pending');
    expect(b.workflow.status?.message).toBe('Waiting for argo/Mutex/m lock. Lock status: 0/1');
    expect(b.workflow.status?.nodes).toEqual({});
    expect(b.workflow.status?.synchronization?.mutex?.waiting).toEqual([{ mutex: 'argo/Mutex/m', holder: 'argo/wf1' }]);
    const trace = runAll([a, b]);
    expect(trace.every((running) => running.length <= 1)).toBe(true);
    expect([a.phase, b.phase]).toEqual(['Succeeded', 'Succeeded']);
    expect(a.workflow.status?.synchronization).toBeUndefined();
    expect(b.workflow.status?.synchronization).toBeUndefined();
  });

  it('a limit-2 semaphore runs two at a time, in submission order', () => {
    const worlds = share([1, 2, 3, 4, 5].map((n) => wf(`w${n}`, SEMAPHORE)), { 'argo/my-config': { workflow: '2' } });
    const trace = runAll(worlds);
    expect(Math.max(...trace.map((r) => r.length))).toBe(2);
    const firstRun = (name: string): number => trace.findIndex((r) => r.includes(name));
    expect([1, 2, 3, 4, 5].map((n) => firstRun(`w${n}`))).toEqual([...[1, 2, 3, 4, 5].map((n) => firstRun(`w${n}`))].sort((x, y) => x - y));
    expect(worlds.every((w) => w.phase === 'Succeeded')).toBe(true);
  });

  it('a bad limit fails the workflow with Argo message plus the reason', () => {
    const [a] = share([wf('wf1', SEMAPHORE)], { 'argo/my-config': { workflow: 'two' } }) as [World];
    a.step();
    expect(a.phase).toBe('Failed');
    expect(a.workflow.status?.message).toMatch(/^Failed to acquire the synchronization lock\. failed to initialize semaphore argo\/ConfigMap\/my-config\/workflow with limit: .*not an integer/);
    expect(a.workflow.status?.synchronization).toBeUndefined();
  });

  it('invalid references fail the workflow; an empty block runs normally', () => {
    const [bad] = share([wf('bad', 'semaphores:\n- {}')]) as [World];
    bad.step();
    expect(bad.workflow.status?.message).toBe('Failed to acquire the synchronization lock. requested configuration is invalid: cannot get LockName for a Semaphore without a ConfigMapRef or Database');
    const empty = wf('empty', 'semaphores: []');
    empty.run();
    expect(empty.phase).toBe('Succeeded');
    expect(empty.workflow.status?.synchronization).toBeUndefined();
  });

  it('the v3.5 singular syntax is never ignored', () => {
    const [a, b] = share([wf('wf1', 'semaphore: {configMapKeyRef: {name: my-config, key: workflow}}'), wf('wf2', 'semaphore: {configMapKeyRef: {name: my-config, key: workflow}}')], {
      'argo/my-config': { workflow: '1' },
    }) as [World, World];
    a.step();
    b.step();
    expect(b.phase).toBe('Pending');
    expect(b.workflow.status?.synchronization?.semaphore?.waiting?.[0]?.semaphore).toBe('argo/ConfigMap/my-config/workflow');
  });

  it('templated lock names use the workflow parameters', () => {
    const sync = 'mutexes:\n- name: "lock-{{workflow.parameters.env}}"';
    const make = (name: string, env: string): World => {
      const w = wf(name, sync);
      w.workflow.spec.arguments = { parameters: [{ name: 'env', value: env }] };
      return w;
    };
    const worlds = share([make('p1', 'prod'), make('p2', 'prod'), make('d1', 'dev')]);
    for (const w of worlds) w.step();
    expect(worlds.map((w) => w.phase)).toEqual(['Running', 'Pending', 'Running']);
    expect(worlds[0]?.workflow.status?.synchronization?.mutex?.holding?.[0]?.mutex).toBe('argo/Mutex/lock-prod');
  });

  it('terminate while waiting fails at once and leaves the queue; stop while waiting keeps waiting', () => {
    const [a, b, c] = share([wf('wf1', MUTEX, { ticks: 5 }), wf('wf2', MUTEX), wf('wf3', MUTEX)]) as [World, World, World];
    for (const w of [a, b, c]) w.step();
    b.workflow = { ...b.workflow, spec: { ...b.workflow.spec, shutdown: 'Terminate' } };
    b.step();
    expect(b.phase).toBe('Failed');
    expect(b.workflow.status?.message).toBe("Stopped with strategy 'Terminate'");
    expect(b.workflow.status?.nodes).toEqual({});
    expect(b.workflow.status?.synchronization).toBeUndefined();
    c.workflow = { ...c.workflow, spec: { ...c.workflow.spec, shutdown: 'Stop' } };
    c.step();
    expect(c.phase).toBe('Pending');
    runAll([a, c]);
    expect(a.phase).toBe('Succeeded');
    expect(c.phase).toBe('Failed');
  });
});

describe('template-level locks', () => {
  const fanOut = `- name: main
  steps:
  - - name: t
      template: t
      withItems: [1, 2, 3, 4, 5]
- name: t
  synchronization:
    semaphores:
    - configMapKeyRef: {name: my-config, key: template}
  container: {image: alpine, command: [echo]}`;

  it('caps parallel nodes at the limit; waiting nodes are Pending with Argo fields; all succeed', () => {
    const [w] = share([wf('fan', '', { template: fanOut })], { 'argo/my-config': { template: '2' } }) as [World];
    w.step();
    const waiting = Object.values(w.workflow.status?.nodes ?? {}).filter((n) => n.synchronizationStatus);
    expect(waiting).toHaveLength(3);
    expect(waiting[0]).toMatchObject({ phase: 'Pending', synchronizationStatus: { waiting: 'argo/ConfigMap/my-config/template' }, message: 'Waiting for argo/ConfigMap/my-config/template lock. Lock status: 0/2' });
    expect(w.phase).toBe('Running');
    const holders = w.workflow.status?.synchronization?.semaphore?.holding?.[0]?.holders ?? [];
    expect(holders).toHaveLength(2);
    expect(holders.every((h) => /^argo\/fan\/fan-\d+$/.test(h))).toBe(true);
    let peak = 0;
    for (let i = 0; i < 80 && w.phase === 'Running'; i++) {
      w.step();
      peak = Math.max(peak, w.pending.size);
    }
    expect(peak).toBe(2);
    expect(w.phase).toBe('Succeeded');
    expect(w.workflow.status?.synchronization).toBeUndefined();
  });

  it('a retried template holds its lock across attempts and backoff', () => {
    const template = `- name: main
  retryStrategy: {limit: 2}
  synchronization: {mutexes: [{name: r}]}
  container: {image: alpine, command: [flaky]}`;
    const a = new World(workflowFrom(wfYaml(template), 'retry'), (_pod, attempt) => ({ exitCode: attempt === 0 ? 1 : 0, ticks: 1 }));
    const b = wf('other', '', { template: `- name: main\n  synchronization: {mutexes: [{name: r}]}\n  container: {image: alpine, command: [echo]}` });
    share([a, b]);
    const trace = runAll([a, b]);
    const aDone = trace.findIndex((r) => !r.includes('retry') && a.created.length === 2);
    expect(a.created).toHaveLength(2);
    expect(trace.every((r) => !(r.includes('retry') && r.includes('other')))).toBe(true);
    expect(aDone).toBeGreaterThanOrEqual(0);
    expect([a.phase, b.phase]).toEqual(['Succeeded', 'Succeeded']);
  });

  it('the same mutex at workflow and template level fails the node instead of deadlocking', () => {
    const w = wf('self', MUTEX, { template: `- name: main\n  synchronization: {mutexes: [{name: m}]}\n  container: {image: alpine, command: [echo]}` });
    w.run();
    expect(w.phase).toBe('Error');
    const node = Object.values(w.workflow.status?.nodes ?? {})[0];
    expect(node?.phase).toBe('Error');
    expect(node?.message).toMatch(/already holds argo\/Mutex\/m at workflow level.*self-deadlock/);
  });

  it('terminating a workflow fails its waiting node and frees its queue entry', () => {
    const t = `- name: main\n  synchronization: {mutexes: [{name: m}]}\n  container: {image: alpine, command: [echo]}`;
    const [a, b, c] = share([wf('wf1', '', { template: t, ticks: 4 }), wf('wf2', '', { template: t }), wf('wf3', '', { template: t })]) as [World, World, World];
    for (const w of [a, b, c]) w.step();
    b.workflow = { ...b.workflow, spec: { ...b.workflow.spec, shutdown: 'Terminate' } };
    b.step();
    const node = Object.values(b.workflow.status?.nodes ?? {})[0];
    expect(node).toMatchObject({ phase: 'Failed', message: "Stopped with strategy 'Terminate'" });
    expect(b.phase).toBe('Failed');
    runAll([a, c]);
    expect(c.phase).toBe('Succeeded');
  });

  it('a node that waited for its lock runs on the inputs it was invoked with (steps visit it again with no arguments)', () => {
    const t = `- name: main
  steps:
  - - name: locked
      template: t
      arguments: {parameters: [{name: x, value: blue}]}
- name: t
  inputs: {parameters: [{name: x}]}
  synchronization: {mutexes: [{name: "lock-{{inputs.parameters.x}}"}]}
  container: {image: alpine, command: [echo, "{{inputs.parameters.x}}"]}`;
    const [a, b] = share([wf('in1', '', { template: t, ticks: 3 }), wf('in2', '', { template: t })]) as [World, World];
    a.step();
    b.step();
    const waiting = Object.values(b.workflow.status?.nodes ?? {}).find((n) => n.synchronizationStatus);
    expect(waiting?.inputs?.parameters).toEqual([{ name: 'x', value: 'blue' }]);
    runAll([a, b]);
    expect([a.phase, b.phase]).toEqual(['Succeeded', 'Succeeded']);
  });

  it('a steps template lock covers its whole subtree', () => {
    const t = `- name: main
  synchronization: {mutexes: [{name: s}]}
  steps:
  - - {name: one, template: leaf}
  - - {name: two, template: leaf}
- name: leaf
  container: {image: alpine, command: [echo]}`;
    const [a, b] = share([wf('s1', '', { template: t }), wf('s2', '', { template: t })]) as [World, World];
    const trace = runAll([a, b]);
    expect(trace.every((r) => r.length <= 1)).toBe(true);
    expect([a.phase, b.phase]).toEqual(['Succeeded', 'Succeeded']);
  });
});

function wfYaml(templates: string): string {
  return `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
spec:
  entrypoint: main
  templates:
${indent(templates, 4)}
`;
}

