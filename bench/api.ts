// Argo's REST API over a rig, assembled as `argot server` does (src/cli/commands/server.ts), on a
// loopback port: the API workloads go through HTTP like any client.
import { StoreTemplateService } from '../src/controller/template-service.js';
import { ControllerWorkflowService } from '../src/controller/workflow-service.js';
import { logFilePath } from '../src/runtime/local/index.js';
import { ControllerMetrics, createServer, listen } from '../src/server/index.js';
import { version } from '../src/version.js';
import type { Rig } from './rig.js';

export interface Api {
  url: string;
  close(): Promise<void>;
}

export async function startApi(rig: Rig): Promise<Api> {
  const { controller, store } = rig;
  const metrics = new ControllerMetrics({ store, queueDepth: () => controller.queueDepth, stats: () => controller.stats() });
  const workflows = new ControllerWorkflowService({ controller, logPath: (ns, wf, pod, c) => logFilePath(rig.dir, ns, wf, pod, c) });
  const log = { info: () => undefined, warn: () => undefined, error: (m: string) => void rig.errors.push(m) };
  const app = createServer({ workflows, templates: new StoreTemplateService(store), store, version, metrics, auth: { mode: 'none' }, log, uiDir: '' });
  await metrics.start();
  const { url } = await listen(app, { port: 0, address: '127.0.0.1' });
  return {
    url,
    async close() {
      await app.close();
      metrics.stop();
    },
  };
}

/** Runs `task` over `items` with at most `concurrency` in flight. */
export async function pool<T>(items: readonly T[], concurrency: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      await task(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
