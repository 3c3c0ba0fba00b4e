// Daemon steps and tasks (`daemon: true`) in the pure engine: a daemon is fulfilled for what comes
// after it once its pod runs and its readiness probes passed, its IP is in scope, and it is killed
// (pod deleted, node Succeeded) when its steps/DAG scope ends. Pods play scripted observations.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DAEMON_SCOPE_ENDED } from '../../src/engine/daemon.js';
import { shutdownWorkflow } from '../../src/engine/operations.js';
import type { PodObservation, PodSpec } from '../../src/runtime/types.js';
import type { NodeStatus } from '../../src/spec/types.js';
import { workflowFrom } from './harness.js';
import { PodWorld, exited, finishedPod, running, runningPod, type PodScript } from './pod-world.js';

const EXAMPLES = process.env['ARGOT_EXAMPLES'] ?? join(import.meta.dirname, '..', '..', '..', 'shared', 'argo-examples');
const example = (file: string): ReturnType<typeof workflowFrom> => workflowFrom(readFileSync(`${EXAMPLES}/${file}`, 'utf8'));
/** Tests that run Argo's daemon examples: skipped, with a note, where ../shared is absent. */
const examplesPresent = existsSync(EXAMPLES);
if (!examplesPresent) console.warn(`skipped: the daemon examples tests need the Argo examples corpus at ${EXAMPLES}`);
const withExamples = it.skipIf(!examplesPresent);

type Observation = Partial<PodObservation>;
const ready = (): PodObservation['containers'][string] => ({ state: 'running', startedAt: '2026-01-01T00:00:00Z', ready: true });

/** A daemon: `notReady` observations running without readiness, then ready; `then` (if given) follows, e.g. a death. */
function daemonLife(notReady: number, then: Observation[] = []): Observation[] {
  const out: Observation[] = [runningPod({})];
  for (let i = 0; i < notReady; i++) out.push(runningPod({ main: running() }));
  out.push(runningPod({ main: ready() }));
  return [...out, ...then];
}

const succeeds: Observation[] = [runningPod({ main: running() }), finishedPod('Succeeded', { main: exited(0) })];

/** Pod names are `wf-<template>-<hash>`. */
const ofTemplate = (pod: PodSpec, template: string): boolean => new RegExp(`^wf-${template}-\\d+$`).test(pod.name);

/** Pods by template name (from the pod name `wf-<template>-<hash>`), with a per-template attempt counter. */
function byTemplate(scripts: Record<string, (attempt: number) => Observation[]>): PodScript {
  const attempts = new Map<string, number>();
  return (pod) => {
    const template = Object.keys(scripts).find((t) => ofTemplate(pod, t));
    if (!template) return succeeds;
    const n = attempts.get(template) ?? 0;
    attempts.set(template, n + 1);
    return scripts[template]?.(n) ?? succeeds;
  };
}

const mainOf = (pod: PodSpec) => pod.containers.find((c) => c.name === 'main');
const deletions = (world: PodWorld) => world.actions.flat().filter((a) => a.type === 'deletePod');
const byDisplay = (world: PodWorld, name: string): NodeStatus => {
  const found = world.nodes.filter((n) => n.displayName === name);
  if (found.length !== 1) throw new Error(`expected one node ${name}, found ${found.length}`);
  return found[0] as NodeStatus;
};
const podsOf = (world: PodWorld, template: string) => world.created.filter((p) => ofTemplate(p, template));

describe('daemon steps', () => {
  withExamples('daemon-nginx: the client waits for readiness, reaches {{steps.nginx-server.ip}}, and the daemon is killed when the steps end', () => {
    const world = new PodWorld(example('daemon-nginx.yaml'), byTemplate({ 'nginx-server': () => daemonLife(2) }));
    world.run((w) => w.nodes.some((n) => n.displayName === 'nginx-server'));
    const server = podsOf(world, 'nginx-server')[0] as PodSpec;
    // The probe goes to the runtime with its timings; nothing else in the pod is probed.
    expect(mainOf(server)?.readinessProbe).toEqual({ httpGet: { port: 80, path: '/' }, initialDelaySeconds: 2, timeoutSeconds: 1 });

    // Running but not ready: not daemoned, and the next group does not start.
    world.step().step().step();
    expect(byDisplay(world, 'nginx-server')).toMatchObject({ phase: 'Running', podIP: '127.0.0.1' });
    expect(byDisplay(world, 'nginx-server').daemoned).toBeUndefined();
    expect(podsOf(world, 'nginx-client')).toHaveLength(0);

    world.run((w) => w.nodes.some((n) => n.displayName === 'nginx-client'));
    expect(byDisplay(world, 'nginx-server')).toMatchObject({ phase: 'Running', daemoned: true });
    expect(byDisplay(world, '[0]').phase).toBe('Succeeded');
    const client = podsOf(world, 'nginx-client')[0] as PodSpec;
    expect(mainOf(client)?.args?.[0]).toContain('curl --silent -G http://127.0.0.1:80/');

    world.run();
    expect(world.phase).toBe('Succeeded');
    const serverNode = byDisplay(world, 'nginx-server');
    expect(serverNode.phase).toBe('Succeeded');
    expect(serverNode.daemoned).toBeUndefined();
    expect(serverNode.finishedAt).toBeDefined();
    expect(deletions(world)).toEqual([{ type: 'deletePod', pod: server.name, reason: DAEMON_SCOPE_ENDED }]);
    expect(world.unfinished()).toEqual([]);
  });

  it('a daemon without a readinessProbe is daemoned as soon as its main container runs', () => {
    const wf = workflowFrom(`
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: server, template: server}
    - - {name: client, template: client, arguments: {parameters: [{name: ip, value: "{{steps.server.ip}}"}]}}
  - name: server
    daemon: true
    container: {image: busybox, command: [sh, -c, "sleep 1000"]}
  - name: client
    inputs: {parameters: [{name: ip}]}
    container: {image: busybox, command: [echo, "{{inputs.parameters.ip}}"]}
`);
    const world = new PodWorld(wf, byTemplate({ server: () => [runningPod({}), runningPod({ main: running() })] }));
    world.run();
    expect(world.phase).toBe('Succeeded');
    expect(mainOf(podsOf(world, 'server')[0] as PodSpec)?.readinessProbe).toBeUndefined();
    expect(mainOf(podsOf(world, 'client')[0] as PodSpec)?.command).toEqual(['echo', '127.0.0.1']);
    expect(byDisplay(world, 'server').phase).toBe('Succeeded');
    expect(deletions(world)).toHaveLength(1);
  });

  withExamples('daemon-step: producers run in parallel against the daemon; every pod of the workflow ends', () => {
    const world = new PodWorld(example('daemon-step.yaml'), byTemplate({ influxdb: () => daemonLife(1) }));
    world.run();
    expect(world.phase).toBe('Succeeded');
    expect(podsOf(world, 'influxdb-client')).toHaveLength(5);
    for (const pod of podsOf(world, 'influxdb-client')) expect(mainOf(pod)?.args?.[0]).toContain('http://127.0.0.1:8086/');
    expect(byDisplay(world, 'influx')).toMatchObject({ phase: 'Succeeded' });
    expect(deletions(world).map((a) => a.pod)).toEqual(podsOf(world, 'influxdb').map((p) => p.name));
    expect(world.unfinished()).toEqual([]);
  });

  withExamples('a daemon that dies before it is ready fails its group: the client never runs', () => {
    const world = new PodWorld(
      example('daemon-nginx.yaml'),
      byTemplate({ 'nginx-server': () => [runningPod({ main: running() }), finishedPod('Failed', { main: exited(1) })] }),
    );
    world.run();
    expect(world.phase).toBe('Failed');
    expect(byDisplay(world, 'nginx-server')).toMatchObject({ phase: 'Failed', message: 'Error (exit code 1)' });
    expect(podsOf(world, 'nginx-client')).toHaveLength(0);
    expect(deletions(world)).toEqual([]);
  });

  it('a daemon that dies on its own after it was ready ends with its real phase and fails its scope', () => {
    const wf = workflowFrom(`
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: server, template: server}
    - - {name: client, template: client}
  - name: server
    daemon: true
    container: {image: busybox, command: [sh, -c, "sleep 1000"]}
  - name: client
    container: {image: busybox, command: [sh, -c, "sleep 5"]}
`);
    const world = new PodWorld(
      wf,
      byTemplate({
        server: () => daemonLife(0, [runningPod({ main: ready() }), finishedPod('Failed', { main: exited(2) })]),
        client: () => [runningPod({ main: running() }), runningPod({ main: running() }), runningPod({ main: running() }), finishedPod('Succeeded', { main: exited(0) })],
      }),
    );
    world.run((w) => w.nodes.some((n) => n.displayName === 'server' && n.phase === 'Failed'));
    expect(byDisplay(world, 'server')).toMatchObject({ phase: 'Failed', message: 'Error (exit code 2)' });
    expect(byDisplay(world, 'server').daemoned).toBeUndefined();
    // The client keeps running; the scope ends (failed) once it is done.
    expect(byDisplay(world, 'client').phase).toBe('Running');
    world.run();
    expect(byDisplay(world, 'client').phase).toBe('Succeeded');
    expect(world.phase).toBe('Failed');
    expect(world.workflow.status?.message).toBe(`child '${byDisplay(world, 'server').id}' failed`);
    expect(deletions(world)).toEqual([]);
  });

  it('a daemon in a nested steps template is killed when that template ends, before the outer steps go on', () => {
    const wf = workflowFrom(`
spec:
  entrypoint: outer
  templates:
  - name: outer
    steps:
    - - {name: inner, template: inner}
    - - {name: after, template: client}
  - name: inner
    steps:
    - - {name: server, template: server}
    - - {name: client, template: client}
  - name: server
    daemon: true
    container:
      image: busybox
      command: [sh, -c, "sleep 1000"]
      ports: [{name: web, containerPort: 8080}]
      readinessProbe: {tcpSocket: {port: web}, periodSeconds: 1}
  - name: client
    container: {image: busybox, command: [echo, hi]}
`);
    const world = new PodWorld(wf, byTemplate({ server: () => daemonLife(1) }));
    world.run((w) => w.nodes.some((n) => n.displayName === 'after'));
    expect(mainOf(podsOf(world, 'server')[0] as PodSpec)?.readinessProbe).toEqual({ tcpSocket: { port: 8080 }, periodSeconds: 1 });
    expect(byDisplay(world, 'inner').phase).toBe('Succeeded');
    expect(byDisplay(world, 'server').phase).toBe('Succeeded');
    expect(deletions(world)).toHaveLength(1);
    world.run();
    expect(world.phase).toBe('Succeeded');
  });

  it('a sidecar with a readinessProbe must pass it too', () => {
    const wf = workflowFrom(`
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: server, template: server}
    - - {name: client, template: client}
  - name: server
    daemon: true
    container: {image: busybox, command: [sh, -c, "sleep 1000"]}
    sidecars:
    - name: proxy
      image: busybox
      command: [sh, -c, "sleep 1000"]
      readinessProbe: {exec: {command: [cat, /tmp/ready]}}
  - name: client
    container: {image: busybox, command: [echo, hi]}
`);
    const world = new PodWorld(
      wf,
      byTemplate({ server: () => [runningPod({ main: running(), proxy: running() }), runningPod({ main: running(), proxy: running() }), runningPod({ main: running(), proxy: ready() })] }),
    );
    world.step().step().step();
    expect(podsOf(world, 'server')[0]?.containers.find((c) => c.name === 'proxy')?.readinessProbe).toEqual({ exec: { command: ['cat', '/tmp/ready'] } });
    expect(byDisplay(world, 'server').daemoned).toBeUndefined();
    world.run();
    expect(world.phase).toBe('Succeeded');
    expect(podsOf(world, 'client')).toHaveLength(1);
  });

  withExamples('a workflow stopped while a daemon lives kills it like any pod', () => {
    const world = new PodWorld(
      example('daemon-nginx.yaml'),
      byTemplate({ 'nginx-server': () => daemonLife(0), 'nginx-client': () => [runningPod({ main: running() })] }),
    );
    world.run((w) => w.nodes.some((n) => n.displayName === 'nginx-client' && n.phase === 'Running'));
    world.workflow = shutdownWorkflow(world.workflow, 'Stop');
    world.run();
    expect(world.phase).toBe('Failed');
    const server = byDisplay(world, 'nginx-server');
    expect(server).toMatchObject({ phase: 'Failed', message: 'workflow shutdown with strategy: Stop' });
    expect(server.daemoned).toBeUndefined();
    expect(deletions(world).map((a) => a.pod).sort()).toEqual([...podsOf(world, 'nginx-server'), ...podsOf(world, 'nginx-client')].map((p) => p.name).sort());
    expect(world.unfinished()).toEqual([]);
  });

  it('a workflow whose entrypoint is a daemon ends once it is ready, its pod killed', () => {
    const wf = workflowFrom(`
spec:
  entrypoint: server
  templates:
  - name: server
    daemon: true
    container: {image: busybox, command: [sh, -c, "sleep 1000"], readinessProbe: {httpGet: {port: "8080"}}}
`);
    const world = new PodWorld(wf, () => daemonLife(1));
    world.run();
    expect(world.phase).toBe('Succeeded');
    expect(world.node('wf')).toMatchObject({ phase: 'Succeeded', type: 'Pod' });
    expect(deletions(world)).toEqual([{ type: 'deletePod', pod: 'wf', reason: DAEMON_SCOPE_ENDED }]);
  });
});

describe('daemon tasks', () => {
  withExamples('dag-daemon-task: a bare `depends` on a daemon is met once it is ready; {{tasks.influx.ip}} resolves; killed at the end', () => {
    const world = new PodWorld(example('dag-daemon-task.yaml'), byTemplate({ influxdb: () => daemonLife(2) }));
    world.step().step().step();
    expect(byDisplay(world, 'influx').daemoned).toBeUndefined();
    expect(podsOf(world, 'influxdb-client')).toHaveLength(0);
    world.run();
    expect(world.phase).toBe('Succeeded');
    expect(podsOf(world, 'influxdb-client')).toHaveLength(5);
    for (const pod of podsOf(world, 'influxdb-client')) expect(mainOf(pod)?.args?.[0]).toContain('http://127.0.0.1:8086/');
    expect(byDisplay(world, 'influx').phase).toBe('Succeeded');
    expect(deletions(world).map((a) => a.pod)).toEqual(podsOf(world, 'influxdb').map((p) => p.name));
    expect(world.unfinished()).toEqual([]);
  });

  it('`.Daemoned` holds for a ready daemon; `.Succeeded` does not, so that task is omitted', () => {
    const wf = workflowFrom(`
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: server, template: server}
      - {name: on-daemon, depends: server.Daemoned, template: client}
      - {name: on-success, depends: server.Succeeded, template: client}
  - name: server
    daemon: true
    container: {image: busybox, command: [sh, -c, "sleep 1000"]}
  - name: client
    container: {image: busybox, command: [echo, hi]}
`);
    const world = new PodWorld(wf, byTemplate({ server: () => daemonLife(0) }));
    world.run();
    expect(world.phase).toBe('Succeeded');
    expect(byDisplay(world, 'on-daemon').phase).toBe('Succeeded');
    expect(byDisplay(world, 'on-success').phase).toBe('Omitted');
    expect(byDisplay(world, 'server').phase).toBe('Succeeded');
  });

  it('a daemon task that dies after its dependents started fails the DAG', () => {
    const wf = workflowFrom(`
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: server, template: server}
      - {name: client, depends: server, template: client}
  - name: server
    daemon: true
    container: {image: busybox, command: [sh, -c, "sleep 1000"]}
  - name: client
    container: {image: busybox, command: [sh, -c, "sleep 5"]}
`);
    const world = new PodWorld(
      wf,
      byTemplate({
        server: () => daemonLife(0, [finishedPod('Failed', { main: exited(137) })]),
        client: () => [runningPod({ main: running() }), runningPod({ main: running() }), runningPod({ main: running() }), finishedPod('Succeeded', { main: exited(0) })],
      }),
    );
    world.run();
    expect(world.phase).toBe('Failed');
    expect(byDisplay(world, 'server')).toMatchObject({ phase: 'Failed', message: 'Error (exit code 137)' });
    expect(byDisplay(world, 'client').phase).toBe('Succeeded');
    expect(deletions(world)).toEqual([]);
  });

  it('daemons among loop items: the TaskGroup is done for its dependents while they live, and ends with them', () => {
    const wf = workflowFrom(`
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: servers, template: server, withItems: [a, b]}
      - {name: client, depends: servers, template: client}
  - name: server
    daemon: true
    container: {image: busybox, command: [sh, -c, "sleep 1000"]}
  - name: client
    container: {image: busybox, command: [echo, hi]}
`);
    const world = new PodWorld(wf, byTemplate({ server: () => daemonLife(1) }));
    world.run();
    expect(world.phase).toBe('Succeeded');
    expect(byDisplay(world, 'servers')).toMatchObject({ type: 'TaskGroup', phase: 'Succeeded' });
    expect(byDisplay(world, 'servers').daemoned).toBeUndefined();
    expect(deletions(world)).toHaveLength(2);
    expect(world.unfinished()).toEqual([]);
  });
});

describe('daemons with retryStrategy', () => {
  withExamples('steps-daemon-retry-strategy: the Retry node is daemoned with its attempt; a daemon that dies is retried; both end Succeeded', () => {
    const world = new PodWorld(
      example('steps-daemon-retry-strategy.yaml'),
      byTemplate({
        // The first server dies once the clients run; the second one lives until the scope ends.
        server: (n) => (n === 0 ? daemonLife(0, [runningPod({ main: ready() }), finishedPod('Failed', { main: exited(1) })]) : daemonLife(1)),
      }),
    );
    world.run((w) => w.nodes.some((n) => n.displayName === 'server(0)' && n.daemoned === true));
    expect(byDisplay(world, 'server')).toMatchObject({ type: 'Retry', phase: 'Running', daemoned: true });
    world.run((w) => w.nodes.some((n) => n.displayName === 'server(1)'));
    expect(byDisplay(world, 'server(0)')).toMatchObject({ phase: 'Failed' });
    // The new attempt is not ready yet: the Retry node is no longer daemoned.
    expect(byDisplay(world, 'server').daemoned).toBeUndefined();
    world.run();
    expect(world.phase).toBe('Succeeded');
    expect(byDisplay(world, 'server')).toMatchObject({ type: 'Retry', phase: 'Succeeded' });
    expect(byDisplay(world, 'server(1)')).toMatchObject({ phase: 'Succeeded' });
    expect(byDisplay(world, 'server').daemoned).toBeUndefined();
    expect(world.nodes.filter((n) => n.displayName.startsWith('client('))).toHaveLength(10);
    expect(deletions(world).map((a) => a.pod)).toEqual([podsOf(world, 'server')[1]?.name]);
    expect(world.unfinished()).toEqual([]);
  });

  it('a retried daemon with inputs: later attempts run on the arguments the first one was given', () => {
    const wf = workflowFrom(`
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: server, template: server, arguments: {parameters: [{name: port, value: "8080"}]}}
    - - {name: client, template: client, arguments: {parameters: [{name: url, value: "http://{{steps.server.ip}}:8080/"}]}}
  - name: server
    daemon: true
    retryStrategy: {limit: "{{inputs.parameters.port}}"}
    inputs: {parameters: [{name: port}]}
    container:
      image: busybox
      command: [sh, -c, "serve {{inputs.parameters.port}}"]
      readinessProbe: {httpGet: {port: "{{inputs.parameters.port}}"}}
  - name: client
    inputs: {parameters: [{name: url}]}
    container: {image: busybox, command: [wget, "{{inputs.parameters.url}}"]}
`);
    const world = new PodWorld(wf, byTemplate({ server: (n) => (n === 0 ? [runningPod({ main: running() }), finishedPod('Failed', { main: exited(1) })] : daemonLife(0)) }));
    world.run();
    expect(world.phase).toBe('Succeeded');
    const servers = podsOf(world, 'server');
    expect(servers.map((p) => mainOf(p)?.command)).toEqual([
      ['sh', '-c', 'serve 8080'],
      ['sh', '-c', 'serve 8080'],
    ]);
    expect(mainOf(servers[1] as PodSpec)?.readinessProbe).toEqual({ httpGet: { port: 8080 } });
    expect(mainOf(podsOf(world, 'client')[0] as PodSpec)?.command).toEqual(['wget', 'http://127.0.0.1:8080/']);
  });

  withExamples('dag-daemon-retry-strategy: dependents start once the retried daemon is ready; nothing is left running', () => {
    const world = new PodWorld(
      example('dag-daemon-retry-strategy.yaml'),
      byTemplate({ server: (n) => (n === 0 ? [runningPod({ main: running() }), finishedPod('Failed', { main: exited(1) })] : daemonLife(1)) }),
    );
    world.run();
    expect(world.phase).toBe('Succeeded');
    expect(byDisplay(world, 'server(0)').phase).toBe('Failed');
    expect(byDisplay(world, 'server(1)').phase).toBe('Succeeded');
    expect(byDisplay(world, 'server').phase).toBe('Succeeded');
    const clients = podsOf(world, 'client');
    expect(clients).toHaveLength(6);
    for (const pod of clients) expect(mainOf(pod)?.args?.[0]).toContain('http://127.0.0.1:80/');
    expect(deletions(world).map((a) => a.pod)).toEqual([podsOf(world, 'server')[1]?.name]);
    expect(world.unfinished()).toEqual([]);
  });
});

describe('daemons and template locks', () => {
  it("a daemon's template mutex goes once the daemon is ready (Argo's Fulfilled), not at scope end", () => {
    const wf = workflowFrom(`
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: server, template: server}
    - - {name: client, template: client}
  - name: server
    daemon: true
    synchronization: {mutexes: [{name: d}]}
    container: {image: alpine, command: [sh, -c, "serve"]}
  - name: client
    container: {image: alpine, command: [sh, -c, "call"]}
`);
    const world = new PodWorld(wf, byTemplate({ server: () => daemonLife(1), client: () => [runningPod({ main: running() }), runningPod({ main: running() }), finishedPod('Succeeded', { main: exited(0) })] }));
    world.run((w) => w.nodes.some((n) => n.displayName === 'server' && n.daemoned === true));
    world.step();
    // Ready: the daemon still runs, but holds its lock no more; the client runs meanwhile.
    expect(byDisplay(world, 'server')).toMatchObject({ phase: 'Running', daemoned: true });
    expect(world.workflow.status?.synchronization).toBeUndefined();
    expect(world.locks.holdersOfLock({ kind: 'mutex', id: 'argo/Mutex/d' }) ?? []).toEqual([]);
    world.run();
    expect(world.phase).toBe('Succeeded');
  });
});
