// An in-memory stand-in for Argo Server, just big enough for the CLI's calls: it records every
// request, keeps objects in maps, and streams the way Argo does (SSE `data: {"result":…} \n\n`
// frames with `:` keepalives when asked for text/event-stream, NDJSON otherwise).

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConfigMap, CronWorkflow, Workflow, WorkflowTemplate, ClusterWorkflowTemplate } from '../../src/spec/types.js';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  headers: IncomingMessage['headers'];
}

interface Watcher {
  namespace: string;
  fieldName?: string;
  res: ServerResponse;
  sent: number;
  dropAfter?: number;
}

interface LogStream {
  entries: { podName: string; content: string }[];
  followers: Set<{ res: ServerResponse; sse: boolean }>;
  ended: boolean;
}

type Obj = { metadata: { name?: string; namespace?: string; resourceVersion?: string; generateName?: string; labels?: Record<string, string>; creationTimestamp?: string; uid?: string } };

const GRPC_BY_STATUS: Record<number, number> = { 400: 3, 401: 16, 403: 7, 404: 5, 409: 6, 500: 13, 503: 14 };

export class FakeArgoServer {
  readonly requests: RecordedRequest[] = [];
  readonly workflows = new Map<string, Workflow>();
  readonly templates = new Map<string, WorkflowTemplate>();
  readonly clusterTemplates = new Map<string, ClusterWorkflowTemplate>();
  readonly crons = new Map<string, CronWorkflow>();
  readonly configMaps = new Map<string, ConfigMap>();
  readonly logs = new Map<string, LogStream>();
  readonly watchers = new Set<Watcher>();
  /** Each watch connection, in order; tests wait on it to know the CLI (re)connected. */
  watchConnections = 0;
  /** The next watch connection is cut (socket destroyed) after this many events. */
  dropNextWatchAfter?: number;
  /** When false, a new watch does not replay existing objects as ADDED (some servers don't). */
  replayOnWatch = true;
  /** Answer log requests as NDJSON even when SSE is asked for. */
  logsAsNdjson = false;
  /** Requests matching `METHOD /path` get this answer once. */
  private readonly failures: { method: string; path: RegExp; status: number; body: string }[] = [];
  private server?: Server;
  private rv = 100;
  private seq = 0;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const w of this.watchers) w.res.destroy();
    for (const stream of this.logs.values()) for (const f of stream.followers) f.res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  failOnce(method: string, path: RegExp, status: number, body: unknown): void {
    this.failures.push({ method, path, status, body: typeof body === 'string' ? body : JSON.stringify(body) });
  }

  /** Requests other than the watch/log streams, as `METHOD /path`. */
  calls(): string[] {
    return this.requests.map((r) => `${r.method} ${r.path}`);
  }

  last(method: string, path: string | RegExp): RecordedRequest | undefined {
    return [...this.requests].reverse().find((r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)));
  }

  /** Stores (or replaces) a workflow and tells the watchers. */
  putWorkflow(wf: Workflow): Workflow {
    const key = `${wf.metadata.namespace ?? 'default'}/${wf.metadata.name ?? ''}`;
    const existed = this.workflows.has(key);
    const stored = this.stamp(structuredClone(wf));
    this.workflows.set(key, stored);
    this.broadcast(existed ? 'MODIFIED' : 'ADDED', stored);
    return stored;
  }

  removeWorkflow(namespace: string, name: string): void {
    const wf = this.workflows.get(`${namespace}/${name}`);
    if (!wf) return;
    this.workflows.delete(`${namespace}/${name}`);
    this.broadcast('DELETED', wf);
  }

  keepalive(): void {
    for (const w of this.watchers) w.res.write(': \n\n');
  }

  /** Log lines of a workflow; followers get them as they are added. */
  appendLogs(namespace: string, name: string, entries: { podName: string; content: string }[]): void {
    const stream = this.logStream(namespace, name);
    stream.entries.push(...entries);
    for (const f of stream.followers) for (const e of entries) f.res.write(frame({ result: e }, f.sse));
  }

  endLogs(namespace: string, name: string): void {
    const stream = this.logStream(namespace, name);
    stream.ended = true;
    for (const f of stream.followers) f.res.end();
    stream.followers.clear();
  }

  private logStream(namespace: string, name: string): LogStream {
    const key = `${namespace}/${name}`;
    let stream = this.logs.get(key);
    if (!stream) this.logs.set(key, (stream = { entries: [], followers: new Set(), ended: false }));
    return stream;
  }

  private stamp<T extends Obj>(obj: T): T {
    obj.metadata.resourceVersion = String(++this.rv);
    obj.metadata.uid ??= `uid-${this.rv}`;
    obj.metadata.creationTimestamp ??= new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    return obj;
  }

  private broadcast(type: string, wf: Workflow): void {
    for (const w of this.watchers) {
      if (w.namespace && w.namespace !== wf.metadata.namespace) continue;
      if (w.fieldName && w.fieldName !== wf.metadata.name) continue;
      this.sendEvent(w, type, wf);
    }
  }

  private sendEvent(w: Watcher, type: string, wf: Workflow): void {
    w.res.write(frame({ result: { type, object: wf } }, true));
    w.sent++;
    if (w.dropAfter !== undefined && w.sent >= w.dropAfter) {
      this.watchers.delete(w);
      // Let the frame reach the client before the cut, as a proxy timeout would.
      setTimeout(() => w.res.socket?.destroy(), 20);
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body: unknown = text ? JSON.parse(text) : undefined;
    const method = req.method ?? 'GET';
    this.requests.push({ method, path: url.pathname, query: Object.fromEntries(url.searchParams), body, headers: req.headers });
    const failure = this.failures.findIndex((f) => f.method === method && f.path.test(url.pathname));
    if (failure >= 0) {
      const [f] = this.failures.splice(failure, 1);
      res.writeHead(f?.status ?? 500, { 'Content-Type': 'application/json' }).end(f?.body);
      return;
    }
    try {
      this.route(method, url, body as Record<string, unknown> | undefined, req, res);
    } catch (err) {
      if (err instanceof HttpError) send(res, err.status, { code: GRPC_BY_STATUS[err.status] ?? 2, message: err.message });
      else send(res, 500, { code: 13, message: String(err) });
    }
  }

  private route(method: string, url: URL, body: Record<string, unknown> | undefined, req: IncomingMessage, res: ServerResponse): void {
    const parts = url.pathname.split('/').slice(1).map(decodeURIComponent); // ['api','v1',…]
    const [api, v1, group, a, b, c] = parts;
    if (api !== 'api' || v1 !== 'v1') throw new HttpError(404, 'Not Found');
    const q = url.searchParams;
    switch (group) {
      case 'version':
        return send(res, 200, { version: 'v3.6.0-fake', gitCommit: 'abc123', platform: 'linux/amd64' });
      case 'info':
        return send(res, 200, { managedNamespace: 'default' });
      case 'userinfo':
        return send(res, 200, { subject: 'tester' });
      case 'workflow-events':
        return this.watch(a ?? '', q, res);
      case 'workflows':
        return this.workflowRoute(method, a ?? '', b, c, parts[6], body, q, req, res);
      case 'workflow-templates':
        return this.crud(method, this.templates, 'WorkflowTemplate', 'workflowtemplates.argoproj.io', a ?? '', b, c, body, 'template', q, res);
      case 'cluster-workflow-templates':
        return this.crud(method, this.clusterTemplates, 'ClusterWorkflowTemplate', 'clusterworkflowtemplates.argoproj.io', '', a, b, body, 'template', q, res);
      case 'cron-workflows':
        if (method === 'PUT' && (c === 'suspend' || c === 'resume')) {
          const cron = this.crons.get(`${a}/${b}`);
          if (!cron) throw new HttpError(404, `cronworkflows.argoproj.io "${b}" not found`);
          cron.spec.suspend = c === 'suspend';
          return send(res, 200, this.stamp(cron));
        }
        return this.crud(method, this.crons, 'CronWorkflow', 'cronworkflows.argoproj.io', a ?? '', b, c, body, 'cronWorkflow', q, res);
      case 'configmaps':
        return this.crud(method, this.configMaps, 'ConfigMap', 'configmaps', a ?? '', b, c, body, 'configMap', q, res);
      default:
        throw new HttpError(404, 'Not Found');
    }
  }

  private workflowRoute(
    method: string,
    ns: string,
    name: string | undefined,
    verb: string | undefined,
    extra: string | undefined,
    body: Record<string, unknown> | undefined,
    q: URLSearchParams,
    req: IncomingMessage,
    res: ServerResponse,
  ): void {
    if (method === 'POST' && name === undefined) {
      const wf = structuredClone(body?.['workflow'] as Workflow);
      wf.metadata.namespace = ns;
      if (!wf.metadata.name) wf.metadata.name = `${wf.metadata.generateName ?? 'wf-'}${String(++this.seq).padStart(5, 'x')}`;
      if (this.workflows.has(`${ns}/${wf.metadata.name}`)) throw new HttpError(409, `workflows.argoproj.io "${wf.metadata.name}" already exists`);
      wf.status = { phase: 'Pending' } as Workflow['status'];
      if (body?.['serverDryRun']) return send(res, 200, this.stamp(wf));
      return send(res, 200, this.putWorkflow(wf));
    }
    if (method === 'POST' && name === 'submit') {
      const kind = String(body?.['resourceKind']);
      const source = String(body?.['resourceName']);
      const template = kind === 'cronworkflow' ? this.crons.get(`${ns}/${source}`) : kind === 'workflowtemplate' ? this.templates.get(`${ns}/${source}`) : this.clusterTemplates.get(`/${source}`);
      if (!template) throw new HttpError(404, `${kind} "${source}" not found`);
      const opts = (body?.['submitOptions'] ?? {}) as { generateName?: string; entryPoint?: string };
      const wf: Workflow = {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Workflow',
        metadata: { name: `${opts.generateName ?? `${source}-`}${String(++this.seq).padStart(5, 'x')}`, namespace: ns },
        spec: { workflowTemplateRef: { name: source }, ...(opts.entryPoint && { entrypoint: opts.entryPoint }) },
        status: { phase: 'Pending' },
      };
      return send(res, 200, this.putWorkflow(wf));
    }
    if (method === 'POST' && name === 'lint') {
      const wf = body?.['workflow'] as Workflow;
      if (!wf.spec.entrypoint) throw new HttpError(400, 'spec.entrypoint is required');
      return send(res, 200, wf);
    }
    if (method === 'GET' && name === undefined) return send(res, 200, listOf([...this.workflows.values()], ns, q));
    const key = `${ns}/${name ?? ''}`;
    if (method === 'GET' && verb === 'log') return this.streamLogs(ns, name ?? '', q, req, res);
    if (extra === 'log') return this.streamLogs(ns, name ?? '', q, req, res);
    const wf = this.workflows.get(key);
    if (!wf) throw new HttpError(404, `workflows.argoproj.io "${name}" not found`);
    if (method === 'GET' && verb === undefined) return send(res, 200, wf);
    if (method === 'DELETE') {
      this.removeWorkflow(ns, name ?? '');
      return send(res, 200, {});
    }
    if (method === 'PUT' && verb) {
      const next = structuredClone(wf);
      switch (verb) {
        case 'retry':
          if (wf.status?.phase !== 'Failed' && wf.status?.phase !== 'Error') throw new HttpError(400, `workflow must be Failed/Error to retry`);
          next.status = { ...next.status, phase: 'Running' };
          break;
        case 'resubmit': {
          const copy = structuredClone(wf);
          copy.metadata = { name: `${name}-${String(++this.seq).padStart(5, 'x')}`, namespace: ns };
          copy.status = { phase: 'Pending' };
          return send(res, 200, this.putWorkflow(copy));
        }
        case 'suspend':
          next.spec.suspend = true;
          break;
        case 'resume':
          delete next.spec.suspend;
          break;
        case 'stop':
          next.spec.shutdown = 'Stop';
          break;
        case 'terminate':
          next.spec.shutdown = 'Terminate';
          break;
        case 'set':
          break;
        default:
          throw new HttpError(404, 'Not Found');
      }
      return send(res, 200, this.putWorkflow(next));
    }
    throw new HttpError(404, 'Not Found');
  }

  private watch(ns: string, q: URLSearchParams, res: ServerResponse): void {
    this.watchConnections++;
    const fieldName = /metadata\.name=([^,]+)/.exec(q.get('listOptions.fieldSelector') ?? '')?.[1];
    const w: Watcher = { namespace: ns, res, sent: 0, ...(fieldName && { fieldName }) };
    if (this.dropNextWatchAfter !== undefined) {
      w.dropAfter = this.dropNextWatchAfter;
      this.dropNextWatchAfter = undefined;
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'X-Content-Type-Options': 'nosniff' });
    res.flushHeaders();
    res.write(':\n');
    this.watchers.add(w);
    res.on('close', () => this.watchers.delete(w));
    if (this.replayOnWatch) {
      for (const wf of this.workflows.values()) {
        if ((ns && wf.metadata.namespace !== ns) || (fieldName && wf.metadata.name !== fieldName)) continue;
        if (this.watchers.has(w)) this.sendEvent(w, 'ADDED', wf);
      }
    }
  }

  private streamLogs(ns: string, name: string, q: URLSearchParams, req: IncomingMessage, res: ServerResponse): void {
    if (!this.workflows.has(`${ns}/${name}`)) throw new HttpError(404, `workflows.argoproj.io "${name}" not found`);
    const sse = req.headers.accept === 'text/event-stream' && !this.logsAsNdjson;
    res.writeHead(200, { 'Content-Type': sse ? 'text/event-stream' : 'application/json' });
    const stream = this.logStream(ns, name);
    const pod = q.get('podName');
    const grep = q.get('grep');
    const entries = stream.entries.filter((e) => (!pod || e.podName === pod) && (!grep || e.content.includes(grep)));
    for (const e of entries) res.write(frame({ result: e }, sse));
    if (q.get('logOptions.follow') === 'true' && !stream.ended) {
      const follower = { res, sse };
      stream.followers.add(follower);
      res.on('close', () => stream.followers.delete(follower));
      return;
    }
    res.end();
  }

  private crud<T extends Obj>(
    method: string,
    store: Map<string, T>,
    kind: string,
    resource: string,
    ns: string,
    name: string | undefined,
    verb: string | undefined,
    body: Record<string, unknown> | undefined,
    bodyKey: string,
    q: URLSearchParams,
    res: ServerResponse,
  ): void {
    if (method === 'POST' && (name === undefined || name === 'lint')) {
      const obj = structuredClone(body?.[bodyKey] as T);
      if (!obj || (obj as unknown as { kind?: string }).kind !== kind) throw new HttpError(400, `expected a ${kind} under "${bodyKey}"`);
      if (name === 'lint') {
        if (JSON.stringify(obj).includes('bad-on-server')) throw new HttpError(400, 'templates.main: unknown template "bad-on-server"');
        return send(res, 200, obj);
      }
      if (ns) obj.metadata.namespace = ns;
      const key = `${ns}/${obj.metadata.name ?? ''}`;
      if (store.has(key)) throw new HttpError(409, `${resource} "${obj.metadata.name}" already exists`);
      store.set(key, this.stamp(obj));
      return send(res, 200, obj);
    }
    if (method === 'GET' && name === undefined) return send(res, 200, listOf([...store.values()], ns, q));
    const key = `${ns}/${name ?? ''}`;
    const existing = store.get(key);
    if (!existing) throw new HttpError(404, `${resource} "${name}" not found`);
    if (method === 'GET' && verb === undefined) return send(res, 200, existing);
    if (method === 'DELETE') {
      store.delete(key);
      return send(res, 200, {});
    }
    if (method === 'PUT' && verb === undefined) {
      const obj = structuredClone(body?.[bodyKey] as T);
      if (kind !== 'ConfigMap' && obj.metadata.resourceVersion !== existing.metadata.resourceVersion) {
        throw new HttpError(409, `Operation cannot be fulfilled on ${resource} "${name}": the object has been modified`);
      }
      obj.metadata.creationTimestamp = existing.metadata.creationTimestamp;
      store.set(key, this.stamp(obj));
      return send(res, 200, obj);
    }
    throw new HttpError(404, 'Not Found');
  }
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

function frame(message: unknown, sse: boolean): string {
  // Argo's StreamForwarder writes a space before the blank line.
  return sse ? `data: ${JSON.stringify(message)} \n\n` : `${JSON.stringify(message)}\n`;
}

/** listOptions as the fake understands them: namespace, `k=v`/`k!=v`/`k in (a,b)` labels, metadata.name, prefix, limit/continue. */
function listOf<T extends Obj>(all: T[], ns: string, q: URLSearchParams): { items: T[] | null; metadata: { continue?: string; resourceVersion: string } } {
  const selector = q.get('listOptions.labelSelector') ?? '';
  const terms = selector.match(/[^,(]+(\([^)]*\))?/g) ?? [];
  const matchesLabels = (labels: Record<string, string>): boolean =>
    terms.every((term) => {
      const t = term.trim();
      const inMatch = /^(\S+)\s+in\s+\(([^)]*)\)$/.exec(t);
      if (inMatch) return (inMatch[2] ?? '').split(',').map((s) => s.trim()).includes(labels[inMatch[1] ?? ''] ?? '\0');
      const ne = /^([^!=]+)!=(.*)$/.exec(t);
      if (ne) return labels[ne[1] ?? ''] !== ne[2];
      const eq = /^([^!=]+)==?(.*)$/.exec(t);
      if (eq) return labels[eq[1] ?? ''] === eq[2];
      return t in labels;
    });
  const fieldName = /metadata\.name=([^,]+)/.exec(q.get('listOptions.fieldSelector') ?? '')?.[1];
  const prefix = q.get('nameFilter') === 'Prefix' ? q.get('namePrefix') : null;
  let items = all
    .filter((o) => !ns || o.metadata.namespace === ns)
    .filter((o) => matchesLabels(o.metadata.labels ?? {}))
    .filter((o) => !fieldName || o.metadata.name === fieldName)
    .filter((o) => !prefix || (o.metadata.name ?? '').startsWith(prefix))
    .sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  const start = Number(q.get('listOptions.continue') ?? 0);
  const limit = Number(q.get('listOptions.limit') ?? 0);
  items = items.slice(start);
  let next: string | undefined;
  if (limit > 0 && items.length > limit) {
    items = items.slice(0, limit);
    next = String(start + limit);
  }
  // Argo (Go) marshals an empty list as null.
  return { items: items.length ? items : null, metadata: { resourceVersion: '1', ...(next && { continue: next }) } };
}
