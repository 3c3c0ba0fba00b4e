import { parse } from 'yaml';
import type { Workflow } from '../spec/types.js';

/** The parts of Argo's workflow-controller-configmap argot honours. */
export interface ControllerConfig {
  parallelism?: number;
  /** Running workflows per namespace (Argo's namespaceParallelism). */
  namespaceParallelism?: number;
  workflowDefaults?: Partial<Workflow>;
}

/**
 * Reads Argo's `workflow-controller-configmap`: either the ConfigMap itself (keys in `data`, values
 * YAML strings, as Argo ships it) or a plain map with the same keys. Unknown keys are ignored, as
 * in Argo, but a malformed value is an error that says which key.
 */
export function parseControllerConfig(text: string, source: string): ControllerConfig {
  const doc = parse(text, { version: '1.1' }) as unknown;
  if (!isMap(doc)) throw new Error(`${source}: expected a map or a ConfigMap, found ${typeof doc}`);
  const data = doc.kind === 'ConfigMap' ? doc.data : doc;
  if (data === undefined) return {};
  if (!isMap(data)) throw new Error(`${source}: data must be a map`);
  const read = (key: string): unknown => {
    const value = data[key];
    if (typeof value !== 'string') return value;
    try {
      return parse(value, { version: '1.1' }) as unknown;
    } catch (err) {
      throw new Error(`${source}: ${key}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const out: ControllerConfig = {};
  for (const key of ['parallelism', 'namespaceParallelism'] as const) {
    const value = read(key);
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new Error(`${source}: ${key} must be a non-negative integer, found ${JSON.stringify(value)}`);
    if (value > 0) out[key] = value;
  }
  const defaults = read('workflowDefaults');
  if (defaults !== undefined && defaults !== null) {
    if (!isMap(defaults)) throw new Error(`${source}: workflowDefaults must be a Workflow (a map with metadata and spec)`);
    out.workflowDefaults = defaults as Partial<Workflow>;
  }
  return out;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
