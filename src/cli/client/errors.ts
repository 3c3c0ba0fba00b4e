// The two ways a call to an Argo Server fails: it answered with an error (ApiError), or it could
// not be reached at all (ServerUnavailableError). They are kept apart because only the second one
// lets a command fall back to the embedded store.

// gRPC status codes by number (grpc-gateway puts the number in `code`), and the HTTP status
// grpc-gateway maps each one to, for bodies that carry no code.
const GRPC_NAMES = [
  'OK',
  'Canceled',
  'Unknown',
  'InvalidArgument',
  'DeadlineExceeded',
  'NotFound',
  'AlreadyExists',
  'PermissionDenied',
  'ResourceExhausted',
  'FailedPrecondition',
  'Aborted',
  'OutOfRange',
  'Unimplemented',
  'Internal',
  'Unavailable',
  'DataLoss',
  'Unauthenticated',
] as const;

const GRPC_BY_HTTP: Record<number, number> = { 400: 3, 401: 16, 403: 7, 404: 5, 409: 6, 412: 9, 429: 8, 499: 1, 501: 12, 503: 14, 504: 4 };

export function grpcCodeName(code: number): string {
  return GRPC_NAMES[code] ?? `Code(${code})`;
}

export function grpcCodeForHttpStatus(status: number): number {
  return GRPC_BY_HTTP[status] ?? (status >= 500 ? 13 : 2);
}

/** What a request was about, so a command can word a 404 as "workflow "x" not found in namespace y". */
export interface ApiResource {
  kind: string;
  name?: string;
  namespace?: string;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  /** HTTP status. */
  readonly status: number;
  /** gRPC status code, as grpc-gateway's `{code, message}` body carries it. */
  readonly code: number;
  /** `METHOD /path` of the failed request. */
  readonly request: string;
  readonly resource?: ApiResource;
  /** What was attempted, as a verb: `create`, `get`, `list`, `retry`… */
  readonly operation?: string;

  constructor(init: { status: number; code?: number; message: string; request: string; resource?: ApiResource; operation?: string }) {
    super(init.message);
    this.status = init.status;
    this.code = init.code ?? grpcCodeForHttpStatus(init.status);
    this.request = init.request;
    if (init.resource) this.resource = init.resource;
    if (init.operation) this.operation = init.operation;
  }

  /** The gRPC code's name: NotFound, AlreadyExists, InvalidArgument… */
  get reason(): string {
    return grpcCodeName(this.code);
  }

  get notFound(): boolean {
    return this.status === 404 || this.code === 5;
  }

  get alreadyExists(): boolean {
    return this.status === 409 || this.code === 6;
  }
}

/** Nothing answered at the server's address (refused, unresolvable, timed out, reset before a response). */
export class ServerUnavailableError extends Error {
  override readonly name = 'ServerUnavailableError';
  constructor(
    readonly server: string,
    /** `ECONNREFUSED`, `ENOTFOUND`, `timeout`… */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot reach the server at ${server} (${describeReason(reason)})`, options);
  }
}

function describeReason(reason: string): string {
  switch (reason) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'connection reset';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'connection timed out';
    default:
      return reason;
  }
}

const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

/**
 * The network error code behind a failed fetch, if any. undici wraps it: `TypeError('fetch failed')`
 * with the socket error as `cause`, which is an AggregateError when several addresses were tried.
 */
export function networkErrorCode(err: unknown): string | undefined {
  const seen = new Set<unknown>();
  const visit = (e: unknown): string | undefined => {
    if (!e || typeof e !== 'object' || seen.has(e)) return undefined;
    seen.add(e);
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    if (e instanceof AggregateError) {
      for (const inner of e.errors) {
        const found = visit(inner);
        if (found) return found;
      }
    }
    return visit((e as { cause?: unknown }).cause);
  };
  return visit(err);
}
