// expr-lang's value builtins (expr/builtin). The closure-taking ones (filter, map, …) live in
// the evaluator because they evaluate their predicate per element.

import { EvalError } from './errors.js';
import { formatValue, goJSON } from './format.js';
import { currentTime, formatGoTime, parseDuration, parseGoTime, RFC3339 } from './gotime.js';
import {
  compare, Duration, equal, Float, getKey, isFloat, isInt, isMap, isNil, isNum, mkFloat, numVal, setKey,
  typeName, utf8Length, fromJSONValue, type ValueMap,
} from './values.js';

export type Builtin = (args: unknown[]) => unknown;

export function arity(name: string, args: unknown[], min: number, max = min): void {
  if (args.length < min) throw new EvalError(`not enough arguments to call ${name}`);
  if (args.length > max) throw new EvalError(`too many arguments to call ${name}`);
}

function str(name: string, v: unknown): string {
  if (typeof v !== 'string') throw new EvalError(`invalid argument for ${name} (type ${typeName(v)})`);
  return v;
}

function arr(name: string, v: unknown): unknown[] {
  if (!Array.isArray(v)) throw new EvalError(`invalid argument for ${name} (type ${typeName(v)})`);
  return v;
}

function map(name: string, v: unknown): ValueMap {
  if (!isMap(v)) throw new EvalError(`invalid argument for ${name} (type ${typeName(v)})`);
  return v;
}

function num(name: string, v: unknown): number {
  if (!isNum(v)) throw new EvalError(`invalid argument for ${name} (type ${typeName(v)})`);
  return numVal(v);
}

function int(name: string, v: unknown): number {
  if (!isNum(v)) throw new EvalError(`invalid argument for ${name} (type ${typeName(v)})`);
  return Math.trunc(numVal(v));
}

/** strconv.Atoi */
export function atoi(s: string): number | undefined {
  return /^[+-]?\d+$/.test(s) ? Number(s) : undefined;
}

/** strconv.ParseFloat(s, 64) */
export function parseGoFloat(s: string): number | undefined {
  const t = s.replace(/_/g, '');
  if (/^[+-]?(inf|infinity)$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(t)) return NaN;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) || /^[+-]?0[xX][0-9a-fA-F]+$/.test(t)) return Number(t);
  return undefined;
}

export function toInt(v: unknown): number {
  if (isNum(v)) return Math.trunc(numVal(v));
  if (typeof v === 'string') {
    const n = atoi(v);
    if (n === undefined) throw new EvalError(`strconv.Atoi: parsing ${JSON.stringify(v)}: invalid syntax`);
    return n;
  }
  throw new EvalError(`invalid operation: int(${typeName(v)})`);
}

export function toFloat(v: unknown): number | Float {
  if (isNum(v)) return mkFloat(numVal(v));
  if (typeof v === 'string') {
    const n = parseGoFloat(v);
    if (n === undefined) throw new EvalError(`strconv.ParseFloat: parsing ${JSON.stringify(v)}: invalid syntax`);
    return mkFloat(n);
  }
  throw new EvalError(`invalid operation: float(${typeName(v)})`);
}

/** strings.Trim / TrimSpace: `cutset` is a set of characters, not a prefix. */
export function trimCutset(s: string, cutset?: string): string {
  if (cutset === undefined) return s.replace(/^\s+|\s+$/g, '');
  const set = new Set(cutset);
  const chars = [...s];
  let a = 0;
  let b = chars.length;
  while (a < b && set.has(chars[a] as string)) a++;
  while (b > a && set.has(chars[b - 1] as string)) b--;
  return chars.slice(a, b).join('');
}

/** strings.SplitN / SplitAfterN (n < 0: all). */
export function goSplit(s: string, sep: string, n = -1, after = false): string[] {
  if (n === 0) return [];
  if (sep === '') {
    const chars = [...s];
    if (n > 0 && chars.length > n) return [...chars.slice(0, n - 1), chars.slice(n - 1).join('')];
    return chars;
  }
  const out: string[] = [];
  let rest = s;
  while (n < 0 || out.length < n - 1) {
    const i = rest.indexOf(sep);
    if (i < 0) break;
    out.push(rest.slice(0, after ? i + sep.length : i));
    rest = rest.slice(i + sep.length);
  }
  out.push(rest);
  return out;
}

function byteIndex(s: string, i: number): number {
  return i < 0 ? -1 : utf8Length(s.slice(0, i));
}

function decodeBase64(s: string): string {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) {
    const bad = s.search(/[^A-Za-z0-9+/=]/);
    throw new EvalError(`illegal base64 data at input byte ${bad < 0 ? s.length : bad}`);
  }
  return Buffer.from(s, 'base64').toString('utf8');
}

export function parseJSON(s: string): unknown {
  try {
    return fromJSONValue(JSON.parse(s));
  } catch (e) {
    throw new EvalError(`invalid JSON: ${(e as Error).message}`);
  }
}

function sortedKeys(m: ValueMap): string[] {
  return Object.keys(m).sort();
}

function numbersOf(name: string, args: unknown[]): (number | Float)[] {
  const list = args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
  if (list.length === 0) throw new EvalError(`not enough arguments to call ${name}`);
  return list.map((v) => {
    if (!isNum(v)) throw new EvalError(`invalid argument for ${name} (type ${typeName(v)})`);
    return v;
  });
}

function flattenDeep(v: unknown[]): unknown[] {
  return v.flatMap((x) => (Array.isArray(x) ? flattenDeep(x) : [x]));
}

/** expr's date(): layouts tried in order when none is given. */
const DATE_LAYOUTS = ['2006-01-02', '15:04:05', '2006-01-02 15:04:05', RFC3339, '02 Jan 06 15:04 MST', 'Monday, 02-Jan-06 15:04:05 MST', 'Mon, 02 Jan 2006 15:04:05 MST'];

function date(args: unknown[]): Date {
  arity('date', args, 1, 3);
  const s = str('date', args[0]);
  if (args[2] !== undefined && !['UTC', 'Local', 'Etc/UTC'].includes(str('date', args[2]))) {
    throw new EvalError(`unsupported time zone ${String(args[2])} (only UTC is available)`);
  }
  const layouts = args[1] === undefined ? DATE_LAYOUTS : [str('date', args[1])];
  for (const layout of layouts) {
    const d = parseGoTime(s, layout);
    if (d) return d;
  }
  throw new EvalError(`invalid date ${s}`);
}

function round(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

export const BUILTINS: Record<string, Builtin> = {
  len: (a) => {
    arity('len', a, 1);
    const v = a[0];
    if (typeof v === 'string') return [...v].length; // runes, as utf8.RuneCountInString
    if (Array.isArray(v)) return v.length;
    if (isMap(v)) return Object.keys(v).length;
    throw new EvalError(`invalid argument for len (type ${typeName(v)})`);
  },
  int: (a) => (arity('int', a, 1), toInt(a[0])),
  float: (a) => (arity('float', a, 1), toFloat(a[0])),
  string: (a) => (arity('string', a, 1), isNil(a[0]) ? '<nil>' : formatValue(a[0])),
  trim: (a) => (arity('trim', a, 1, 2), trimCutset(str('trim', a[0]), a[1] === undefined ? undefined : str('trim', a[1]))),
  trimPrefix: (a) => {
    arity('trimPrefix', a, 1, 2);
    const s = str('trimPrefix', a[0]);
    const p = a[1] === undefined ? ' ' : str('trimPrefix', a[1]);
    return s.startsWith(p) ? s.slice(p.length) : s;
  },
  trimSuffix: (a) => {
    arity('trimSuffix', a, 1, 2);
    const s = str('trimSuffix', a[0]);
    const p = a[1] === undefined ? ' ' : str('trimSuffix', a[1]);
    return p !== '' && s.endsWith(p) ? s.slice(0, -p.length) : s;
  },
  upper: (a) => (arity('upper', a, 1), str('upper', a[0]).toUpperCase()),
  lower: (a) => (arity('lower', a, 1), str('lower', a[0]).toLowerCase()),
  split: (a) => (arity('split', a, 2, 3), goSplit(str('split', a[0]), str('split', a[1]), a[2] === undefined ? -1 : int('split', a[2]))),
  splitAfter: (a) => (arity('splitAfter', a, 2, 3), goSplit(str('splitAfter', a[0]), str('splitAfter', a[1]), a[2] === undefined ? -1 : int('splitAfter', a[2]), true)),
  join: (a) => {
    arity('join', a, 1, 2);
    return arr('join', a[0]).map((x) => formatValue(x)).join(a[1] === undefined ? '' : str('join', a[1]));
  },
  replace: (a) => (arity('replace', a, 3), str('replace', a[0]).split(str('replace', a[1])).join(str('replace', a[2]))),
  repeat: (a) => {
    arity('repeat', a, 2);
    const n = int('repeat', a[1]);
    if (n < 0) throw new EvalError('strings: negative Repeat count');
    return str('repeat', a[0]).repeat(n);
  },
  indexOf: (a) => (arity('indexOf', a, 2), byteIndex(str('indexOf', a[0]), str('indexOf', a[0]).indexOf(str('indexOf', a[1])))),
  lastIndexOf: (a) => (arity('lastIndexOf', a, 2), byteIndex(str('lastIndexOf', a[0]), str('lastIndexOf', a[0]).lastIndexOf(str('lastIndexOf', a[1])))),
  hasPrefix: (a) => (arity('hasPrefix', a, 2), str('hasPrefix', a[0]).startsWith(str('hasPrefix', a[1]))),
  hasSuffix: (a) => (arity('hasSuffix', a, 2), str('hasSuffix', a[0]).endsWith(str('hasSuffix', a[1]))),
  toJSON: (a) => {
    arity('toJSON', a, 1);
    try {
      return goJSON(a[0], { indent: '  ' });
    } catch (e) {
      throw new EvalError((e as Error).message);
    }
  },
  fromJSON: (a) => (arity('fromJSON', a, 1), parseJSON(str('fromJSON', a[0]))),
  toBase64: (a) => (arity('toBase64', a, 1), Buffer.from(str('toBase64', a[0]), 'utf8').toString('base64')),
  fromBase64: (a) => (arity('fromBase64', a, 1), decodeBase64(str('fromBase64', a[0]))),
  now: (a) => (arity('now', a, 0), currentTime()),
  duration: (a) => {
    arity('duration', a, 1);
    const s = str('duration', a[0]);
    const d = parseDuration(s);
    if (!d) throw new EvalError(`time: invalid duration ${JSON.stringify(s)}`);
    return d;
  },
  date,
  keys: (a) => (arity('keys', a, 1), sortedKeys(map('keys', a[0]))),
  values: (a) => {
    arity('values', a, 1);
    const m = map('values', a[0]);
    return sortedKeys(m).map((k) => m[k]);
  },
  first: (a) => (arity('first', a, 1), isNil(a[0]) ? null : (arr('first', a[0])[0] ?? null)),
  last: (a) => (arity('last', a, 1), isNil(a[0]) ? null : (arr('last', a[0]).at(-1) ?? null)),
  max: (a) => numbersOf('max', a).reduce((m, v) => (numVal(v) > numVal(m) ? v : m)),
  min: (a) => numbersOf('min', a).reduce((m, v) => (numVal(v) < numVal(m) ? v : m)),
  abs: (a) => {
    arity('abs', a, 1);
    const v = a[0];
    if (isInt(v)) return Math.abs(v);
    return mkFloat(Math.abs(num('abs', v)));
  },
  ceil: (a) => (arity('ceil', a, 1), mkFloat(Math.ceil(num('ceil', a[0])))),
  floor: (a) => (arity('floor', a, 1), mkFloat(Math.floor(num('floor', a[0])))),
  round: (a) => (arity('round', a, 1), mkFloat(round(num('round', a[0])))),
  mean: (a) => {
    const ns = numbersOf('mean', a).map(numVal);
    return mkFloat(ns.reduce((s, x) => s + x, 0) / ns.length);
  },
  median: (a) => {
    const ns = numbersOf('median', a).map(numVal).sort((x, y) => x - y);
    const mid = Math.floor(ns.length / 2);
    return mkFloat(ns.length % 2 ? (ns[mid] as number) : ((ns[mid - 1] as number) + (ns[mid] as number)) / 2);
  },
  concat: (a) => a.flatMap((x) => arr('concat', x)),
  flatten: (a) => (arity('flatten', a, 1), flattenDeep(arr('flatten', a[0]))),
  uniq: (a) => {
    arity('uniq', a, 1);
    const out: unknown[] = [];
    for (const x of arr('uniq', a[0])) if (!out.some((y) => equal(x, y))) out.push(x);
    return out;
  },
  get: (a) => {
    arity('get', a, 2);
    const [v, k] = a;
    if (isMap(v)) return typeof k === 'string' || isNum(k) ? (getKey(v, String(isNum(k) ? numVal(k) : k)) ?? null) : null;
    if (Array.isArray(v) && isNum(k)) {
      const i = Math.trunc(numVal(k));
      return v[i < 0 ? v.length + i : i] ?? null;
    }
    return null;
  },
  type: (a) => {
    arity('type', a, 1);
    const v = a[0];
    if (isNil(v)) return 'nil';
    if (typeof v === 'boolean') return 'bool';
    if (isInt(v)) return 'int';
    if (isFloat(v)) return 'float';
    if (typeof v === 'string') return 'string';
    if (Array.isArray(v)) return 'array';
    if (v instanceof Date) return 'time.Time';
    if (v instanceof Duration) return 'time.Duration';
    if (typeof v === 'function') return 'func';
    return 'map';
  },
  toPairs: (a) => {
    arity('toPairs', a, 1);
    const m = map('toPairs', a[0]);
    return sortedKeys(m).map((k) => [k, m[k]]);
  },
  fromPairs: (a) => {
    arity('fromPairs', a, 1);
    const out: ValueMap = {};
    for (const p of arr('fromPairs', a[0])) {
      const pair = arr('fromPairs', p);
      setKey(out, formatValue(pair[0]), pair[1] ?? null);
    }
    return out;
  },
  reverse: (a) => (arity('reverse', a, 1), [...arr('reverse', a[0])].reverse()),
  take: (a) => (arity('take', a, 2), arr('take', a[0]).slice(0, Math.max(0, int('take', a[1])))),
  sort: (a) => {
    arity('sort', a, 1, 2);
    const order = a[1] === undefined ? 'asc' : str('sort', a[1]);
    if (order !== 'asc' && order !== 'desc') throw new EvalError(`unknown order ${order}, use asc or desc`);
    return sortValues([...arr('sort', a[0])], (x) => x, order === 'desc');
  },
};

/** Stable sort by key; keys must all be numbers or all strings, as in expr. */
export function sortValues(list: unknown[], key: (v: unknown) => unknown, desc: boolean): unknown[] {
  const keyed = list.map((v) => ({ v, k: key(v) }));
  keyed.sort((x, y) => {
    const c = compare(x.k, y.k);
    if (c === undefined) throw new EvalError(`cannot compare ${typeName(x.k)} and ${typeName(y.k)}`);
    return desc ? -c : c;
  });
  return keyed.map((e) => e.v);
}

/** Methods of time.Time and time.Duration that expressions call, e.g. `(now() - t).Seconds()`. */
export function callMethod(obj: unknown, name: string, args: unknown[]): unknown {
  if (obj instanceof Duration) {
    const ns = obj.ns;
    switch (name) {
      case 'Hours': return mkFloat(ns / 3600e9);
      case 'Minutes': return mkFloat(ns / 60e9);
      case 'Seconds': return mkFloat(ns / 1e9);
      case 'Milliseconds': return Math.trunc(ns / 1e6);
      case 'Microseconds': return Math.trunc(ns / 1e3);
      case 'Nanoseconds': return ns;
      case 'String': return formatValue(obj);
      case 'Abs': return new Duration(Math.abs(ns));
      case 'Round':
      case 'Truncate': {
        const m = args[0] instanceof Duration ? args[0].ns : 0;
        if (m <= 0) return obj;
        return new Duration((name === 'Round' ? round(ns / m) : Math.trunc(ns / m)) * m);
      }
    }
  }
  if (obj instanceof Date) {
    const t = obj.getTime();
    switch (name) {
      case 'Year': return obj.getUTCFullYear();
      case 'Month': return obj.getUTCMonth() + 1;
      case 'Day': return obj.getUTCDate();
      case 'Hour': return obj.getUTCHours();
      case 'Minute': return obj.getUTCMinutes();
      case 'Second': return obj.getUTCSeconds();
      case 'Nanosecond': return obj.getUTCMilliseconds() * 1e6;
      case 'Weekday': return obj.getUTCDay();
      case 'YearDay': return Math.floor((t - Date.UTC(obj.getUTCFullYear(), 0, 1)) / 86400000) + 1;
      case 'Unix': return Math.floor(t / 1000);
      case 'UnixMilli': return t;
      case 'UnixMicro': return t * 1000;
      case 'UnixNano': return t * 1e6;
      case 'UTC': case 'Local': return obj;
      case 'IsZero': return t === -62135596800000;
      case 'String': return formatValue(obj);
      case 'Format': return formatGo(obj, args);
      case 'Add': if (args[0] instanceof Duration) return new Date(t + args[0].ns / 1e6); break;
      case 'Sub': if (args[0] instanceof Date) return new Duration((t - args[0].getTime()) * 1e6); break;
      case 'Before': if (args[0] instanceof Date) return t < args[0].getTime(); break;
      case 'After': if (args[0] instanceof Date) return t > args[0].getTime(); break;
      case 'Equal': if (args[0] instanceof Date) return t === args[0].getTime(); break;
      case 'AddDate': {
        const d = new Date(t);
        d.setUTCFullYear(d.getUTCFullYear() + int(name, args[0]), d.getUTCMonth() + int(name, args[1]), d.getUTCDate() + int(name, args[2]));
        return d;
      }
      case 'Truncate': if (args[0] instanceof Duration && args[0].ns > 0) {
        const m = args[0].ns / 1e6;
        return new Date(Math.floor(t / m) * m);
      } break;
    }
    if (['Add', 'Sub', 'Before', 'After', 'Equal', 'Truncate'].includes(name)) {
      throw new EvalError(`invalid argument for ${name} (type ${typeName(args[0])})`);
    }
  }
  throw new EvalError(`type ${typeName(obj)} has no method ${name}`);
}

function formatGo(d: Date, args: unknown[]): string {
  return formatGoTime(d, str('Format', args[0]));
}
