// EventService_WatchEvents: `GET /api/v1/stream/events/{namespace}`, the stream behind the Events
// tab of Argo's UI. Each message is a core/v1 Event, `{"result": Event}` (Argo forwards the
// Kubernetes watch's objects, not `{type, object}`). Events that exist are sent first, oldest
// first; then new ones and repeats (a repeat raises `count` and `lastTimestamp`) as they are
// recorded. The event store has no change feed, so the stream polls it: events are a human-paced
// record, and a second of delay is what a `kubectl get events -w` user sees anyway.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { StoredEvent } from '../../store/types.js';
import type { RouteContext } from '../context.js';
import { badRequest } from '../errors.js';
import { queryString, type Query } from '../request.js';

/** How often the store is read for new events. */
const POLL_MS = 1000;
/** A namespace-wide stream sends at most this many of the newest events per read. */
const READ_LIMIT = 1000;

/** The fields a selector may name, read from a stored event. */
const FIELDS: Record<string, (e: StoredEvent) => string> = {
  'involvedObject.kind': (e) => e.involvedObject.kind,
  'involvedObject.name': (e) => e.involvedObject.name,
  'involvedObject.namespace': (e) => e.involvedObject.namespace,
  'involvedObject.uid': (e) => e.involvedObject.uid ?? '',
  'metadata.namespace': (e) => e.namespace,
  reason: (e) => e.reason,
  type: (e) => e.type,
};

interface Term {
  field: string;
  value: string;
  equal: boolean;
}

/** `a=b,c!=d` (Kubernetes field selector syntax); a field events do not have is a 400, as in Kubernetes. */
export function parseEventSelector(selector: string | undefined): Term[] {
  if (!selector?.trim()) return [];
  return selector.split(',').map((raw) => {
    const m = /^\s*([A-Za-z.]+)\s*(==|!=|=)\s*(.*?)\s*$/.exec(raw);
    if (!m) throw badRequest(`field selector term ${JSON.stringify(raw)}: expected field=value or field!=value`);
    const field = m[1] ?? '';
    if (!(field in FIELDS)) throw badRequest(`field selector: "${field}" is not a field of events (expected one of ${Object.keys(FIELDS).join(', ')})`);
    return { field, value: m[3] ?? '', equal: m[2] !== '!=' };
  });
}

function matches(terms: Term[], e: StoredEvent): boolean {
  return terms.every((t) => (FIELDS[t.field]?.(e) === t.value) === t.equal);
}

/** A stored event as Kubernetes' core/v1 Event. Its name is stable: the same event keeps it as its count grows. */
export function toCoreEvent(e: StoredEvent): Record<string, unknown> {
  const involved = e.involvedObject;
  const id = identity(e);
  return {
    metadata: { name: `${involved.name}.${hash(id)}`, namespace: e.namespace, resourceVersion: String(e.count), creationTimestamp: e.firstTimestamp },
    involvedObject: { apiVersion: 'argoproj.io/v1alpha1', kind: involved.kind, name: involved.name, namespace: involved.namespace, ...(involved.uid ? { uid: involved.uid } : {}) },
    reason: e.reason,
    message: e.message,
    source: { component: 'workflow-controller' },
    firstTimestamp: e.firstTimestamp,
    lastTimestamp: e.lastTimestamp,
    count: e.count,
    type: e.type,
    reportingComponent: 'workflow-controller',
    reportingInstance: '',
  };
}

function identity(e: StoredEvent): string {
  const o = e.involvedObject;
  return JSON.stringify([e.namespace, o.kind, o.namespace, o.name, o.uid ?? '', e.type, e.reason, e.message]);
}

/** FNV-1a, 32 bits, as hex: a short stable suffix, not a security measure. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

export function eventRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const handler = async (req: FastifyRequest<{ Params: { namespace?: string }; Querystring: Query }>, reply: FastifyReply): Promise<FastifyReply> => {
    const namespace = req.params.namespace ?? '';
    const terms = parseEventSelector(queryString(req.query, 'listOptions.fieldSelector'));
    // The store filters by namespace and object name; the selector's other terms are applied here.
    const byName = terms.find((t) => t.field === 'involvedObject.name' && t.equal)?.value;
    const read = (): Promise<StoredEvent[]> =>
      ctx.deps.store.events.list({ ...(namespace ? { namespace } : {}), ...(byName !== undefined ? { involvedName: byName } : {}), ...(byName === undefined ? { limit: READ_LIMIT } : {}) });

    // Read once before the stream opens, so that a failing store is a plain error status.
    let first: StoredEvent[] | undefined = await read();
    const stream = ctx.stream(req, reply);
    /** What each event looked like when last sent: its count. */
    const sent = new Map<string, number>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async (): Promise<void> => {
      try {
        const events = first ?? (await read());
        first = undefined;
        for (const e of events) {
          if (!matches(terms, e)) continue;
          const id = identity(e);
          if (sent.get(id) === e.count) continue;
          sent.set(id, e.count);
          stream.send(toCoreEvent(e));
        }
      } catch (err) {
        ctx.failStream(stream, err, `events of ${namespace || 'all namespaces'}`);
        return;
      }
      if (!stream.signal.aborted) timer = setTimeout(() => void poll(), POLL_MS);
    };
    stream.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
    await poll();
    return reply;
  };
  app.get('/api/v1/stream/events/', handler);
  app.get('/api/v1/stream/events/:namespace', handler);
}
