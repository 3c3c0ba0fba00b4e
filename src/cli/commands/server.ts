import type { Config } from '../../config.js';
import { Controller } from '../../controller/controller.js';
import { StoreTemplateService } from '../../controller/template-service.js';
import { ControllerWorkflowService } from '../../controller/workflow-service.js';
import { CronScheduler, systemClock } from '../../cron/index.js';
import { createLocalRuntime, logFilePath } from '../../runtime/local/index.js';
import { authFor, ControllerMetrics, createServer, listen } from '../../server/index.js';
import { version } from '../../version.js';
import { openLocalStore } from './local-store.js';
import { readFile } from 'node:fs/promises';
import { parseControllerConfig } from '../../controller/controller-config.js';
import { UsageError } from '../errors.js';
import type { AuthConfig } from '../../server/index.js';

/** --auth-mode: `none` only on loopback; `bearer` anywhere; default: none on loopback, bearer elsewhere. */
function authConfig(opts: ServerOptions, envToken: string | undefined): AuthConfig {
  const token = opts.token ?? envToken;
  const mode = opts.authMode ?? 'auto';
  if (mode === 'auto') return authFor(opts.address, token);
  if (mode === 'bearer') return authFor('0.0.0.0', token);
  if (mode === 'none') {
    if (authFor(opts.address).mode !== 'none') throw new UsageError(`--auth-mode none is only allowed on a loopback address, not ${opts.address}`);
    return { mode: 'none' };
  }
  throw new UsageError(`--auth-mode ${mode}: expected none, bearer or auto`);
}

export interface ServerOptions {
  port: string;
  address: string;
  token?: string;
  parallelism?: string;
  config?: string;
  authMode?: string;
}

/**
 * `argot server`: the controller, the cron scheduler and Argo's REST API over the embedded store.
 * On SIGTERM/SIGINT it stops taking requests and leaves pods running: a restart adopts them.
 */
export async function serverCommand(config: Config, opts: ServerOptions): Promise<number> {
  const log = {
    info: (m: string) => void process.stderr.write(`argot: ${m}\n`),
    warn: (m: string) => void process.stderr.write(`argot: warning: ${m}\n`),
    error: (m: string) => void process.stderr.write(`argot: error: ${m}\n`),
  };
  const store = openLocalStore(config);
  const runtime = await createLocalRuntime({ dataDir: config.dataDir, sandbox: config.sandbox, searchPath: config.searchPath, warn: log.warn });
  // Read on scrape, after the controller exists.
  const metrics: ControllerMetrics = new ControllerMetrics({ store, queueDepth: () => controller.queueDepth, stats: () => controller.stats() });
  const controllerConfig = opts.config ? parseControllerConfig(await readFile(opts.config, 'utf8'), opts.config) : {};
  const parallelism = opts.parallelism ? Number(opts.parallelism) : controllerConfig.parallelism;
  if (parallelism !== undefined && !(Number.isInteger(parallelism) && parallelism > 0)) throw new UsageError(`--parallelism ${opts.parallelism ?? ''}: expected a positive integer`);
  const controller = new Controller({
    store,
    runtime,
    engine: { namespace: config.namespace },
    log,
    resyncMs: 5_000,
    onReconcile: (s) => metrics.observeReconcile(s),
    ...(parallelism ? { parallelism } : {}),
    ...(controllerConfig.namespaceParallelism ? { namespaceParallelism: controllerConfig.namespaceParallelism } : {}),
    ...(controllerConfig.workflowDefaults ? { workflowDefaults: controllerConfig.workflowDefaults } : {}),
  });
  const workflows = new ControllerWorkflowService({ controller, logPath: (ns, wf, pod, c) => logFilePath(config.dataDir, ns, wf, pod, c) });
  const templates = new StoreTemplateService(store);
  const cron = new CronScheduler({
    store,
    submit: (wf) => controller.submit(wf),
    stopWorkflow: async (ns, name) => void (await workflows.stop(ns, name)),
    deleteWorkflow: async (ns, name) => void (await controller.delete(ns, name)),
    clock: systemClock,
    log,
  });
  const auth = authConfig(opts, config.token);
  // ARGOT_UI_DIR serves a UI built elsewhere (a `vite build --outDir`), for working on the UI.
  const app = createServer({ workflows, templates, store, version, metrics, auth, log, uiDir: process.env.ARGOT_UI_DIR });
  await controller.start();
  await metrics.start();
  await cron.start();
  const { url } = await listen(app, { port: Number(opts.port), address: opts.address });
  process.stdout.write(`argot server listening on ${url} (data dir ${config.dataDir})\n`);
  if (auth.mode === 'bearer') process.stdout.write(`authentication: bearer token required; set ARGOT_TOKEN=${auth.token}\n`);
  else process.stdout.write('authentication: none (bound to loopback only)\n');

  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  process.stderr.write('argot: shutting down; pods keep running and are adopted on restart\n');
  await app.close();
  await cron.stop();
  metrics.stop();
  await controller.stop();
  await runtime.close({ keepPods: true });
  await store.close();
  return 0;
}
