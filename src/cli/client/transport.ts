// HTTP plumbing shared by every API group: URL building, auth, timeouts, and turning failures
// into ApiError / ServerUnavailableError. Uses Node's global fetch, so no HTTP library is needed.

import { ApiError, networkErrorCode, ServerUnavailableError, type ApiResource } from './errors.js';
import { readStream, type StreamMessage } from './stream.js';

export interface ClientOptions {
  /** `http://127.0.0.1:2746`, `https://host/base-href/`, or Argo's bare `host:port` (plain HTTP). */
  server: string;
  /** A bare token is sent as `Bearer <token>`; `Bearer …` and `Basic …` values are sent as they are. */
  token?: string;
  /** Unary requests give up after this long (default 30 s); streams have no overall limit. */
  timeoutMs?: number;
  /** For tests and proxies. */
  fetch?: typeof fetch;
}

export type QueryValue = string | number | boolean | undefined;
export type Query = Record<string, QueryValue>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  resource?: ApiResource;
  /** The verb for error messages; defaults from the method (GET is `get`, POST `create`…). */
  operation?: string;
  signal?: AbortSignal;
}

const DEFAULT_OPERATIONS: Record<string, string> = { GET: 'get', POST: 'create', PUT: 'update', DELETE: 'delete' };

export class Transport {
  readonly server: string;
  private readonly base: URL;
  private readonly authorization?: string;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(options: ClientOptions) {
    const server = /^[a-z][a-z0-9+.-]*:\/\//i.test(options.server) ? options.server : `http://${options.server}`;
    this.base = new URL(server.endsWith('/') ? server : `${server}/`);
    this.server = this.base.href.replace(/\/$/, '');
    const token = options.token?.trim();
    if (token) this.authorization = /^(Bearer|Basic) /i.test(token) ? token : `Bearer ${token}`;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.fetchImpl = options.fetch ?? fetch;
  }

  /** `segments` are encoded one by one, so names with `/` or `?` cannot escape their place. */
  url(segments: readonly string[], query: Query = {}): URL {
    const url = new URL(segments.map(encodeURIComponent).join('/'), this.base);
    for (const [key, value] of Object.entries(query)) {
      // false and '' are the API's defaults; leaving them out keeps URLs readable in logs.
      if (value === undefined || value === false || value === '') continue;
      url.searchParams.append(key, String(value));
    }
    return url;
  }

  /** A unary call: JSON in, JSON out. An empty body (delete) resolves to `{}`. */
  async call<T>(method: string, segments: readonly string[], options: RequestOptions = {}): Promise<T> {
    const url = this.url(segments, options.query);
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await this.send(url, { method, headers, signal, ...(options.body !== undefined && { body: JSON.stringify(options.body) }) }, timeout);
    let text: string;
    try {
      text = await response.text();
    } catch (err) {
      throw this.failure(err, timeout);
    }
    if (!response.ok) throw errorFromBody(response, text, `${method} ${url.pathname}`, options.resource, options.operation ?? DEFAULT_OPERATIONS[method]);
    if (text.trim() === '') return {} as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError({ status: response.status, code: 13, message: `the server sent a response that is not JSON: ${snippet(text)}`, request: `${method} ${url.pathname}` });
    }
  }

  /** Opens a stream (headers received, status checked); read it with `messages`. */
  async open(segments: readonly string[], options: RequestOptions = {}): Promise<Response> {
    const url = this.url(segments, options.query);
    // The connect phase still gets a timeout: a server that accepts and never answers is down.
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const connected = new AbortController();
    const onTimeout = (): void => connected.abort(timeout.reason);
    timeout.addEventListener('abort', onTimeout, { once: true });
    const signals = options.signal ? [options.signal, connected.signal] : [connected.signal];
    try {
      const response = await this.send(url, { method: 'GET', headers: { Accept: 'text/event-stream' }, signal: AbortSignal.any(signals) }, timeout);
      if (!response.ok) {
        const text = await response.text().catch(() => '');
        throw errorFromBody(response, text, `GET ${url.pathname}`, options.resource, options.operation ?? 'get');
      }
      return response;
    } finally {
      timeout.removeEventListener('abort', onTimeout);
    }
  }

  /** The messages of an opened stream; an in-stream error becomes an ApiError. */
  async *messages(response: Response, resource?: ApiResource, onChunk?: () => void): AsyncGenerator<unknown> {
    if (!response.body) return;
    const request = `GET ${new URL(response.url || this.server).pathname}`;
    for await (const message of readStream(response.body, onChunk)) yield unwrap(message, request, resource);
  }

  private async send(url: URL, init: RequestInit, timeout: AbortSignal): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.authorization) headers.set('Authorization', this.authorization);
    try {
      return await this.fetchImpl(url, { ...init, headers });
    } catch (err) {
      throw this.failure(err, timeout);
    }
  }

  private failure(err: unknown, timeout: AbortSignal): unknown {
    if (timeout.aborted) return new ServerUnavailableError(this.server, `no answer within ${Math.round(this.timeoutMs / 1000)}s`, { cause: err });
    const code = networkErrorCode(err);
    if (code) return new ServerUnavailableError(this.server, code, { cause: err });
    return err;
  }
}

function unwrap(message: StreamMessage, request: string, resource?: ApiResource): unknown {
  if (message.kind === 'result') return message.value;
  const { error } = message;
  throw new ApiError({
    status: error.http_code ?? 500,
    ...(error.grpc_code !== undefined && { code: error.grpc_code }),
    message: error.message ?? error.http_status ?? 'stream error',
    request,
    ...(resource && { resource }),
  });
}

/** grpc-gateway's `{code, message}` (v1 also has `error`); anything else is shown as text. */
export function errorFromBody(response: { status: number; statusText: string }, text: string, request: string, resource?: ApiResource, operation?: string): ApiError {
  const { status, statusText } = response;
  let code: number | undefined;
  let message: string | undefined;
  try {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown; error?: unknown };
    if (typeof body.code === 'number') code = body.code;
    if (typeof body.message === 'string' && body.message !== '') message = body.message;
    else if (typeof body.error === 'string' && body.error !== '') message = body.error;
  } catch {
    // not JSON: a proxy's HTML page or plain text
  }
  message ??= text.trim() === '' ? `${status} ${statusText}`.trim() : snippet(text);
  return new ApiError({ status, ...(code !== undefined && { code }), message, request, ...(resource && { resource }), ...(operation && { operation }) });
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}
