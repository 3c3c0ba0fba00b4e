// A PodRuntime whose pods run a script instead of a process, so server tests exercise the real
// controller and engine in milliseconds. A main container's args (joined) are `;`-separated steps:
//   say <text>   append a log line (and to `result` when captured)
//   exit <n>     exit code (default 0)
//   hold         keep running until deletePod() or release()
//   sleep <ms>   keep running for that many milliseconds, then finish
//   pending      never start (no podStarted) until deletePod(): a pod stuck unscheduled
// adopt() hands over the test's `leftovers` and every pod this runtime still knows, with the state
// its events so far give: a controller restarted on the same runtime finds its pods again.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { observationOf } from '../../runtime/observation.js';
import type { ContainerSpec, PodEvent, PodEventListener, PodObservation, PodRuntime, PodSpec } from '../../runtime/types.js';

interface Script {
  lines: string[];
  exitCode: number;
  hold: boolean;
  sleepMs?: number;
  pending: boolean;
}

interface FakePod {
  spec: PodSpec;
  state: 'running' | 'held' | 'done';
  script: Script;
  /** Every event emitted for it, for adopt(). */
  history: PodEvent[];
  timer?: NodeJS.Timeout;
}

export class FakeRuntime implements PodRuntime {
  private readonly pods = new Map<string, FakePod>();
  private readonly listeners = new Set<PodEventListener>();
  readonly created: string[] = [];
  readonly deleted: { pod: string; graceSeconds?: number }[] = [];

  constructor(private readonly logDir: string) {}

  async createPod(spec: PodSpec): Promise<void> {
    if (this.pods.has(spec.name)) return;
    const main = spec.containers.find((c) => c.role === 'main') ?? spec.containers[0];
    const pod: FakePod = { spec, state: 'running', script: parseScript(main), history: [] };
    this.pods.set(spec.name, pod);
    this.created.push(spec.name);
    // Events arrive later, as from a real runtime: never inside createPod.
    setImmediate(() => this.run(pod));
  }

  async deletePod(name: string, opts?: { graceSeconds?: number }): Promise<void> {
    this.deleted.push({ pod: name, ...(opts?.graceSeconds !== undefined ? { graceSeconds: opts.graceSeconds } : {}) });
    const pod = this.pods.get(name);
    if (!pod || pod.state === 'done') return;
    pod.state = 'done';
    clearTimeout(pod.timer);
    const at = now();
    if (opts?.graceSeconds) {
      for (const c of pod.spec.containers) this.emit({ type: 'containerExited', pod: name, container: c.name, exitCode: 143, at, reason: 'Error', outputs: {} });
      this.emit({ type: 'podFinished', pod: name, at, phase: 'Failed', message: 'terminated' });
    } else {
      this.emit({ type: 'podGone', pod: name, at, reason: 'deleted', message: 'pod deleted' });
    }
  }

  /** Lets a held pod finish with its script's exit code. */
  release(name: string): void {
    const pod = this.pods.get(name);
    if (pod?.state !== 'held') return;
    pod.state = 'running';
    this.finish(pod);
  }

  /** Releases every held pod of a workflow (by name, in any namespace unless one is given); returns their names. */
  releaseWorkflow(workflowName: string, namespace?: string): string[] {
    const pods = this.heldPods().filter((name) => {
      const spec = this.pods.get(name)?.spec;
      return spec?.workflowName === workflowName && (namespace === undefined || spec.namespace === namespace);
    });
    for (const pod of pods) this.release(pod);
    return pods;
  }

  heldPods(): string[] {
    return [...this.pods.values()].filter((p) => p.state === 'held').map((p) => p.spec.name);
  }

  /** Pods created and not finished (running, held or never started), with their specs. */
  livePods(): PodSpec[] {
    return [...this.pods.values()].filter((p) => p.state !== 'done').map((p) => p.spec);
  }

  /** The pod's machine is lost: it ends without exit states (`podGone`, reason `lost`). */
  lose(name: string, message = 'node lost'): void {
    const pod = this.pods.get(name);
    if (!pod || pod.state === 'done') return;
    pod.state = 'done';
    clearTimeout(pod.timer);
    this.emit({ type: 'podGone', pod: name, at: now(), reason: 'lost', message });
  }

  /**
   * The pod disappears without a trace: no event, and adopt() will not report it (a lost event
   * for a pod whose controller then believes it still runs).
   */
  vanish(name: string): void {
    const pod = this.pods.get(name);
    if (!pod) return;
    clearTimeout(pod.timer);
    pod.state = 'done';
    this.pods.delete(name);
  }

  async listPods(): Promise<string[]> {
    return [...this.pods.keys()];
  }

  logPath(pod: string, container: string): string {
    return join(this.logDir, pod, `${container}.log`);
  }

  async cleanupPod(name: string): Promise<void> {
    const pod = this.pods.get(name);
    if (pod?.state === 'done') this.pods.delete(name);
  }

  onEvent(listener: PodEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Pods a test says an earlier process left behind (returned once by adopt). */
  leftovers: { spec: PodSpec; observation: PodObservation }[] = [];

  async adopt(): Promise<{ spec: PodSpec; observation: PodObservation }[]> {
    const out = this.leftovers;
    this.leftovers = [];
    for (const pod of this.pods.values()) out.push({ spec: pod.spec, observation: observationOf(pod.spec.name, pod.history) });
    return out;
  }

  async close(): Promise<void> {
    this.listeners.clear();
    for (const pod of this.pods.values()) clearTimeout(pod.timer);
  }

  private run(pod: FakePod): void {
    if (pod.state !== 'running' || pod.script.pending) return;
    const at = now();
    this.emit({ type: 'podStarted', pod: pod.spec.name, at });
    for (const c of pod.spec.containers) this.emit({ type: 'containerStarted', pod: pod.spec.name, container: c.name, at });
    const main = pod.spec.containers.find((c) => c.role === 'main') ?? pod.spec.containers[0];
    if (main && pod.script.lines.length > 0) {
      const file = this.logPath(pod.spec.name, main.name);
      mkdirSync(join(this.logDir, pod.spec.name), { recursive: true });
      appendFileSync(file, pod.script.lines.map((l) => `${l}\n`).join(''));
    }
    if (pod.script.hold) {
      pod.state = 'held';
      return;
    }
    if (pod.script.sleepMs !== undefined) {
      pod.timer = setTimeout(() => {
        if (pod.state === 'running') this.finish(pod);
      }, pod.script.sleepMs);
      return;
    }
    this.finish(pod);
  }

  private finish(pod: FakePod): void {
    const at = now();
    const name = pod.spec.name;
    for (const c of pod.spec.containers) {
      const isMain = c.role === 'main';
      const exitCode = isMain ? pod.script.exitCode : 0;
      const event: PodEvent = { type: 'containerExited', pod: name, container: c.name, exitCode, at, startedAt: at, outputs: {} };
      if (isMain && c.captureResult) event.result = pod.script.lines.join('\n');
      this.emit(event);
    }
    pod.state = 'done';
    const failed = pod.script.exitCode !== 0;
    this.emit({ type: 'podFinished', pod: name, at, phase: failed ? 'Failed' : 'Succeeded', ...(failed ? { message: `exit code ${pod.script.exitCode}` } : {}) });
  }

  private emit(event: PodEvent): void {
    this.pods.get(event.pod)?.history.push(event);
    for (const l of this.listeners) l(event);
  }
}

function parseScript(container: ContainerSpec | undefined): Script {
  const script: Script = { lines: [], exitCode: 0, hold: false, pending: false };
  const text = (container?.args ?? []).join(' ');
  for (const step of text.split(';').map((s) => s.trim())) {
    if (step.startsWith('say ')) script.lines.push(step.slice(4));
    else if (step.startsWith('exit ')) script.exitCode = Number(step.slice(5)) || 0;
    else if (step === 'hold') script.hold = true;
    else if (step.startsWith('sleep ')) script.sleepMs = Number(step.slice(6)) || 0;
    else if (step === 'pending') script.pending = true;
  }
  return script;
}

function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}
