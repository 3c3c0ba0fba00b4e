import type { NodeStatus } from '../spec/types.js';
import type { Operation } from './context.js';
import type { Vars } from './vars.js';

/** steps.<name>.* / tasks.<name>.* for one finished node (Argo's addNodeOutputsToScope). */
export function addNodeToScope(op: Operation, vars: Vars, prefix: string, node: NodeStatus): void {
  vars[`${prefix}.id`] = node.id;
  vars[`${prefix}.status`] = node.phase;
  if (node.startedAt) vars[`${prefix}.startedAt`] = node.startedAt;
  if (node.finishedAt) vars[`${prefix}.finishedAt`] = node.finishedAt;
  const source = outputsSource(op, node);
  if (source.podIP) vars[`${prefix}.ip`] = source.podIP;
  if (source.hostNodeName) vars[`${prefix}.hostNodeName`] = source.hostNodeName;
  const outputs = source.outputs;
  if (!outputs) return;
  if (outputs.result !== undefined) vars[`${prefix}.outputs.result`] = outputs.result;
  if (outputs.exitCode !== undefined) vars[`${prefix}.exitCode`] = outputs.exitCode;
  const map: Record<string, string> = {};
  for (const p of outputs.parameters ?? []) {
    if (p.value === undefined) continue;
    vars[`${prefix}.outputs.parameters.${p.name}`] = p.value;
    map[p.name] = p.value;
  }
  if (outputs.parameters) vars[`${prefix}.outputs.parameters`] = JSON.stringify(map);
}

/** A Retry node's outputs are its last attempt's. */
function outputsSource(op: Operation, node: NodeStatus): NodeStatus {
  if (node.type !== 'Retry' || node.outputs) return node;
  const last = node.children?.[node.children.length - 1];
  return (last && op.get(last)) || node;
}

/** Loop outputs (Argo's processAggregateNodeOutputs): JSON lists of results and of parameter maps. */
export function addAggregateToScope(op: Operation, vars: Vars, prefix: string, children: NodeStatus[]): void {
  const results: unknown[] = [];
  const paramMaps: Record<string, string>[] = [];
  const byName = new Map<string, string[]>();
  for (const child of children) {
    if (child.nodeFlag?.hooked) continue;
    const source = outputsSource(op, child);
    if (child.phase !== 'Succeeded' || !source.outputs) continue;
    const params = source.outputs.parameters ?? [];
    if (params.length > 0) {
      const map: Record<string, string> = {};
      for (const p of params) {
        const value = p.value ?? '';
        map[p.name] = value;
        byName.set(p.name, [...(byName.get(p.name) ?? []), value]);
      }
      paramMaps.push(map);
    }
    if (source.outputs.result !== undefined) results.push(parseJsonOr(source.outputs.result));
  }
  vars[`${prefix}.outputs.result`] = JSON.stringify(results);
  vars[`${prefix}.outputs.parameters`] = JSON.stringify(paramMaps);
  for (const [name, values] of byName) {
    vars[`${prefix}.outputs.parameters.${name}`] = aggregateValues(values);
  }
}

/** Argo's aggregatedJsonValueList: a list of JSON only when every value is a JSON map or list, else a list of strings. */
function aggregateValues(values: string[]): string {
  const parsed = values.map(parseJsonOr);
  const structured = parsed.every((v) => typeof v === 'object' && v !== null);
  return JSON.stringify(structured ? parsed : values);
}

function parseJsonOr(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
