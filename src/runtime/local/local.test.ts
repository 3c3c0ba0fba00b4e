import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventRecorder, runtimeConformance, testContainer, testPod } from '../runtime.suite.js';
import { ImageMap, normaliseImage, resolveCommand, usesBusyboxShell } from './image-map.js';
import { createLocalRuntime, logFilePath, type LocalPodRuntime } from './index.js';
import { PathRewriter } from './path-rewrite.js';
import { processesOfPod } from './proc-scan.js';

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

const bwrapUsable = process.platform === 'linux' && spawnSync('bwrap', ['--version']).status === 0;
const quiet = (): void => undefined;

describe.runIf(bwrapUsable)('local runtime, bwrap', () => {
  runtimeConformance('local (bwrap)', async () => createLocalRuntime({ dataDir: await dataDir(), sandbox: 'bwrap', warn: quiet }), {
    isolatedFilesystem: true,
    processesOf,
  });
});

describe('local runtime, plain processes', () => {
  runtimeConformance('local (none)', async () => createLocalRuntime({ dataDir: await dataDir(), sandbox: 'none', warn: quiet }), { processesOf });
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
      expect((await readFile(path.join(pod, 'containers', 'main', 'started-at'), 'utf8')).trim()).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect((await readFile(path.join(pod, 'containers', 'main', 'finished-at'), 'utf8')).trim()).toMatch(/Z$/);
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

    it('reports pods as lost when the spawner helper dies, and keeps working', async () => {
      const spec = testPod([testContainer('main', { image: 'alpine:3.23', command: ['sleep', '300'] })]);
      await runtime.createPod(spec);
      await events.waitFor(spec.name, 'containerStarted');
      const helper = runtime.helperPid;
      expect(helper).toBeGreaterThan(0);
      process.kill(helper!, 'SIGKILL');
      const end = await events.end(spec.name);
      expect(end).toMatchObject({ type: 'podGone', reason: 'lost' });
      const deadline = Date.now() + 5000;
      while ((await processesOf(spec.name)).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(await processesOf(spec.name)).toEqual([]);
      expect(warnings.some((w) => w.includes('spawner helper exited'))).toBe(true);

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
