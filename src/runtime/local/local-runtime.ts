// The PodRuntime over local sandboxes: keeps the pods, routes the spawner's process reports to
// them, and fans their events out to listeners.

import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { PodEvent, PodEventListener, PodRuntime, PodSpec } from '../types.js';
import type { ImageMap } from './image-map.js';
import { logPathFor } from './pod-layout.js';
import { PodRun, type PodHost } from './pod.js';
import { killProcessesOfPod } from './proc-scan.js';
import type { SpawnerReport } from './protocol.js';
import type { Launch, SandboxSettings } from './sandbox.js';
import type { SpawnerClient } from './spawner-client.js';

export interface LocalRuntimeOptions {
  dataDir: string;
  settings: SandboxSettings;
  imageMap: ImageMap;
  killGraceMs: number;
  containerSetFailFast: boolean;
  warn: (message: string) => void;
}

export class LocalRuntime implements PodRuntime, PodHost {
  readonly settings: SandboxSettings;
  readonly imageMap: ImageMap;
  readonly killGraceMs: number;
  readonly containerSetFailFast: boolean;
  private spawner: SpawnerClient | undefined;
  private readonly pods = new Map<string, PodRun>();
  private readonly accepting = new Map<string, Promise<void>>();
  private readonly procs = new Map<string, PodRun>();
  private readonly listeners = new Set<PodEventListener>();
  private nextProc = 0;
  private closed = false;

  constructor(private readonly options: LocalRuntimeOptions) {
    this.settings = options.settings;
    this.imageMap = options.imageMap;
    this.killGraceMs = options.killGraceMs;
    this.containerSetFailFast = options.containerSetFailFast;
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
    const pod = new PodRun(this, this.options.dataDir, spec);
    this.pods.set(spec.name, pod);
    const accepted = (async () => {
      // A directory left by an earlier runtime holds stale exit codes; this pod starts afresh.
      await rm(pod.layout.podDir, { recursive: true, force: true });
      await pod.layout.materialise();
      pod.start();
    })();
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
      const spec = JSON.parse(readFileSync(path.join(this.options.dataDir, 'pods', pod, 'pod.json'), 'utf8')) as PodSpec;
      return logPathFor(this.options.dataDir, spec, container);
    } catch {
      throw new Error(`unknown pod "${pod}"`);
    }
  }

  async cleanupPod(name: string): Promise<void> {
    await this.accepting.get(name)?.catch(() => undefined);
    const pod = this.pods.get(name);
    if (pod && !pod.isSettled) await pod.deleteAbruptly();
    await rm(pod?.layout.podDir ?? path.join(this.options.dataDir, 'pods', name), { recursive: true, force: true });
    this.pods.delete(name);
  }

  onEvent(listener: PodEventListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Ends every pod (their processes die with the helper) without further events. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const pod of this.pods.values()) pod.dispose();
    await this.spawner?.close();
  }

  // PodHost

  spawn(pod: PodRun, launch: Launch, logFile: string, stdoutTail?: { file: string; bytes: number }): string {
    if (!this.spawner) throw new Error('spawner helper not running');
    const id = String(++this.nextProc);
    this.procs.set(id, pod);
    this.spawner.spawn({
      op: 'spawn',
      id,
      argv: launch.argv,
      env: launch.env,
      cwd: launch.cwd,
      isolation: this.settings.mode,
      logFile,
      ...(stdoutTail ? { stdoutTail } : {}),
    });
    return id;
  }

  signal(procId: string, mode: 'graceful' | 'kill'): void {
    this.spawner?.signal(procId, mode);
  }

  /** A bwrap sandbox's processes die with its PID namespace; plain processes may have escaped their group. */
  async sweep(pod: string): Promise<void> {
    if (this.settings.mode === 'none') await killProcessesOfPod(pod).catch(() => undefined);
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
    const pod = this.procs.get(report.id);
    if (!pod) return;
    if (report.ev === 'started') {
      pod.processStarted(report.id);
    } else if (report.ev === 'exit') {
      this.procs.delete(report.id);
      pod.processExited(report.id, report.code, report.signal);
    } else {
      this.procs.delete(report.id);
      pod.processFailed(report.id, report.message);
    }
  }

  lost(ids: string[], reason: string): void {
    const pods = new Set<PodRun>();
    for (const id of ids) {
      const pod = this.procs.get(id);
      if (pod) pods.add(pod);
      this.procs.delete(id);
    }
    if (this.closed) return;
    this.options.warn(`${reason}; restarted it, ${pods.size} running pod(s) lost`);
    for (const pod of pods) {
      // A sandbox still being set up when the helper died has not armed --die-with-parent yet.
      void killProcessesOfPod(pod.name).finally(() => pod.lost(`pod lost: ${reason}`));
    }
  }
}
