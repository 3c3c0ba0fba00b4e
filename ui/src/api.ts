// The UI talks to the server only through Argo's public REST API and its event streams.

const unauthenticatedListeners = new Set<() => void>();

/** Called on every 401, so the shell can ask for a token (auth.ts keeps it). */
export function onUnauthenticated(listener: () => void): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

/** An API error as Argo's server sends it: `{code, message}` with the HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number | undefined,
    message: string,
  ) {
    super(message);
  }
}

export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = undefined;
  }
  if (!res.ok) {
    if (res.status === 401) unauthenticatedListeners.forEach((l) => l());
    const e = (parsed ?? {}) as { code?: number; message?: string };
    throw new ApiError(res.status, e.code, e.message ?? (text || `${method} ${path}: HTTP ${res.status}`));
  }
  return parsed as T;
}

export const get = <T,>(path: string): Promise<T> => api<T>('GET', path);
export const post = <T,>(path: string, body: unknown): Promise<T> => api<T>('POST', path, body);
export const put = <T,>(path: string, body: unknown = {}): Promise<T> => api<T>('PUT', path, body);
export const del = <T,>(path: string): Promise<T> => api<T>('DELETE', path);

/** `a=b&c=d` from a record, leaving out empty values. */
export function qs(params: Record<string, string | number | boolean | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
