// Who may call the API. Argo's `--auth-mode=server` (no check) is safe only where nobody else can
// connect, so the choice follows the bind address: loopback gets no auth, any other address needs
// a bearer token. The token travels as Argo's clients send it: `Authorization: Bearer <token>`,
// or the `authorization` cookie the UI uses where it cannot set headers (EventSource, downloads).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { GrpcCode, RequestError } from './errors.js';

export type AuthConfig = { mode: 'none' } | { mode: 'bearer'; token: string };

/** Paths anyone may read: the version lets a client tell "wrong token" from "not an argot server". */
const PUBLIC_API_PATHS: ReadonlySet<string> = new Set(['/api/v1/version']);

/**
 * The auth for a server bound to `address`. A token given explicitly is always required (the user
 * asked for it); otherwise loopback needs none and any other address gets a fresh random token,
 * which the caller prints so that users can pass it to their clients.
 */
export function authFor(address: string, token?: string): AuthConfig {
  if (token) return { mode: 'bearer', token };
  if (isLoopback(address)) return { mode: 'none' };
  return { mode: 'bearer', token: randomBytes(24).toString('base64url') };
}

export function isLoopback(address: string): boolean {
  const host = address.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || /^::ffff:127\./.test(host);
}

/** Throws Unauthenticated when the request needs a token and lacks the right one. */
export function checkAuth(auth: AuthConfig, request: FastifyRequest): void {
  if (auth.mode === 'none') return;
  // The matched route, not the raw URL: no spelling of a path (encoded, doubled slashes) that
  // reaches an API handler can look like something else here.
  const path = request.routeOptions.url ?? request.url.split('?')[0] ?? '';
  if (!path.startsWith('/api/') || PUBLIC_API_PATHS.has(path.replace(/\/+$/, ''))) return;
  const presented = presentedToken(request);
  if (presented === undefined) throw new RequestError(GrpcCode.Unauthenticated, 'missing credentials: send "Authorization: Bearer <token>" (the token argot server printed at start)');
  if (!sameSecret(presented, auth.token)) throw new RequestError(GrpcCode.Unauthenticated, 'token not valid');
}

function presentedToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization ?? cookie(request.headers.cookie, 'authorization');
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  return match?.[1]?.trim() ?? '';
}

function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return part.slice(eq + 1).trim();
      }
    }
  }
  return undefined;
}

/** Comparing in constant time keeps the token from leaking one character at a time. */
function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
