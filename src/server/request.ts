// Reading what a request carries: grpc-gateway's flat query parameters (`listOptions.limit=5`,
// repeated keys for lists) and JSON bodies whose required fields are checked by name, so that a
// malformed request gets a 400 that says what to send rather than a 500 from deep inside.
import type { ListOptions } from '../store/types.js';
import { badRequest } from './errors.js';

export type Query = Record<string, string | string[] | undefined>;

export function queryString(query: Query, name: string): string | undefined {
  const value = query[name];
  // grpc-gateway keeps the last of repeated scalar parameters.
  return Array.isArray(value) ? value.at(-1) : value;
}

export function queryBool(query: Query, name: string): boolean | undefined {
  const value = queryString(query, name);
  if (value === undefined || value === '') return undefined;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw badRequest(`query parameter ${name}=${value}: expected true or false`);
}

export function queryInt(query: Query, name: string): number | undefined {
  const value = queryString(query, name);
  if (value === undefined || value === '') return undefined;
  if (!/^-?\d+$/.test(value)) throw badRequest(`query parameter ${name}=${value}: expected an integer`);
  return Number(value);
}

/** `listOptions.*` as the store takes them; namespace '' means every namespace. */
export function listOptionsFrom(query: Query, namespace: string | undefined): ListOptions {
  const opts: ListOptions = {};
  if (namespace) opts.namespace = namespace;
  const labelSelector = queryString(query, 'listOptions.labelSelector');
  if (labelSelector) opts.labelSelector = labelSelector;
  const fieldSelector = queryString(query, 'listOptions.fieldSelector');
  if (fieldSelector) opts.fieldSelector = fieldSelector;
  const limit = queryInt(query, 'listOptions.limit');
  if (limit !== undefined) {
    if (limit < 0) throw badRequest(`query parameter listOptions.limit=${limit}: expected 0 (all) or more`);
    if (limit > 0) opts.limit = limit;
  }
  const cont = queryString(query, 'listOptions.continue');
  if (cont) opts.continue = cont;
  return opts;
}

/** A JSON object body; `what` names the request in the message (`a WorkflowCreateRequest`). */
export function objectBody(body: unknown, what: string, optional = false): Record<string, unknown> {
  if (body === undefined || body === null) {
    if (optional) return {};
    throw badRequest(`the request body is missing: expected ${what} (JSON)`);
  }
  if (typeof body !== 'object' || Array.isArray(body)) throw badRequest(`the request body must be a JSON object: ${what}`);
  return body as Record<string, unknown>;
}

/** A field of the body that must be an object with metadata: the resource being created or linted. */
export function resourceField<T>(body: Record<string, unknown>, field: string, what: string): T {
  const value = body[field];
  if (value === undefined || value === null) throw badRequest(`the request body has no "${field}": expected ${what}`);
  if (typeof value !== 'object' || Array.isArray(value)) throw badRequest(`"${field}" must be an object (${what})`);
  const metadata = (value as { metadata?: unknown }).metadata;
  if (metadata === undefined || metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
    throw badRequest(`"${field}.metadata" is missing or not an object`);
  }
  return value as T;
}

export function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw badRequest(`"${field}" must be a string`);
  return value;
}

export function optionalBool(body: Record<string, unknown>, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw badRequest(`"${field}" must be true or false`);
  return value;
}

export function optionalStrings(body: Record<string, unknown>, field: string): string[] | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw badRequest(`"${field}" must be a list of strings`);
  return value as string[];
}

/**
 * The namespace a namespaced object goes to: the path's. An object that names another one is
 * refused as Kubernetes refuses it, rather than silently moved.
 */
export function placeInNamespace<T extends { metadata: { namespace?: string } }>(obj: T, namespace: string): T {
  const own = obj.metadata.namespace;
  if (own && own !== namespace) throw badRequest(`the namespace of the object (${own}) does not match the namespace of the request (${namespace})`);
  return { ...obj, metadata: { ...obj.metadata, namespace } };
}

/** A name in the path must agree with the object's (update requests). */
export function checkName(obj: { metadata: { name?: string } }, name: string): void {
  if (obj.metadata.name && obj.metadata.name !== name) throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name in the path (${name})`);
}

export function requiredString(body: Record<string, unknown>, field: string, what: string): string {
  const value = optionalString(body, field);
  if (value === undefined) throw badRequest(`the request body has no "${field}": expected ${what}`);
  return value;
}

export function optionalObject(body: Record<string, unknown>, field: string): Record<string, unknown> {
  const value = body[field];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw badRequest(`"${field}" must be an object`);
  return value as Record<string, unknown>;
}

/**
 * Clients may leave out apiVersion and kind (the path says what it is), as Kubernetes clients do;
 * a kind that contradicts the path is a mistake worth reporting.
 */
export function withTypeMeta<T extends { apiVersion?: string; kind?: string }>(obj: T, kind: string, apiVersion = 'argoproj.io/v1alpha1'): T {
  if (obj.kind !== undefined && obj.kind !== kind) throw badRequest(`expected an object of kind ${kind}, got kind ${String(obj.kind)}`);
  return { ...obj, apiVersion: obj.apiVersion ?? apiVersion, kind };
}

/** SubmitOpts carries labels and annotations as `a=b,c=d` strings. */
export function parseKeyValues(text: string | undefined, field: string): Record<string, string> | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const out: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw badRequest(`"${field}": "${pair}" is not key=value (expected a=b,c=d)`);
    out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return out;
}
