// Following one workflow until it finishes, for `watch`, `wait` and `submit --wait/--watch`.
// Each connection of the watch starts with a GET, so a server that does not replay the current
// state as ADDED (or a workflow that finished between two connections) cannot leave us waiting.
// resourceVersions only move forward: a GET answered after a newer event must not undo it.

import type { Workflow } from '../../spec/types.js';
import { ApiError, type ArgoClient } from '../client/index.js';
import { CommandError } from './context.js';
import { isFinished } from './format.js';

/** A workflow by namespace and (resolved) name. */
export interface Target {
  namespace: string;
  name: string;
}

export interface FollowOptions {
  signal?: AbortSignal;
  /** Every newer state, the first one included. */
  onUpdate?: (wf: Workflow) => void;
  onReconnect?: (attempt: number, cause: unknown) => void;
  /** Passed to the watch (tests shorten them). */
  retryDelayMs?: number;
  idleTimeoutMs?: number;
}

/** Resolves to the finished workflow; throws if it is deleted. Returns the last state seen if `signal` aborts. */
export async function followWorkflow(client: ArgoClient, namespace: string, name: string, opts: FollowOptions = {}): Promise<Workflow | undefined> {
  const done = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, done.signal]) : done.signal;
  let current: Workflow | undefined;
  const accept = (wf: Workflow): void => {
    if (current && olderThan(wf, current)) return;
    current = wf;
    opts.onUpdate?.(wf);
    if (isFinished(wf)) done.abort();
  };
  const events = client.workflows.watch(
    namespace,
    { fieldSelector: `metadata.name=${name}` },
    {
      signal,
      onConnect: async () => {
        let wf: Workflow;
        try {
          wf = await client.workflows.get(namespace, name);
        } catch (err) {
          // Gone on a (re)connect after we saw it: it was deleted while we followed it.
          if (current && err instanceof ApiError && err.notFound) throw new CommandError(deletedMessage(name, namespace));
          throw err;
        }
        accept(wf);
      },
      ...(opts.onReconnect && { onReconnect: opts.onReconnect }),
      ...(opts.retryDelayMs !== undefined && { retryDelayMs: opts.retryDelayMs }),
      ...(opts.idleTimeoutMs !== undefined && { idleTimeoutMs: opts.idleTimeoutMs }),
    },
  );
  for await (const event of events) {
    // Servers that ignore the field selector send every workflow of the namespace.
    if (event.object?.metadata?.name !== name) continue;
    if (event.type === 'DELETED') throw new CommandError(deletedMessage(name, namespace));
    if (event.type === 'ADDED' || event.type === 'MODIFIED') accept(event.object);
    if (done.signal.aborted) break;
  }
  return current;
}

function olderThan(a: Workflow, b: Workflow): boolean {
  const av = Number(a.metadata.resourceVersion);
  const bv = Number(b.metadata.resourceVersion);
  // Opaque (non-numeric) versions cannot be ordered; take the newest arrival.
  if (!Number.isFinite(av) || !Number.isFinite(bv) || a.metadata.resourceVersion === '' || b.metadata.resourceVersion === '') return false;
  return av < bv;
}

function deletedMessage(name: string, namespace: string): string {
  return `workflow "${name}" was deleted from namespace ${namespace} before it finished`;
}
