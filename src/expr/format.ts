// How Go prints values: fmt's %v for scalars and encoding/json for structures.

import { durationString, goTimeString } from './gotime.js';
import { Duration, Float, hasKey, isMap, isNil, numVal } from './values.js';

/** strconv.FormatFloat(f, 'g', -1, 64) as used by %v: exponent form below 1e-4 and from 1e6. */
export function goFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mant = '', expStr = '0'] = n.toExponential().split('e');
  const exp = Number(expStr);
  if (exp < -4 || exp >= 6) {
    const e = Math.abs(exp);
    return `${mant}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  }
  return String(n);
}

/** %v of an int64; integral JS numbers beyond int range can only have come from a float. */
function goInt(n: number): string {
  return Math.abs(n) < 1e21 ? (Object.is(n, -0) ? '0' : String(n)) : goFloat(n);
}

/**
 * The text Argo writes for an expression result: strings raw, ints without ".0", floats like Go's
 * %v, nil as "", time and duration as Go prints them, and anything structured as compact JSON.
 */
export function formatValue(v: unknown): string {
  if (isNil(v)) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Float) return goFloat(v.value);
  if (typeof v === 'number') return Number.isInteger(v) ? goInt(v) : goFloat(v);
  if (v instanceof Date) return goTimeString(v);
  if (v instanceof Duration) return durationString(v);
  if (typeof v === 'function') return '<func>';
  return goJSON(v, { html: false });
}

export interface JSONOptions {
  /** Indent unit (MarshalIndent); compact when absent. */
  indent?: string;
  /** json.Marshal escapes <, > and & for embedding in HTML; toRawJson does not. */
  html?: boolean;
}

function quote(s: string, html: boolean): string {
  let q = JSON.stringify(s).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
  if (html) q = q.replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
  return q;
}

/** encoding/json: map keys sorted, floats in Go's JSON form, time as RFC 3339, durations in ns. */
export function goJSON(v: unknown, opts: JSONOptions = {}): string {
  const html = opts.html ?? true;
  const indent = opts.indent ?? '';
  const enc = (x: unknown, depth: string): string => {
    if (isNil(x)) return 'null';
    if (typeof x === 'string') return quote(x, html);
    if (typeof x === 'boolean') return x ? 'true' : 'false';
    if (typeof x === 'number' || x instanceof Float) {
      const n = numVal(x);
      if (!Number.isFinite(n)) throw new Error(`json: unsupported value: ${goFloat(n)}`);
      return String(n);
    }
    if (x instanceof Date) return quote(x.toISOString().replace(/\.?0+Z$/, 'Z'), html); // RFC 3339 nano, zeros trimmed
    if (x instanceof Duration) return String(x.ns);
    if (typeof x === 'function') throw new Error('json: unsupported type: func');
    const inner = depth + indent;
    const nl = indent ? `\n${inner}` : '';
    const end = indent ? `\n${depth}` : '';
    const sep = indent ? ': ' : ':';
    if (Array.isArray(x)) {
      if (x.length === 0) return '[]';
      return `[${nl}${x.map((e) => enc(e, inner)).join(`,${nl}`)}${end}]`;
    }
    if (isMap(x)) {
      const keys = Object.keys(x).filter((k) => hasKey(x, k)).sort();
      if (keys.length === 0) return '{}';
      return `{${nl}${keys.map((k) => quote(k, html) + sep + enc(x[k], inner)).join(`,${nl}`)}${end}}`;
    }
    return 'null';
  };
  return enc(v, '');
}
