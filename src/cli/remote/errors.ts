// Server errors worded for one line: what was attempted, on what, and what the server said.

import type { ApiError } from '../client/index.js';

export function describeApiError(err: ApiError): string {
  const r = err.resource;
  const where = r?.namespace ? ` in namespace ${r.namespace}` : '';
  const subject = r ? `${r.kind}${r.name !== undefined ? ` "${r.name}"` : 's'}` : err.request;
  // A 404 on create or lint is about the path (an endpoint or namespace the server lacks), not the object.
  const aboutObject = err.operation !== 'list' && err.operation !== 'create' && err.operation !== 'lint';
  if (err.notFound && r?.name !== undefined && aboutObject) return `${subject} not found${where}`;
  if (err.alreadyExists && r?.name !== undefined) return `${subject} already exists${where}`;
  const operation = err.operation ?? 'call';
  let message = err.message;
  if (err.status === 401) message = `unauthenticated (${message}); set ARGOT_TOKEN`;
  else if (err.status === 403) message = `permission denied (${message})`;
  else if (err.notFound) message = `${message} (${err.request})`;
  return `cannot ${operation} ${subject}${where}: ${message}`;
}
