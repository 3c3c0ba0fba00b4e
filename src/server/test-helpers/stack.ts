// The real service stack behind the server, for in-process tests: memory store, controller and
// engine, the workflow and template services, and a fake runtime whose pods follow a script.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Controller } from '../../controller/controller.js';
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
  app: FastifyInstance;
  store: Store;
  runtime: FakeRuntime;
  controller: Controller;
  metrics: ControllerMetrics;
  errors: string[];
  /** Resolves with the workflow once it has finished. */
  waitFor(namespace: string, name: string): Promise<Workflow>;
  close(): Promise<void>;
}

export async function startStack(opts: { auth?: AuthConfig; keepaliveMs?: number } = {}): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'argot-server-'));
  const store = createMemoryStore();
  const runtime = new FakeRuntime(join(dir, 'logs'));
  const errors: string[] = [];
  const log = { info: () => undefined, warn: () => undefined, error: (m: string) => void errors.push(m) };
  // The queue depth is read on scrape, by which time the controller exists.
  const metrics: ControllerMetrics = new ControllerMetrics({ store, queueDepth: () => controller.queueDepth });
  const controller = new Controller({ store, runtime, engine: { namespace: 'default' }, log, onReconcile: (seconds) => metrics.observeReconcile(seconds) });
  await metrics.start();
  await controller.start();
  const workflows = new ControllerWorkflowService({ controller, logPath: (_ns, _wf, pod, container) => runtime.logPath(pod, container) });
  const app = createServer({
    workflows,
    templates: new StoreTemplateService(store),
    store,
    version: 'v0.1.0-test',
    metrics,
    auth: opts.auth ?? { mode: 'none' },
    log,
    streams: { keepaliveMs: opts.keepaliveMs ?? 15_000 },
  });
  await app.ready();
  return {
    app,
    store,
    runtime,
    controller,
    metrics,
    errors,
    waitFor: (namespace, name) => controller.waitFor(namespace, name),
    async close() {
      await app.close();
      metrics.stop();
      await controller.stop();
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
