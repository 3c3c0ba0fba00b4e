// `@latest`, which argo accepts wherever a workflow name goes: the newest workflow of the namespace.
// Resolved here rather than left to the server, so it works against any server that can list.

import type { Workflow } from '../../spec/types.js';
import type { ArgoClient } from '../client/index.js';
import { CommandError } from './context.js';

const LATEST_FIELDS = 'metadata,items.metadata.name,items.metadata.namespace,items.metadata.creationTimestamp';

export async function resolveWorkflowName(client: ArgoClient, namespace: string, name: string): Promise<string> {
  if (name !== '@latest') return name;
  let newest: Workflow | undefined;
  let newestAt = -Infinity;
  let token: string | undefined;
  do {
    const page = await client.workflows.list(namespace, { fields: LATEST_FIELDS, ...(token && { continue: token }) });
    for (const wf of page.items) {
      const at = Date.parse(wf.metadata.creationTimestamp ?? '') || 0;
      // Same second: the later name in sort order, which is as good a tie-break as any and stable.
      if (at > newestAt || (at === newestAt && (wf.metadata.name ?? '') > (newest?.metadata.name ?? ''))) {
        newest = wf;
        newestAt = at;
      }
    }
    token = page.metadata.continue || undefined;
  } while (token);
  if (!newest?.metadata.name) throw new CommandError(`@latest: there are no workflows in namespace ${namespace}`);
  return newest.metadata.name;
}

export async function resolveWorkflowNames(client: ArgoClient, namespace: string, names: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const name of names) out.push(await resolveWorkflowName(client, namespace, name));
  return out;
}
