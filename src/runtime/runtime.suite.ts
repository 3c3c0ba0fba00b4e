// The conformance suite every PodRuntime passes (local sandboxes, plain processes, Kubernetes):
// what the controller may rely on, in terms of events and their order, exit codes, results,
// outputs, logs and pod lifecycle. Run it from a runtime's test file:
//
//   runtimeConformance('local (bwrap)', () => createLocalRuntime({ dataDir, sandbox: 'bwrap' }), { ... });

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerSpec, PodEvent, PodObservation, PodRuntime, PodSpec } from './types.js';

export interface ConformanceOptions {
  /** Each container has its own root filesystem, so even paths computed at run time never collide. */
  isolatedFilesystem?: boolean;
  /** Live processes of a pod; when given, deletion is checked to leave none behind. */
  processesOf?: (pod: string) => Promise<number[]>;
  /**
   * A new runtime on the same storage as `previous` (made by the factory), as a restarted
   * controller would create; when given, adoption of pods left running is checked.
   */
  reopen?: (previous: PodRuntime) => Promise<PodRuntime>;
}

const ARGO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const WAIT_MS = 30_000;

type EventOf<T extends PodEvent['type']> = Extract<PodEvent, { type: T }>;

/** Records every event by pod, and lets a test wait for the one it expects. */
export class EventRecorder {
  private readonly byPod = new Map<string, PodEvent[]>();
  private readonly waiters = new Set<() => void>();
  readonly unsubscribe: () => void;

  constructor(runtime: PodRuntime) {
    this.unsubscribe = runtime.onEvent((event) => {
      const list = this.byPod.get(event.pod) ?? [];
      list.push(event);
      this.byPod.set(event.pod, list);
      for (const wake of [...this.waiters]) wake();
    });
  }

  events(pod: string): PodEvent[] {
    return [...(this.byPod.get(pod) ?? [])];
  }

  async waitFor<T extends PodEvent['type']>(pod: string, type: T, match: (e: EventOf<T>) => boolean = () => true, timeoutMs = WAIT_MS): Promise<EventOf<T>> {
    const find = (): EventOf<T> | undefined => this.events(pod).find((e): e is EventOf<T> => e.type === type && match(e as EventOf<T>));
    const found = find();
    if (found) return found;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out waiting for ${type} of ${pod}; got: ${JSON.stringify(this.events(pod))}`));
      }, timeoutMs);
      const check = (): void => {
        const e = find();
        if (!e) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(e);
      };
      this.waiters.add(check);
    });
  }

  /** The pod's final event (podFinished or podGone). */
  async end(pod: string, timeoutMs = WAIT_MS): Promise<EventOf<'podFinished'> | EventOf<'podGone'>> {
    const done = this.events(pod).find((e) => e.type === 'podFinished' || e.type === 'podGone');
    if (done) return done as EventOf<'podFinished'> | EventOf<'podGone'>;
    await Promise.race([this.waitFor(pod, 'podFinished', () => true, timeoutMs), this.waitFor(pod, 'podGone', () => true, timeoutMs)]);
    return this.end(pod, 0);
  }

  exited(pod: string, container: string): EventOf<'containerExited'> | undefined {
    return this.events(pod).find((e): e is EventOf<'containerExited'> => e.type === 'containerExited' && e.container === container);
  }
}

let podCounter = 0;

export function testPod(containers: ContainerSpec[], extra: Partial<PodSpec> = {}): PodSpec {
  const name = `conf-${process.pid}-${Date.now().toString(36)}-${++podCounter}`;
  return { name, namespace: 'argo', workflowName: 'wf-conformance', nodeId: `wf-conformance-${podCounter}`, volumes: [], containers, ...extra };
}

export function testContainer(name: string, extra: Partial<ContainerSpec> = {}): ContainerSpec {
  return { name, role: 'main', env: [], volumeMounts: [], ...extra };
}

const sh = (script: string, extra: Partial<ContainerSpec> = {}, name = 'main'): ContainerSpec =>
  testContainer(name, { image: 'alpine:3.23', command: ['sh', '-c'], args: [script], ...extra });

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function runtimeConformance(name: string, make: () => Promise<PodRuntime>, options: ConformanceOptions = {}): void {
  describe(`PodRuntime conformance: ${name}`, () => {
    let runtime: PodRuntime;
    let events: EventRecorder;

    beforeAll(async () => {
      runtime = await make();
      events = new EventRecorder(runtime);
    });

    afterAll(async () => {
      events?.unsubscribe();
      await runtime?.close();
    });

    const run = async (spec: PodSpec): Promise<EventOf<'podFinished'> | EventOf<'podGone'>> => {
      await runtime.createPod(spec);
      return events.end(spec.name);
    };

    const expectNoProcesses = async (pod: string): Promise<void> => {
      if (!options.processesOf) return;
      const processesOf = options.processesOf;
      await waitUntil(`no process of ${pod} is left`, async () => (await processesOf(pod)).length === 0, 5_000);
    };

    it('runs a container, captures stdout as result and both streams in the log, in event order', async () => {
      const spec = testPod([sh('echo hello; echo oops >&2', { captureResult: true })]);
      const end = await run(spec);
      expect(end).toMatchObject({ type: 'podFinished', phase: 'Succeeded' });
      expect(events.events(spec.name).map((e) => e.type)).toEqual(['podStarted', 'containerStarted', 'containerExited', 'podFinished']);
      const exited = events.exited(spec.name, 'main');
      expect(exited).toMatchObject({ exitCode: 0, result: 'hello', outputs: {} });
      for (const e of events.events(spec.name)) expect(e.at).toMatch(ARGO_TIME);
      expect(exited?.startedAt).toMatch(ARGO_TIME);
      const log = await readFile(runtime.logPath(spec.name, 'main'), 'utf8');
      expect(log).toContain('hello\n');
      expect(log).toContain('oops\n');
    });

    it('keeps only the last 256 KiB of stdout as result, without stderr', async () => {
      const spec = testPod([sh('i=0; while [ $i -lt 3000 ]; do echo "line $i ............................................................................................"; i=$((i+1)); done; echo err >&2; echo last', { captureResult: true })]);
      await run(spec);
      const result = events.exited(spec.name, 'main')?.result ?? '';
      expect(result.length).toBeLessThanOrEqual(256 * 1024);
      expect(result.length).toBeGreaterThan(200 * 1024);
      expect(result.endsWith('\nlast')).toBe(true);
      expect(result).not.toContain('err');
    });

    it('omits result when not asked for it', async () => {
      const spec = testPod([sh('echo hello')]);
      await run(spec);
      expect(events.exited(spec.name, 'main')?.result).toBeUndefined();
    });

    it('reports a non-zero exit code and fails the pod', async () => {
      const spec = testPod([sh('exit 3')]);
      const end = await run(spec);
      expect(end).toMatchObject({ type: 'podFinished', phase: 'Failed' });
      expect(events.exited(spec.name, 'main')?.exitCode).toBe(3);
    });

    it('reads output files from the container root, trimming one newline; a missing file is absent', async () => {
      const spec = testPod([
        sh('echo value > /tmp/out.txt; printf "two\\n\\n" > /tmp/two.txt; echo rooted > result.txt', {
          outputFiles: { out: '/tmp/out.txt', two: '/tmp/two.txt', root: '/result.txt', missing: '/tmp/nope.txt' },
        }),
      ]);
      await run(spec);
      expect(events.exited(spec.name, 'main')?.outputs).toEqual({ out: 'value', two: 'two\n', root: 'rooted' });
    });

    it('gives parallel pods their own /tmp', async () => {
      const specs = ['A', 'B'].map((v) =>
        testPod([sh(`echo ${v} > /tmp/out.txt; sleep 1; cat /tmp/out.txt`, { captureResult: true, outputFiles: { out: '/tmp/out.txt' } })]),
      );
      await Promise.all(specs.map((s) => runtime.createPod(s)));
      await Promise.all(specs.map((s) => events.end(s.name)));
      expect(specs.map((s) => events.exited(s.name, 'main')?.result)).toEqual(['A', 'B']);
      expect(specs.map((s) => events.exited(s.name, 'main')?.outputs.out)).toEqual(['A', 'B']);
    });

    if (options.isolatedFilesystem) {
      it('isolates paths a script computes at run time, and the filesystem root', async () => {
        const specs = ['A', 'B'].map((v) =>
          testPod([sh(`d=/tm; f=\${d}p/x.txt; echo ${v} > $f; mkdir -p /outputs; echo ${v} > /outputs/v; sleep 1; cat $f /outputs/v`, { captureResult: true })]),
        );
        await Promise.all(specs.map((s) => runtime.createPod(s)));
        await Promise.all(specs.map((s) => events.end(s.name)));
        expect(specs.map((s) => events.exited(s.name, 'main')?.result)).toEqual(['A\nA', 'B\nB']);
      });
    }

    it('runs in workingDir, creating it', async () => {
      const spec = testPod([sh('pwd', { workingDir: '/src', captureResult: true })]);
      await run(spec);
      expect(events.exited(spec.name, 'main')?.result).toMatch(/\/src$/);
    });

    it('runs pods whose names are longer than a hostname may be', async () => {
      const spec = testPod([sh('echo ok', { captureResult: true })]);
      spec.name = `${spec.name}-${'x'.repeat(80)}`;
      await run(spec);
      expect(events.exited(spec.name, 'main')?.result).toBe('ok');
    });

    it('passes a clean environment with the container env and ARGO_* variables', async () => {
      const spec = testPod([sh('env', { captureResult: true, env: [{ name: 'GREETING', value: 'hi there' }] })], { nodeId: 'node-42' });
      await run(spec);
      const env = events.exited(spec.name, 'main')?.result ?? '';
      expect(env).toContain('GREETING=hi there');
      expect(env).toContain(`ARGO_POD_NAME=${spec.name}`);
      expect(env).toContain('ARGO_CONTAINER_NAME=main');
      expect(env).toContain('ARGO_WORKFLOW_NAME=wf-conformance');
      expect(env).toContain('ARGO_NODE_ID=node-42');
      // The test runner's environment must not leak into pods.
      expect(env).not.toContain('VITEST');
    });

    it('shares volumes between the containers of a pod and reads outputs from them', async () => {
      const mount = [{ name: 'work', mountPath: '/work' }];
      const spec = testPod(
        [
          sh('echo shared > /work/data', { volumeMounts: mount }, 'a'),
          sh('cat /work/data', { volumeMounts: mount, dependencies: ['a'], captureResult: true, outputFiles: { data: '/work/data' } }),
        ],
        { volumes: [{ name: 'work', source: { kind: 'emptyDir' } }] },
      );
      const end = await run(spec);
      expect(end).toMatchObject({ phase: 'Succeeded' });
      expect(events.exited(spec.name, 'main')).toMatchObject({ result: 'shared', outputs: { data: 'shared' } });
    });

    it('keeps persistent volumes across pods', async () => {
      const key = `pvc-${process.pid}-${Date.now()}`;
      const volume = { name: 'data', source: { kind: 'persistent' as const, key } };
      const mount = [{ name: 'data', mountPath: '/mnt/data' }];
      const writer = testPod([sh('echo kept > /mnt/data/file', { volumeMounts: mount })], { volumes: [volume] });
      await run(writer);
      const reader = testPod([sh('cat /mnt/data/file', { volumeMounts: mount, captureResult: true })], { volumes: [volume] });
      await run(reader);
      expect(events.exited(reader.name, 'main')?.result).toBe('kept');
    });

    it('materialises files volumes and input files', async () => {
      const spec = testPod(
        [
          sh('cat /config/greeting /tmp/input.txt /etc/app/greeting.conf', {
            volumeMounts: [
              { name: 'cfg', mountPath: '/config', readOnly: true },
              // A ConfigMap key mounted as one file, in a directory the host does not have.
              { name: 'cfg', mountPath: '/etc/app/greeting.conf', subPath: 'greeting', readOnly: true },
            ],
            captureResult: true,
          }),
        ],
        { volumes: [{ name: 'cfg', source: { kind: 'files', files: { greeting: 'hello from config\n' } } }], files: { '/tmp/input.txt': 'input artifact\n' } },
      );
      await run(spec);
      expect(events.exited(spec.name, 'main')?.result).toBe('hello from config\ninput artifact\nhello from config');
    });

    it('runs a containerSet in dependency order; a failed dependency keeps its dependents from starting', async () => {
      const spec = testPod([
        sh('echo a', {}, 'a'),
        sh('exit 1', { dependencies: ['a'] }, 'b'),
        sh('echo main', { dependencies: ['b'] }, 'main'),
      ]);
      const end = await run(spec);
      expect(end).toMatchObject({ type: 'podFinished', phase: 'Failed' });
      const seq = events.events(spec.name).map((e) => ('container' in e ? `${e.type}:${e.container}` : e.type));
      expect(seq.indexOf('containerExited:a')).toBeLessThan(seq.indexOf('containerStarted:b'));
      expect(seq).not.toContain('containerStarted:main');
      expect(events.exited(spec.name, 'a')?.exitCode).toBe(0);
      expect(events.exited(spec.name, 'b')?.exitCode).toBe(1);
      // Argo reports a never-started dependent as terminated by SIGTERM (spec/containerset.md §1.3).
      expect(events.exited(spec.name, 'main')?.exitCode).toBe(143);
      expect(events.exited(spec.name, 'main')?.reason).toContain('"b"');
      expect(seq.at(-1)).toBe('podFinished');
    });

    it('runs init containers first, in order', async () => {
      const mount = [{ name: 'shared', mountPath: '/shared' }];
      const spec = testPod(
        [
          sh('echo one > /shared/order', { role: 'init', volumeMounts: mount }, 'init-1'),
          sh('echo two >> /shared/order', { role: 'init', volumeMounts: mount }, 'init-2'),
          sh('cat /shared/order', { volumeMounts: mount, captureResult: true }),
        ],
        { volumes: [{ name: 'shared', source: { kind: 'emptyDir' } }] },
      );
      const end = await run(spec);
      expect(end).toMatchObject({ phase: 'Succeeded' });
      expect(events.exited(spec.name, 'main')?.result).toBe('one\ntwo');
    });

    it('fails the pod when an init container fails; nothing else starts', async () => {
      const spec = testPod([sh('exit 2', { role: 'init' }, 'init'), sh('echo never', { role: 'sidecar' }, 'side'), sh('echo never')]);
      const end = await run(spec);
      expect(end).toMatchObject({ type: 'podFinished', phase: 'Failed' });
      const started = events.events(spec.name).filter((e) => e.type === 'containerStarted');
      expect(started.map((e) => (e.type === 'containerStarted' ? e.container : ''))).toEqual(['init']);
    });

    it('kills sidecars once the main containers are done', async () => {
      const spec = testPod([sh('sleep 300', { role: 'sidecar' }, 'side'), sh('sleep 0.5; echo done', { captureResult: true })]);
      const t0 = Date.now();
      const end = await run(spec);
      expect(Date.now() - t0).toBeLessThan(20_000);
      expect(end).toMatchObject({ type: 'podFinished', phase: 'Succeeded' });
      expect(events.exited(spec.name, 'side')?.exitCode).toBeGreaterThanOrEqual(128);
      const types = events.events(spec.name).map((e) => e.type);
      expect(types.at(-1)).toBe('podFinished');
      await expectNoProcesses(spec.name);
    });

    it('deletes a pod abruptly: podGone "deleted", no exit states, no process left', async () => {
      const spec = testPod([sh('sleep 300 & sleep 300')]);
      await runtime.createPod(spec);
      await events.waitFor(spec.name, 'containerStarted');
      await runtime.deletePod(spec.name);
      const end = await events.end(spec.name);
      expect(end).toMatchObject({ type: 'podGone', reason: 'deleted', message: 'pod deleted' });
      expect(events.exited(spec.name, 'main')).toBeUndefined();
      await expectNoProcesses(spec.name);
      // Deleting again, or a pod that never existed, is harmless.
      await runtime.deletePod(spec.name);
      await runtime.deletePod('no-such-pod');
    });

    it('deletes a pod gracefully: SIGTERM, the exit states, then podFinished', async () => {
      const spec = testPod([sh('trap "echo got TERM; exit 3" TERM; while true; do sleep 0.1; done')]);
      await runtime.createPod(spec);
      await events.waitFor(spec.name, 'containerStarted');
      await new Promise((r) => setTimeout(r, 300));
      await runtime.deletePod(spec.name, { graceSeconds: 10 });
      const end = await events.end(spec.name);
      expect(end).toMatchObject({ type: 'podFinished', phase: 'Failed' });
      expect(events.exited(spec.name, 'main')?.exitCode).toBe(3);
      expect(await readFile(runtime.logPath(spec.name, 'main'), 'utf8')).toContain('got TERM');
      await expectNoProcesses(spec.name);
    });

    it('kills what ignores SIGTERM once the grace period is over', async () => {
      const spec = testPod([sh('trap "" TERM; sleep 300')]);
      await runtime.createPod(spec);
      await events.waitFor(spec.name, 'containerStarted');
      await new Promise((r) => setTimeout(r, 300));
      const t0 = Date.now();
      await runtime.deletePod(spec.name, { graceSeconds: 1 });
      const end = await events.end(spec.name);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
      expect(end).toMatchObject({ type: 'podFinished', phase: 'Failed' });
      expect(events.exited(spec.name, 'main')?.exitCode).toBe(137);
      await expectNoProcesses(spec.name);
    });

    it('ends a pod past activeDeadlineSeconds: podGone "deadline"', async () => {
      const spec = testPod([sh('sleep 300')], { activeDeadlineSeconds: 1 });
      const end = await run(spec);
      expect(end).toMatchObject({ type: 'podGone', reason: 'deadline', message: 'Pod was active on the node longer than the specified deadline' });
      await expectNoProcesses(spec.name);
    });

    it('runs argoproj/argosay:v2 without a command', async () => {
      const hello = testPod([testContainer('main', { image: 'argoproj/argosay:v2', captureResult: true })]);
      const echo = testPod([testContainer('main', { image: 'argoproj/argosay:v2', args: ['echo', 'to file', '/tmp/said'], outputFiles: { said: '/tmp/said' } })]);
      const exit = testPod([testContainer('main', { image: 'argoproj/argosay:v2', args: ['exit', '7'] })]);
      const sleep = testPod([testContainer('main', { image: 'argoproj/argosay:v2', args: ['sleep', '100ms'] })]);
      const viaPath = testPod([testContainer('main', { image: 'argoproj/argosay:v2', command: ['sh', '-c'], args: ['/argosay echo abs; argosay echo onpath'], captureResult: true })]);
      await Promise.all([hello, echo, exit, sleep, viaPath].map((s) => run(s)));
      expect(events.exited(hello.name, 'main')).toMatchObject({ exitCode: 0, result: 'hello argo' });
      expect(events.exited(echo.name, 'main')?.outputs).toEqual({ said: 'to file' });
      expect(events.exited(exit.name, 'main')?.exitCode).toBe(7);
      expect(events.exited(sleep.name, 'main')?.exitCode).toBe(0);
      expect(events.exited(viaPath.name, 'main')?.result).toBe('abs\nonpath');
    });

    it('runs cowsay for docker/whalesay and argosay:v1', async () => {
      const whale = testPod([testContainer('main', { image: 'docker/whalesay', command: ['cowsay'], args: ['hello world'], captureResult: true })]);
      const v1 = testPod([testContainer('main', { image: 'argoproj/argosay:v1', captureResult: true })]);
      await Promise.all([whale, v1].map((s) => run(s)));
      const said = events.exited(whale.name, 'main')?.result ?? '';
      expect(said).toContain('< hello world >');
      expect(said).toContain('(oo)');
      // No args: cowsay reads stdin, which is empty - it must not hang.
      expect(events.exited(v1.name, 'main')?.exitCode).toBe(0);
    });

    it('runs a python script', async () => {
      const spec = testPod([
        testContainer('main', {
          image: 'python:alpine3.23',
          command: ['python'],
          script: 'import random, sys\nprint(sys.version_info[0])\nprint(random.randint(1, 1))\n',
          captureResult: true,
        }),
      ]);
      const end = await run(spec);
      expect(end).toMatchObject({ phase: 'Succeeded' });
      expect(events.exited(spec.name, 'main')?.result).toBe('3\n1');
    });

    it('reads output files a script wrote', async () => {
      const spec = testPod([
        testContainer('main', {
          image: 'python:alpine3.23',
          command: ['python'],
          script: 'with open("/tmp/out.txt", "w") as f:\n    f.write("from python\\n")\n',
          outputFiles: { out: '/tmp/out.txt' },
        }),
      ]);
      await run(spec);
      expect(events.exited(spec.name, 'main')?.outputs).toEqual({ out: 'from python' });
    });

    it('runs a shell script, the script file being executable', async () => {
      const spec = testPod([testContainer('main', { image: 'alpine:3.23', command: ['sh', '-c'], script: 'echo from script', captureResult: true })]);
      await run(spec);
      expect(events.exited(spec.name, 'main')?.result).toBe('from script');
    });

    it('gives alpine images an ash-compatible sh ($RANDOM, [[ ]])', async () => {
      const spec = testPod([sh('echo "r=$RANDOM"; [[ 1 -eq 1 ]] && echo ok', { captureResult: true })]);
      await run(spec);
      expect(events.exited(spec.name, 'main')?.result).toMatch(/^r=\d+\nok$/);
    });

    it('exits 127 naming a missing tool', async () => {
      const spec = testPod([testContainer('main', { image: 'alpine:3.23', command: ['no-such-tool-xyz', 'arg'] })]);
      const end = await run(spec);
      expect(end).toMatchObject({ phase: 'Failed' });
      const exited = events.exited(spec.name, 'main');
      expect(exited?.exitCode).toBe(127);
      expect(exited?.reason).toContain('no-such-tool-xyz');
      expect(await readFile(runtime.logPath(spec.name, 'main'), 'utf8')).toContain('no-such-tool-xyz');
    });

    it('streams the log while the container runs', async () => {
      const spec = testPod([sh('echo first; sleep 2; echo second')]);
      await runtime.createPod(spec);
      const log = runtime.logPath(spec.name, 'main');
      await waitUntil('the first line is logged', async () => (await readFile(log, 'utf8').catch(() => '')).includes('first'));
      expect(await readFile(log, 'utf8')).not.toContain('second');
      await events.end(spec.name);
      expect(await readFile(log, 'utf8')).toBe('first\nsecond\n');
    });

    it('treats createPod as idempotent, lists pods and cleans them up', async () => {
      const spec = testPod([sh('echo once')]);
      await Promise.all([runtime.createPod(spec), runtime.createPod(spec)]);
      await events.end(spec.name);
      await runtime.createPod(spec);
      expect(events.events(spec.name).filter((e) => e.type === 'podStarted')).toHaveLength(1);
      expect(await runtime.listPods()).toContain(spec.name);
      const log = runtime.logPath(spec.name, 'main');
      await runtime.cleanupPod(spec.name);
      expect(await runtime.listPods()).not.toContain(spec.name);
      // Logs outlive the pod.
      expect(await readFile(log, 'utf8')).toBe('once\n');
    });

    it('stops delivering events to an unsubscribed listener', async () => {
      const seen: PodEvent[] = [];
      const off = runtime.onEvent((e) => seen.push(e));
      off();
      const spec = testPod([sh('true')]);
      await run(spec);
      expect(seen.filter((e) => e.pod === spec.name)).toEqual([]);
    });

    if (options.reopen) adoptionConformance(make, options.reopen, options);
  });
}

/** A runtime closed with keepPods leaves its pods running; the next one on the same storage adopts them. */
function adoptionConformance(make: () => Promise<PodRuntime>, reopen: (previous: PodRuntime) => Promise<PodRuntime>, options: ConformanceOptions): void {
  describe('adoption by a restarted runtime', () => {
    const open: PodRuntime[] = [];
    const hostDirs: string[] = [];

    afterAll(async () => {
      await Promise.all(open.map((r) => r.close()));
      await Promise.all(hostDirs.map((d) => rm(d, { recursive: true, force: true })));
    });

    /** A first runtime that started `spec` and was closed with keepPods once the main container ran. */
    const leftRunning = async (spec: PodSpec): Promise<PodRuntime> => {
      const first = await make();
      const events = new EventRecorder(first);
      await first.createPod(spec);
      await events.waitFor(spec.name, 'containerStarted');
      await first.close({ keepPods: true });
      return first;
    };

    const adopt = async (previous: PodRuntime): Promise<{ runtime: PodRuntime; events: EventRecorder; adopted: { spec: PodSpec; observation: PodObservation }[] }> => {
      const runtime = await reopen(previous);
      open.push(runtime);
      const events = new EventRecorder(runtime);
      if (!runtime.adopt) throw new Error('a runtime given `reopen` must implement adopt()');
      return { runtime, events, adopted: await runtime.adopt() };
    };

    const hostDir = async (): Promise<string> => {
      const dir = await mkdtemp(path.join(tmpdir(), 'argot-conformance-host-'));
      hostDirs.push(dir);
      return dir;
    };

    it('returns a pod still running as Running, then reports its end as events', async () => {
      const spec = testPod([sh('sleep 2; echo done > /tmp/x; echo out', { captureResult: true, outputFiles: { x: '/tmp/x' } })]);
      const first = await leftRunning(spec);
      const { events, adopted } = await adopt(first);
      const mine = adopted.find((a) => a.spec.name === spec.name);
      expect(mine?.spec).toEqual(spec);
      expect(mine?.observation).toMatchObject({ name: spec.name, phase: 'Running', containers: { main: { state: 'running' } } });
      expect(mine?.observation.startedAt).toMatch(ARGO_TIME);
      // Adoption reports no history as events: only what happens from now on.
      const end = await events.end(spec.name);
      expect(end).toMatchObject({ type: 'podFinished', phase: 'Succeeded' });
      expect(events.events(spec.name).map((e) => e.type)).toEqual(['containerExited', 'podFinished']);
      expect(events.exited(spec.name, 'main')).toMatchObject({ exitCode: 0, result: 'out', outputs: { x: 'done' } });
      expect(events.exited(spec.name, 'main')?.startedAt).toMatch(ARGO_TIME);
    });

    it('returns a pod that finished while no runtime ran as finished, with its results', async () => {
      const spec = testPod([sh('echo partial; sleep 0.3; echo value > /tmp/o; echo out; exit 0', { captureResult: true, outputFiles: { o: '/tmp/o', missing: '/tmp/none' } })]);
      const failing = testPod([sh('sleep 0.3; exit 5')]);
      const first = await make();
      const firstEvents = new EventRecorder(first);
      await Promise.all([first.createPod(spec), first.createPod(failing)]);
      await Promise.all([firstEvents.waitFor(spec.name, 'containerStarted'), firstEvents.waitFor(failing.name, 'containerStarted')]);
      await first.close({ keepPods: true });
      await new Promise((r) => setTimeout(r, 1500));
      const { events, adopted } = await adopt(first);
      const done = adopted.find((a) => a.spec.name === spec.name)?.observation;
      expect(done).toMatchObject({ phase: 'Succeeded', containers: { main: { state: 'terminated', exitCode: 0, result: 'partial\nout', outputs: { o: 'value' } } } });
      expect(done?.finishedAt).toMatch(ARGO_TIME);
      expect(adopted.find((a) => a.spec.name === failing.name)?.observation).toMatchObject({ phase: 'Failed', containers: { main: { state: 'terminated', exitCode: 5 } } });
      await new Promise((r) => setTimeout(r, 300));
      expect(events.events(spec.name)).toEqual([]);
    });

    it('does not start an adopted pod again when it is created again', async () => {
      const host = await hostDir();
      const mount = [{ name: 'h', mountPath: '/host' }];
      const spec = testPod([sh('echo run >> /host/runs; sleep 1; echo ok', { volumeMounts: mount, captureResult: true })], { volumes: [{ name: 'h', source: { kind: 'hostPath', path: host } }] });
      const first = await leftRunning(spec);
      const { runtime, events } = await adopt(first);
      await runtime.createPod(spec);
      await events.end(spec.name);
      expect(events.events(spec.name).filter((e) => e.type === 'podStarted' || e.type === 'containerStarted')).toEqual([]);
      expect(events.exited(spec.name, 'main')?.result).toBe('ok');
      expect(await readFile(path.join(host, 'runs'), 'utf8')).toBe('run\n');
      expect(await runtime.listPods()).toContain(spec.name);
    });

    it('deletes an adopted pod gracefully: SIGTERM, its exit state, then podFinished', async () => {
      const spec = testPod([sh('trap "echo got TERM; exit 3" TERM; while true; do sleep 0.1; done')]);
      const first = await leftRunning(spec);
      const { runtime, events } = await adopt(first);
      await runtime.deletePod(spec.name, { graceSeconds: 10 });
      expect(await events.end(spec.name)).toMatchObject({ type: 'podFinished', phase: 'Failed' });
      expect(events.exited(spec.name, 'main')?.exitCode).toBe(3);
      expect(await readFile(runtime.logPath(spec.name, 'main'), 'utf8')).toContain('got TERM');
    });

    it('deletes an adopted pod: podGone "deleted", no process left', async () => {
      const spec = testPod([sh('sleep 300 & sleep 300')]);
      const first = await leftRunning(spec);
      const { runtime, events, adopted } = await adopt(first);
      expect(adopted.find((a) => a.spec.name === spec.name)?.observation.phase).toBe('Running');
      await runtime.deletePod(spec.name);
      expect(await events.end(spec.name)).toMatchObject({ type: 'podGone', reason: 'deleted', message: 'pod deleted' });
      if (options.processesOf) {
        const processesOf = options.processesOf;
        await waitUntil(`no process of ${spec.name} is left`, async () => (await processesOf(spec.name)).length === 0, 5_000);
      }
    });
  });
}
