// The real service stack behind the server, for in-process tests: memory store, controller and
// engine, the workflow and template services, and a fake runtime whose pods follow a script.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Controller, type ControllerOptions } from '../../controller/controller.js';
import { StoreTemplateService } from '../../controller/template-service.js';
import { ControllerWorkflowService } from '../../controller/workflow-service.js';
import type { Workflow } from '../../spec/types.js';
import { createMemoryStore } from '../../store/memory/index.js';
import type { Store } from '../../store/types.js';
import type { AuthConfig } from '../auth.js';
import { ControllerMetrics } from '../metrics.js';
import { createServer } from '../server.js';
import { FakeRuntime } from './fake-runtime.js';

export interface Stack {
  /** The server of the running controller (a new one after startController). */
  app: FastifyInstance;
  store: Store;
  runtime: FakeRuntime;
  /** The running controller (a new instance after startController). */
  controller: Controller;
  metrics: ControllerMetrics;
  errors: string[];
  /** Resolves with the workflow once it has finished. */
  waitFor(namespace: string, name: string): Promise<Workflow>;
  /** Stops the server and the controller; the store and the runtime (and its pods) stay, as after a crash. */
  stopController(): Promise<void>;
  /** A new controller and server on the same store and runtime: it adopts the runtime's pods and rebuilds its state. */
  startController(): Promise<void>;
  /** stopController, then startController. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface StackOptions {
  auth?: AuthConfig;
  keepaliveMs?: number;
  /** A store to use (default: a new memory store). */
  store?: Store;
  /** A runtime to use (default: a new FakeRuntime). */
  runtime?: FakeRuntime;
  /** The engine's default namespace (default 'default'). */
  namespace?: string;
  /** The built UI to serve (default: none, so tests do not depend on a build). */
  uiDir?: string;
  /** Controller knobs. */
  controller?: Partial<Pick<ControllerOptions, 'parallelism' | 'namespaceParallelism' | 'resyncMs' | 'workers' | 'workflowDefaults' | 'clock'>>;
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'argot-server-'));
  const store = opts.store ?? createMemoryStore();
  const runtime = opts.runtime ?? new FakeRuntime(join(dir, 'logs'));
  const errors: string[] = [];
  const log = { info: () => undefined, warn: () => undefined, error: (m: string) => void errors.push(m) };
  let controller: Controller | undefined;
  let app: FastifyInstance | undefined;
  // The queue depth and locks are read on scrape, by which time the controller exists.
  const metrics: ControllerMetrics = new ControllerMetrics({
    store,
    queueDepth: () => controller?.queueDepth ?? 0,
    stats: () => controller?.stats() ?? { locks: { locks: [], waitSeconds: { buckets: [], counts: [0], sum: 0 }, leaksRepaired: 0 }, repairs: {}, deprecated: {} },
  });
  await metrics.start();

  const startController = async (): Promise<void> => {
    if (controller) throw new Error('the stack already has a running controller');
    const c = new Controller({
      store,
      runtime,
      engine: { namespace: opts.namespace ?? 'default' },
      log,
      onReconcile: (seconds) => metrics.observeReconcile(seconds),
      ...opts.controller,
    });
    await c.start();
    const workflows = new ControllerWorkflowService({ controller: c, logPath: (_ns, _wf, pod, container) => runtime.logPath(pod, container) });
    const server = createServer({
      workflows,
      templates: new StoreTemplateService(store),
      store,
      version: 'v0.1.0-test',
      metrics,
      auth: opts.auth ?? { mode: 'none' },
      log,
      streams: { keepaliveMs: opts.keepaliveMs ?? 15_000 },
      uiDir: opts.uiDir ?? '',
    });
    await server.ready();
    controller = c;
    app = server;
  };
  const stopController = async (): Promise<void> => {
    const [c, server] = [controller, app];
    controller = undefined;
    app = undefined;
    await server?.close();
    await c?.stop();
  };
  await startController();

  const running = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the stack's ${what} is stopped (startController first)`);
    return value;
  };
  return {
    get app() {
      return running(app, 'server');
    },
    store,
    runtime,
    get controller() {
      return running(controller, 'controller');
    },
    metrics,
    errors,
    waitFor: (namespace, name) => running(controller, 'controller').waitFor(namespace, name),
    stopController,
    startController,
    async restart() {
      await stopController();
      await startController();
    },
    async close() {
      await stopController();
      metrics.stop();
      await runtime.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A workflow of one step whose fake pod runs `script` (see fake-runtime.ts). */
export function scriptedWorkflow(name: string, script: string, extra: Partial<Workflow['spec']> = {}): Workflow {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: { name, namespace: 'default', labels: { suite: 'server' } },
    spec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'fake', args: [script] } }], ...extra },
  };
}
