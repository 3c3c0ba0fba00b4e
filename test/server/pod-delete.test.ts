// ContainerSets and pod loss end to end: argot's server (in-process, on a port) over the real
// controller and the real local runtime, pods deleted through `argot pod delete` and the API's
// DELETE …/pods/{pod} (spec/containerset.md §1, §2; scenarios CS-02/04, PD-01/04/05/06/12).
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Controller } from '../../src/controller/controller.js';
import { StoreTemplateService } from '../../src/controller/template-service.js';
import { ControllerWorkflowService } from '../../src/controller/workflow-service.js';
import { nodeId, podName } from '../../src/engine/index.js';
import { createLocalRuntime, type LocalPodRuntime } from '../../src/runtime/local/index.js';
import { processesOfPod } from '../../src/runtime/local/proc-scan.js';
import { ControllerMetrics } from '../../src/server/metrics.js';
import { createServer, listen } from '../../src/server/server.js';
import type { NodeStatus, Workflow } from '../../src/spec/types.js';
import { createMemoryStore } from '../../src/store/memory/index.js';
import { run } from '../cli-remote/harness.js';

interface RealStack {
  url: string;
  workflows: ControllerWorkflowService;
  runtime: LocalPodRuntime;
  controller: Controller;
  errors: string[];
  close(): Promise<void>;
}

async function startRealStack(dataDir: string): Promise<RealStack> {
  const store = createMemoryStore();
  const runtime = await createLocalRuntime({ dataDir, warn: () => undefined, sidecarGraceSeconds: 1 });
  const errors: string[] = [];
  const log = { info: () => undefined, warn: () => undefined, error: (m: string) => void errors.push(m) };
  const metrics: ControllerMetrics = new ControllerMetrics({ store, queueDepth: () => controller.queueDepth });
  const controller = new Controller({ store, runtime, engine: { namespace: 'default' }, log, resyncMs: 500 });
  await controller.start();
  const workflows = new ControllerWorkflowService({ controller, logPath: (_ns, _wf, pod, container) => runtime.logPath(pod, container) });
  const app = createServer({ workflows, templates: new StoreTemplateService(store), store, version: 'v0.0.0-test', metrics, auth: { mode: 'none' }, log });
  const { url } = await listen(app, { port: 0 });
  return {
    url,
    workflows,
    runtime,
    controller,
    errors,
    async close() {
      await app.close();
      await controller.stop();
      await runtime.close();
      await store.close();
    },
  };
}

let dir: string;
let gate: string;
let s: RealStack;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'argot-poddel-'));
  gate = join(dir, 'gate');
  await import('node:fs/promises').then((fs) => fs.mkdir(gate));
  s = await startRealStack(join(dir, 'data'));
});

afterEach(async () => {
  // Let any test's gated containers go, then stop everything.
  writeFileSync(join(gate, 'go'), '');
  await s.close();
  rmSync(dir, { recursive: true, force: true });
});

const argot = (...args: string[]) => run(args, { server: s.url });

/**
 * F-CS3 (spec §7.0): a -> b -> main sharing an emptyDir at /ws; `b` marks that it started and
 * waits for the gate file `go`; main's stdout and /ws/log are the template's outputs.
 */
function cs3(name: string, opts: { retry?: string; dag?: boolean; mutex?: string } = {}): Workflow {
  const cs = {
    name: 'cs',
    volumes: [
      { name: 'ws', emptyDir: {} },
      { name: 'gate', hostPath: { path: gate } },
    ],
    ...(opts.retry ? { retryStrategy: JSON.parse(opts.retry) as Record<string, unknown> } : {}),
    outputs: { parameters: [{ name: 'log', valueFrom: { path: '/ws/log' } }] },
    containerSet: {
      volumeMounts: [
        { name: 'ws', mountPath: '/ws' },
        { name: 'gate', mountPath: '/gate' },
      ],
      containers: [
        { name: 'a', image: 'alpine', command: ['sh', '-c'], args: ['echo a > /ws/log'] },
        {
          name: 'b',
          image: 'alpine',
          dependencies: ['a'],
          command: ['sh', '-c'],
          args: ['touch /gate/$ARGO_POD_NAME.b; while [ ! -f /gate/go ]; do sleep 0.05; done; echo b >> /ws/log'],
        },
        { name: 'main', image: 'alpine', dependencies: ['b'], command: ['sh', '-c'], args: ['echo main >> /ws/log; cat /ws/log'] },
      ],
    },
  };
  const templates = opts.dag
    ? [
        {
          name: 'main',
          dag: {
            tasks: [
              { name: 'A', template: 'cs' },
              { name: 'B', template: 'echo', dependencies: ['A'], arguments: { parameters: [{ name: 'log', value: '{{tasks.A.outputs.parameters.log}}' }] } },
            ],
          },
        },
        cs,
        { name: 'echo', inputs: { parameters: [{ name: 'log' }] }, container: { image: 'alpine', command: ['sh', '-c'], args: ['echo "got {{inputs.parameters.log}}"'] } },
      ]
    : [cs];
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: { name, namespace: 'default' },
    spec: { entrypoint: opts.dag ? 'main' : 'cs', templates, ...(opts.mutex ? { synchronization: { mutexes: [{ name: opts.mutex }] } } : {}) },
  } as unknown as Workflow;
}

async function waitUntil<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await get();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}: ${JSON.stringify(value, null, 1).slice(0, 3000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const nodesOf = (wf: Workflow): NodeStatus[] => Object.values(wf.status?.nodes ?? {});
function node(wf: Workflow, name: string): NodeStatus {
  const found = nodesOf(wf).find((n) => n.name === name);
  if (!found) throw new Error(`no node ${name}: ${nodesOf(wf).map((n) => n.name).join(', ')}`);
  return found;
}

/** Waits until `b` of the pod node `podNode` runs its command (its marker exists and `a` is done). */
async function untilBRuns(wf: string, podNode: string): Promise<string> {
  const current = await waitUntil(
    `${podNode} runs b`,
    () => s.workflows.get('default', wf),
    (w) => nodesOf(w).some((n) => n.name === `${podNode}.a` && n.phase === 'Succeeded'),
  );
  const pod = podName(wf, podNode, node(current, podNode).templateName);
  await waitUntil(`${pod} marked b`, async () => existsSync(join(gate, `${pod}.b`)), (v) => v);
  return pod;
}

const finished = (name: string): Promise<Workflow> => s.controller.waitFor('default', name);

function expectDeleted(wf: Workflow, podNode: string): void {
  expect(node(wf, podNode)).toMatchObject({ type: 'Pod', phase: 'Error', message: 'pod deleted' });
  // `a` had succeeded; an abrupt loss still ends it `container deleted` (Argo, spec/containerset.md §6.3).
  for (const c of ['a', 'b', 'main']) expect(node(wf, `${podNode}.${c}`), c).toMatchObject({ phase: 'Error', message: 'container deleted' });
}

describe('containerSet on the local runtime', () => {
  it('a -> b -> main with a shared volume: Argo node tree, main outputs, the dependent task under main', async () => {
    writeFileSync(join(gate, 'go'), '');
    await s.workflows.create(cs3('cs-tree', { dag: true }));
    const wf = await finished('cs-tree');
    expect(wf.status?.phase, JSON.stringify(wf.status)).toBe('Succeeded');
    const id = (n: string) => nodeId('cs-tree', n);
    expect(node(wf, 'cs-tree.A')).toMatchObject({
      id: id('cs-tree.A'),
      type: 'Pod',
      displayName: 'A',
      templateName: 'cs',
      children: [id('cs-tree.A.a')],
      outputs: { exitCode: '0', result: 'a\nb\nmain', parameters: [expect.objectContaining({ name: 'log', value: 'a\nb\nmain' })] },
    });
    expect(node(wf, 'cs-tree.A.a')).toMatchObject({ type: 'Container', displayName: 'a', boundaryID: id('cs-tree.A'), phase: 'Succeeded', children: [id('cs-tree.A.b')] });
    expect(node(wf, 'cs-tree.A.b')).toMatchObject({ type: 'Container', boundaryID: id('cs-tree.A'), phase: 'Succeeded', children: [id('cs-tree.A.main')] });
    expect(node(wf, 'cs-tree.A.main')).toMatchObject({ type: 'Container', boundaryID: id('cs-tree.A'), phase: 'Succeeded', children: [id('cs-tree.B')] });
    expect(node(wf, 'cs-tree.B').phase).toBe('Succeeded');
    // One pod for the three containers, one for B.
    expect(s.controller.podsOfWorkflow('default', 'cs-tree').sort()).toEqual([podName('cs-tree', 'cs-tree.A', 'cs'), podName('cs-tree', 'cs-tree.B', 'echo')].sort());
    const logs = await argot('logs', 'cs-tree', podName('cs-tree', 'cs-tree.B', 'echo'));
    expect(logs.stdout.split('\n').map((l) => l.replace(/^[^:]*: /, ''))).toEqual(['got a', 'b', 'main', '']);
  });
});

describe('sidecars on the local runtime', () => {
  it('are killed once main ends: the workflow does not wait for them, and the node tree is the Pod node alone', async () => {
    const wf = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: { name: 'with-sidecar', namespace: 'default' },
      spec: {
        entrypoint: 'c',
        templates: [
          {
            name: 'c',
            initContainers: [{ name: 'setup', image: 'alpine', command: ['sh', '-c', 'echo ready > /work/ready'], volumeMounts: [{ name: 'work', mountPath: '/work' }] }],
            sidecars: [{ name: 'side', image: 'alpine', command: ['sleep', '300'] }],
            volumes: [{ name: 'work', emptyDir: {} }],
            container: { image: 'alpine', command: ['sh', '-c', 'cat /work/ready'], volumeMounts: [{ name: 'work', mountPath: '/work' }] },
          },
        ],
      },
    } as unknown as Workflow;
    const started = Date.now();
    await s.workflows.create(wf);
    const done = await finished('with-sidecar');
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(done.status?.phase).toBe('Succeeded');
    expect(nodesOf(done).map((n) => [n.name, n.type, n.phase])).toEqual([['with-sidecar', 'Pod', 'Succeeded']]);
    expect(node(done, 'with-sidecar').outputs).toMatchObject({ exitCode: '0', result: 'ready' });
    await waitUntil('no process of the pod is left', () => processesOfPod('with-sidecar'), (p) => p.length === 0, 5000);
  });
});

describe('argot pod delete', () => {
  it('PD-04 deleting the pod while b runs ends the pod node and every container node Error; the workflow ends Error', async () => {
    await s.workflows.create(cs3('cs-abrupt', { dag: true }));
    const pod = await untilBRuns('cs-abrupt', 'cs-abrupt.A');
    const r = await argot('pod', 'delete', 'cs-abrupt', pod);
    expect(r, r.stderr).toEqual({ code: 0, stdout: `pod "${pod}" of workflow "cs-abrupt" deleted\n`, stderr: '' });
    const wf = await finished('cs-abrupt');
    expect(wf.status?.phase).toBe('Error');
    expectDeleted(wf, 'cs-abrupt.A');
    expect(node(wf, 'cs-abrupt')).toMatchObject({ type: 'DAG', phase: 'Error' });
    expect(nodesOf(wf).filter((n) => n.phase === 'Pending' || n.phase === 'Running')).toEqual([]);
    // B never ran: its dependency did not succeed.
    expect(node(wf, 'cs-abrupt.B')).toMatchObject({ phase: 'Omitted' });
    // The pod's processes are gone with it.
    await waitUntil('no process of the pod is left', () => processesOfPod(pod), (p) => p.length === 0, 5000);
  });

  it('PD-12 a graceful deletion reads the exit states: the killed container and the one that never ran end Failed', async () => {
    await s.workflows.create(cs3('cs-graceful'));
    const pod = await untilBRuns('cs-graceful', 'cs-graceful');
    // POD may also be the pod node's name.
    const r = await argot('pod', 'delete', 'cs-graceful', 'cs-graceful', '--grace', '2');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('pod "cs-graceful" of workflow "cs-graceful" deleted (grace period 2s)\n');
    const wf = await finished('cs-graceful');
    expect(pod).toBe('cs-graceful');
    expect(wf.status?.phase).toBe('Failed');
    expect(node(wf, 'cs-graceful')).toMatchObject({ type: 'Pod', phase: 'Failed', message: 'pod deleted' });
    expect(node(wf, 'cs-graceful.a').phase).toBe('Succeeded');
    expect(node(wf, 'cs-graceful.b')).toMatchObject({ phase: 'Failed', message: 'b: Error (exit code 143): killed' });
    expect(node(wf, 'cs-graceful.main')).toMatchObject({ phase: 'Failed', message: 'main: Error (exit code 143): pod deleted' });
  });

  it('PD-06 retryStrategy {limit: 2, retryPolicy: OnError}: the deleted attempt is retried in a new pod and succeeds', async () => {
    await s.workflows.create(cs3('cs-onerror', { retry: '{"limit": 2, "retryPolicy": "OnError"}', dag: true }));
    const pod = await untilBRuns('cs-onerror', 'cs-onerror.A(0)');
    // The API's own path, by the pod node's ID.
    const res = await fetch(`${s.url}/api/v1/workflows/default/cs-onerror/pods/${nodeId('cs-onerror', 'cs-onerror.A(0)')}`, { method: 'DELETE' });
    expect(res.status, await res.clone().text()).toBe(200);
    await waitUntil('A(0) is deleted', () => s.workflows.get('default', 'cs-onerror'), (w) => nodesOf(w).some((n) => n.name === 'cs-onerror.A(0)' && n.phase === 'Error'));
    writeFileSync(join(gate, 'go'), '');
    const wf = await finished('cs-onerror');
    expect(wf.status?.phase, JSON.stringify(wf.status?.nodes)).toBe('Succeeded');
    expectDeleted(wf, 'cs-onerror.A(0)');
    expect(node(wf, 'cs-onerror.A')).toMatchObject({ type: 'Retry', phase: 'Succeeded' });
    expect(node(wf, 'cs-onerror.A').children).toEqual([nodeId('cs-onerror', 'cs-onerror.A(0)'), nodeId('cs-onerror', 'cs-onerror.A(1)')]);
    for (const n of ['cs-onerror.A(1)', 'cs-onerror.A(1).a', 'cs-onerror.A(1).b', 'cs-onerror.A(1).main', 'cs-onerror.B']) expect(node(wf, n).phase, n).toBe('Succeeded');
    expect(node(wf, 'cs-onerror.A(1)').outputs?.result).toBe('a\nb\nmain');
    expect(nodesOf(wf).filter((n) => n.phase === 'Pending' || n.phase === 'Running')).toEqual([]);
    // The retry ran in a pod of its own; the deleted one left no process.
    expect(podName('cs-onerror', 'cs-onerror.A(1)', 'cs')).not.toBe(pod);
    expect(await processesOfPod(pod)).toEqual([]);
  });

  it('the user story: two workflows share a mutex; a containerSet pod deleted while b runs ends attempt 0 in Error, the retry succeeds within 5 s, the second workflow then gets the mutex', async () => {
    // Every committed state of both workflows: the mutex never has two holders, and the second never runs early.
    const holders = new Set<string>();
    let maxHolders = 0;
    const running = new Set<string>();
    let bothRunning = false;
    const unwatch = s.controller.store.workflows.watch((change) => {
      const name = change.object.metadata.name ?? '';
      if (!name.startsWith('story-')) return;
      if ((change.object.status?.synchronization?.mutex?.holding ?? []).length > 0) holders.add(name);
      else holders.delete(name);
      maxHolders = Math.max(maxHolders, holders.size);
      if (change.object.status?.phase === 'Running') running.add(name);
      else running.delete(name);
      if (running.size > 1) bothRunning = true;
    });
    try {
      const retry = '{"limit": 2, "retryPolicy": "OnError"}';
      await s.workflows.create(cs3('story-1', { retry, dag: true, mutex: 'story' }));
      await s.workflows.create(cs3('story-2', { retry, dag: true, mutex: 'story' }));
      await untilBRuns('story-1', 'story-1.A(0)');
      const waiting = await s.workflows.get('default', 'story-2');
      expect(waiting.status).toMatchObject({ phase: 'Pending', message: 'Waiting for default/Mutex/story lock. Lock status: 0/1' });
      const deletedAt = Date.now();
      expect((await argot('pod', 'delete', 'story-1', 'story-1.A(0)')).code).toBe(0);
      await waitUntil('A(0) is deleted', () => s.workflows.get('default', 'story-1'), (w) => nodesOf(w).some((n) => n.name === 'story-1.A(0)' && n.phase === 'Error'));
      // The retry's b may go on now (in the real story nothing holds it back).
      writeFileSync(join(gate, 'go'), '');
      const first = await finished('story-1');
      const tookMs = Date.now() - deletedAt;
      expect(first.status?.phase, JSON.stringify(first.status?.nodes)).toBe('Succeeded');
      expect(tookMs).toBeLessThan(5000);
      const attempt0 = ['story-1.A(0)', 'story-1.A(0).a', 'story-1.A(0).b', 'story-1.A(0).main'].map((n) => node(first, n));
      expect(attempt0.map((n) => [n.name, n.phase])).toEqual(attempt0.map((n) => [n.name, 'Error']));
      expect(first.status?.synchronization).toBeUndefined();
      const second = await finished('story-2');
      expect(second.status?.phase).toBe('Succeeded');
      expect(second.status?.synchronization).toBeUndefined();
      expect(maxHolders).toBe(1);
      expect(bothRunning).toBe(false);
    } finally {
      unwatch();
    }
  });

  it('PD-05 retryPolicy OnFailure does not retry a deleted pod', async () => {
    await s.workflows.create(cs3('cs-onfailure', { retry: '{"limit": 2, "retryPolicy": "OnFailure"}' }));
    const pod = await untilBRuns('cs-onfailure', 'cs-onfailure(0)');
    expect((await argot('pod', 'delete', 'cs-onfailure', pod)).code).toBe(0);
    const wf = await finished('cs-onfailure');
    expect(wf.status?.phase).toBe('Error');
    expect(wf.status?.message).toBe('pod deleted');
    expect(node(wf, 'cs-onfailure')).toMatchObject({ type: 'Retry', phase: 'Error', message: 'pod deleted' });
    expectDeleted(wf, 'cs-onfailure(0)');
    expect(nodesOf(wf).some((n) => n.name === 'cs-onfailure(1)')).toBe(false);
    // No second pod was ever made.
    expect(readdirSync(gate).filter((f) => f.endsWith('.b'))).toEqual([`${pod}.b`]);
  });

  it('says which pod or workflow it could not find, exit 1', async () => {
    writeFileSync(join(gate, 'go'), '');
    await s.workflows.create(cs3('cs-done'));
    await finished('cs-done');
    const noPod = await argot('pod', 'delete', 'cs-done', 'nope');
    expect(noPod.code).toBe(1);
    expect(noPod.stderr).toMatch(/^argot: .*nope.*not found/);
    const noWorkflow = await argot('pod', 'delete', 'ghost', 'x');
    expect(noWorkflow.code).toBe(1);
    expect(noWorkflow.stderr).toMatch(/^argot: .*ghost.*not found/);
    expect((await argot('pod', 'delete', 'cs-done', 'cs-done', '--grace', 'soon')).code).not.toBe(0);
  });
});
