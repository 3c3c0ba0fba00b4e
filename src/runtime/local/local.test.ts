import { spawnSync } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventRecorder, runtimeConformance, testContainer, testPod } from '../runtime.suite.js';
import { ImageMap, normaliseImage, resolveCommand, usesBusyboxShell } from './image-map.js';
import { createLocalRuntime, logFilePath, type LocalPodRuntime } from './index.js';
import type { ContainerSpec, PodRuntime } from '../types.js';
import { PathRewriter } from './path-rewrite.js';
import { processesOfPod } from './proc-scan.js';
import { isAlive, parseIdentity } from './process-identity.js';
import { signalContainer } from './signal-container.js';

const dirs: string[] = [];
async function dataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'argot-local-'));
  dirs.push(dir);
  return dir;
}

afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

const processesOf = processesOfPod;

async function waitUntil(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function waitForNoProcesses(pod: string): Promise<void> {
  await waitUntil(`no process of ${pod} is left`, async () => (await processesOf(pod)).length === 0, 5_000);
}

const bwrapUsable = process.platform === 'linux' && spawnSync('bwrap', ['--version']).status === 0;
const quiet = (): void => undefined;

/** Runtimes the conformance suite made, by data directory, so it can reopen one as a restarted controller would. */
const dataDirOf = new WeakMap<PodRuntime, string>();
const conformanceRuntime = (sandbox: 'bwrap' | 'none') => async (): Promise<LocalPodRuntime> => {
  const dir = await dataDir();
  const runtime = await createLocalRuntime({ dataDir: dir, sandbox, warn: quiet });
  dataDirOf.set(runtime, dir);
  return runtime;
};
const reopen =
  (sandbox: 'bwrap' | 'none') =>
  (previous: PodRuntime): Promise<LocalPodRuntime> =>
    createLocalRuntime({ dataDir: dataDirOf.get(previous) ?? '', sandbox, warn: quiet });

describe.runIf(bwrapUsable)('local runtime, bwrap', () => {
  runtimeConformance('local (bwrap)', conformanceRuntime('bwrap'), { isolatedFilesystem: true, processesOf, reopen: reopen('bwrap') });
});

describe('local runtime, plain processes', () => {
  runtimeConformance('local (none)', conformanceRuntime('none'), { processesOf, reopen: reopen('none') });
});

for (const sandbox of ['bwrap', 'none'] as const) {
  describe.runIf(sandbox === 'none' || bwrapUsable)(`local runtime specifics (${sandbox})`, () => {
    let runtime: LocalPodRuntime;
    let events: EventRecorder;
    let dir: string;
    const warnings: string[] = [];

    beforeAll(async () => {
      dir = await dataDir();
      runtime = await createLocalRuntime({ dataDir: dir, sandbox, warn: (m) => warnings.push(m), imageMap: { 'example.com/tools/*': ['sh', '-c'] } });
      events = new EventRecorder(runtime);
    });

    afterAll(async () => {
      await runtime.close();
    });

    it('warns, in one line, only when running without a sandbox', () => {
      expect(runtime.sandbox).toBe(sandbox);
      const isolation = warnings.filter((w) => w.includes('plain processes'));
      if (sandbox === 'none') {
        expect(isolation).toHaveLength(1);
        expect(isolation[0]).not.toContain('\n');
      } else {
        expect(isolation).toHaveLength(0);
      }
    });

    it('leaves durable exit state and the spec in the pod directory', async () => {
      const spec = testPod([testContainer('main', { image: 'alpine:3.23', command: ['sh', '-c', 'exit 4'] })]);
      await runtime.createPod(spec);
      await events.end(spec.name);
      const pod = path.join(dir, 'pods', spec.name);
      expect(JSON.parse(await readFile(path.join(pod, 'pod.json'), 'utf8'))).toMatchObject({ name: spec.name });
      expect((await readFile(path.join(pod, 'containers', 'main', 'exitcode'), 'utf8')).trim()).toBe('4');
      // The wrapper's times are its records' modification times (it writes them without a process).
      const ended = Date.now();
      for (const record of ['started-at', 'exitcode']) {
        const { mtimeMs } = await stat(path.join(pod, 'containers', 'main', record));
        expect(ended - mtimeMs).toBeGreaterThanOrEqual(0);
        expect(ended - mtimeMs).toBeLessThan(30_000);
      }
      const exited = events.events(spec.name).find((e) => e.type === 'containerExited');
      expect(exited).toMatchObject({ exitCode: 4, startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/), at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) });
      expect(runtime.logPath(spec.name, 'main')).toBe(logFilePath(dir, 'argo', 'wf-conformance', spec.name, 'main'));
      expect(runtime.logPath(spec.name, 'main')).toBe(path.join(dir, 'logs', 'argo', 'wf-conformance', spec.name, 'main.log'));
    });

    it('reports an image without mapping or command as a container that could not start', async () => {
      const spec = testPod([testContainer('main', { image: 'example.org/unknown:1' })]);
      await runtime.createPod(spec);
      const end = await events.end(spec.name);
      expect(end).toMatchObject({ type: 'podFinished', phase: 'Failed' });
      const exited = events.exited(spec.name, 'main');
      expect(exited?.exitCode).toBe(128);
      expect(exited?.reason).toContain('example.org/unknown:1');
    });

    it('applies user image map entries as entrypoints', async () => {
      const spec = testPod([testContainer('main', { image: 'example.com/tools/x:1', args: ['echo mapped'], captureResult: true })]);
      await runtime.createPod(spec);
      await events.end(spec.name);
      expect(events.exited(spec.name, 'main')?.result).toBe('mapped');
    });

    it("uses the host's own python3 and node, wherever they are installed", async () => {
      const host = spawnSync('python3', ['-c', 'import sys; print(sys.prefix)'], { encoding: 'utf8' }).stdout.trim();
      const spec = testPod([
        testContainer('main', {
          image: 'python:3',
          command: ['sh', '-c', `python3 -c 'import sys; print(sys.prefix)'; node -e 'console.log(process.version)'`],
          captureResult: true,
        }),
      ]);
      await runtime.createPod(spec);
      await events.end(spec.name);
      expect(events.exited(spec.name, 'main')?.result).toBe(`${host}\n${process.version}`);
    });

    it('keeps pods running when the spawner helper dies, reports their ends, and keeps working', async () => {
      const spec = testPod([testContainer('main', { image: 'alpine:3.23', command: ['sh', '-c', 'sleep 1; echo survived'], captureResult: true })]);
      const doomed = testPod([testContainer('main', { image: 'alpine:3.23', command: ['sleep', '300'] })]);
      await runtime.createPod(spec);
      await runtime.createPod(doomed);
      await events.waitFor(spec.name, 'containerStarted');
      await events.waitFor(doomed.name, 'containerStarted');
      const helper = runtime.helperPid;
      expect(helper).toBeGreaterThan(0);
      process.kill(helper!, 'SIGKILL');
      const end = await events.end(spec.name);
      expect(end).toMatchObject({ type: 'podFinished', phase: 'Succeeded' });
      expect(events.exited(spec.name, 'main')).toMatchObject({ exitCode: 0, result: 'survived' });
      expect(warnings.some((w) => w.includes('spawner helper exited'))).toBe(true);
      // A container the helper no longer watches can still be deleted.
      await runtime.deletePod(doomed.name);
      expect(await events.end(doomed.name)).toMatchObject({ type: 'podGone', reason: 'deleted' });
      await waitForNoProcesses(doomed.name);

      const next = testPod([testContainer('main', { image: 'alpine:3.23', command: ['echo', 'still here'], captureResult: true })]);
      await runtime.createPod(next);
      await events.end(next.name);
      expect(events.exited(next.name, 'main')?.result).toBe('still here');
    });

    it('leaves no process behind, even one that left its process group', async () => {
      const spec = testPod([testContainer('main', { image: 'alpine:3.23', command: ['sh', '-c', 'setsid sleep 300 & sleep 300'] })]);
      await runtime.createPod(spec);
      await events.waitFor(spec.name, 'containerStarted');
      await new Promise((r) => setTimeout(r, 300));
      await runtime.deletePod(spec.name);
      expect(await processesOf(spec.name)).toEqual([]);

      const finished = testPod([testContainer('main', { image: 'alpine:3.23', command: ['sh', '-c', 'setsid sleep 300 & echo started'] })]);
      await runtime.createPod(finished);
      await events.end(finished.name);
      const deadline = Date.now() + 5000;
      while ((await processesOf(finished.name)).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(await processesOf(finished.name)).toEqual([]);
    });

    it.runIf(sandbox === 'bwrap')('reports a sandbox that cannot be built as a container that could not start', async () => {
      const spec = testPod([testContainer('main', { image: 'alpine:3.23', command: ['true'], volumeMounts: [{ name: 'v', mountPath: '/proc/impossible' }] })], {
        volumes: [{ name: 'v', source: { kind: 'emptyDir' } }],
      });
      await runtime.createPod(spec);
      await events.end(spec.name);
      const exited = events.exited(spec.name, 'main');
      expect(exited?.exitCode).toBe(128);
      expect(exited?.reason).toMatch(/^cannot start: bwrap: /);
    });

    it('binds hostPath volumes', async () => {
      const host = await dataDir();
      await writeFile(path.join(host, 'in.txt'), 'from host\n');
      const spec = testPod([testContainer('main', { image: 'alpine:3.23', command: ['sh', '-c', 'cat /host/in.txt; echo back > /host/out.txt'], volumeMounts: [{ name: 'h', mountPath: '/host' }], captureResult: true })], {
        volumes: [{ name: 'h', source: { kind: 'hostPath', path: host } }],
      });
      await runtime.createPod(spec);
      await events.end(spec.name);
      expect(events.exited(spec.name, 'main')?.result).toBe('from host');
      expect(await readFile(path.join(host, 'out.txt'), 'utf8')).toBe('back\n');
    });

    it('kills every pod on close', async () => {
      const other = await createLocalRuntime({ dataDir: await dataDir(), sandbox, warn: quiet });
      const otherEvents = new EventRecorder(other);
      const spec = testPod([testContainer('main', { image: 'alpine:3.23', command: ['sleep', '300'] })]);
      await other.createPod(spec);
      await otherEvents.waitFor(spec.name, 'containerStarted');
      await other.close();
      const deadline = Date.now() + 5000;
      while ((await processesOf(spec.name)).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(await processesOf(spec.name)).toEqual([]);
    });
  });
}


/** The controller a test kills with SIGKILL: creates a runtime and a pod, and dies once the pod runs. */
const CONTROLLER_SCRIPT = `
import { createLocalRuntime } from ${JSON.stringify(pathToFileURL(path.join(import.meta.dirname, 'index.ts')).href)};
const [dataDir, sandbox, spec] = process.argv.slice(2);
const runtime = await createLocalRuntime({ dataDir, sandbox, warn: () => undefined });
runtime.onEvent((e) => {
  if (e.type === 'containerStarted') process.stdout.write(runtime.helperPid + '\\n', () => process.kill(process.pid, 'SIGKILL'));
});
await runtime.createPod(JSON.parse(spec));
`;

for (const sandbox of ['bwrap', 'none'] as const) {
  describe.runIf(sandbox === 'none' || bwrapUsable)(`local runtime adoption (${sandbox})`, () => {
    const open: LocalPodRuntime[] = [];
    const runtimeOn = async (dir: string): Promise<{ runtime: LocalPodRuntime; events: EventRecorder }> => {
      const runtime = await createLocalRuntime({ dataDir: dir, sandbox, warn: quiet });
      open.push(runtime);
      return { runtime, events: new EventRecorder(runtime) };
    };
    const sh = (script: string, extra: Partial<ContainerSpec> = {}, name = 'main'): ContainerSpec =>
      testContainer(name, { image: 'alpine:3.23', command: ['sh', '-c', script], ...extra });

    afterAll(async () => {
      await Promise.all(open.map((r) => r.close()));
    });

    it('returns a pod whose sandbox was killed while no runtime ran as gone: "pod deleted"', async () => {
      const dir = await dataDir();
      const first = await runtimeOn(dir);
      const spec = testPod([sh('sleep 300')]);
      await first.runtime.createPod(spec);
      await first.events.waitFor(spec.name, 'containerStarted');
      await waitUntil('the wrapper ran', () => existsSync(path.join(dir, 'pods', spec.name, 'containers', 'main', 'started-at')));
      await first.runtime.close({ keepPods: true });
      expect((await processesOf(spec.name)).length).toBeGreaterThan(0);
      // The whole sandbox at once, as a node going away would: one by one, the wrapper could
      // outlive its command and record its death.
      const recorded = parseIdentity(await readFile(path.join(dir, 'pods', spec.name, 'containers', 'main', 'pid'), 'utf8'));
      signalContainer(recorded!, sandbox, 'kill');
      await waitForNoProcesses(spec.name);

      const second = await runtimeOn(dir);
      const adopted = await second.runtime.adopt();
      expect(adopted).toHaveLength(1);
      expect(adopted[0]?.observation).toMatchObject({ name: spec.name, phase: 'Gone', message: 'pod deleted' });
      await new Promise((r) => setTimeout(r, 300));
      expect(second.events.events(spec.name)).toEqual([]);
      // Judged once: a third runtime finds it recorded gone.
      const third = await runtimeOn(dir);
      expect((await third.runtime.adopt())[0]?.observation).toMatchObject({ phase: 'Gone', message: 'pod deleted' });
    });

    it('carries on a containerSet whose running container ended while no runtime ran', async () => {
      const dir = await dataDir();
      const first = await runtimeOn(dir);
      const mount = [{ name: 'work', mountPath: '/work' }];
      const spec = testPod([sh('sleep 0.3; echo a > /work/a', { volumeMounts: mount }, 'a'), sh('cat /work/a', { volumeMounts: mount, dependencies: ['a'], captureResult: true }), sh('sleep 300', { role: 'sidecar' }, 'side')], {
        volumes: [{ name: 'work', source: { kind: 'emptyDir' } }],
      });
      await first.runtime.createPod(spec);
      await first.events.waitFor(spec.name, 'containerStarted', (e) => e.container === 'a');
      await first.runtime.close({ keepPods: true });
      await waitUntil('a ended', () => existsSync(path.join(dir, 'pods', spec.name, 'containers', 'a', 'exitcode')));

      const second = await runtimeOn(dir);
      const [adopted] = await second.runtime.adopt();
      expect(adopted?.observation).toMatchObject({ phase: 'Running', containers: { a: { state: 'terminated', exitCode: 0 } } });
      expect(adopted?.observation.containers.main).toBeUndefined();
      const end = await second.events.end(spec.name);
      expect(end).toMatchObject({ type: 'podFinished', phase: 'Succeeded' });
      expect(second.events.exited(spec.name, 'main')).toMatchObject({ exitCode: 0, result: 'a' });
      expect(second.events.exited(spec.name, 'side')?.exitCode).toBeGreaterThanOrEqual(128);
      await waitForNoProcesses(spec.name);
    });

    it('survives a controller killed with SIGKILL: the pod completes, and the next runtime adopts its result', async () => {
      const dir = await dataDir();
      const spec = testPod([sh('sleep 1; echo done', { captureResult: true })]);
      const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
      const script = path.join(dir, 'controller.mts');
      await writeFile(script, CONTROLLER_SCRIPT);
      const child = spawn(process.execPath, ['--import', tsx, script, dir, sandbox, JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'inherit'] });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, sig) => resolve(sig)));
      expect(signal).toBe('SIGKILL');
      const helper = Number(output.trim());
      expect(helper).toBeGreaterThan(0);
      // Its helper notices and goes, leaving the pod running.
      await waitUntil('the helper exited', () => !isAlive({ pid: helper }));
      expect((await processesOf(spec.name)).length).toBeGreaterThan(0);
      const exitcode = path.join(dir, 'pods', spec.name, 'containers', 'main', 'exitcode');
      await waitUntil('the pod completed', () => existsSync(exitcode));

      const { runtime } = await runtimeOn(dir);
      const [adopted] = await runtime.adopt();
      expect(adopted?.spec).toEqual(spec);
      expect(adopted?.observation).toMatchObject({ phase: 'Succeeded', containers: { main: { state: 'terminated', exitCode: 0, result: 'done' } } });
    });

    it('counts an adopted pod’s deadline from its recorded start', async () => {
      const dir = await dataDir();
      const first = await runtimeOn(dir);
      const spec = testPod([sh('sleep 300')], { activeDeadlineSeconds: 2 });
      const t0 = Date.now();
      await first.runtime.createPod(spec);
      await first.events.waitFor(spec.name, 'containerStarted');
      await first.runtime.close({ keepPods: true });
      await new Promise((r) => setTimeout(r, 1200 - (Date.now() - t0)));

      const second = await runtimeOn(dir);
      const [adopted] = await second.runtime.adopt();
      expect(adopted?.observation.phase).toBe('Running');
      expect(await second.events.end(spec.name)).toMatchObject({ type: 'podGone', reason: 'deadline' });
      const elapsed = Date.now() - t0;
      expect(elapsed).toBeGreaterThanOrEqual(1900);
      expect(elapsed).toBeLessThan(3000);
      await waitForNoProcesses(spec.name);
    });

    it('kills an adopted pod: no process of it, nor its recorded one, survives', async () => {
      const dir = await dataDir();
      const first = await runtimeOn(dir);
      const spec = testPod([sh('sleep 300 & sleep 300'), sh('sleep 300', { role: 'sidecar' }, 'side')]);
      await first.runtime.createPod(spec);
      await first.events.waitFor(spec.name, 'containerStarted', (e) => e.container === 'main');
      await first.events.waitFor(spec.name, 'containerStarted', (e) => e.container === 'side');
      await first.runtime.close({ keepPods: true });
      const recorded = parseIdentity(await readFile(path.join(dir, 'pods', spec.name, 'containers', 'main', 'pid'), 'utf8'));
      expect(recorded && isAlive(recorded)).toBe(true);

      const second = await runtimeOn(dir);
      await second.runtime.adopt();
      await second.runtime.deletePod(spec.name);
      expect(await second.events.end(spec.name)).toMatchObject({ type: 'podGone', reason: 'deleted' });
      expect(isAlive(recorded!)).toBe(false);
      await waitForNoProcesses(spec.name);
    });

    it('replays the history of a pod created again without adopt, and does not run it again', async () => {
      const dir = await dataDir();
      const host = await dataDir();
      const spec = testPod([sh('echo run >> /host/runs; echo ok', { volumeMounts: [{ name: 'h', mountPath: '/host' }], captureResult: true })], {
        volumes: [{ name: 'h', source: { kind: 'hostPath', path: host } }],
      });
      const first = await runtimeOn(dir);
      await first.runtime.createPod(spec);
      await first.events.end(spec.name);
      await first.runtime.close();

      const second = await runtimeOn(dir);
      await second.runtime.createPod(spec);
      expect(second.events.events(spec.name).map((e) => e.type)).toEqual(['podStarted', 'containerStarted', 'containerExited', 'podFinished']);
      expect(second.events.exited(spec.name, 'main')?.result).toBe('ok');
      expect(await readFile(path.join(host, 'runs'), 'utf8')).toBe('run\n');
    });

    it('judges a container asked for but never recorded (the controller died mid-spawn) as lost', async () => {
      const dir = await dataDir();
      const spec = testPod([sh('echo never')]);
      const podDir = path.join(dir, 'pods', spec.name);
      await mkdir(path.join(podDir, 'containers', 'main'), { recursive: true });
      await writeFile(path.join(podDir, 'pod.json'), JSON.stringify(spec));
      await writeFile(path.join(podDir, 'started-at'), `${new Date().toISOString()}\n`);
      await writeFile(path.join(podDir, 'containers', 'main', 'spawning'), '');
      const { runtime, events } = await runtimeOn(dir);
      const [adopted] = await runtime.adopt();
      expect(adopted?.observation).toMatchObject({ phase: 'Gone', message: 'pod deleted' });
      await runtime.createPod(spec);
      await new Promise((r) => setTimeout(r, 300));
      expect(events.events(spec.name)).toEqual([]);
      expect(existsSync(path.join(podDir, 'containers', 'main', 'started-at'))).toBe(false);
    });

    it('replaces a pod directory that was never completely created', async () => {
      const dir = await dataDir();
      const spec = testPod([sh('echo fresh', { captureResult: true })]);
      await mkdir(path.join(dir, 'pods', spec.name, 'containers', 'main'), { recursive: true });
      await writeFile(path.join(dir, 'pods', spec.name, 'containers', 'main', 'exitcode'), '9\n');
      const { runtime, events } = await runtimeOn(dir);
      expect(await runtime.adopt()).toEqual([]);
      await runtime.createPod(spec);
      await events.end(spec.name);
      expect(events.exited(spec.name, 'main')).toMatchObject({ exitCode: 0, result: 'fresh' });
    });

    it('kills its pods on close(), and leaves them running on close({ keepPods: true })', async () => {
      const { runtime, events } = await runtimeOn(await dataDir());
      const spec = testPod([sh('sleep 300')]);
      await runtime.createPod(spec);
      await events.waitFor(spec.name, 'containerStarted');
      await runtime.close({ keepPods: true });
      await new Promise((r) => setTimeout(r, 200));
      expect((await processesOf(spec.name)).length).toBeGreaterThan(0);
      for (const pid of await processesOf(spec.name)) process.kill(pid, 'SIGKILL');
    });
  });
}

describe('image map', () => {
  const map = new ImageMap();

  it('normalises registries and library prefixes', () => {
    expect(normaliseImage('docker.io/library/alpine:3.23')).toBe('alpine:3.23');
    expect(normaliseImage('quay.io/argoproj/argosay:v2')).toBe('argoproj/argosay:v2');
    expect(normaliseImage('localhost:5000/python:3@sha256:abc')).toBe('python:3');
  });

  it('maps the images of the Argo corpus, with ENTRYPOINT and CMD semantics', () => {
    expect(resolveCommand(map, { image: 'argoproj/argosay:v2' })).toEqual({ ok: true, argv: ['/argosay'] });
    expect(resolveCommand(map, { image: 'argoproj/argosay:v2', args: ['echo', 'x'] })).toEqual({ ok: true, argv: ['/argosay', 'echo', 'x'] });
    expect(resolveCommand(map, { image: 'argoproj/argosay:v1' })).toEqual({ ok: true, argv: ['cowsay'] });
    expect(resolveCommand(map, { image: 'docker/whalesay:latest' })).toEqual({ ok: true, argv: ['cowsay'] });
    expect(resolveCommand(map, { image: 'alpine:3.23' })).toEqual({ ok: true, argv: ['/bin/sh'] });
    expect(resolveCommand(map, { image: 'busybox' })).toEqual({ ok: true, argv: ['/bin/sh'] });
    expect(resolveCommand(map, { image: 'nginx:1.13' })).toEqual({ ok: true, argv: ['nginx', '-g', 'daemon off;'] });
    expect(resolveCommand(map, { image: 'python:alpine3.23' })).toEqual({ ok: true, argv: ['python3'] });
    // args replace a CMD
    expect(resolveCommand(map, { image: 'alpine', args: ['echo', 'hi'] })).toEqual({ ok: true, argv: ['echo', 'hi'] });
    expect(resolveCommand(map, { image: 'alpine', command: ['sh', '-c'], args: ['x'] })).toEqual({ ok: true, argv: ['sh', '-c', 'x'] });
    expect(resolveCommand(map, { image: 'unknown/image' })).toMatchObject({ ok: false });
  });

  it('lets user entries win', () => {
    const custom = new ImageMap({ 'alpine*': ['/bin/bash'] });
    expect(resolveCommand(custom, { image: 'alpine:3', args: ['-c', 'x'] })).toEqual({ ok: true, argv: ['/bin/bash', '-c', 'x'] });
  });

  it('knows which images have a busybox sh', () => {
    expect(usesBusyboxShell('alpine:3.23')).toBe(true);
    expect(usesBusyboxShell('busybox')).toBe(true);
    expect(usesBusyboxShell('curlimages/curl:latest')).toBe(true);
    expect(usesBusyboxShell('argoproj/argosay:v2')).toBe(false);
    expect(usesBusyboxShell(undefined)).toBe(false);
  });
});

describe('path rewriting without a sandbox', () => {
  const rw = new PathRewriter(
    new Map([
      ['/tmp', '/pod/root/tmp'],
      ['/mnt/vol', '/pod/volumes/v'],
      ['/result.txt', '/pod/root/result.txt'],
    ]),
  );

  it('rewrites declared paths where they stand alone', () => {
    expect(rw.rewrite('echo x > /tmp/out.txt')).toBe('echo x > /pod/root/tmp/out.txt');
    expect(rw.rewrite('cat "/mnt/vol/a" /tmp')).toBe('cat "/pod/volumes/v/a" /pod/root/tmp');
    expect(rw.rewrite('ls /result.txt;')).toBe('ls /pod/root/result.txt;');
  });

  it('leaves other paths alone', () => {
    expect(rw.rewrite('/var/tmp/x $HOME/tmp ${D}/tmp /tmpfile /mnt/volume')).toBe('/var/tmp/x $HOME/tmp ${D}/tmp /tmpfile /mnt/volume');
  });

  it('maps paths to the host', () => {
    expect(rw.hostPathFor('/mnt/vol/x/y')).toBe('/pod/volumes/v/x/y');
    expect(rw.hostPathFor('/etc/x')).toBeUndefined();
  });
});
