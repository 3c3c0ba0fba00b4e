// Argo keeps variables flat ("steps.a.outputs.result"); expressions need them nested so that
// member access works. Mirrors util/expand: when a key is both a value and a prefix of other keys
// ("workflow.parameters" as JSON next to "workflow.parameters.x") the nested map wins.

import { getKey, isMap, setKey, type ValueMap } from './values.js';

export function expandVars(flat: Record<string, unknown>): Record<string, unknown> {
  const out: ValueMap = {};
  // Maps built here may be extended; a map the caller passed in as a value is copied first.
  const ours = new WeakSet<ValueMap>([out]);
  // Shorter keys first, so a later, longer key can replace a leaf with a map but never the reverse.
  const keys = Object.keys(flat).sort((a, b) => a.split('.').length - b.split('.').length);
  for (const key of keys) {
    const parts = key.split('.');
    const last = parts.pop() as string;
    let node = out;
    for (const part of parts) {
      const child = getKey(node, part);
      if (isMap(child) && ours.has(child)) {
        node = child;
        continue;
      }
      const created: ValueMap = isMap(child) ? { ...child } : {};
      ours.add(created);
      setKey(node, part, created);
      node = created;
    }
    if (!isMap(getKey(node, last))) setKey(node, last, flat[key]);
  }
  return out;
}
