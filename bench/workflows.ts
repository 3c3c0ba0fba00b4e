// The workloads' workflows, in Argo's YAML shapes (as objects).
import type { Template, Workflow } from '../src/spec/types.js';

function wf(prefix: string, templates: Template[], extra: Partial<Workflow['spec']> = {}): Workflow {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: { generateName: `${prefix}-`, namespace: 'default' },
    spec: { entrypoint: 'main', templates, ...extra },
  };
}

const command = (name: string, argv: string[]): Template => ({ name, container: { image: 'alpine', command: argv } });

/** One pod running `argv`. */
export function single(prefix: string, argv: string[]): Workflow {
  return wf(prefix, [{ ...command('main', argv) }]);
}

/** A steps workflow of `n` sequential `echo hi` steps (spec B1). */
export function sequential(n: number): Workflow {
  const steps = Array.from({ length: n }, (_, i) => [{ name: `s${i}`, template: 'echo' }]);
  return wf('seq', [{ name: 'main', steps }, command('echo', ['echo', 'hi'])]);
}

/** `withSequence` of `n` `true` pods in one step (spec B2, Argo's test/stress/pod-limits.yaml). */
export function fanOut(n: number, prefix = 'fan'): Workflow {
  return wf(prefix, [{ name: 'main', steps: [[{ name: 'p', template: 'true', withSequence: { count: String(n) } }]] }, command('true', ['true'])]);
}

/** A DAG of `n` `true` tasks in layers of `width`, each task depending on 2 of the previous layer (spec B3). */
export function dag(n: number, width: number): Workflow {
  const tasks = [];
  for (let i = 0; i < n; i++) {
    const layer = Math.floor(i / width);
    const col = i % width;
    const deps = layer === 0 ? [] : [...new Set([`t${(layer - 1) * width + col}`, `t${(layer - 1) * width + ((col + 1) % width)}`])];
    tasks.push({ name: `t${i}`, template: 'true', ...(deps.length ? { dependencies: deps } : {}) });
  }
  return wf('dag', [{ name: 'main', dag: { tasks } }, command('true', ['true'])]);
}
