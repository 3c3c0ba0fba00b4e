// Checks a parsed manifest against argot's schema the way Go's strict JSON decoding would judge it:
// unknown fields and wrong kinds are errors; scalars in string fields are fine, because
// sigs.k8s.io/yaml converts them. It also returns a cleaned copy holding only what passed, so the
// semantic rules after it can trust the kinds of whatever they read.

import type { PathSegment } from './path.js';
import { describeFieldType, SCHEMA, type FieldType, type TypeDef } from './schema.js';
import { closestMatch } from './suggest.js';

export interface SchemaProblem {
  path: PathSegment[];
  message: string;
  severity: 'error' | 'warning';
  /** For an unknown field: the known field it is probably a misspelling of. */
  suggestion?: string;
}

/** How a plain scalar was written in the source, when known (see LoadedDocument.plainSource). */
export type SourceOf = (path: PathSegment[]) => string | undefined;

export function checkAgainstSchema(
  value: unknown,
  type: FieldType,
  path: PathSegment[],
  out: SchemaProblem[],
  sourceOf: SourceOf = () => undefined,
): unknown {
  return new Checker(out, sourceOf).check(value, type, path);
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
      return Number.isInteger(value) ? 'an integer' : 'a number';
    case 'boolean':
      return 'a boolean';
    case 'object':
      return 'a map';
    default:
      return typeof value;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

class Checker {
  constructor(
    private readonly out: SchemaProblem[],
    private readonly sourceOf: SourceOf,
  ) {}

  check(value: unknown, type: FieldType, path: PathSegment[]): unknown {
    // Go decodes JSON null into any field as "not set".
    if (value === null || value === undefined) return undefined;
    const wrongKind = (): undefined => {
      this.out.push({ path, severity: 'error', message: `${fieldLabel(path)} must be ${describeFieldType(type)}, got ${describeValue(value)}` });
      return undefined;
    };

    switch (type.kind) {
      case 'any':
        return value;
      case 'object':
        return isRecord(value) ? value : wrongKind();
      case 'string':
      case 'anyString':
        if (!isScalar(value)) return wrongKind();
        if (typeof value === 'boolean') this.checkImplicitBoolean(value, path);
        return String(value);
      case 'int':
        return typeof value === 'number' && Number.isInteger(value) ? value : wrongKind();
      case 'number':
        return typeof value === 'number' ? value : wrongKind();
      case 'bool':
        return typeof value === 'boolean' ? value : wrongKind();
      case 'intOrString':
        return typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value)) ? value : wrongKind();
      case 'quantity':
        return typeof value === 'string' || typeof value === 'number' ? value : wrongKind();
      case 'array':
        if (!Array.isArray(value)) return wrongKind();
        // Invalid items become null rather than disappearing, so indices keep matching the source.
        return value.map((item: unknown, i) => this.check(item, type.of, [...path, i]) ?? null);
      case 'map': {
        if (!isRecord(value)) return wrongKind();
        const cleaned: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) {
          const c = this.check(v, type.of, [...path, k]);
          if (c !== undefined) cleaned[k] = c;
        }
        return cleaned;
      }
      case 'ref': {
        const def = SCHEMA.get(type.name);
        if (!def) throw new Error(`argot schema has no type "${type.name}"`);
        return isRecord(value) ? this.checkObject(value, def, path) : wrongKind();
      }
    }
  }

  private checkObject(value: Record<string, unknown>, def: TypeDef, path: PathSegment[]): Record<string, unknown> {
    const cleaned: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      const fieldType = def.fields.get(key);
      const at = [...path, key];
      if (!fieldType) {
        const suggestion = closestMatch(key, def.fields.keys());
        const hint = suggestion === undefined ? '' : `, did you mean "${suggestion}"?`;
        const problem: SchemaProblem = { path: at, severity: 'error', message: `unknown field "${key}" in ${def.name}${hint}` };
        if (suggestion !== undefined) problem.suggestion = suggestion;
        this.out.push(problem);
        continue;
      }
      const replacement = def.deprecated[key];
      if (replacement !== undefined) {
        this.out.push({
          path: at,
          severity: 'warning',
          message: `"${key}" is deprecated and was removed in Argo v4.0; write it as a list: ${replacement}: [${flowYaml(v)}]`,
        });
      }
      const c = this.check(v, fieldType, at);
      if (c !== undefined) cleaned[key] = c;
    }
    for (const field of def.required) {
      if (value[field] === undefined || value[field] === null) {
        this.out.push({ path, severity: 'error', message: `${def.name} is missing the required field "${field}"` });
      }
    }
    return cleaned;
  }

  /** `name: n` or `value: on` in a string field: YAML 1.1 made it a boolean, Go then prints "false"/"true". */
  private checkImplicitBoolean(value: boolean, path: PathSegment[]): void {
    const source = this.sourceOf(path);
    if (source === undefined || /^(true|false)$/i.test(source)) return;
    this.out.push({
      path,
      severity: 'warning',
      message: `${source} is read as the boolean ${String(value)} (YAML 1.1, as Argo reads it) and becomes the string "${String(value)}"; quote it to keep "${source}"`,
    });
  }
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function fieldLabel(path: PathSegment[]): string {
  const last = path[path.length - 1];
  if (typeof last === 'number') return `item ${last}`;
  return last === undefined ? 'the document' : `"${last}"`;
}

const PLAIN_SAFE = /^[\w./-]+$/;
// Plain scalars YAML 1.1 would read as something other than a string.
const PLAIN_TYPED = /^(true|false|yes|no|on|off|y|n|null|[-+]?[\d._]+)$/i;

/** A value as one line of YAML flow syntax, for messages that show what to write instead. */
export function flowYaml(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(flowYaml).join(', ')}]`;
  if (isRecord(value)) {
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}: ${flowYaml(v)}`)
      .join(', ')}}`;
  }
  if (typeof value === 'string') return PLAIN_SAFE.test(value) && !PLAIN_TYPED.test(value) ? value : JSON.stringify(value);
  return String(value);
}
