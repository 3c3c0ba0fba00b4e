import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import type { Workflow } from '../../spec/types.js';
import { UsageError } from '../errors.js';

/** `-p name=value` pairs and a `--parameter-file` (a YAML or JSON map), file first so flags win. */
export async function collectParameters(flags: string[], file: string | undefined): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (file) {
    let parsed: unknown;
    try {
      parsed = parseYaml(await readFile(file, 'utf8'), { version: '1.1' });
    } catch (err) {
      throw new UsageError(`--parameter-file ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new UsageError(`--parameter-file ${file}: expected a map of parameter names to values`);
    }
    for (const [k, v] of Object.entries(parsed)) out.set(k, typeof v === 'string' ? v : JSON.stringify(v));
  }
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    if (eq <= 0) throw new UsageError(`-p ${flag}: expected name=value`);
    out.set(flag.slice(0, eq), flag.slice(eq + 1));
  }
  return out;
}

/** Overrides workflow arguments the way `argo submit -p` does: a value for a declared parameter, or a new one. */
export function applyParameters(wf: Workflow, params: Map<string, string>): void {
  if (params.size === 0) return;
  const args = (wf.spec.arguments ??= {});
  const list = (args.parameters ??= []);
  for (const [name, value] of params) {
    const existing = list.find((p) => p.name === name);
    if (existing) {
      existing.value = value;
      delete existing.valueFrom;
    } else list.push({ name, value });
  }
}
