// InfoService: what the UI and `argo version` ask at startup. Argo's Version has Go build fields;
// argot fills them with their Node equivalents so that clients expecting all eight keys get them.
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../context.js';

const GO_ARCH: Record<string, string> = { x64: 'amd64', ia32: '386' };

export function infoRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/api/v1/version', () => ({
    version: ctx.deps.version,
    buildDate: '',
    gitCommit: '',
    gitTag: ctx.deps.version,
    gitTreeState: '',
    goVersion: process.version,
    compiler: 'node',
    platform: `${process.platform}/${GO_ARCH[process.arch] ?? process.arch}`,
  }));
  app.get('/api/v1/info', () => ({ links: [], columns: [], navColor: '', modals: {} }));
  // No identities yet: with a bearer token everyone is the same caller, as in Argo's server mode.
  app.get('/api/v1/userinfo', () => ({}));
  // The UI's telemetry; answering keeps it from logging errors.
  app.post('/api/v1/tracking/event', () => ({}));
}
