// WorkflowService_WorkflowLogs and WorkflowService_PodLogs: log lines as a stream of
// `LogEntry {podName, content}`. Whether the workflow exists is checked before the stream opens,
// so that a wrong name gets a 404 status rather than an error inside a 200 stream.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { LogOptions } from '../../controller/service.js';
import type { RouteContext } from '../context.js';
import { queryBool, queryInt, queryString, type Query } from '../request.js';
import { resolveName } from './workflows.js';

interface LogParams {
  namespace: string;
  name: string;
  podName?: string;
}

export function logRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const handler = async (req: FastifyRequest<{ Params: LogParams; Querystring: Query }>, reply: FastifyReply): Promise<FastifyReply> => {
    const workflows = ctx.deps.workflows;
    const { namespace } = req.params;
    const name = await resolveName(workflows, namespace, req.params.name);
    const opts = logOptions(req.query, req.params.podName);
    await workflows.get(namespace, name);
    const stream = ctx.stream(req, reply);
    try {
      await workflows.logs(namespace, name, opts, (entry) => stream.send({ content: entry.content, podName: entry.podName }), stream.signal);
      stream.end();
    } catch (err) {
      ctx.failStream(stream, err, `logs of ${namespace}/${name}`);
    }
    return reply;
  };
  app.get('/api/v1/workflows/:namespace/:name/log', handler);
  app.get('/api/v1/workflows/:namespace/:name/:podName/log', handler);
}

function logOptions(query: Query, podFromPath: string | undefined): LogOptions {
  const opts: LogOptions = {};
  const podName = podFromPath ?? queryString(query, 'podName');
  if (podName) opts.podName = podName;
  const container = queryString(query, 'logOptions.container');
  if (container) opts.container = container;
  const follow = queryBool(query, 'logOptions.follow');
  if (follow) opts.follow = true;
  const grep = queryString(query, 'grep');
  if (grep) opts.grep = grep;
  const tailLines = queryInt(query, 'logOptions.tailLines');
  if (tailLines !== undefined) opts.tailLines = tailLines;
  const sinceSeconds = queryInt(query, 'logOptions.sinceSeconds');
  if (sinceSeconds !== undefined) opts.sinceSeconds = sinceSeconds;
  const timestamps = queryBool(query, 'logOptions.timestamps');
  if (timestamps) opts.timestamps = true;
  return opts;
}
