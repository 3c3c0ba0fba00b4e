// One pod's lifecycle, as a kubelet and Argo's emissary would run it: init containers one by one,
// then sidecars and main containers together (a containerSet's containers each once their
// dependencies exited 0), sidecars killed when the main containers are done, and the pod's end
// reported as podFinished (exit states known) or podGone (deleted, deadline, lost). A container
// with `retry` (containerSet.retryStrategy) whose command fails runs it again in place, as Argo's
// emissary does: one start and one exit are reported, those of its last run.
//
// Every state change runs on one promise queue per pod, so events leave in order even though
// reading exit files and outputs is asynchronous. Every decision is recorded on disk before it is
// reported (pod-records.ts): a controller that restarts rebuilds the pod from those records
// (`restore`) and carries on where this one stopped.

import type { ContainerSpec, PodEvent, PodSpec, ReadinessProbe } from '../types.js';
import { isoSeconds } from './clock.js';
import {
  NEVER_STARTED_EXIT_CODE,
  START_ERROR_EXIT_CODE,
  dependenciesSucceeded,
  exitCodeUnrecorded,
  retriesAfter,
  unrunnableReason,
  type ContainerRun,
  type ProcessStatus,
} from './container-run.js';
import { resolveCommand, type ImageMap } from './image-map.js';
import { PodLayout, readOptional } from './pod-layout.js';
import { PodRecords, type Ending, type FinalEvent } from './pod-records.js';
import { isAlive, type ProcessIdentity } from './process-identity.js';
import { probeTimings } from './readiness.js';
import { beginExecution, readExecutions } from './retry-records.js';
import { buildLaunch, scriptSource, type Launch, type SandboxSettings } from './sandbox.js';
import type { SignalMode } from './signal-container.js';

/** Argo keeps the last 256 KiB of stdout as `result`. */
export const RESULT_BYTES = 256 * 1024;

/** If a killed process's end is never confirmed, the pod is declared gone anyway. */
const KILL_CONFIRM_TIMEOUT_MS = 10_000;

/** A restarted runtime may find a spawn asked for just before the crash: how long the old helper gets to record it. */
const PID_RECORD_WAIT_MS = 1_000;

/** Argo's message for a pod that vanished; a pod whose sandbox died unwatched counts as one. */
export const DELETED_MESSAGE = 'pod deleted';

export const DEADLINE_MESSAGE = 'Pod was active on the node longer than the specified deadline';

export interface PodHost {
  readonly settings: SandboxSettings;
  readonly imageMap: ImageMap;
  /** SIGTERM-to-SIGKILL grace for sidecars and fail-fast siblings. */
  readonly killGraceMs: number;
  readonly containerSetFailFast: boolean;
  /** Starts the container's process; returns the id the helper's reports will carry. */
  spawn(pod: PodRun, launch: Launch, logFile: string, pidFile: string): string;
  signal(process: ProcessIdentity, mode: SignalMode): void;
  /** Kills what of the pod outlived its containers' first processes, where isolation cannot guarantee it. */
  sweep(pod: string): Promise<void>;
  /** Kills every process carrying the pod's name, whatever the isolation: for processes we hold no record of. */
  killAllOf(pod: string): Promise<void>;
  /** Runs one check of a container's readinessProbe: whether it passed within its timeout. */
  probe(pod: PodRun, container: ContainerSpec, probe: ReadinessProbe): Promise<boolean>;
  emit(event: PodEvent): void;
}

export class PodRun {
  readonly layout: PodLayout;
  private readonly records: PodRecords;
  private readonly runs: ContainerRun[];
  private stage: 'init' | 'main' = 'init';
  private ending: Ending | undefined;
  private startedMs: number | undefined;
  private settled = false;
  /** Started or resumed: its processes are watched and its timers run. */
  private active = false;
  private polling = false;
  /** While restoring: events are collected as the pod's history instead of sent, and nothing is started or signalled. */
  private history: PodEvent[] | undefined;
  private queue: Promise<void> = Promise.resolve();
  /**
   * Events of the task running on the queue, sent together when it ends: the controller hears of
   * one change (a container exited and the pod finished) at once rather than reconciling for each.
   */
  private outbox: PodEvent[] = [];
  /** The pod just started its containers: its podStarted waits for the next task (their start). */
  private holdOutbox = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly settledWaiters: (() => void)[] = [];

  constructor(
    private readonly host: PodHost,
    dataDir: string,
    readonly spec: PodSpec,
  ) {
    this.layout = new PodLayout(dataDir, spec);
    this.records = new PodRecords(this.layout);
    this.runs = spec.containers.map((c) => ({ spec: c, state: 'waiting', killed: false }));
  }

  get name(): string {
    return this.spec.name;
  }

  /** podFinished or podGone was emitted. */
  get isSettled(): boolean {
    return this.settled;
  }

  whenSettled(): Promise<void> {
    if (this.settled) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  start(): void {
    this.active = true;
    this.enqueue(async () => {
      const at = new Date();
      await this.records.writeStarted(at);
      this.startedMs = at.getTime();
      this.emit({ type: 'podStarted', pod: this.name, at: isoSeconds(at) });
      this.armDeadline();
      await this.advance();
      // The helper's report of the spawn follows at once, and is a task of its own: podStarted
      // goes out with containerStarted.
      this.holdOutbox = this.runs.some((r) => r.state === 'starting' && r.procId !== undefined);
    });
  }

  /**
   * Rebuilds the pod from its records, as left by an earlier runtime, and settles what is already
   * decided (a pod whose containers all ended is finished; one whose sandbox died unrecorded is
   * gone). Returns the pod's history as events, for an observation or a replay. Nothing is started
   * or signalled until `resume`.
   */
  async restore(): Promise<PodEvent[]> {
    const history: PodEvent[] = [];
    this.history = history;
    try {
      await this.restoreRecords();
    } finally {
      this.history = undefined;
    }
    return history;
  }

  /** Carries on a restored pod: watches its processes, runs its deadline, starts what is due. */
  resume(): void {
    if (this.active || this.settled) return;
    if (this.startedMs === undefined) return this.start();
    this.active = true;
    this.armDeadline();
    for (const run of this.runs) if (run.state === 'retrying') this.armRetry(run);
    // Readiness is not recorded: a resumed pod probes its running containers again.
    for (const run of this.runs) if (run.state === 'running') this.armProbe(run);
    const ending = this.ending;
    if (ending) this.enqueue(() => this.carryOnEnding(ending));
    this.enqueue(() => this.advance());
  }

  // Reports from the spawner, routed here by process id.

  processStarted(procId: string, process: ProcessIdentity): void {
    this.enqueue(() => {
      const run = this.runOf(procId);
      if (!run || run.state !== 'starting') return;
      this.running(run, process, isoSeconds());
    });
  }

  processExited(procId: string, code: number | null, signal: string | null): void {
    this.enqueue(async () => {
      const run = this.runOf(procId);
      if (!run || run.state === 'exited') return;
      run.procId = undefined;
      await this.containerEnded(run, { code, signal });
      await this.advance();
    });
  }

  processFailed(procId: string, message: string): void {
    this.enqueue(async () => {
      const run = this.runOf(procId);
      if (!run || run.state === 'exited') return;
      run.procId = undefined;
      this.endRun(run, START_ERROR_EXIT_CODE);
      if (this.ending?.kind !== 'gone') await this.emitExited(run, { reason: `cannot start: ${message}` });
      await this.advance();
    });
  }

  /** The helper died: the process lives on unwatched by it, and is followed through its records. */
  processOrphaned(procId: string, reason: string): void {
    this.enqueue(async () => {
      const run = this.runOf(procId);
      if (!run || run.state === 'exited') return;
      run.procId = undefined;
      if (run.process) return;
      const process = await this.records.readProcess(run.spec.name);
      if (process) this.running(run, process, isoSeconds());
      else await this.lose(`pod lost: ${reason} before container "${run.spec.name}" was recorded`);
    });
  }

  /** Checks the containers no helper watches: an exit record, or a process gone without one. */
  poll(): void {
    if (!this.active || this.settled || this.polling || !this.runs.some((r) => this.unwatched(r))) return;
    this.polling = true;
    this.enqueue(async () => {
      this.polling = false;
      let changed = false;
      for (const run of this.runs) {
        if (!this.unwatched(run) || !run.process) continue;
        if (isAlive(run.process) && !(await this.records.hasExit(run.spec.name))) continue;
        await this.containerEnded(run);
        changed = true;
        if (this.settled) return;
      }
      if (changed) await this.advance();
    });
  }

  deleteAbruptly(): Promise<void> {
    this.active = true;
    this.enqueue(() => this.endAbruptly('deleted'));
    return this.whenSettled();
  }

  deleteGracefully(graceMs: number): Promise<void> {
    this.active = true;
    this.enqueue(async () => {
      if (this.settled || this.ending) return;
      const ending: Ending = { kind: 'graceful', message: DELETED_MESSAGE, killAt: Date.now() + graceMs };
      await this.records.writeEnding(ending);
      this.ending = ending;
      // After the init stage every container exists (Kubernetes created them all): those that never
      // ran still get a terminal state. During the init stage they are only waiting.
      if (this.stage === 'main') {
        for (const run of this.runs) if (run.state === 'waiting') await this.neverStarted(run, DELETED_MESSAGE);
      }
      // Between two runs of a retried command: it ends as its last run did.
      for (const run of this.runs) if (run.state === 'retrying') await this.stopRetrying(run);
      for (const run of this.live()) this.terminate(run, graceMs);
      await this.advance();
    });
    return this.whenSettled();
  }

  /** SIGKILLs every process of the pod we know of (the runtime is closing and takes its pods along). */
  killProcesses(): void {
    for (const run of this.live()) if (run.process) this.host.signal(run.process, 'kill');
  }

  /** Stops timers without events: the runtime is closing. */
  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.settled = true;
    for (const resolve of this.settledWaiters.splice(0)) resolve();
  }

  private enqueue(task: () => void | Promise<void>): void {
    this.queue = this.queue.then(async () => {
      this.holdOutbox = false;
      if (!this.settled) await task();
      if (!this.holdOutbox) this.flush();
    });
    this.queue = this.queue.catch(async (err: unknown) => {
      // A bug or an I/O failure must not wedge the pod: end it as lost, with the cause.
      const message = `local runtime error: ${err instanceof Error ? err.message : String(err)}`;
      for (const run of this.live()) this.signal(run, 'kill');
      await this.settle({ type: 'podGone', pod: this.name, at: isoSeconds(), reason: 'lost', message });
    });
  }

  private async restoreRecords(): Promise<void> {
    const ended = await this.records.readEnded();
    const started = await this.records.readStarted();
    if (started) {
      this.startedMs = started.getTime();
      this.emit({ type: 'podStarted', pod: this.name, at: isoSeconds(started) });
    }
    let unrecordedSpawn = false;
    for (const run of this.runs) {
      if (run.spec.retry) run.executions = await readExecutions(this.layout, run.spec.name);
      const exit = await this.records.readExit(run.spec.name);
      if (exit.exitCode !== undefined) {
        this.running(run, undefined, exit.startedAt);
        await this.containerEnded(run);
        continue;
      }
      let process = await this.records.readProcess(run.spec.name);
      if (!process && !ended && (await this.records.isSpawning(run.spec.name))) {
        process = await this.awaitProcessRecord(run.spec.name);
        unrecordedSpawn ||= process === undefined;
      }
      if (process || (ended && exit.startedAt)) this.running(run, process, exit.startedAt ?? isoSeconds());
    }
    if (ended) {
      // Reported already: the containers stay as recorded, whatever their processes do now.
      this.settled = true;
      this.emit(ended);
      return;
    }
    if (unrecordedSpawn) return this.lose(DELETED_MESSAGE);
    this.ending = await this.records.readEnding();
    for (const run of this.runs) {
      if (this.settled) return;
      if (run.state === 'running' && run.process && !isAlive(run.process)) await this.containerEnded(run);
    }
    // What the records already decide is settled now (a pod whose containers all ended is
    // finished); starting and signalling wait for resume().
    if (!this.settled && started) await this.advance();
  }

  /** The helper of a runtime that just died may still be recording a process it spawned. */
  private async awaitProcessRecord(container: string): Promise<ProcessIdentity | undefined> {
    const deadline = Date.now() + PID_RECORD_WAIT_MS;
    for (;;) {
      const process = await this.records.readProcess(container);
      if (process || Date.now() > deadline) return process;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private async carryOnEnding(ending: Ending): Promise<void> {
    if (ending.kind === 'gone') {
      this.ending = undefined;
      return this.endAbruptly(ending.reason);
    }
    // SIGTERM was sent already; what outlives the grace period is killed when it ends.
    this.ending = ending;
    for (const run of this.live()) {
      run.killed = true;
      run.signalled ??= 'graceful';
      run.killTimer = this.after(Math.max(0, ending.killAt - Date.now()), () => this.signal(run, 'kill'));
    }
  }

  private armDeadline(): void {
    const deadline = this.spec.activeDeadlineSeconds;
    if (deadline === undefined || this.startedMs === undefined) return;
    // Counted from the recorded start: a restart does not reset it.
    const remaining = this.startedMs + deadline * 1000 - Date.now();
    this.after(Math.max(0, remaining), () => this.enqueue(() => this.endAbruptly('deadline')));
  }

  /** Decides what happens next from the containers' states; called after every change. */
  private async advance(): Promise<void> {
    if (this.settled) return;
    if (this.ending) {
      if (this.live().length > 0) return;
      // A deleted pod leaves no process behind when it is reported gone.
      if (!this.history) await this.host.sweep(this.name);
      if (this.ending.kind === 'gone') await this.settleGone(this.ending.reason, this.ending.message);
      else await this.finish(this.ending.message);
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
        if (run.state === 'waiting') await this.neverStarted(run, `container "${failed.spec.name}" failed with exit code ${failed.exitCode}`);
        else if (run.state === 'retrying') await this.stopRetrying(run);
        else if (run.state !== 'exited') this.terminate(run, this.host.killGraceMs);
      }
    }
    await this.skipUnrunnable(mains);

    for (const run of mains) {
      if (run.state === 'waiting' && dependenciesSucceeded(this.runs, run)) await this.startContainer(run);
    }
    for (const run of sidecars) if (run.state === 'waiting') await this.startContainer(run);

    if (mains.every((r) => r.state === 'exited')) {
      for (const run of sidecars) if (run.state !== 'exited') this.terminate(run, this.host.killGraceMs);
      if (this.live().length === 0) await this.finish();
    }
  }

  /** Dependents of a failed (or never started) container never start, transitively. */
  private async skipUnrunnable(mains: ContainerRun[]): Promise<void> {
    for (let changed = true; changed; ) {
      changed = false;
      for (const run of mains) {
        if (run.state !== 'waiting') continue;
        const skip = unrunnableReason(this.runs, run);
        if (skip === undefined) continue;
        await this.neverStarted(run, skip);
        changed = true;
        break;
      }
    }
  }

  private async startContainer(run: ContainerRun): Promise<void> {
    if (this.history) return;
    run.state = 'starting';
    const spec = run.spec;
    const resolved = resolveCommand(this.host.imageMap, spec);
    if (!resolved.ok) {
      await this.cannotStart(run, resolved.reason);
      return;
    }
    let launch: Launch;
    try {
      if (spec.script !== undefined) await this.layout.writeScript(spec, scriptSource(this.host.settings, this.layout, spec, spec.script));
      launch = buildLaunch(this.host.settings, this.layout, spec, resolved.argv, spec.script !== undefined);
    } catch (err) {
      await this.cannotStart(run, err instanceof Error ? err.message : String(err));
      return;
    }
    // Before the process exists: a runtime restarted after a crash right now knows to look for it.
    await this.records.markSpawning(spec.name);
    run.procId = this.host.spawn(this, launch, this.layout.logFile(spec.name), this.records.pidFile(spec.name));
  }

  private async cannotStart(run: ContainerRun, reason: string): Promise<void> {
    this.endRun(run, START_ERROR_EXIT_CODE);
    await this.emitExited(run, { reason });
    // The state changed without a process report: decide again.
    this.enqueue(() => this.advance());
  }

  private running(run: ContainerRun, process: ProcessIdentity | undefined, startedAt: string | undefined): void {
    run.state = 'running';
    if (process) run.process = process;
    run.startedAt = startedAt;
    if (startedAt && this.ending?.kind !== 'gone') this.emit({ type: 'containerStarted', pod: this.name, container: run.spec.name, at: startedAt });
    const pending = run.pendingSignal;
    run.pendingSignal = undefined;
    if (pending) this.signal(run, pending);
    // Just started (not restored): the initial delay counts from now.
    if (this.active && !this.history) this.armProbe(run, Date.now());
  }

  /**
   * Schedules the container's next readiness check: the first `initialDelaySeconds` after it
   * started (`startedMs`; else its recorded start), then one every `periodSeconds` until it passes
   * `successThreshold` times in a row. Readiness is reported once; a failing probe never kills.
   */
  private armProbe(run: ContainerRun, startedMs?: number): void {
    const probe = run.spec.readinessProbe;
    if (!probe || this.history || run.ready || run.probeTimer || run.state !== 'running' || this.ending) return;
    const timings = probeTimings(probe);
    let delay = timings.periodMs;
    if (run.probePasses === undefined) {
      const started = startedMs ?? (run.startedAt ? Date.parse(run.startedAt) : Date.now());
      delay = Math.max(0, started + timings.initialDelayMs - Date.now());
    }
    run.probeTimer = this.after(delay, () => {
      run.probeTimer = undefined;
      void this.checkReadiness(run, probe, timings.successThreshold);
    });
  }

  /** One check, off the pod's queue (it may take its whole timeout); its verdict is applied on the queue. */
  private async checkReadiness(run: ContainerRun, probe: ReadinessProbe, successThreshold: number): Promise<void> {
    if (run.state !== 'running' || this.ending || this.settled) return;
    const passed = await this.host.probe(this, run.spec, probe).catch(() => false);
    this.enqueue(() => {
      if (run.state !== 'running' || this.ending || run.ready) return;
      run.probePasses = passed ? (run.probePasses ?? 0) + 1 : 0;
      if (run.probePasses >= successThreshold) {
        run.ready = true;
        this.emit({ type: 'containerReady', pod: this.name, container: run.spec.name, at: isoSeconds() });
        return;
      }
      this.armProbe(run);
    });
  }

  /** The container's process ended (or, restoring, had ended): its exit state comes from its record. */
  private async containerEnded(run: ContainerRun, status?: ProcessStatus): Promise<void> {
    const exit = await this.records.readExit(run.spec.name);
    let exitCode = exit.exitCode;
    if (exitCode === undefined) {
      const wrapperRan = exit.startedAt !== undefined;
      const sandboxError = wrapperRan || run.killed || this.ending?.kind === 'gone' ? undefined : await this.sandboxError(run);
      // Unwatched, only bwrap's own complaint tells a sandbox that failed from one killed early.
      if (sandboxError && (status || sandboxError.startsWith('bwrap:'))) {
        // The sandbox itself failed (a mount bwrap refused): say so rather than report bwrap's exit code.
        this.endRun(run, START_ERROR_EXIT_CODE);
        await this.emitExited(run, { reason: `cannot start: ${sandboxError}` });
        return;
      }
      exitCode = exitCodeUnrecorded(run, status);
      // Nobody watched it die and it left no record: its sandbox was killed, as if the pod was deleted.
      if (exitCode === undefined) return this.lose(DELETED_MESSAGE);
    }
    if (!this.ending && retriesAfter(run, exitCode, exit.reason)) return this.retryLater(run, exitCode);
    this.endRun(run, exitCode);
    if (this.ending?.kind === 'gone') return;

    const startedAt = exit.startedAt ?? run.startedAt;
    const finishedAt = exit.finishedAt ?? isoSeconds();
    let reason = exit.reason;
    if (!reason && run.killed && exitCode >= 128) reason = 'killed';
    await this.records.recordExit(run.spec.name, { exitCode, finishedAt, ...(reason ? { reason } : {}) }, exit);
    run.finishedAt = finishedAt;
    const outputs = await this.layout.readOutputs(run.spec);
    const result = run.spec.captureResult ? await this.records.readResult(run.spec.name, RESULT_BYTES) : undefined;
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

  private async neverStarted(run: ContainerRun, reason: string): Promise<void> {
    this.endRun(run, NEVER_STARTED_EXIT_CODE);
    await this.emitExited(run, { reason });
  }

  private endRun(run: ContainerRun, exitCode: number): void {
    run.state = 'exited';
    run.exitCode = exitCode;
    for (const timer of [run.killTimer, run.retryTimer, run.probeTimer]) {
      if (!timer) continue;
      clearTimeout(timer);
      this.timers.delete(timer);
    }
    run.killTimer = undefined;
    run.retryTimer = undefined;
    run.probeTimer = undefined;
  }

  /** The command failed with executions left: it runs again after the retry delay, in the same container. */
  private async retryLater(run: ContainerRun, exitCode: number): Promise<void> {
    const next = (run.executions ?? 1) + 1;
    // Recorded before the ended run is forgotten: a restarted runtime counts it.
    await beginExecution(this.layout, run.spec.name, next);
    run.executions = next;
    run.state = 'retrying';
    run.exitCode = exitCode;
    run.process = undefined;
    run.procId = undefined;
    run.signalled = undefined;
    run.pendingSignal = undefined;
    // A new run is probed afresh.
    if (run.probeTimer) {
      clearTimeout(run.probeTimer);
      this.timers.delete(run.probeTimer);
    }
    run.probeTimer = undefined;
    run.probePasses = undefined;
    run.ready = undefined;
    this.armRetry(run);
  }

  private armRetry(run: ContainerRun): void {
    if (this.history || run.retryTimer) return;
    run.retryTimer = this.after(run.spec.retry?.delayMs ?? 0, () =>
      this.enqueue(async () => {
        run.retryTimer = undefined;
        if (run.state !== 'retrying' || this.ending) return;
        run.state = 'waiting';
        await this.startContainer(run);
      }),
    );
  }

  /** A retried command stopped between two runs (fail-fast, graceful deletion): it ends as its last run did. */
  private async stopRetrying(run: ContainerRun): Promise<void> {
    this.endRun(run, run.exitCode ?? -1);
    await this.emitExited(run, {});
  }

  /** A container end the runtime decided (it never ran, or could not start): recorded, then reported. */
  private async emitExited(run: ContainerRun, extra: { reason?: string }): Promise<void> {
    const at = isoSeconds();
    const exitCode = run.exitCode ?? -1;
    await this.records.recordExit(run.spec.name, { exitCode, finishedAt: at, ...extra });
    run.finishedAt = at;
    this.emit({
      type: 'containerExited',
      pod: this.name,
      container: run.spec.name,
      exitCode,
      at,
      ...(run.startedAt ? { startedAt: run.startedAt } : {}),
      ...extra,
      outputs: {},
    });
  }

  /** SIGTERM now, SIGKILL after the grace period. */
  private terminate(run: ContainerRun, graceMs: number): void {
    if (this.history || run.killed || (run.state !== 'starting' && run.state !== 'running')) return;
    run.killed = true;
    this.signal(run, 'graceful');
    run.killTimer = this.after(graceMs, () => this.signal(run, 'kill'));
  }

  private signal(run: ContainerRun, mode: SignalMode): void {
    if (this.history) return;
    if (mode === 'kill' || !run.signalled) run.signalled = mode;
    if (run.process) this.host.signal(run.process, mode);
    else if (mode === 'kill' || !run.pendingSignal) run.pendingSignal = mode;
  }

  private async endAbruptly(reason: 'deleted' | 'deadline'): Promise<void> {
    if (this.settled || this.ending?.kind === 'gone') return;
    const ending: Ending = { kind: 'gone', reason, message: reason === 'deadline' ? DEADLINE_MESSAGE : DELETED_MESSAGE };
    await this.records.writeEnding(ending);
    this.ending = ending;
    for (const run of this.runs) if (run.state === 'retrying') this.endRun(run, run.exitCode ?? -1);
    for (const run of this.live()) {
      run.killed = true;
      this.signal(run, 'kill');
    }
    this.after(KILL_CONFIRM_TIMEOUT_MS, () => this.enqueue(() => this.settleGone(ending.reason, ending.message)));
    this.enqueue(() => this.advance());
  }

  /** The pod cannot be judged any more (a sandbox died unrecorded): whatever is left of it goes, and it is gone. */
  private async lose(message: string): Promise<void> {
    if (this.settled) return;
    // Even while restoring: a pod declared gone must not keep running.
    for (const run of this.live()) if (run.process) this.host.signal(run.process, 'kill');
    await this.host.killAllOf(this.name);
    for (const run of this.live()) this.endRun(run, -1);
    await this.settleGone('lost', message);
  }

  private async finish(message?: string): Promise<void> {
    const ok = this.runs.every((r) => r.spec.role === 'sidecar' || (r.state === 'exited' && r.exitCode === 0));
    // Whatever outlived the containers goes too, but off the path to the next step: a sweep reads
    // every process's environment.
    if (!this.ending && !this.history) void this.host.sweep(this.name);
    // Restoring, the pod ended when its last container did, not now.
    const lastExit = this.runs.map((r) => r.finishedAt ?? '').reduce((a, b) => (a > b ? a : b), '');
    await this.settle({
      type: 'podFinished',
      pod: this.name,
      at: this.history && lastExit ? lastExit : isoSeconds(),
      phase: ok ? 'Succeeded' : 'Failed',
      ...(message ? { message } : {}),
    });
  }

  private async settleGone(reason: 'deleted' | 'deadline' | 'lost', message: string): Promise<void> {
    // A deleted pod leaves no process behind, even one its signals missed (a sandbox caught between
    // its spawn and its first report, or a kill that timed out): the environment scan finds it.
    if (!this.history && !this.settled) await this.host.killAllOf(this.name);
    await this.settle({ type: 'podGone', pod: this.name, at: isoSeconds(), reason, message });
  }

  private async settle(event: FinalEvent): Promise<void> {
    if (this.settled) return;
    this.settled = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    // A pod removed under us (cleanupPod) has nowhere to record it, and needs no record.
    await this.records.writeEnded(event).catch(() => undefined);
    this.emit(event);
    // Whoever waits for the pod's end hears of it after the events.
    this.flush();
    for (const resolve of this.settledWaiters.splice(0)) resolve();
  }

  private live(): ContainerRun[] {
    return this.runs.filter((r) => r.state === 'starting' || r.state === 'running');
  }

  /** Running, and no helper will report its exit. */
  private unwatched(run: ContainerRun): boolean {
    return run.state === 'running' && run.procId === undefined;
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
    if (this.history) this.history.push(event);
    else this.outbox.push(event);
  }

  private flush(): void {
    const events = this.outbox;
    this.outbox = [];
    for (const event of events) this.host.emit(event);
  }
}
