// WorkflowService_WatchWorkflows: Kubernetes watch semantics, which Argo passes through from the
// API server. Without `listOptions.resourceVersion` (or with "0", as the Argo CLI sends) the
// workflows that exist arrive first as ADDED, then changes follow. With a resourceVersion from an
// earlier list, only what changed after it is sent; argot keeps no history, so objects written
// since then arrive as MODIFIED (created ones too) and deletions in between are not replayed.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Workflow } from '../../spec/types.js';
import type { Change, ListResult } from '../../store/types.js';
import type { RouteContext } from '../context.js';
import { applyFields, keepsPath, parseFields } from '../fields.js';
import { listAll } from '../list.js';
import { isNewer, listThenWatch } from '../list-watch.js';
import { listOptionsFrom, queryString, type Query } from '../request.js';
import { LATEST, latest, withNodes } from './workflows.js';

export function workflowEventRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const handler = async (req: FastifyRequest<{ Params: { namespace?: string }; Querystring: Query }>, reply: FastifyReply): Promise<FastifyReply> => {
    const workflows = ctx.deps.workflows;
    const namespace = req.params.namespace ?? '';
    const { limit: _limit, continue: _continue, ...opts } = listOptionsFrom(req.query, namespace);
    if (opts.fieldSelector?.includes(LATEST)) opts.fieldSelector = await resolveLatest(ctx, namespace, opts.fieldSelector);
    const since = queryString(req.query, 'listOptions.resourceVersion');
    const replayAll = since === undefined || since === '' || since === '0';
    const fields = parseFields(queryString(req.query, 'fields'));

    // Lists leave status.nodes out; watchers get whole workflows, unless `fields` drops the nodes anyway.
    const hydrate = keepsPath(fields, 'result.object.status.nodes');
    const listWorkflows = async (): Promise<ListResult<Workflow>> => {
      const listed = await listAll((o) => workflows.list(o), opts);
      return hydrate ? { ...listed, items: await withNodes(workflows, listed.items) } : listed;
    };

    // Subscribed and listed before the stream opens: a bad selector still gets a plain 400.
    const early: Change<Workflow>[] = [];
    let deliver = (change: Change<Workflow>): void => void early.push(change);
    // A workflow read after the list may already show changes still held back: skip those.
    const initialVersions = new Map<string, string | undefined>();
    const unsubscribe = await listThenWatch(
      { list: listWorkflows, watch: (l) => workflows.watch(opts, l) },
      (items) => {
        for (const object of items) {
          initialVersions.set(keyOf(object), object.metadata.resourceVersion);
          if (replayAll) deliver({ type: 'ADDED', object });
          else if (isNewer(object.metadata.resourceVersion, since)) deliver({ type: 'MODIFIED', object });
        }
      },
      (change) => {
        const key = keyOf(change.object);
        if (initialVersions.has(key) && !isNewer(change.object.metadata.resourceVersion, initialVersions.get(key))) return;
        initialVersions.delete(key);
        deliver(change);
      },
    );
    const stream = ctx.stream(req, reply, (message) => applyFields(message, fields));
    stream.signal.addEventListener('abort', unsubscribe, { once: true });
    deliver = (change) => stream.send({ type: change.type, object: change.object });
    for (const change of early) deliver(change);
    return reply;
  };
  app.get('/api/v1/workflow-events/', handler);
  app.get('/api/v1/workflow-events/:namespace', handler);
}

/** `metadata.name=@latest` watches the newest workflow, as in Argo. */
async function resolveLatest(ctx: RouteContext, namespace: string, selector: string): Promise<string> {
  const terms = selector.split(',');
  const out: string[] = [];
  for (const term of terms) {
    const m = /^\s*metadata\.name\s*(==?)\s*@latest\s*$/.exec(term);
    out.push(m ? `metadata.name${m[1] ?? '='}${(await latest(ctx.deps.workflows, namespace)).metadata.name ?? ''}` : term);
  }
  return out.join(',');
}

function keyOf(wf: Workflow): string {
  return `${wf.metadata.namespace ?? ''}/${wf.metadata.name ?? ''}`;
}
