// Outside /api: the metrics scrape and, until the web UI exists, a page that says where to go.
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../context.js';
import { metricFamilies } from '../metrics.js';
import { formatMetrics, PROMETHEUS_CONTENT_TYPE } from '../prometheus.js';

export function homeRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/metrics', async (_req, reply) => {
    const snapshot = await ctx.deps.metrics.snapshot();
    return reply.type(PROMETHEUS_CONTENT_TYPE).send(formatMetrics(metricFamilies(snapshot)));
  });
  app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(page(ctx.deps.version)));
}

function page(version: string): string {
  const links = ['/api/v1/workflows/', '/api/v1/workflow-templates/', '/api/v1/cluster-workflow-templates', '/api/v1/cron-workflows/', '/api/v1/version', '/metrics'];
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>argot</title></head>
<body>
<h1>argot ${escapeHtml(version)}</h1>
<p>The web UI is not built yet. The Argo Server API is served here; use the <code>argot</code> or <code>argo</code> CLI, or these endpoints:</p>
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
