// Errors at the HTTP edge, in Argo Server's shapes: unary errors are grpc-gateway's
// `{code, message}` with the HTTP status grpc-gateway v1 derives from the gRPC code; errors inside a
// stream are `{"error": {grpc_code, http_code, message, http_status}}`. The Argo CLI and UI read
// only these fields, so the mapping is the contract, not the message wording.
import { STATUS_CODES } from 'node:http';
import { InvalidError } from '../controller/service.js';
import { InvalidListError } from '../store/list-query.js';
import { SelectorError } from '../store/selectors.js';
import { ConflictError, NotFoundError } from '../store/types.js';

export const GrpcCode = {
  Canceled: 1,
  Unknown: 2,
  InvalidArgument: 3,
  NotFound: 5,
  AlreadyExists: 6,
  PermissionDenied: 7,
  ResourceExhausted: 8,
  FailedPrecondition: 9,
  Unimplemented: 12,
  Internal: 13,
  Unavailable: 14,
  Unauthenticated: 16,
} as const;

export type GrpcCode = (typeof GrpcCode)[keyof typeof GrpcCode];

/** grpc-gateway v1's HTTPStatusFromCode, for the codes argot produces. */
const HTTP_STATUS: Record<number, number> = {
  1: 408,
  2: 500,
  3: 400,
  5: 404,
  6: 409,
  7: 403,
  8: 429,
  9: 400,
  12: 501,
  13: 500,
  14: 503,
  16: 401,
};

export function httpStatusOf(code: number): number {
  return HTTP_STATUS[code] ?? 500;
}

/** A request the server refuses for a reason it states itself (bad query, missing body field, no token). */
export class RequestError extends Error {
  constructor(
    readonly grpcCode: GrpcCode,
    message: string,
  ) {
    super(message);
  }
}

export const badRequest = (message: string): RequestError => new RequestError(GrpcCode.InvalidArgument, message);

export interface ErrorBody {
  code: number;
  message: string;
}

export interface MappedError {
  status: number;
  body: ErrorBody;
  /** Not the client's fault: worth a line in the server log. */
  internal: boolean;
}

/** The one place where an error becomes a status and a body. */
export function mapError(err: unknown): MappedError {
  const code = grpcCodeOf(err);
  const message = err instanceof Error ? err.message : String(err);
  if (code === undefined) return { status: 500, body: { code: GrpcCode.Internal, message }, internal: true };
  return { status: statusFor(err, code), body: { code, message }, internal: false };
}

/** The in-stream form, for errors after the stream's headers went out. */
export function streamError(err: unknown): { error: { grpc_code: number; http_code: number; message: string; http_status: string } } {
  const { status, body } = mapError(err);
  return { error: { grpc_code: body.code, http_code: status, message: body.message, http_status: STATUS_CODES[status] ?? '' } };
}

function grpcCodeOf(err: unknown): number | undefined {
  if (err instanceof RequestError) return err.grpcCode;
  if (err instanceof NotFoundError) return GrpcCode.NotFound;
  if (err instanceof ConflictError) return GrpcCode.AlreadyExists;
  if (err instanceof InvalidError || err instanceof SelectorError || err instanceof InvalidListError) return GrpcCode.InvalidArgument;
  // Fastify's own refusals (body too large, bad content) carry a 4xx statusCode.
  const statusCode = (err as { statusCode?: unknown } | null)?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    if (statusCode === 401) return GrpcCode.Unauthenticated;
    if (statusCode === 403) return GrpcCode.PermissionDenied;
    if (statusCode === 404) return GrpcCode.NotFound;
    if (statusCode === 409) return GrpcCode.AlreadyExists;
    return GrpcCode.InvalidArgument;
  }
  return undefined;
}

/** Fastify's 4xx keep their own status (413 stays 413); everything else follows the gRPC code. */
function statusFor(err: unknown, code: number): number {
  const statusCode = (err as { statusCode?: unknown } | null)?.statusCode;
  if (!(err instanceof RequestError) && typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) return statusCode;
  return httpStatusOf(code);
}
