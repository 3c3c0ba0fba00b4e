import { stringify as toYaml } from 'yaml';
import type { Config } from '../../config.js';
import type { Workflow } from '../../spec/types.js';
import { openLocalStore } from './local-store.js';
import { formatDuration, renderWorkflow, tabwrite } from '../render/index.js';

/** A workflow by name, or the newest with @latest; prints why when there is none. */
export async function findWorkflow(config: Config, name: string, namespace: string): Promise<Workflow | undefined> {
  const store = openLocalStore(config);
  try {
    const wf = name === '@latest' ? (await store.workflows.list({ namespace, limit: 1 })).items[0] : await store.workflows.get(namespace, name);
    const full = wf && name === '@latest' ? await store.workflows.get(namespace, wf.metadata.name ?? '') : wf;
    if (!full) process.stderr.write(`argot: workflow ${name} not found in namespace ${namespace} (data dir ${config.dataDir})\n`);
    return full;
  } finally {
    await store.close();
  }
}

export async function getCommand(config: Config, name: string, opts: { output?: string; namespace: string }): Promise<number> {
  const wf = await findWorkflow(config, name, opts.namespace);
  if (!wf) return 1;
  if (opts.output === 'json') process.stdout.write(`${JSON.stringify(wf, null, 4)}\n`);
  else if (opts.output === 'yaml') process.stdout.write(toYaml(wf));
  else process.stdout.write(renderWorkflow(wf, { color: config.color, now: new Date() }));
  return 0;
}

export async function listCommand(config: Config, opts: { namespace: string; output?: string }): Promise<number> {
  const store = openLocalStore(config);
  const workflows = await store.workflows.list({ namespace: opts.namespace }).then((r) => r.items).finally(() => void store.close());
  if (opts.output === 'json') {
    process.stdout.write(`${JSON.stringify(workflows, null, 2)}\n`);
    return 0;
  }
  if (opts.output === 'name') {
    for (const wf of workflows) process.stdout.write(`${wf.metadata.name ?? ''}\n`);
    return 0;
  }
  const now = Date.now();
  const rows = workflows.map((wf) => {
    const created = Date.parse(wf.metadata.creationTimestamp ?? '');
    const started = Date.parse(wf.status?.startedAt ?? '');
    const finished = Date.parse(wf.status?.finishedAt ?? '') || now;
    return [
      wf.metadata.name ?? '',
      wf.status?.phase ?? 'Pending',
      Number.isNaN(created) ? '' : formatDuration(now - created),
      Number.isNaN(started) ? '' : formatDuration(finished - started),
      String(wf.spec.priority ?? 0),
      wf.status?.message ?? '',
    ];
  });
  const lines = [['NAME', 'STATUS', 'AGE', 'DURATION', 'PRIORITY', 'MESSAGE'], ...rows].map((r) => r.join('\t'));
  process.stdout.write(`${tabwrite(lines).join('\n')}\n`);
  return 0;
}
