// argot's schema held against Argo's published JSON schema (../shared/argo-api/schema.json): every
// type argot models has exactly the fields Argo defines (deprecated ones aside), with compatible
// kinds, and every Argo type a manifest can contain is modelled.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SCHEMA, type FieldType } from './schema.js';

const SCHEMA_JSON = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/argo-api/schema.json');
const present = existsSync(SCHEMA_JSON);

interface JsonProp {
  $ref?: string;
  type?: string;
  items?: JsonProp;
  additionalProperties?: JsonProp;
}

interface JsonDef extends JsonProp {
  properties?: Record<string, JsonProp>;
}

const ARGO = 'io.argoproj.workflow.v1alpha1.';
const KINDS = ['Workflow', 'WorkflowTemplate', 'ClusterWorkflowTemplate', 'CronWorkflow', 'WorkflowEventBinding'];
/** Argo types argot deliberately reads as something other than an object type of its own. */
const NOT_OBJECT_TYPES = new Set([`${ARGO}Plugin`, `${ARGO}Item`, `${ARGO}ParallelSteps`, `${ARGO}Amount`]);
/** Special definitions and the argot field kind each corresponds to. */
const SPECIAL_REFS: Record<string, (t: FieldType) => boolean> = {
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': (t) => t.kind === 'intOrString',
  'io.k8s.apimachinery.pkg.api.resource.Quantity': (t) => t.kind === 'quantity',
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time': (t) => t.kind === 'string',
  [`${ARGO}Item`]: (t) => t.kind === 'any',
  [`${ARGO}Plugin`]: (t) => t.kind === 'object',
  [`${ARGO}Amount`]: (t) => t.kind === 'number',
  [`${ARGO}ParallelSteps`]: (t) => t.kind === 'array' && t.of.kind === 'ref' && t.of.name === 'WorkflowStep',
};

if (!present) console.warn(`skipped: Argo's schema.json is not at ${SCHEMA_JSON}`);

describe.skipIf(!present)(`argot schema against Argo's schema.json (${SCHEMA_JSON})`, () => {
  const definitions: Record<string, JsonDef> = present
    ? (JSON.parse(readFileSync(SCHEMA_JSON, 'utf8')) as { definitions: Record<string, JsonDef> }).definitions
    : {};
  const refName = (ref: string) => ref.replace('#/definitions/', '');
  const modelled = [...SCHEMA.values()].filter((d) => d.models !== undefined);

  it('models definitions that exist', () => {
    expect(modelled.length).toBeGreaterThan(100);
    expect(modelled.filter((d) => !definitions[d.models ?? '']).map((d) => `${d.name} -> ${d.models}`)).toEqual([]);
  });

  it.each(modelled.map((d) => [d.name, d] as const))('%s has exactly the fields of its definition', (_name, def) => {
    const theirs = new Set(Object.keys(definitions[def.models ?? '']?.properties ?? {}));
    const ours = new Set([...def.fields.keys()].filter((f) => def.deprecated[f] === undefined));
    expect({ missing: [...theirs].filter((f) => !ours.has(f)), invented: [...ours].filter((f) => !theirs.has(f)) }).toEqual({
      missing: [],
      invented: [],
    });
  });

  it('agrees on the kind of every field', () => {
    const compatible = (prop: JsonProp, t: FieldType): boolean => {
      if (t.kind === 'any') return true;
      if (prop.$ref !== undefined) {
        const target = refName(prop.$ref);
        const special = SPECIAL_REFS[target];
        if (special) return special(t);
        if (t.kind === 'ref') return SCHEMA.get(t.name)?.models === target;
        // Kubernetes objects argot passes through as free maps; Argo's own types never are.
        return t.kind === 'object' && !target.startsWith(ARGO);
      }
      switch (prop.type) {
        case 'array':
          return t.kind === 'array' && prop.items !== undefined && compatible(prop.items, t.of);
        case 'object':
          if (prop.additionalProperties) return t.kind === 'map' && compatible(prop.additionalProperties, t.of);
          return t.kind === 'object';
        case 'string':
          return t.kind === 'string' || t.kind === 'anyString';
        case 'integer':
          return t.kind === 'int';
        case 'boolean':
          return t.kind === 'bool';
        case 'number':
          return t.kind === 'number';
        default:
          return false;
      }
    };
    const disagreements: string[] = [];
    for (const def of modelled) {
      for (const [field, prop] of Object.entries(definitions[def.models ?? '']?.properties ?? {})) {
        const ours = def.fields.get(field);
        if (ours && !compatible(prop, ours)) disagreements.push(`${def.name}.${field}: ${JSON.stringify(prop)} vs ${JSON.stringify(ours)}`);
      }
    }
    expect(disagreements).toEqual([]);
  });

  it("models every Argo type a manifest can contain (status aside)", () => {
    const reachable = new Set<string>();
    const visit = (name: string): void => {
      if (reachable.has(name)) return;
      reachable.add(name);
      const refs: string[] = [];
      const walk = (node: unknown): void => {
        if (Array.isArray(node)) node.forEach(walk);
        else if (node !== null && typeof node === 'object') {
          for (const [k, v] of Object.entries(node)) {
            if (k === '$ref' && typeof v === 'string') refs.push(refName(v));
            else walk(v);
          }
        }
      };
      const def = definitions[name];
      for (const [field, prop] of Object.entries(def?.properties ?? {})) if (field !== 'status') walk(prop);
      walk(def?.items);
      refs.forEach(visit);
    };
    KINDS.forEach((k) => visit(`${ARGO}${k}`));
    const models = new Set(modelled.map((d) => d.models));
    const unmodelled = [...reachable].filter((n) => n.startsWith(ARGO) && !NOT_OBJECT_TYPES.has(n) && !models.has(n));
    expect(reachable.size).toBeGreaterThan(100);
    expect(unmodelled).toEqual([]);
  });
});
