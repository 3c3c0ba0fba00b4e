// Checks API responses against the definitions of Argo's swagger.json, so that what argot sends
// is what Argo's clients are generated from. Stricter than Argo in one way on purpose: an object
// whose definition lists its properties may carry no others, because a field Argo does not know
// is one its clients drop or choke on. Free-form objects (no properties) and untyped definitions
// (Item, Plugin) accept anything.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface SchemaNode {
  type?: string;
  format?: string;
  $ref?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
  required?: string[];
}

export interface Swagger {
  definitions: Record<string, SchemaNode>;
}

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const SWAGGER_PATH = join(REPO, '..', 'shared', 'argo-api', 'swagger.json');

/** Undefined when the shared reference files are not checked out next to the repository. */
export function loadSwagger(path = SWAGGER_PATH): Swagger | undefined {
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as Swagger;
}

const PREFIX = '#/definitions/';

/**
 * Kubernetes and Argo types whose JSON is wider than their swagger type (the same patches that
 * make Argo's JSON schema accept its own examples): IntOrString, Quantity, and AnyString values.
 */
const WIDENED: Record<string, readonly string[]> = {
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': ['string', 'integer'],
  'io.k8s.apimachinery.pkg.api.resource.Quantity': ['string', 'number'],
};
const ANY_STRING_FIELDS = new Set(['io.argoproj.workflow.v1alpha1.Parameter.value', 'io.argoproj.workflow.v1alpha1.Parameter.default']);

/** Every problem, as `path: message`; empty when `value` conforms to definition `name`. */
export function validate(swagger: Swagger, value: unknown, name: string): string[] {
  const problems: string[] = [];
  check(swagger, value, { $ref: `${PREFIX}${name}` }, name, '$', problems);
  return problems;
}

function check(swagger: Swagger, value: unknown, node: SchemaNode, owner: string, path: string, problems: string[]): void {
  if (node.$ref) {
    const name = node.$ref.slice(PREFIX.length);
    const def = swagger.definitions[name];
    if (!def) {
      problems.push(`${path}: unknown definition ${node.$ref}`);
      return;
    }
    const widened = WIDENED[name];
    if (widened) {
      if (!widened.some((t) => isType(value, t))) problems.push(`${path}: expected ${widened.join(' or ')} (${name}), got ${describe(value)}`);
      return;
    }
    check(swagger, value, def, name, path, problems);
    return;
  }
  if (node.type === undefined) return;
  if (!isType(value, node.type)) {
    problems.push(`${path}: expected ${node.type}${node.format ? ` (${node.format})` : ''}, got ${describe(value)}`);
    return;
  }
  if (node.type === 'string' && node.format === 'date-time' && Number.isNaN(Date.parse(value as string))) {
    problems.push(`${path}: expected an RFC 3339 time, got ${JSON.stringify(value)}`);
  }
  if (node.type === 'array' && node.items) {
    (value as unknown[]).forEach((item, i) => check(swagger, item, node.items as SchemaNode, owner, `${path}[${i}]`, problems));
  }
  if (node.type === 'object') checkObject(swagger, value as Record<string, unknown>, node, owner, path, problems);
}

function checkObject(swagger: Swagger, value: Record<string, unknown>, node: SchemaNode, owner: string, path: string, problems: string[]): void {
  for (const field of node.required ?? []) if (!(field in value)) problems.push(`${path}: missing required "${field}" (${owner})`);
  for (const [key, child] of Object.entries(value)) {
    const childPath = `${path}.${key}`;
    const property = node.properties?.[key];
    if (property) {
      if (ANY_STRING_FIELDS.has(`${owner}.${key}`) && ['number', 'boolean'].includes(typeof child)) continue;
      check(swagger, child, property, owner, childPath, problems);
    } else if (typeof node.additionalProperties === 'object') {
      check(swagger, child, node.additionalProperties, owner, childPath, problems);
    } else if (node.properties && node.additionalProperties !== true) {
      problems.push(`${childPath}: "${key}" is not a field of ${owner}`);
    }
  }
}

function isType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return true;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return `${typeof value} ${JSON.stringify(value)?.slice(0, 60) ?? ''}`;
}
