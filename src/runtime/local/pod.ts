// One pod's lifecycle, as a kubelet and Argo's emissary would run it: init containers one by one,
// then sidecars and main containers together (a containerSet's containers each once their
// dependencies exited 0), sidecars killed when the main containers are done, and the pod's end
// reported as podFinished (exit states known) or podGone (deleted, deadline, lost).
//
// Every state change runs on one promise queue per pod, so events leave in order even though
// reading exit files and outputs is asynchronous.

import { constants as osConstants } from 'node:os';
import path from 'node:path';
import type { ContainerSpec, PodEvent, PodSpec } from '../types.js';
import { isoSeconds } from './clock.js';
import { resolveCommand, type ImageMap } from './image-map.js';
import { PodLayout, readOptional, trimOneNewline } from './pod-layout.js';
import { buildLaunch, scriptSource, type Launch, type SandboxSettings } from './sandbox.js';

/** Argo keeps the last 256 KiB of stdout as `result`. */
export const RESULT_BYTES = 256 * 1024;

/** A container that was never started because the pod ended or a dependency failed: Argo's
 * emissary would have been waiting on the dependency's exit code when the pod was terminated, and
 * reports SIGTERM's 143 (spec/containerset.md §1.3). */
const NEVER_STARTED_EXIT_CODE = 143;

/** Exit code of a container whose command could not be started at all (Kubernetes' StartError). */
const START_ERROR_EXIT_CODE = 128;

/** If the helper never confirms a killed process's end, the pod is declared gone anyway. */
const KILL_CONFIRM_TIMEOUT_MS = 10_000;

export interface PodHost {
  readonly settings: SandboxSettings;
  readonly imageMap: ImageMap;
  /** SIGTERM-to-SIGKILL grace for sidecars and fail-fast siblings. */
  readonly killGraceMs: number;
  readonly containerSetFailFast: boolean;
  /** Starts the container's process; returns the id its reports will carry. */
  spawn(pod: PodRun, launch: Launch, logFile: string, stdoutTail?: { file: string; bytes: number }): string;
  signal(procId: string, mode: 'graceful' | 'kill'): void;
  /** Kills what of the pod outlived its containers' first processes, where isolation cannot guarantee it. */
  sweep(pod: string): Promise<void>;
  emit(event: PodEvent): void;
}

interface ContainerRun {
  spec: ContainerSpec;
  state: 'waiting' | 'starting' | 'running' | 'exited';
  procId?: string;
  startedAt?: string;
  exitCode?: number;
  /** We signalled it: an exit by signal is then reported as killed. */
  killed: boolean;
  killTimer?: NodeJS.Timeout;
}

type Ending = { kind: 'gone'; reason: 'deleted' | 'deadline'; message: string } | { kind: 'graceful'; message: string };

export const DEADLINE_MESSAGE = 'Pod was active on the node longer than the specified deadline';

export class PodRun {
  readonly layout: PodLayout;
  private readonly runs: ContainerRun[];
  private stage: 'init' | 'main' = 'init';
  private ending: Ending | undefined;
  private settled = false;
  private queue: Promise<void> = Promise.resolve();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly settledWaiters: (() => void)[] = [];

  constructor(
    private readonly host: PodHost,
    dataDir: string,
    readonly spec: PodSpec,
  ) {
    this.layout = new PodLayout(dataDir, spec);
    this.runs = spec.containers.map((c) => ({ spec: c, state: 'waiting', killed: false }));
  }

  get name(): string {
    return this.spec.name;
  }

  /** podFinished or podGone was emitted. */
  get isSettled(): boolean {
    return this.settled;
  }

  get isRunning(): boolean {
    return !this.settled;
  }

  whenSettled(): Promise<void> {
    if (this.settled) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  start(): void {
    this.emit({ type: 'podStarted', pod: this.name, at: isoSeconds() });
    const deadline = this.spec.activeDeadlineSeconds;
    if (deadline !== undefined) this.after(deadline * 1000, () => this.enqueue(() => this.endAbruptly('deadline')));
    this.enqueue(() => this.advance());
  }

  // Reports from the spawner, routed here by process id.

  processStarted(procId: string): void {
    this.enqueue(() => {
      const run = this.runOf(procId);
      if (!run || run.state !== 'starting') return;
      run.state = 'running';
      run.startedAt = isoSeconds();
      if (this.ending?.kind !== 'gone') {
        this.emit({ type: 'containerStarted', pod: this.name, container: run.spec.name, at: run.startedAt });
      }
    });
  }

  processExited(procId: string, code: number | null, signal: string | null): void {
    this.enqueue(async () => {
      const run = this.runOf(procId);
      if (!run || run.state === 'exited') return;
      await this.containerEnded(run, code, signal);
      await this.advance();
    });
  }

  processFailed(procId: string, message: string): void {
    this.enqueue(async () => {
      const run = this.runOf(procId);
      if (!run || run.state === 'exited') return;
      this.endRun(run, START_ERROR_EXIT_CODE);
      if (this.ending?.kind !== 'gone') this.emitExited(run, { reason: `cannot start: ${message}` });
      await this.advance();
    });
  }

  /** The processes died with the spawner helper. */
  lost(message: string): void {
    this.enqueue(() => {
      for (const run of this.runs) if (run.state === 'starting' || run.state === 'running') this.endRun(run, -1);
      this.settleGone('lost', message);
    });
  }

  deleteAbruptly(): Promise<void> {
    this.enqueue(() => this.endAbruptly('deleted'));
    return this.whenSettled();
  }

  deleteGracefully(graceMs: number): Promise<void> {
    this.enqueue(async () => {
      if (this.settled || this.ending) return;
      this.ending = { kind: 'graceful', message: 'pod deleted' };
      // After the init stage every container exists (Kubernetes created them all): those that never
      // ran still get a terminal state. During the init stage they are only waiting.
      if (this.stage === 'main') {
        for (const run of this.runs) if (run.state === 'waiting') this.neverStarted(run, 'pod deleted');
      }
      for (const run of this.live()) this.terminate(run, graceMs);
      await this.advance();
    });
    return this.whenSettled();
  }

  private enqueue(task: () => void | Promise<void>): void {
    this.queue = this.queue.then(async () => {
      if (!this.settled) await task();
    });
    this.queue = this.queue.catch((err: unknown) => {
      // A bug or an I/O failure must not wedge the pod: end it as lost, with the cause.
      const message = `local runtime error: ${err instanceof Error ? err.message : String(err)}`;
      for (const run of this.live()) if (run.procId) this.host.signal(run.procId, 'kill');
      this.settleGone('lost', message);
    });
  }

  /** Decides what happens next from the containers' states; called after every change. */
  private async advance(): Promise<void> {
    if (this.settled) return;
    if (this.ending) {
      if (this.live().length > 0) return;
      // A deleted pod leaves no process behind when it is reported gone.
      await this.host.sweep(this.name);
      if (this.ending.kind === 'gone') this.settleGone(this.ending.reason, this.ending.message);
      else this.finish(this.ending.message);
      return;
    }

    if (this.stage === 'init') {
      for (const run of this.runs.filter((r) => r.spec.role === 'init')) {
        if (run.state === 'starting' || run.state === 'running') return;
        if (run.state === 'waiting') return this.startContainer(run);
        // A failed init container fails the pod; nothing else ever starts.
        if (run.exitCode !== 0) return this.finish();
      }
      this.stage = 'main';
    }

    const mains = this.runs.filter((r) => r.spec.role === 'main');
    const sidecars = this.runs.filter((r) => r.spec.role === 'sidecar');
    const failed = mains.find((r) => r.state === 'exited' && r.exitCode !== 0);

    if (failed && this.host.containerSetFailFast) {
      // Argo's fail-fast: the first non-zero exit in the pod terminates its other containers.
      for (const run of mains) {
        if (run.state === 'waiting') this.neverStarted(run, `container "${failed.spec.name}" failed with exit code ${failed.exitCode}`);
        else if (run.state !== 'exited') this.terminate(run, this.host.killGraceMs);
      }
    }
    this.skipUnrunnable(mains);

    for (const run of mains) {
      if (run.state === 'waiting' && this.dependenciesSucceeded(run)) await this.startContainer(run);
    }
    for (const run of sidecars) if (run.state === 'waiting') await this.startContainer(run);

    if (mains.every((r) => r.state === 'exited')) {
      for (const run of sidecars) if (run.state !== 'exited') this.terminate(run, this.host.killGraceMs);
      if (this.live().length === 0) this.finish();
    }
  }

  /** Dependents of a failed (or never started) container never start, transitively. */
  private skipUnrunnable(mains: ContainerRun[]): void {
    for (let changed = true; changed; ) {
      changed = false;
      for (const run of mains) {
        if (run.state !== 'waiting') continue;
        for (const dep of run.spec.dependencies ?? []) {
          const d = this.runs.find((r) => r.spec.name === dep);
          if (!d) {
            this.neverStarted(run, `unknown dependency "${dep}"`);
          } else if (d.state === 'exited' && d.exitCode !== 0) {
            this.neverStarted(run, `dependency "${dep}" exited with non-zero code: ${d.exitCode}`);
          } else {
            continue;
          }
          changed = true;
          break;
        }
      }
    }
  }

  private dependenciesSucceeded(run: ContainerRun): boolean {
    return (run.spec.dependencies ?? []).every((dep) => this.runs.some((r) => r.spec.name === dep && r.state === 'exited' && r.exitCode === 0));
  }

  private async startContainer(run: ContainerRun): Promise<void> {
    run.state = 'starting';
    const spec = run.spec;
    const resolved = resolveCommand(this.host.imageMap, spec);
    if (!resolved.ok) {
      this.cannotStart(run, resolved.reason);
      return;
    }
    let launch: Launch;
    try {
      if (spec.script !== undefined) await this.layout.writeScript(spec, scriptSource(this.host.settings, this.layout, spec, spec.script));
      launch = buildLaunch(this.host.settings, this.layout, spec, resolved.argv, spec.script !== undefined);
    } catch (err) {
      this.cannotStart(run, err instanceof Error ? err.message : String(err));
      return;
    }
    const tail = spec.captureResult ? { file: path.join(this.layout.stateDir(spec.name), 'stdout.tail'), bytes: RESULT_BYTES } : undefined;
    run.procId = this.host.spawn(this, launch, this.layout.logFile(spec.name), tail);
  }

  private cannotStart(run: ContainerRun, reason: string): void {
    this.endRun(run, START_ERROR_EXIT_CODE);
    this.emitExited(run, { reason });
    // The state changed without a process report: decide again.
    this.enqueue(() => this.advance());
  }

  private async containerEnded(run: ContainerRun, code: number | null, signal: string | null): Promise<void> {
    const state = this.layout.stateDir(run.spec.name);
    const recorded = Number.parseInt((await readOptional(path.join(state, 'exitcode'))) ?? '', 10);
    const wrapperRan = (await readOptional(path.join(state, 'started-at'))) !== undefined;
    if (!wrapperRan && !run.killed && this.ending?.kind !== 'gone') {
      // The sandbox itself failed (a mount bwrap refused): say so rather than report bwrap's exit code.
      this.endRun(run, START_ERROR_EXIT_CODE);
      this.emitExited(run, { reason: `cannot start: ${await this.sandboxError(run)}` });
      return;
    }
    const exitCode = Number.isNaN(recorded) ? fromProcessStatus(code, signal) : recorded;
    this.endRun(run, exitCode);
    if (this.ending?.kind === 'gone') return;

    const startedAt = (await readOptional(path.join(state, 'started-at')))?.trim() || run.startedAt;
    const finishedAt = (await readOptional(path.join(state, 'finished-at')))?.trim() || isoSeconds();
    let reason = (await readOptional(path.join(state, 'reason')))?.trim() || undefined;
    if (!reason && run.killed && exitCode >= 128) reason = 'killed';
    const outputs = await this.layout.readOutputs(run.spec);
    let result: string | undefined;
    if (run.spec.captureResult) result = trimOneNewline((await readOptional(path.join(state, 'stdout.tail'))) ?? '');
    this.emit({
      type: 'containerExited',
      pod: this.name,
      container: run.spec.name,
      exitCode,
      at: finishedAt,
      ...(startedAt ? { startedAt } : {}),
      ...(reason ? { reason } : {}),
      ...(result !== undefined ? { result } : {}),
      outputs,
    });
  }

  /** bwrap's own complaint, which went to the container's log. */
  private async sandboxError(run: ContainerRun): Promise<string> {
    const log = (await readOptional(this.layout.logFile(run.spec.name))) ?? '';
    const line = log.split('\n').filter((l) => l.startsWith('bwrap:')).at(-1);
    return line ?? 'the sandbox did not start (see the container log)';
  }

  private neverStarted(run: ContainerRun, reason: string): void {
    this.endRun(run, NEVER_STARTED_EXIT_CODE);
    this.emitExited(run, { reason });
  }

  private endRun(run: ContainerRun, exitCode: number): void {
    run.state = 'exited';
    run.exitCode = exitCode;
    if (run.killTimer) {
      clearTimeout(run.killTimer);
      this.timers.delete(run.killTimer);
      run.killTimer = undefined;
    }
  }

  private emitExited(run: ContainerRun, extra: { reason?: string }): void {
    this.emit({
      type: 'containerExited',
      pod: this.name,
      container: run.spec.name,
      exitCode: run.exitCode ?? -1,
      at: isoSeconds(),
      ...(run.startedAt ? { startedAt: run.startedAt } : {}),
      ...extra,
      outputs: {},
    });
  }

  /** SIGTERM now, SIGKILL after the grace period. */
  private terminate(run: ContainerRun, graceMs: number): void {
    if (run.killed || !run.procId) return;
    run.killed = true;
    const procId = run.procId;
    this.host.signal(procId, 'graceful');
    run.killTimer = this.after(graceMs, () => this.host.signal(procId, 'kill'));
  }

  private endAbruptly(reason: 'deleted' | 'deadline'): void {
    if (this.settled || this.ending?.kind === 'gone') return;
    this.ending = { kind: 'gone', reason, message: reason === 'deadline' ? DEADLINE_MESSAGE : 'pod deleted' };
    for (const run of this.live()) {
      run.killed = true;
      if (run.procId) this.host.signal(run.procId, 'kill');
    }
    const ending = this.ending;
    this.after(KILL_CONFIRM_TIMEOUT_MS, () => this.enqueue(() => this.settleGone(ending.reason, ending.message)));
    this.enqueue(() => this.advance());
  }

  private finish(message?: string): void {
    const ok = this.runs.every((r) => r.spec.role === 'sidecar' || (r.state === 'exited' && r.exitCode === 0));
    // Whatever outlived the containers goes too, but off the path to the next step: a sweep reads
    // every process's environment.
    if (!this.ending) void this.host.sweep(this.name);
    this.settle({
      type: 'podFinished',
      pod: this.name,
      at: isoSeconds(),
      phase: ok ? 'Succeeded' : 'Failed',
      ...(message ? { message } : {}),
    });
  }

  private settleGone(reason: 'deleted' | 'deadline' | 'lost', message: string): void {
    if (this.settled) return;
    this.settle({ type: 'podGone', pod: this.name, at: isoSeconds(), reason, message });
  }

  private settle(event: PodEvent): void {
    this.settled = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.emit(event);
    for (const resolve of this.settledWaiters.splice(0)) resolve();
  }

  private live(): ContainerRun[] {
    return this.runs.filter((r) => r.state === 'starting' || r.state === 'running');
  }

  private runOf(procId: string): ContainerRun | undefined {
    return this.runs.find((r) => r.procId === procId);
  }

  private after(ms: number, fn: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  private emit(event: PodEvent): void {
    this.host.emit(event);
  }

  /** Stops timers without events: the runtime is closing. */
  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.settled = true;
    for (const resolve of this.settledWaiters.splice(0)) resolve();
  }
}

function fromProcessStatus(code: number | null, signal: string | null): number {
  if (code !== null) return code;
  const number = signal ? (osConstants.signals as Record<string, number>)[signal] : undefined;
  return number !== undefined ? 128 + number : -1;
}
