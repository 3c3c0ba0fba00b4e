// Argo's jsonpath(jsonString, path) uses evilmonkeyinc/jsonpath; we evaluate with jsonpath-plus
// (its "safe" evaluator, never native eval) and reshape the result to evilmonkeyinc's: a definite
// path ($.a, $[0].b) yields the value itself, anything that can select several nodes (wildcards,
// slices, unions, filters, recursive descent) yields an array.

import { JSONPath } from 'jsonpath-plus';
import { EvalError } from './errors.js';
import { fromJSONValue, typeName } from './values.js';

function isDefinite(path: string): boolean {
  if (path.includes('..') || path.includes('*')) return false;
  let depth = 0;
  let quote = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (depth > 0 && (c === ':' || c === ',' || c === '?')) return false;
  }
  return true;
}

export function jsonpath(json: unknown, path: unknown): unknown {
  if (typeof json !== 'string') throw new EvalError(`jsonpath: cannot use ${typeName(json)} as type string`);
  if (typeof path !== 'string') throw new EvalError(`jsonpath: cannot use ${typeName(path)} as type string`);
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (e) {
    throw new EvalError(`jsonpath: invalid JSON: ${(e as Error).message}`);
  }
  let results: unknown[];
  try {
    results = JSONPath({ path, json: data as object, wrap: true, eval: 'safe' }) as unknown[];
  } catch (e) {
    throw new EvalError(`jsonpath: ${(e as Error).message}`);
  }
  if (!isDefinite(path)) return fromJSONValue(results);
  if (results.length === 0) throw new EvalError(`jsonpath: ${path}: key not found`);
  return fromJSONValue(results[0]);
}
