import { substitute, UnresolvedTagError, type SubstituteOptions } from '../expr/index.js';
import type { Workflow } from '../spec/types.js';
import { NodeError } from './context.js';

export type Vars = Record<string, string>;

/** Tag prefixes that must resolve where a step or task passes arguments (Argo: steps./tasks. are strict). */
export const STRICT_IN_ARGS = (tag: string): boolean =>
  tag.startsWith('steps.') || tag.startsWith('tasks.') || tag === 'item' || tag.startsWith('item.') || tag.startsWith('inputs.');

/**
 * Substitute every string inside a JSON-like value. Keys are left alone, as Argo's JSON-level
 * replace leaves them unchanged in practice. Parts without a tag are returned as they are, not
 * copied: the engine never mutates a template, and re-walking every running node's template on
 * every reconcile was a large share of a reconcile's cost.
 */
export function substituteDeep<T>(value: T, vars: Vars, opts?: SubstituteOptions): T {
  return walk(value, vars, opts) as T;
}

/** Objects and arrays known to hold no `{{` anywhere (a spec's objects are not mutated once parsed). */
const tagFree = new WeakSet<object>();

function walk(value: unknown, vars: Vars, opts: SubstituteOptions | undefined): unknown {
  if (typeof value === 'string') return value.includes('{{') ? substituteOrFail(value, vars, opts) : value;
  if (!value || typeof value !== 'object' || tagFree.has(value)) return value;
  let changed = false;
  let out: unknown;
  if (Array.isArray(value)) {
    const items = value.map((v: unknown) => {
      const w = walk(v, vars, opts);
      if (w !== v) changed = true;
      return w;
    });
    out = changed ? items : value;
  } else {
    const fields: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const w = walk(v, vars, opts);
      if (w !== v) changed = true;
      fields[k] = w;
    }
    out = changed ? fields : value;
  }
  if (!changed && !hasTag(value)) tagFree.add(value);
  return out;
}

/** Whether substituting into this value would change nothing: known to hold no tag (see tagFree). */
export function knownTagFree(value: object): boolean {
  if (tagFree.has(value)) return true;
  for (const v of Object.values(value)) {
    if (typeof v === 'string' ? v.includes('{{') : v && typeof v === 'object' && !tagFree.has(v as object)) return false;
  }
  return true;
}

/** Whether a string anywhere inside holds `{{` (a tag that substituted to itself leaves the value unchanged). */
function hasTag(value: object): boolean {
  for (const v of Object.values(value)) {
    if (typeof v === 'string' ? v.includes('{{') : v && typeof v === 'object' && !tagFree.has(v as object)) return true;
  }
  return false;
}

export function substituteOrFail(text: string, vars: Vars, opts?: SubstituteOptions): string {
  try {
    return substitute(text, vars, opts);
  } catch (err) {
    if (err instanceof UnresolvedTagError) throw new NodeError(`failed to resolve {{${err.tag}}}`);
    throw new NodeError(err instanceof Error ? err.message : String(err));
  }
}

/** workflow.* variables (docs/variables.md "Global"). */
export function globalVars(wf: Workflow, namespace: string): Vars {
  const vars: Vars = {};
  const meta = wf.metadata;
  vars['workflow.name'] = meta.name ?? '';
  vars['workflow.namespace'] = meta.namespace ?? namespace;
  vars['workflow.uid'] = meta.uid ?? '';
  vars['workflow.mainEntrypoint'] = wf.spec.entrypoint ?? '';
  vars['workflow.serviceAccountName'] = wf.spec.serviceAccountName ?? '';
  if (wf.spec.priority !== undefined) vars['workflow.priority'] = String(wf.spec.priority);
  for (const p of wf.spec.arguments?.parameters ?? []) {
    const value = p.value ?? p.valueFrom?.default ?? p.default;
    if (value !== undefined) {
      vars[`workflow.parameters.${p.name}`] = value;
    }
  }
  const paramsJson = JSON.stringify(wf.spec.arguments?.parameters ?? []);
  vars['workflow.parameters.json'] = paramsJson;
  vars['workflow.parameters'] = paramsJson;
  for (const [kind, map] of [['annotations', meta.annotations], ['labels', meta.labels]] as const) {
    for (const [k, v] of Object.entries(map ?? {})) vars[`workflow.${kind}.${k}`] = v;
    const json = JSON.stringify(map ?? {});
    vars[`workflow.${kind}.json`] = json;
    vars[`workflow.${kind}`] = json;
  }
  const created = meta.creationTimestamp ? new Date(meta.creationTimestamp) : undefined;
  if (created && !Number.isNaN(created.getTime())) {
    const iso = created.toISOString().replace(/\.\d{3}Z$/, 'Z');
    vars['workflow.creationTimestamp'] = iso;
    vars['workflow.creationTimestamp.RFC3339'] = iso;
    vars['workflow.creationTimestamp.s'] = String(Math.floor(created.getTime() / 1000));
    for (const [ch, val] of Object.entries(strftimeParts(created))) vars[`workflow.creationTimestamp.${ch}`] = val;
  }
  for (const p of wf.status?.outputs?.parameters ?? []) {
    if (p.value !== undefined) vars[`workflow.outputs.parameters.${p.name}`] = p.value;
  }
  return vars;
}

function strftimeParts(d: Date): Record<string, string> {
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  const days = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  return {
    Y: String(d.getUTCFullYear()),
    y: pad(d.getUTCFullYear() % 100),
    m: pad(d.getUTCMonth() + 1),
    d: pad(d.getUTCDate()),
    e: String(d.getUTCDate()).padStart(2, ' '),
    H: pad(d.getUTCHours()),
    I: pad(((d.getUTCHours() + 11) % 12) + 1),
    M: pad(d.getUTCMinutes()),
    S: pad(d.getUTCSeconds()),
    j: pad(Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86400000) + 1, 3),
    A: days[d.getUTCDay()] ?? '',
    a: (days[d.getUTCDay()] ?? '').slice(0, 3),
    B: months[d.getUTCMonth()] ?? '',
    b: (months[d.getUTCMonth()] ?? '').slice(0, 3),
    p: d.getUTCHours() < 12 ? 'AM' : 'PM',
    u: String(d.getUTCDay() === 0 ? 7 : d.getUTCDay()),
    w: String(d.getUTCDay()),
  };
}
