// The small notation argot's field schema is written in, so that each type reads like its YAML:
//
//   'string' 'int' 'number' 'bool'   plain JSON kinds (Go's json rules decide what converts)
//   'anyString'                       Argo's AnyString: numbers and booleans become strings
//   'intOrString' 'quantity'          Kubernetes IntOrString and resource.Quantity
//   'any' 'object'                    anything / any JSON object (pass-through Kubernetes parts)
//   'Template'                        another type of the schema
//   '[X]' '{X}'                       a list of X / a map from strings to X

export type Primitive = 'string' | 'anyString' | 'int' | 'number' | 'bool' | 'intOrString' | 'quantity' | 'any' | 'object';

export type FieldType =
  | { kind: Primitive }
  | { kind: 'ref'; name: string }
  | { kind: 'array'; of: FieldType }
  | { kind: 'map'; of: FieldType };

export interface TypeSpec {
  /** The schema.json definition this type models (checked against it by schema-oracle.test.ts). */
  models?: string;
  fields: Record<string, string>;
  /** Fields Go's decoding or Argo's validation insists on. */
  required?: readonly string[];
  /** Fields Argo removed but argot still reads, with what replaces them. Not in schema.json. */
  deprecated?: Record<string, string>;
}

export interface TypeDef {
  name: string;
  models?: string;
  fields: ReadonlyMap<string, FieldType>;
  required: readonly string[];
  deprecated: Readonly<Record<string, string>>;
}

const PRIMITIVES: ReadonlySet<string> = new Set<Primitive>([
  'string',
  'anyString',
  'int',
  'number',
  'bool',
  'intOrString',
  'quantity',
  'any',
  'object',
]);

export function parseFieldType(notation: string): FieldType {
  const n = notation.trim();
  if (n.startsWith('[') && n.endsWith(']')) return { kind: 'array', of: parseFieldType(n.slice(1, -1)) };
  if (n.startsWith('{') && n.endsWith('}')) return { kind: 'map', of: parseFieldType(n.slice(1, -1)) };
  if (PRIMITIVES.has(n)) return { kind: n as Primitive };
  if (/^[A-Z][A-Za-z0-9]*$/.test(n)) return { kind: 'ref', name: n };
  throw new Error(`bad field type notation "${notation}"`);
}

export function buildTypes(specs: Record<string, TypeSpec>): Map<string, TypeDef> {
  const out = new Map<string, TypeDef>();
  for (const [name, spec] of Object.entries(specs)) {
    const fields = new Map<string, FieldType>();
    for (const [field, notation] of Object.entries(spec.fields)) fields.set(field, parseFieldType(notation));
    const def: TypeDef = { name, fields, required: spec.required ?? [], deprecated: spec.deprecated ?? {} };
    if (spec.models !== undefined) def.models = spec.models;
    out.set(name, def);
  }
  return out;
}

/** How a field type reads in messages: `a list of Template`, `a map of strings`. */
export function describeFieldType(t: FieldType): string {
  switch (t.kind) {
    case 'ref':
      return `a ${t.name} object`;
    case 'array':
      return `a list of ${plural(t.of)}`;
    case 'map':
      return `a map of ${plural(t.of)}`;
    case 'anyString':
      return 'a string';
    case 'intOrString':
      return 'an integer or a string';
    case 'quantity':
      return 'a quantity (such as 500m or 1Gi)';
    case 'int':
      return 'an integer';
    case 'bool':
      return 'a boolean';
    case 'object':
      return 'a map';
    case 'any':
      return 'a value';
    default:
      return `a ${t.kind}`;
  }
}

function plural(t: FieldType): string {
  switch (t.kind) {
    case 'ref':
      return `${t.name} objects`;
    case 'array':
    case 'map':
      return 'lists';
    case 'anyString':
    case 'string':
      return 'strings';
    case 'int':
      return 'integers';
    case 'bool':
      return 'booleans';
    case 'number':
      return 'numbers';
    case 'object':
      return 'maps';
    default:
      return 'values';
  }
}
