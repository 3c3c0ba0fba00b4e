import { stringify as toYaml } from 'yaml';
import type { Config } from '../../config.js';
import { Controller } from '../../controller/controller.js';
import { createLocalRuntime } from '../../runtime/local/index.js';
import type { Workflow } from '../../spec/types.js';
import type { ObjectStore } from '../../store/types.js';
import { openLocalStore } from './local-store.js';
import { renderProgressLine, renderWorkflow } from '../render/index.js';
import { UsageError } from '../errors.js';
import { readWorkflowFile } from './documents.js';
import { applyParameters, collectParameters } from './parameters.js';

export interface RunOptions {
  parameter: string[];
  parameterFile?: string;
  entrypoint?: string;
  output?: string;
  utf8: boolean;
}

/** `argot run`: submit the file's workflows to an in-process controller, wait, and show the result. */
export async function runCommand(config: Config, file: string, opts: RunOptions): Promise<number> {
  if (opts.output && !['json', 'yaml', 'wide'].includes(opts.output)) throw new UsageError(`--output ${opts.output}: expected json, yaml or wide`);
  const loaded = await readWorkflowFile(file);
  if (!loaded) return 1;
  const { workflows, templates } = loaded;
  if (workflows.length === 0) {
    process.stderr.write(`argot: ${file}: no Workflow document to run (kinds found: ${loaded.kinds.join(', ') || 'none'})\n`);
    return 1;
  }
  const params = await collectParameters(opts.parameter, opts.parameterFile);
  for (const wf of workflows) {
    applyParameters(wf, params);
    if (opts.entrypoint) wf.spec.entrypoint = opts.entrypoint;
  }

  const warn = (message: string): void => void process.stderr.write(`argot: warning: ${message}\n`);
  const runtime = await createLocalRuntime({ dataDir: config.dataDir, sandbox: config.sandbox, searchPath: config.searchPath, warn });
  const store = openLocalStore(config);
  // Templates in the same file are what its templateRefs mean for this run.
  for (const t of templates.workflowTemplates) await upsert(store.workflowTemplates, { ...t, metadata: { ...t.metadata, namespace: t.metadata.namespace ?? config.namespace } });
  for (const t of templates.clusterTemplates) await upsert(store.clusterWorkflowTemplates, { ...t, metadata: { ...t.metadata, namespace: '' } });
  for (const cm of loaded.configMaps) await upsert(store.configMaps, { ...cm, metadata: { ...cm.metadata, namespace: cm.metadata.namespace ?? config.namespace } });
  const controller = new Controller({
    store,
    runtime,
    engine: { namespace: config.namespace },
    log: { info: () => undefined, warn, error: (m) => void process.stderr.write(`argot: error: ${m}\n`) },
  });
  await controller.start();
  const progress = config.stderrTty ? liveProgress() : undefined;
  const unsubscribe = progress ? store.workflows.watch((c) => progress.update(c.object)) : undefined;
  const interrupted = onInterrupt(async () => {
    progress?.clear();
    process.stderr.write('argot: interrupted; stopping pods\n');
    for (const wf of submitted) for (const pod of controller.podsOfWorkflow(wf.metadata.namespace ?? '', wf.metadata.name ?? '')) await runtime.deletePod(pod).catch(() => undefined);
    await runtime.close();
    process.exit(130);
  });
  const submitted: Workflow[] = [];
  let finals: Workflow[];
  try {
    for (const wf of workflows) submitted.push(await controller.submit(wf));
    finals = await Promise.all(submitted.map((wf) => controller.waitFor(wf.metadata.namespace ?? '', wf.metadata.name ?? '')));
  } finally {
    interrupted();
    unsubscribe?.();
    progress?.clear();
    await controller.stop();
    for (const wf of submitted) {
      for (const pod of controller.podsOfWorkflow(wf.metadata.namespace ?? '', wf.metadata.name ?? '')) await runtime.cleanupPod(pod).catch(() => undefined);
    }
    await runtime.close();
    await store.close();
  }

  if (opts.output === 'json') process.stdout.write(`${JSON.stringify(finals.length === 1 ? finals[0] : finals, null, 4)}\n`);
  else if (opts.output === 'yaml') process.stdout.write(finals.map((wf) => toYaml(wf)).join('---\n'));
  else process.stdout.write(finals.map((wf) => renderWorkflow(wf, { color: config.color, utf8: opts.utf8, now: new Date() })).join('\n'));
  return finals.every((wf) => wf.status?.phase === 'Succeeded') ? 0 : 1;
}

async function upsert<T extends { metadata: { name?: string; namespace?: string } }>(objects: ObjectStore<T>, obj: T): Promise<void> {
  const existing = await objects.get(obj.metadata.namespace ?? '', obj.metadata.name ?? '');
  if (existing) await objects.update(obj);
  else await objects.create(obj);
}

function liveProgress(): { update: (wf: Workflow) => void; clear: () => void } {
  let shown = false;
  return {
    update(wf) {
      process.stderr.write(`\r\x1b[2K${renderProgressLine(wf, new Date())}`);
      shown = true;
    },
    clear() {
      if (shown) process.stderr.write('\r\x1b[2K');
      shown = false;
    },
  };
}

function onInterrupt(handler: () => Promise<void>): () => void {
  const listener = (): void => void handler();
  process.once('SIGINT', listener);
  process.once('SIGTERM', listener);
  return () => {
    process.off('SIGINT', listener);
    process.off('SIGTERM', listener);
  };
}
