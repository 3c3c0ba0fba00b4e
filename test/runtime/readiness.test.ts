// Readiness probes in the local runtime (daemon steps wait for them): the checks themselves against
// servers in this process, the `containerReady` event of real pods (httpGet, tcpSocket, exec;
// initialDelaySeconds, periodSeconds, timeoutSeconds), and how the event folds into an observation.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalRuntime, type LocalPodRuntime } from '../../src/runtime/local/index.js';
import { processesOfPod } from '../../src/runtime/local/proc-scan.js';
import { httpProbe, probeTimings, tcpProbe } from '../../src/runtime/local/readiness.js';
import { applyPodEvent } from '../../src/runtime/observation.js';
import { EventRecorder, testContainer, testPod } from '../../src/runtime/runtime.suite.js';
import type { ContainerSpec, PodEvent, ReadinessProbe } from '../../src/runtime/types.js';

const dirs: string[] = [];
const runtimes: LocalPodRuntime[] = [];
const servers: net.Server[] = [];
afterAll(async () => {
  for (const r of runtimes) await r.close();
  for (const s of servers) s.close();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

const bwrapUsable = process.platform === 'linux' && spawnSync('bwrap', ['--version']).status === 0;

async function start(sandbox: 'bwrap' | 'none'): Promise<{ runtime: LocalPodRuntime; events: EventRecorder }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'argot-ready-'));
  dirs.push(dir);
  const runtime = await createLocalRuntime({ dataDir: dir, sandbox, warn: () => undefined, sidecarGraceSeconds: 1 });
  runtimes.push(runtime);
  return { runtime, events: new EventRecorder(runtime) };
}

/** A port nothing listens on (yet). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function httpServer(handler: http.RequestListener, port = 0): Promise<number> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

const sh = (script: string, readinessProbe?: ReadinessProbe, extra: Partial<ContainerSpec> = {}): ContainerSpec =>
  testContainer('main', { image: 'alpine:3.23', command: ['sh', '-c'], args: [script], ...(readinessProbe ? { readinessProbe } : {}), ...extra });

const readyOf = (events: EventRecorder, pod: string) => events.events(pod).filter((e) => e.type === 'containerReady');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('probe checks', () => {
  it('httpGet passes on 2xx and 3xx, fails on 4xx/5xx, refused connections and timeouts; sends the headers', async () => {
    const seen: http.IncomingHttpHeaders[] = [];
    const port = await httpServer((req, res) => {
      seen.push(req.headers);
      const status = Number(req.url?.slice(1)) || 200;
      if (req.url === '/hang') return; // never answers
      res.writeHead(status, status === 302 ? { Location: '/elsewhere' } : {});
      res.end('x');
    });
    expect(await httpProbe({ port, path: '/200', headers: [{ name: 'X-Probe', value: 'yes' }] }, 1000)).toBe(true);
    expect(seen[0]?.['x-probe']).toBe('yes');
    expect(seen[0]?.['user-agent']).toMatch(/^kube-probe/);
    expect(await httpProbe({ port, path: '302' }, 1000)).toBe(true);
    expect(await httpProbe({ port, path: '/404' }, 1000)).toBe(false);
    expect(await httpProbe({ port, path: '/503' }, 1000)).toBe(false);
    const started = Date.now();
    expect(await httpProbe({ port, path: '/hang' }, 300)).toBe(false);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await httpProbe({ port: await freePort() }, 1000)).toBe(false);
    expect(await httpProbe({ port: Number.NaN }, 1000)).toBe(false);
  });

  it('tcpSocket passes when a connection opens', async () => {
    const port = await httpServer(() => undefined);
    expect(await tcpProbe({ port }, 1000)).toBe(true);
    expect(await tcpProbe({ port: await freePort() }, 1000)).toBe(false);
  });

  it("uses Kubernetes' default timings", () => {
    expect(probeTimings({ tcpSocket: { port: 1 } })).toEqual({ initialDelayMs: 0, periodMs: 10_000, timeoutMs: 1000, successThreshold: 1 });
    expect(probeTimings({ tcpSocket: { port: 1 }, initialDelaySeconds: 2, periodSeconds: 0, timeoutSeconds: 3, successThreshold: 2 })).toEqual({
      initialDelayMs: 2000,
      periodMs: 1000,
      timeoutMs: 3000,
      successThreshold: 2,
    });
  });
});

describe('containerReady in an observation', () => {
  it('marks a running container ready, and nothing else', () => {
    const at = '2026-01-01T00:00:00Z';
    const events: PodEvent[] = [
      { type: 'podStarted', pod: 'p', at },
      { type: 'containerStarted', pod: 'p', container: 'main', at },
      { type: 'containerReady', pod: 'p', container: 'main', at },
      { type: 'containerReady', pod: 'p', container: 'sidecar', at },
    ];
    const obs = events.reduce((o, e) => applyPodEvent(o, e), applyPodEvent(undefined, events[0] as PodEvent));
    expect(obs.containers.main).toEqual({ state: 'running', startedAt: at, ready: true });
    expect(obs.containers.sidecar).toBeUndefined();
    const exited = applyPodEvent(obs, { type: 'containerExited', pod: 'p', container: 'main', exitCode: 0, at, outputs: {} });
    expect(exited.containers.main).toMatchObject({ state: 'terminated', exitCode: 0 });
    expect(applyPodEvent(exited, { type: 'containerReady', pod: 'p', container: 'main', at }).containers.main?.state).toBe('terminated');
  });
});

for (const sandbox of ['none', 'bwrap'] as const) {
  describe.runIf(sandbox === 'none' || bwrapUsable)(`readiness probes of real pods (${sandbox})`, () => {
    it('tcpSocket: ready only once something listens, after the initial delay; reported once', async () => {
      const { runtime, events } = await start(sandbox);
      const port = await freePort();
      const pod = testPod([sh('sleep 30', { tcpSocket: { port }, initialDelaySeconds: 1, periodSeconds: 1 })]);
      const created = Date.now();
      await runtime.createPod(pod);
      await events.waitFor(pod.name, 'containerStarted');
      await sleep(1800);
      expect(readyOf(events, pod.name)).toEqual([]);
      const listening = Date.now();
      await httpServer(() => undefined, port);
      const ready = await events.waitFor(pod.name, 'containerReady', () => true, 10_000);
      expect(ready.container).toBe('main');
      expect(Date.now() - listening).toBeLessThan(3000);
      expect(Date.now() - created).toBeGreaterThanOrEqual(1000);
      await sleep(2200);
      expect(readyOf(events, pod.name)).toHaveLength(1);
      await runtime.deletePod(pod.name);
    });

    it('httpGet against the pod itself: a python http.server in the container', async () => {
      const { runtime, events } = await start(sandbox);
      const port = await freePort();
      const main = testContainer('main', {
        image: 'python:3.12',
        command: ['python3', '-c', `import http.server,time; time.sleep(1); http.server.ThreadingHTTPServer(("127.0.0.1", ${port}), http.server.SimpleHTTPRequestHandler).serve_forever()`],
        readinessProbe: { httpGet: { port, path: '/' }, periodSeconds: 1 },
      });
      const pod = testPod([main]);
      await runtime.createPod(pod);
      await events.waitFor(pod.name, 'containerReady', () => true, 15_000);
      await runtime.deletePod(pod.name);
      expect((await events.end(pod.name)).type).toBe('podGone');
      await expect.poll(() => processesOfPod(pod.name), { timeout: 5000 }).toEqual([]);
    });

    it("exec: runs in the container's environment (its /tmp), and leaves the container's own exit record alone", async () => {
      const { runtime, events } = await start(sandbox);
      const pod = testPod([sh('sleep 1; echo up > /tmp/ready; sleep 3; exit 0', { exec: { command: ['cat', '/tmp/ready'] }, periodSeconds: 1 })]);
      await runtime.createPod(pod);
      const started = await events.waitFor(pod.name, 'containerStarted');
      const ready = await events.waitFor(pod.name, 'containerReady', () => true, 10_000);
      expect(Date.parse(ready.at)).toBeGreaterThanOrEqual(Date.parse(started.at));
      const end = await events.end(pod.name, 15_000);
      expect(end).toMatchObject({ type: 'podFinished', phase: 'Succeeded' });
      expect(events.exited(pod.name, 'main')).toMatchObject({ exitCode: 0 });
    });

    it('exec: a probe that outlives timeoutSeconds fails and is killed; the container is never ready', async () => {
      const { runtime, events } = await start(sandbox);
      const pod = testPod([sh('sleep 30', { exec: { command: ['sh', '-c', 'sleep 20'] }, periodSeconds: 1, timeoutSeconds: 1 })]);
      await runtime.createPod(pod);
      await events.waitFor(pod.name, 'containerStarted');
      await sleep(3500);
      expect(readyOf(events, pod.name)).toEqual([]);
      // Only the container's own processes are left: the probes were killed at their timeout.
      const commands = await Promise.all((await processesOfPod(pod.name)).map(async (pid) => (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replace(/\0/g, ' ')));
      expect(commands.filter((c) => c.includes('sleep 20'))).toEqual([]);
      expect(commands.some((c) => c.includes('sleep 30'))).toBe(true);
      await runtime.deletePod(pod.name);
      await expect.poll(() => processesOfPod(pod.name), { timeout: 5000 }).toEqual([]);
    });

    it('an exec probe still running goes with its pod', async () => {
      const { runtime, events } = await start(sandbox);
      const pod = testPod([sh('sleep 30', { exec: { command: ['sh', '-c', 'sleep 25'] }, timeoutSeconds: 30 })]);
      await runtime.createPod(pod);
      await events.waitFor(pod.name, 'containerStarted');
      await sleep(1000);
      const deleted = Date.now();
      await runtime.deletePod(pod.name);
      await expect.poll(() => processesOfPod(pod.name), { timeout: 5000 }).toEqual([]);
      expect(Date.now() - deleted).toBeLessThan(5000);
    });

    it('a container without a probe never reports readiness', async () => {
      const { runtime, events } = await start(sandbox);
      const pod = testPod([sh('sleep 1')]);
      await runtime.createPod(pod);
      expect(await events.end(pod.name, 10_000)).toMatchObject({ type: 'podFinished', phase: 'Succeeded' });
      expect(readyOf(events, pod.name)).toEqual([]);
    });
  });
}
