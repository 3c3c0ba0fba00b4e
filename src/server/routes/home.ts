// Outside /api: the metrics scrape and the web UI (or, in a checkout whose UI is not built, a page
// that says how to build it and where the API is).
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../context.js';
import { metricFamilies } from '../metrics.js';
import { formatMetrics, PROMETHEUS_CONTENT_TYPE } from '../prometheus.js';
import { findUiDir, uiFile } from './ui.js';

export function homeRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/metrics', async (_req, reply) => {
    const snapshot = await ctx.deps.metrics.snapshot();
    return reply.type(PROMETHEUS_CONTENT_TYPE).send(formatMetrics(metricFamilies(snapshot)));
  });
  const uiDir = ctx.deps.uiDir === undefined ? findUiDir() : ctx.deps.uiDir || undefined;
  app.get('/', async (req, reply) => {
    const file = uiDir === undefined ? undefined : await uiFile(uiDir, '/');
    if (!file) return reply.type('text/html; charset=utf-8').send(page(ctx.deps.version));
    return reply.header('cache-control', 'no-cache').type(file.type).send(file.body);
  });
  // Everything else outside the API belongs to the UI (its assets, and its routes on reload).
  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const isApi = path.startsWith('/api/') || path === '/api' || path.startsWith('/artifacts');
    const file = !isApi && request.method === 'GET' && uiDir !== undefined ? await uiFile(uiDir, path) : undefined;
    if (file) return reply.header('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache').type(file.type).send(file.body);
    return reply.status(404).send({ code: 5, message: `${request.method} ${path}: no such path (see https://argo-workflows.readthedocs.io/en/latest/swagger/)` });
  });
}

function page(version: string): string {
  const links = ['/api/v1/workflows/', '/api/v1/workflow-templates/', '/api/v1/cluster-workflow-templates', '/api/v1/cron-workflows/', '/api/v1/version', '/metrics'];
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>argot</title></head>
<body>
<h1>argot ${escapeHtml(version)}</h1>
<p>The web UI is not built in this checkout (run <code>npm run build</code>). The Argo Server API is served here; use the <code>argot</code> or <code>argo</code> CLI, or these endpoints:</p>
<ul>
${links.map((l) => `<li><a href="${l}">${l}</a></li>`).join('\n')}
</ul>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
