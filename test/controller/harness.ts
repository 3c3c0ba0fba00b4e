// Shared set-up for the controller tests: the real controller, engine and memory store, over the
// scripted FakeRuntime (src/server/test-helpers/fake-runtime.ts) extended to record clean-ups.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, type ControllerOptions } from '../../src/controller/controller.js';
import { ControllerWorkflowService } from '../../src/controller/workflow-service.js';
import { podName } from '../../src/engine/index.js';
import type { PodSpec } from '../../src/runtime/types.js';
import { FakeRuntime } from '../../src/server/test-helpers/fake-runtime.js';
import type { NodeStatus, Template, Workflow } from '../../src/spec/types.js';
import { createMemoryStore } from '../../src/store/memory/index.js';
import type { Store } from '../../src/store/types.js';

export const NS = 'default';
export const POSTPONED = 'Workflow processing has been postponed because too many workflows are already running';

/** FakeRuntime that also records cleanupPod calls and pod specs (adopt() hands over its `leftovers`). */
export class RecordingRuntime extends FakeRuntime {
  readonly cleaned: string[] = [];
  readonly specs = new Map<string, PodSpec>();

  override async createPod(spec: PodSpec): Promise<void> {
    this.specs.set(spec.name, spec);
    return super.createPod(spec);
  }

  override async cleanupPod(name: string): Promise<void> {
    this.cleaned.push(name);
    return super.cleanupPod(name);
  }
}

export interface Harness {
  store: Store;
  runtime: RecordingRuntime;
  controller: Controller;
  service: ControllerWorkflowService;
  errors: string[];
  /** Stops the controller and the runtime (the store stays, for a restart). */
  stop(): Promise<void>;
}

const dirs: string[] = [];

export function logDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'argot-controller-'));
  dirs.push(dir);
  return dir;
}

export function removeLogDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export async function startHarness(
  opts: { store?: Store; runtime?: RecordingRuntime } & Partial<Pick<ControllerOptions, 'clock' | 'parallelism' | 'namespaceParallelism' | 'workflowDefaults' | 'resyncMs'>> = {},
): Promise<Harness> {
  const store = opts.store ?? createMemoryStore(opts.clock ? { now: opts.clock } : {});
  const runtime = opts.runtime ?? new RecordingRuntime(join(logDir(), 'logs'));
  const errors: string[] = [];
  const log = { info: () => undefined, warn: () => undefined, error: (m: string) => void errors.push(m) };
  const controller = new Controller({
    store,
    runtime,
    engine: { namespace: NS },
    log,
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.parallelism !== undefined ? { parallelism: opts.parallelism } : {}),
    ...(opts.namespaceParallelism !== undefined ? { namespaceParallelism: opts.namespaceParallelism } : {}),
    ...(opts.workflowDefaults ? { workflowDefaults: opts.workflowDefaults } : {}),
    ...(opts.resyncMs ? { resyncMs: opts.resyncMs } : {}),
  });
  await controller.start();
  const service = new ControllerWorkflowService({ controller, logPath: (_ns, _wf, pod, container) => runtime.logPath(pod, container) });
  return {
    store,
    runtime,
    controller,
    service,
    errors,
    async stop() {
      await controller.stop();
      await runtime.close();
    },
  };
}

/** A template whose fake pod runs `script` (`say x; exit n; hold`). */
export function fake(name: string, script: string, extra: Partial<Template> = {}): Template {
  return { name, container: { image: 'fake', args: [script] }, ...extra };
}

/** A workflow of one pod (the pod takes the workflow's name). */
export function single(name: string, script: string, spec: Partial<Workflow['spec']> = {}): Workflow {
  return workflow(name, [fake('main', script)], spec);
}

export function workflow(name: string, templates: Template[], spec: Partial<Workflow['spec']> = {}, metadata: Partial<Workflow['metadata']> = {}): Workflow {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: { name, namespace: NS, ...metadata },
    spec: { entrypoint: 'main', templates, ...spec },
  };
}

/** Polls until `check` returns a defined, non-false value. */
export async function until<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function getWf(h: { store: Store }, name: string): Promise<Workflow | undefined> {
  return h.store.workflows.get(NS, name);
}

/** The node whose displayName is `display`. */
export function nodeByDisplay(wf: Workflow | undefined, display: string): NodeStatus | undefined {
  return Object.values(wf?.status?.nodes ?? {}).find((n) => n.displayName === display);
}

/** The pod of the node whose displayName is `display`. */
export function podOf(wf: Workflow | undefined, display: string): string {
  const node = nodeByDisplay(wf, display);
  if (!node || !wf) throw new Error(`no node ${display}`);
  return podName(wf.metadata.name ?? '', node.name, node.templateName);
}

/** Waits until the workflow's node `display` has a pod held by the runtime; returns the pod name. */
export async function heldPod(h: Harness, wfName: string, display: string): Promise<string> {
  return until(async () => {
    const wf = await getWf(h, wfName);
    const node = nodeByDisplay(wf, display);
    if (!wf || !node) return undefined;
    const pod = podName(wfName, node.name, node.templateName);
    return h.runtime.heldPods().includes(pod) ? pod : undefined;
  }, `held pod of ${wfName}/${display}`);
}

export async function waitPhase(h: { store: Store }, name: string, phase: string, timeoutMs = 5000): Promise<Workflow> {
  return until(async () => {
    const wf = await getWf(h, name);
    return wf?.status?.phase === phase ? wf : undefined;
  }, `${name} to be ${phase}`, timeoutMs);
}
