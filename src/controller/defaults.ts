import type { Workflow } from '../spec/types.js';

/**
 * The controller's workflowDefaults merged under a submitted workflow: objects merge key by key,
 * the workflow's own values win, lists are the workflow's when it has one (Argo's strategic merge
 * for the fields people set there: ttlStrategy, podGC, activeDeadlineSeconds, labels…).
 */
export function withDefaults(wf: Workflow, defaults: Partial<Workflow> | undefined): Workflow {
  if (!defaults) return wf;
  return merge(defaults, wf) as Workflow;
}

function merge(base: unknown, over: unknown): unknown {
  if (over === undefined) return structuredClone(base);
  if (!isObject(base) || !isObject(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = merge(base[k], v);
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
