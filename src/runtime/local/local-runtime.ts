// The PodRuntime over local sandboxes: keeps the pods, routes the spawner's process reports to
// them, watches the containers no helper reports on, and fans the pods' events out to listeners.
//
// Pods outlive this object: their sandboxes run in their own sessions and leave their records in
// the pod directories, so a runtime created later on the same data directory adopts them.

import { readFileSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ContainerSpec, PodEvent, PodEventListener, PodObservation, PodRuntime, PodSpec, ReadinessProbe } from '../types.js';
import type { ImageMap } from './image-map.js';
import { observationOf } from '../observation.js';
import { logPathFor, podDirOf, readPodSpec } from './pod-layout.js';
import { DELETED_MESSAGE, PodRun, type PodHost } from './pod.js';
import { killProcessesOfPod } from './proc-scan.js';
import type { ProcessIdentity } from './process-identity.js';
import type { SpawnerReport } from './protocol.js';
import { httpProbe, probeTimings, tcpProbe } from './readiness.js';
import { buildLaunch, type Launch, type SandboxSettings } from './sandbox.js';
import { signalContainer, type SignalMode } from './signal-container.js';
import type { SpawnerClient } from './spawner-client.js';

export interface LocalRuntimeOptions {
  dataDir: string;
  settings: SandboxSettings;
  imageMap: ImageMap;
  killGraceMs: number;
  containerSetFailFast: boolean;
  warn: (message: string) => void;
}

/** How often containers no helper reports on are checked: their exit record, their process. */
const POLL_MS = 100;

export class LocalRuntime implements PodRuntime, PodHost {
  readonly settings: SandboxSettings;
  readonly imageMap: ImageMap;
  readonly killGraceMs: number;
  readonly containerSetFailFast: boolean;
  private spawner: SpawnerClient | undefined;
  private readonly pods = new Map<string, PodRun>();
  private readonly accepting = new Map<string, Promise<void>>();
  private readonly procs = new Map<string, PodRun>();
  /** Exec probes running, by process id: their pod, what to do with the helper's reports on them, how to kill them. */
  private readonly probes = new Map<string, { pod: string; report: (report: SpawnerReport | { ev: 'orphaned' }) => void; kill: () => void }>();
  private readonly listeners = new Set<PodEventListener>();
  private readonly poller: NodeJS.Timeout;
  private nextProc = 0;
  private closed = false;

  constructor(private readonly options: LocalRuntimeOptions) {
    this.settings = options.settings;
    this.imageMap = options.imageMap;
    this.killGraceMs = options.killGraceMs;
    this.containerSetFailFast = options.containerSetFailFast;
    this.poller = setInterval(() => {
      for (const pod of this.pods.values()) pod.poll();
    }, POLL_MS);
    this.poller.unref();
  }

  /** Set once the helper runs; the helper's reports need this object, hence not a constructor argument. */
  attach(spawner: SpawnerClient): void {
    this.spawner = spawner;
  }

  /** The spawner helper's pid (tests kill it to simulate a crash). */
  get helperPid(): number | undefined {
    return this.spawner?.pid;
  }

  get sandbox(): SandboxSettings['mode'] {
    return this.settings.mode;
  }

  async createPod(spec: PodSpec): Promise<void> {
    if (this.closed) throw new Error('local runtime is closed');
    const pending = this.accepting.get(spec.name);
    if (pending) return pending;
    if (this.pods.has(spec.name)) return;
    const accepted = this.accept(spec);
    this.accepting.set(spec.name, accepted);
    try {
      await accepted;
    } catch (err) {
      this.pods.delete(spec.name);
      throw err;
    } finally {
      this.accepting.delete(spec.name);
    }
  }

  private async accept(spec: PodSpec): Promise<void> {
    const podDir = podDirOf(this.options.dataDir, spec.name);
    const existing = await readPodSpec(podDir);
    if (existing) {
      // Created by an earlier runtime and never adopted: the pod exists (its spec wins, as
      // Kubernetes answers AlreadyExists), and whoever creates it again has evidently not heard
      // what happened to it so far.
      const pod = new PodRun(this, this.options.dataDir, existing);
      this.pods.set(spec.name, pod);
      for (const event of await pod.restore()) this.emit(event);
      pod.resume();
      return;
    }
    const pod = new PodRun(this, this.options.dataDir, spec);
    this.pods.set(spec.name, pod);
    // Only a pod that was never completely created (no pod.json) is replaced.
    await rm(podDir, { recursive: true, force: true });
    await pod.layout.materialise({ skeleton: this.settings.mode === 'none' });
    pod.start();
  }

  async adopt(): Promise<{ spec: PodSpec; observation: PodObservation }[]> {
    if (this.closed) throw new Error('local runtime is closed');
    const podsDir = path.join(this.options.dataDir, 'pods');
    const entries = await readdir(podsDir).catch(() => [] as string[]);
    const adopted: { spec: PodSpec; observation: PodObservation }[] = [];
    const restored: PodRun[] = [];
    for (const entry of entries.sort()) {
      const spec = await readPodSpec(path.join(podsDir, entry));
      if (!spec || this.pods.has(spec.name)) continue;
      const pod = new PodRun(this, this.options.dataDir, spec);
      this.pods.set(spec.name, pod);
      let observation: PodObservation;
      try {
        observation = observationOf(spec.name, await pod.restore());
        restored.push(pod);
      } catch (err) {
        // One unreadable pod must not keep the others from being adopted.
        this.options.warn(`cannot adopt pod ${spec.name}: ${err instanceof Error ? err.message : String(err)}`);
        await killProcessesOfPod(spec.name).catch(() => undefined);
        pod.dispose();
        observation = { name: spec.name, phase: 'Gone', message: DELETED_MESSAGE, containers: {} };
      }
      adopted.push({ spec, observation });
    }
    // Later changes are events, and must not overtake the observations returned here: the caller
    // seeds its state from them as soon as this promise resolves.
    setImmediate(() => {
      if (!this.closed) for (const pod of restored) pod.resume();
    });
    return adopted;
  }

  async deletePod(name: string, opts?: { graceSeconds?: number }): Promise<void> {
    await this.accepting.get(name)?.catch(() => undefined);
    const pod = this.pods.get(name);
    if (!pod || pod.isSettled) return;
    if (opts?.graceSeconds !== undefined) await pod.deleteGracefully(Math.max(0, opts.graceSeconds) * 1000);
    else await pod.deleteAbruptly();
  }

  listPods(): Promise<string[]> {
    return Promise.resolve([...this.pods.keys()]);
  }

  logPath(pod: string, container: string): string {
    const known = this.pods.get(pod);
    if (known) return known.layout.logFile(container);
    // A pod from an earlier runtime: its spec is on disk.
    try {
      const spec = JSON.parse(readFileSync(path.join(podDirOf(this.options.dataDir, pod), 'pod.json'), 'utf8')) as PodSpec;
      return logPathFor(this.options.dataDir, spec, container);
    } catch {
      throw new Error(`unknown pod "${pod}"`);
    }
  }

  async cleanupPod(name: string): Promise<void> {
    await this.accepting.get(name)?.catch(() => undefined);
    const pod = this.pods.get(name);
    if (pod && !pod.isSettled) await pod.deleteAbruptly();
    await rm(pod?.layout.podDir ?? podDirOf(this.options.dataDir, name), { recursive: true, force: true });
    this.pods.delete(name);
  }

  onEvent(listener: PodEventListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Stops the runtime without further events; its pods are killed unless `keepPods`. */
  async close(opts?: { keepPods?: boolean }): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.poller);
    const keep = opts?.keepPods === true;
    for (const probe of [...this.probes.values()]) probe.report({ ev: 'orphaned' });
    for (const pod of this.pods.values()) {
      if (!keep && !pod.isSettled) pod.killProcesses();
      pod.dispose();
    }
    // The helper kills what it spawned and we may not know yet (a spawn not yet reported).
    await this.spawner?.close({ killProcesses: !keep });
  }

  // PodHost

  spawn(pod: PodRun, launch: Launch, logFile: string, pidFile: string): string {
    if (!this.spawner) throw new Error('spawner helper not running');
    const id = String(++this.nextProc);
    this.procs.set(id, pod);
    this.spawner.spawn({ op: 'spawn', id, argv: launch.argv, env: launch.env, cwd: launch.cwd, isolation: this.settings.mode, logFile, pidFile });
    return id;
  }

  signal(process: ProcessIdentity, mode: SignalMode): void {
    signalContainer(process, this.settings.mode, mode);
  }

  /** A bwrap sandbox's processes die with its PID namespace; plain processes may have escaped their group. Exec probes run in sandboxes of their own. */
  async sweep(pod: string): Promise<void> {
    for (const probe of this.probes.values()) if (probe.pod === pod) probe.kill();
    if (this.settings.mode === 'none') await killProcessesOfPod(pod).catch(() => undefined);
  }

  async killAllOf(pod: string): Promise<void> {
    await killProcessesOfPod(pod).catch(() => undefined);
  }

  probe(pod: PodRun, container: ContainerSpec, probe: ReadinessProbe): Promise<boolean> {
    const { timeoutMs } = probeTimings(probe);
    if (probe.httpGet) return httpProbe(probe.httpGet, timeoutMs);
    if (probe.tcpSocket) return tcpProbe(probe.tcpSocket, timeoutMs);
    if (probe.exec) return this.execProbe(pod, container, probe.exec.command, timeoutMs);
    return Promise.resolve(false);
  }

  /**
   * An exec probe: the command runs in the container's environment (its root, volumes, variables;
   * a sandbox of its own, so not among the container's processes) under the container wrapper,
   * whose records go to the probe's own directory. Passes on exit 0 within the timeout; past it,
   * the probe is killed.
   */
  private async execProbe(pod: PodRun, container: ContainerSpec, command: string[], timeoutMs: number): Promise<boolean> {
    if (!this.spawner || this.closed || command.length === 0) return false;
    const dir = pod.layout.probeDir(container.name);
    await mkdir(dir, { recursive: true });
    const spec: ContainerSpec = { ...container, captureResult: false };
    delete spec.script;
    const launch = buildLaunch(this.settings, pod.layout, spec, command, false, dir);
    const id = `probe-${++this.nextProc}`;
    return new Promise<boolean>((resolve) => {
      let process: ProcessIdentity | undefined;
      let timedOut = false;
      // Failed from now on; the process is killed as soon as it is known, and forgotten when it ends.
      const kill = (): void => {
        timedOut = true;
        if (process) signalContainer(process, this.settings.mode, 'kill');
      };
      const timer = setTimeout(() => {
        resolve(false);
        kill();
      }, timeoutMs);
      const finish = (ok: boolean): void => {
        clearTimeout(timer);
        this.probes.delete(id);
        resolve(ok);
      };
      const report = (r: SpawnerReport | { ev: 'orphaned' }): void => {
        if (r.ev === 'started') {
          process = r.start !== undefined ? { pid: r.pid, start: r.start } : { pid: r.pid };
          if (timedOut) signalContainer(process, this.settings.mode, 'kill');
        } else if (r.ev === 'exit') {
          finish(!timedOut && r.code === 0);
        } else if (r.ev !== 'ready') {
          finish(false);
        }
      };
      this.probes.set(id, { pod: pod.name, report, kill });
      this.spawner?.spawn({ op: 'spawn', id, argv: launch.argv, env: launch.env, cwd: launch.cwd, isolation: this.settings.mode, logFile: path.join(dir, 'log'), pidFile: path.join(dir, 'pid') });
    });
  }

  emit(event: PodEvent): void {
    if (this.closed) return;
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.options.warn(`pod event listener failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  // Spawner reports

  receive(report: SpawnerReport): void {
    if (report.ev === 'ready') return;
    const probe = this.probes.get(report.id);
    if (probe) return probe.report(report);
    const pod = this.procs.get(report.id);
    if (!pod) return;
    if (report.ev === 'started') {
      pod.processStarted(report.id, report.start !== undefined ? { pid: report.pid, start: report.start } : { pid: report.pid });
    } else if (report.ev === 'exit') {
      this.procs.delete(report.id);
      pod.processExited(report.id, report.code, report.signal);
    } else {
      this.procs.delete(report.id);
      pod.processFailed(report.id, report.message);
    }
  }

  /** The helper died; its containers did not, and are watched through their records from now on. */
  orphaned(ids: string[], reason: string): void {
    const pods = new Set<PodRun>();
    for (const id of ids) {
      // An exec probe the helper took with it fails; the next one runs under the new helper.
      this.probes.get(id)?.report({ ev: 'orphaned' });
      const pod = this.procs.get(id);
      this.procs.delete(id);
      if (!pod) continue;
      pods.add(pod);
      pod.processOrphaned(id, reason);
    }
    if (this.closed) return;
    this.options.warn(`${reason}; restarted it (the containers of ${pods.size} pod(s) keep running, watched through their records)`);
  }
}
