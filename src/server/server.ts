// Argo Server's HTTP API over argot's services (DESIGN.md §2, server/): the same paths, query
// parameters, bodies, errors and stream framing, so that the argo CLI, the Argo UI and scripts
// written against Argo talk to argot unchanged.
import fastify, { type FastifyInstance } from 'fastify';
import { checkAuth } from './auth.js';
import { RouteContext, type ServerDeps } from './context.js';
import { badRequest, mapError } from './errors.js';
import { configMapRoutes } from './routes/configmaps.js';
import { cronWorkflowRoutes } from './routes/cron-workflows.js';
import { eventRoutes } from './routes/events.js';
import { homeRoutes } from './routes/home.js';
import { infoRoutes } from './routes/info.js';
import { logRoutes } from './routes/logs.js';
import { syncRoutes } from './routes/sync.js';
import { templateRoutes } from './routes/templates.js';
import { workflowEventRoutes } from './routes/workflow-events.js';
import { workflowRoutes } from './routes/workflows.js';

export type { ServerDeps } from './context.js';

/** Workflows with thousands of steps are large; Fastify's default 1 MiB is not enough. */
const BODY_LIMIT = 32 * 1024 * 1024;

export function createServer(deps: ServerDeps): FastifyInstance {
  // No automatic HEAD routes: grpc-gateway has none, and a HEAD on a watch would open a stream.
  const app = fastify({ logger: false, bodyLimit: BODY_LIMIT, exposeHeadRoutes: false, routerOptions: { ignoreTrailingSlash: true } });
  const ctx = new RouteContext(deps);

  // One parser for every content type: Argo's clients send JSON, sometimes without saying so, and
  // whatever is not JSON deserves a 400 that says so (not a 415).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (err) {
      done(badRequest(`the request body is not JSON: ${err instanceof Error ? err.message : String(err)}`), undefined);
    }
  });

  app.addHook('onRequest', async (request) => checkAuth(deps.auth, request));

  app.setErrorHandler((err, request, reply) => {
    const mapped = mapError(err);
    if (mapped.internal) deps.log.error(`${request.method} ${request.url}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return reply.status(mapped.status).send(mapped.body);
  });

  workflowRoutes(app, ctx);
  workflowEventRoutes(app, ctx);
  eventRoutes(app, ctx);
  logRoutes(app, ctx);
  templateRoutes(app, ctx);
  cronWorkflowRoutes(app, ctx);
  configMapRoutes(app, ctx);
  syncRoutes(app, ctx);
  infoRoutes(app, ctx);
  homeRoutes(app, ctx);

  // Watches never end on their own; without this, close() would wait for every client to leave.
  app.addHook('preClose', async () => ctx.endStreams());
  return app;
}

export interface ListenOptions {
  port: number;
  /** Default 127.0.0.1: reachable only from this machine unless asked otherwise. */
  address?: string;
}

/** Starts listening; resolves with the URL clients use (the real port when `port` is 0). */
export async function listen(app: FastifyInstance, opts: ListenOptions): Promise<{ url: string; port: number }> {
  const host = opts.address ?? '127.0.0.1';
  await app.listen({ port: opts.port, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return { url: `http://${shown}:${port}`, port };
}
