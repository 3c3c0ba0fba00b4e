// argot's schema on its own: every type it mentions exists, and the notation parses.

import { describe, expect, it } from 'vitest';
import { KINDS, SCHEMA, type FieldType } from './schema.js';
import { parseFieldType } from './schema/notation.js';

function referencedTypes(t: FieldType): string[] {
  if (t.kind === 'ref') return [t.name];
  if (t.kind === 'array' || t.kind === 'map') return referencedTypes(t.of);
  return [];
}

describe('argot schema', () => {
  it('refers only to types it defines', () => {
    const missing: string[] = [];
    for (const def of SCHEMA.values()) {
      for (const [field, type] of def.fields) {
        for (const name of referencedTypes(type)) if (!SCHEMA.has(name)) missing.push(`${def.name}.${field} -> ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('has a root type for every kind, and lists required and deprecated fields among its fields', () => {
    for (const { type } of Object.values(KINDS)) expect(SCHEMA.has(type)).toBe(true);
    for (const def of SCHEMA.values()) {
      for (const f of [...def.required, ...Object.keys(def.deprecated)]) expect(def.fields.has(f), `${def.name}.${f}`).toBe(true);
    }
  });

  it('parses the notation', () => {
    expect(parseFieldType('[[WorkflowStep]]')).toEqual({ kind: 'array', of: { kind: 'array', of: { kind: 'ref', name: 'WorkflowStep' } } });
    expect(parseFieldType('{quantity}')).toEqual({ kind: 'map', of: { kind: 'quantity' } });
    expect(() => parseFieldType('strin')).toThrow(/bad field type/);
  });
});
