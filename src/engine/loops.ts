import { stringifyValue } from '../expr/index.js';
import type { Invocation, Item, Sequence } from '../spec/types.js';
import { NodeError } from './context.js';
import { substituteDeep, substituteOrFail, STRICT_IN_ARGS, type Vars } from './vars.js';

export interface Expanded<T extends Invocation> {
  /** `name(i:desc)`, Argo's generateNodeName. */
  name: string;
  step: T;
  /** item variables: item, item.<key>. */
  itemVars: Vars;
  item: unknown;
}

export function hasLoop(step: Invocation): boolean {
  return step.withItems !== undefined || step.withParam !== undefined || step.withSequence !== undefined;
}

/** Argo's expandStep/expandTask: one invocation per item, with {{item}} substituted into it. */
export function expandLoop<T extends Invocation>(step: T, vars: Vars): Expanded<T>[] {
  const items = loopItems(step, vars);
  const { withItems: _i, withParam: _p, withSequence: _s, ...rest } = step;
  return items.map((item, index) => {
    const { itemVars, desc } = describeItem(item);
    const substituted = substituteDeep(rest, itemVars) as unknown as T;
    return { name: `${step.name}(${index}:${desc})`, step: substituted, itemVars, item };
  });
}

function loopItems(step: Invocation, vars: Vars): unknown[] {
  if (step.withItems !== undefined) return step.withItems.map((item) => substituteItem(item, vars));
  if (step.withParam !== undefined) {
    const text = substituteOrFail(step.withParam, vars, { strict: STRICT_IN_ARGS });
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new NodeError(`withParam value could not be parsed as a JSON list: ${text.trim()}`);
    }
    if (!Array.isArray(parsed)) throw new NodeError(`withParam value could not be parsed as a JSON list: ${text.trim()}`);
    return parsed;
  }
  if (step.withSequence !== undefined) return sequenceItems(substituteDeep(step.withSequence, vars, { strict: STRICT_IN_ARGS }));
  return [];
}

function substituteItem(item: Item, vars: Vars): unknown {
  return substituteDeep(item, vars);
}

function describeItem(item: unknown): { itemVars: Vars; desc: string } {
  if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
    const itemVars: Vars = { item: JSON.stringify(item) };
    const parts: string[] = [];
    for (const [key, value] of Object.entries(item)) {
      const text = typeof value === 'string' ? value : stringifyValue(value);
      itemVars[`item.${key}`] = text;
      parts.push(`${key}:${text}`);
    }
    parts.sort();
    return { itemVars, desc: parts.join(',') };
  }
  const text = typeof item === 'string' ? item : Array.isArray(item) ? JSON.stringify(item) : stringifyValue(item);
  return { itemVars: { item: text }, desc: text };
}

/** withSequence: count or start..end (descending when start > end), printf-formatted. */
export function sequenceItems(seq: Sequence): string[] {
  const num = (v: string | undefined, field: string): number | undefined => {
    if (v === undefined || v === '') return undefined;
    const n = Number(v);
    if (!Number.isInteger(n)) throw new NodeError(`withSequence.${field}: '${v}' is not an integer`);
    return n;
  };
  const count = num(seq.count, 'count');
  const start = num(seq.start, 'start') ?? 0;
  let end = num(seq.end, 'end');
  if (count !== undefined && end !== undefined) throw new NodeError('withSequence: only one of count or end can be defined');
  if (count !== undefined) {
    if (count === 0) return [];
    end = start + count - 1;
  }
  if (end === undefined) throw new NodeError('withSequence: one of count or end must be defined');
  const out: string[] = [];
  const step = start <= end ? 1 : -1;
  for (let i = start; step > 0 ? i <= end : i >= end; i += step) out.push(seq.format ? sprintf(seq.format, i) : String(i));
  return out;
}

/** The subset of Go's fmt verbs that sequence formats use: %d %x %X %o %s %v with flags and width. */
export function sprintf(format: string, n: number): string {
  return format.replace(/%([-0 +#]*)(\d*)([dxXosvf%])/g, (_m, flags: string, width: string, verb: string) => {
    if (verb === '%') return '%';
    let body: string;
    switch (verb) {
      case 'x':
        body = Math.abs(n).toString(16);
        break;
      case 'X':
        body = Math.abs(n).toString(16).toUpperCase();
        break;
      case 'o':
        body = Math.abs(n).toString(8);
        break;
      case 'f':
        body = Math.abs(n).toFixed(6);
        break;
      default:
        body = String(Math.abs(n));
    }
    const sign = n < 0 ? '-' : flags.includes('+') ? '+' : '';
    const w = Number(width || 0);
    if (flags.includes('-')) return (sign + body).padEnd(w, ' ');
    if (flags.includes('0')) return sign + body.padStart(Math.max(0, w - sign.length), '0');
    return (sign + body).padStart(w, ' ');
  });
}
