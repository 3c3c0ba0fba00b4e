// What every route module is given: the services, and the streams that must end when the server
// closes (a watch never ends by itself, and Node's server.close() waits for open connections).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../controller/controller.js';
import type { TemplateService, WorkflowService } from '../controller/service.js';
import type { Store } from '../store/types.js';
import type { AuthConfig } from './auth.js';
import { mapError } from './errors.js';
import type { MetricsSource } from './metrics.js';
import { openStream, type MessageStream, type StreamOptions } from './sse.js';

export interface ServerDeps {
  workflows: WorkflowService;
  templates: TemplateService;
  /** For what has no service of its own: ConfigMaps. */
  store: Store;
  /** argot's version, as `/api/v1/version` reports it. */
  version: string;
  metrics: MetricsSource;
  auth: AuthConfig;
  log: Logger;
  /** The built web UI (dist/ui) to serve at `/`; found beside the package when absent, '' for none. */
  uiDir?: string;
  /** Stream tuning; tests shorten the keepalive. */
  streams?: Partial<StreamOptions>;
}

export class RouteContext {
  private readonly open = new Set<MessageStream>();
  readonly streamOptions: StreamOptions;

  constructor(readonly deps: ServerDeps) {
    this.streamOptions = { keepaliveMs: deps.streams?.keepaliveMs ?? 15_000 };
  }

  stream(request: FastifyRequest, reply: FastifyReply, project?: (message: unknown) => unknown): MessageStream {
    const stream = openStream(request, reply, this.streamOptions, project);
    this.open.add(stream);
    stream.signal.addEventListener('abort', () => this.open.delete(stream), { once: true });
    return stream;
  }

  /** Ends a stream with an in-stream error, logging what is not the client's fault. */
  failStream(stream: MessageStream, err: unknown, what: string): void {
    if (mapError(err).internal) this.deps.log.error(`${what}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    stream.fail(err);
  }

  endStreams(): void {
    for (const stream of [...this.open]) stream.end();
  }
}
