// From a loaded document to a typed resource: check it is a kind argot runs, and turn scalars into
// what Go's decoding would have produced, so everything after this sees Argo's values.
// (`value: 5` is the string "5", `enabled: yes` in a string field is "true", `count: 3` in a
// withSequence is "3".) Deep validation is lint's job; this stays lenient and keeps unknown fields.

import { SpecError, type SpecErrorCode } from './errors.js';
import { formatGoFloat } from './go-format.js';
import { identifyKind } from './kinds.js';
import type { LoadedDocument } from './load.js';
import { formatPath, type PathSegment } from './path.js';
import { refType, SCHEMA, type FieldType } from './schema.js';
import { isRecord } from './schema-check.js';
import type { Resource } from './types.js';

/** Fields the schema calls IntOrString that argot's types carry as strings, like Argo's AnyString. */
const STRING_FIELDS: ReadonlySet<string> = new Set(['Sequence.count', 'Sequence.start', 'Sequence.end']);

/** The kinds of the Resource union; the other kinds argot knows are linted but not run. */
export const RESOURCE_KINDS: ReadonlySet<string> = new Set(['Workflow', 'WorkflowTemplate', 'ClusterWorkflowTemplate', 'CronWorkflow', 'ConfigMap']);

export function toResource(doc: LoadedDocument): Resource {
  const fail = (code: SpecErrorCode, message: string, path: PathSegment[], hints: { expected?: string; fix?: string } = {}): never => {
    const pos = doc.position(path) ?? doc.position([]) ?? { line: 1, col: 1 };
    throw new SpecError(message, { code, file: doc.file, line: pos.line, col: pos.col, path: formatPath(path), ...hints });
  };

  const identified = identifyKind(doc.object);
  if (identified.status === 'invalid') {
    const { expected, fix } = identified;
    return fail(identified.code, identified.message, identified.path, { ...(expected && { expected }), ...(fix && { fix }) });
  }
  if (identified.status === 'foreign' || !RESOURCE_KINDS.has(identified.kind)) {
    return fail('unsupported-kind', `argot does not run ${identified.kind} resources`, ['kind']);
  }
  const object = coerce(doc.object, refType(identified.type), [], doc);
  if (!isRecord(object)) return fail('not-an-object', 'a manifest must be a map', []);
  if (object['metadata'] === undefined) object['metadata'] = {};
  if (!isRecord(object['metadata'])) return fail('invalid-value', '"metadata" must be a map', ['metadata']);
  if (identified.kind !== 'ConfigMap' && !isRecord(object['spec'])) return fail('invalid-value', `a ${identified.kind} needs a "spec" map`, ['spec']);
  return object as unknown as Resource;
}

/** A deep copy of `value` with Go's scalar conversions applied wherever the schema knows the field. */
function coerce(value: unknown, type: FieldType, path: PathSegment[], doc: LoadedDocument): unknown {
  switch (type.kind) {
    case 'anyString':
      if (typeof value === 'number') return formatGoFloat(value, 'f', 64);
      return typeof value === 'boolean' ? String(value) : value;
    case 'string':
      if (typeof value === 'number') return goStringFromNumber(value, path, doc);
      return typeof value === 'boolean' ? String(value) : value;
    case 'array':
      return Array.isArray(value) ? value.map((item: unknown, i) => coerce(item, type.of, [...path, i], doc)) : value;
    case 'map':
      return isRecord(value) ? mapValues(value, (v, k) => coerce(v, type.of, [...path, k], doc)) : value;
    case 'ref':
      return isRecord(value) ? coerceObject(value, type.name, path, doc) : value;
    default:
      return structuredClone(value);
  }
}

function coerceObject(value: Record<string, unknown>, typeName: string, path: PathSegment[], doc: LoadedDocument): Record<string, unknown> {
  const def = SCHEMA.get(typeName);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const fieldType = def?.fields.get(key);
    // Go leaves a field that is null in the manifest unset.
    if (v === null && fieldType) continue;
    if (!fieldType) {
      out[key] = structuredClone(v);
      continue;
    }
    if (STRING_FIELDS.has(`${typeName}.${key}`) && typeof v === 'number') {
      out[key] = String(v);
      continue;
    }
    out[key] = coerce(v, fieldType, [...path, key], doc);
  }
  return out;
}

/** sigs.k8s.io/yaml turns an int into its decimal digits and a float into strconv's 'g' at 32 bits. */
function goStringFromNumber(value: number, path: PathSegment[], doc: LoadedDocument): string {
  const kind = doc.numberKind?.(path) ?? (Number.isInteger(value) ? 'int' : 'float');
  if (kind === 'int' && Number.isFinite(value)) return Number.isSafeInteger(value) ? String(value) : BigInt(value).toString();
  return formatGoFloat(value, 'g', 32);
}

function mapValues(value: Record<string, unknown>, fn: (v: unknown, k: string) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = fn(v, k);
  return out;
}

/**
 * The resources among `docs`: documents of kinds argot does not run (Kubernetes objects such as a
 * PersistentVolumeClaim, or a WorkflowEventBinding) are skipped; a malformed or misspelt Argo
 * resource throws.
 */
export function resourcesOf(docs: readonly LoadedDocument[]): Resource[] {
  const out: Resource[] = [];
  for (const doc of docs) {
    const identified = identifyKind(doc.object);
    if (identified.status === 'foreign' || (identified.status === 'known' && !RESOURCE_KINDS.has(identified.kind))) continue;
    out.push(toResource(doc));
  }
  return out;
}
