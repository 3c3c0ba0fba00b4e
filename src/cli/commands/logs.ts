import { readFile } from 'node:fs/promises';
import type { Config } from '../../config.js';
import { podName } from '../../engine/index.js';
import { logFilePath } from '../../runtime/local/index.js';
import { findWorkflow } from './get.js';

/** `argot logs NAME [POD]`: every pod's log for the container, prefixed with the pod name as `argo logs` does. */
export async function logsCommand(config: Config, name: string, pod: string | undefined, opts: { container: string; namespace: string }): Promise<number> {
  const wf = await findWorkflow(config, name, opts.namespace);
  if (!wf) return 1;
  const wfName = wf.metadata.name ?? '';
  const namespace = wf.metadata.namespace ?? opts.namespace;
  const pods = Object.values(wf.status?.nodes ?? {})
    .filter((n) => n.type === 'Pod')
    .sort((a, b) => (a.startedAt ?? '').localeCompare(b.startedAt ?? ''))
    .map((n) => podName(wfName, n.name, n.templateName));
  const selected = pod ? pods.filter((p) => p === pod) : pods;
  if (pod && selected.length === 0) {
    process.stderr.write(`argot: workflow ${wfName} has no pod ${pod}; its pods: ${pods.join(', ')}\n`);
    return 1;
  }
  for (const p of selected) {
    const text = await readFile(logFilePath(config.dataDir, namespace, wfName, p, opts.container), 'utf8').catch(() => '');
    for (const line of text.split('\n')) if (line !== '') process.stdout.write(`${p}: ${line}\n`);
  }
  return 0;
}
