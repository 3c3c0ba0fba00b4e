// The rules Argo checks when a containerSet template is submitted (containerset.md §1.2), in Argo's
// words, each followed by what to do about it; and the in-pod retry settings that would make every
// container fail or never run (§1.7).

import { present, type Report } from './lint-util.js';
import type { PathSegment } from './path.js';
import { didYouMean } from './suggest.js';
import type { Template } from './types.js';

export interface ContainerSetLintOptions {
  report: Report;
  /** Whether anything was written at `path`, even something the schema check rejected (and reported). */
  written: (path: PathSegment[]) => boolean;
}

/** Argo's isValidWorkflowFieldName. */
const FIELD_NAME = /^[a-zA-Z0-9][-a-zA-Z0-9]*$/;
/** What Kubernetes accepts as a container name (a DNS-1123 label). */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Containers Argo adds to the pod itself. */
const RESERVED = ['wait', 'supervisor'];
/** A Go duration, as time.ParseDuration reads it. */
const GO_DURATION = /^[-+]?(0|((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+)$/;

/** `path` is where the template's `containerSet` is. */
export function lintContainerSet(t: Template, path: PathSegment[], { report, written }: ContainerSetLintOptions): void {
  const set = t.containerSet;
  if (!set) return;
  // Argo's messages name the template as `templates.<name>.containerSet`.
  const argoPrefix = `templates.${t.name ?? ''}.containerSet`;
  const containersPath = [...path, 'containers'];
  const containers = present(set.containers);

  if ((set.containers?.length ?? 0) === 0 && !(set.containers === undefined && written(containersPath))) {
    report(
      set.containers === undefined ? path : containersPath,
      'containers must have at least one container: list what runs in the pod under containerSet.containers, e.g. containers: [{name: main, image: alpine}]',
    );
  }

  const indexOf = new Map<string, number>();
  for (const [c, i] of containers) {
    const at = [...containersPath, i, 'name'];
    if (c.name === undefined) continue; // missing: the schema check says so
    if (c.name === '') {
      report(at, `containers[${i}].name is required: give the container a name`);
    } else if (!FIELD_NAME.test(c.name)) {
      report(
        at,
        `containers[${i}].name: '${c.name}' is invalid: a container name must consist of alphanumeric characters or '-', and start with an alphanumeric character`,
      );
    } else if (indexOf.has(c.name)) {
      report(at, `containers[${i}].name '${c.name}' is not unique: every container of a containerSet needs its own name; rename one of them`);
    } else {
      if (RESERVED.includes(c.name)) {
        report(at, `${argoPrefix}.containers: "${c.name}" is a reserved Argo container name: Argo adds a container of that name to the pod; rename this one`);
      } else if (!DNS_LABEL.test(c.name) || c.name.length > 63) {
        report(
          at,
          `Kubernetes refuses the container name '${c.name}': it must be lowercase letters, digits or '-', start and end with a letter or digit, and be at most 63 characters`,
          'warning',
        );
      }
      indexOf.set(c.name, i);
    }
  }

  const mountedAt = new Map<string, string>();
  for (const [m, i] of present(set.volumeMounts)) {
    if (m.mountPath === undefined) continue;
    const previous = mountedAt.get(m.mountPath);
    if (previous !== undefined) {
      report(
        [...path, 'volumeMounts', i, 'mountPath'],
        `volumeMounts[${i}].mountPath '${m.mountPath}' already mounted in ${previous}: one path holds one volume; change this mountPath or drop the mount`,
      );
    } else {
      mountedAt.set(m.mountPath, `volumeMounts.${m.name ?? ''}`);
    }
  }

  const names = [...indexOf.keys()];
  for (const [c, i] of containers) {
    for (const [dep, d] of present(c.dependencies)) {
      if (indexOf.has(dep)) continue;
      report(
        [...containersPath, i, 'dependencies', d],
        `containers.${c.name} dependency '${dep}' not defined: dependencies name other containers of this containerSet${didYouMean(dep, names)}`,
      );
    }
  }

  const cycle = findCycle(containers.map(([c]) => [c.name, present(c.dependencies).map(([d]) => d)]));
  if (cycle) {
    const [from, to] = cycle.closing;
    const i = indexOf.get(from) ?? 0;
    const d = containers.find(([c]) => c.name === from)?.[0].dependencies?.indexOf(to) ?? -1;
    report(
      d < 0 ? [...containersPath, i] : [...containersPath, i, 'dependencies', d],
      `containers dependency cycle detected: ${cycle.text}: containers that wait for each other never start; remove one of these dependencies`,
    );
  }

  const needsMain =
    present(t.inputs?.artifacts).length > 0 || present(t.outputs?.parameters).length > 0 || present(t.outputs?.artifacts).length > 0;
  if (needsMain && containers.length > 0 && !indexOf.has('main')) {
    report(
      containersPath,
      `${argoPrefix}.containers must have a container named "main" for input or output: Argo loads inputs into, and reads outputs from, the container called "main"; name one container main`,
    );
  }

  for (const [p, i] of present(t.outputs?.parameters)) {
    if (p.valueFrom === undefined || p.valueFrom.path) continue;
    report(
      [...path.slice(0, -1), 'outputs', 'parameters', i, 'valueFrom'],
      `templates.${t.name ?? ''}.outputs.parameters.${p.name}.path must be specified for ContainerSet templates: a containerSet's output parameter is read from a file; write valueFrom: {path: <file>}`,
    );
  }

  lintRetryStrategy(set.retryStrategy, [...path, 'retryStrategy'], report);
}

function lintRetryStrategy(retry: { retries?: number | string; duration?: string } | undefined, path: PathSegment[], report: Report): void {
  if (!retry) return;
  const { retries, duration } = retry;
  if (retries !== undefined && !String(retries).includes('{{')) {
    const n = Number(String(retries).trim());
    if (String(retries).trim() === '' || !Number.isInteger(n) || n < 0) {
      report([...path, 'retries'], `retryStrategy.retries '${String(retries)}' is not a whole number: it is how many times a failing container runs, e.g. retries: 3`);
    } else if (n === 0) {
      report(
        [...path, 'retries'],
        'retries: 0 means no run at all in Argo (retries counts runs, not re-runs), so every container would exit 0 without running; argot runs it once. Write retries: 1, or drop retryStrategy',
        'warning',
      );
    }
  }
  if (duration === undefined || duration === '' || duration.includes('{{')) return;
  const text = duration.trim();
  if (/^[-+]?\d+(\.\d+)?$/.test(text)) {
    report(
      [...path, 'duration'],
      `retryStrategy.duration "${duration}" has no unit: Argo reads it with Go's time.ParseDuration and every container fails with "failed to get retry strategy" (argot takes it as seconds); write "${text}s"`,
      'warning',
    );
  } else if (!GO_DURATION.test(text)) {
    report([...path, 'duration'], `retryStrategy.duration "${duration}" is not a duration: it is the wait between two runs of a failing container, written with a unit, e.g. "5s" or "300ms"`);
  } else if (text.startsWith('-')) {
    report([...path, 'duration'], `retryStrategy.duration "${duration}": duration has to be positive (it is the wait between two runs of a failing container)`);
  }
}

/**
 * Argo's validateNoCycles: depth first from the names in alphabetical order, printing the chain of
 * dependencies walked (`b->a->b` when a depends on b and b on a). `closing` is the edge that closes
 * the cycle: [container, the dependency it names].
 */
function findCycle(graph: [string, string[]][]): { text: string; closing: [string, string] } | undefined {
  const deps = new Map<string, string[]>();
  for (const [name, ds] of graph) deps.set(name, [...(deps.get(name) ?? []), ...ds]);
  const visited = new Set<string>();
  const walk = (current: string, chain: string[]): { text: string; closing: [string, string] } | undefined => {
    if (visited.has(current)) return undefined;
    const next = deps.get(current);
    if (!next) return undefined;
    for (const dep of next) {
      const i = chain.indexOf(dep);
      if (i >= 0) return { text: `${chain.slice(i).join('->')}->${dep}`, closing: [current, dep] };
      const found = walk(dep, [...chain, dep]);
      if (found) return found;
    }
    visited.add(current);
    return undefined;
  };
  for (const name of [...deps.keys()].sort()) {
    const found = walk(name, []);
    if (found) return found;
  }
  return undefined;
}
