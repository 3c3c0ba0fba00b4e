// Sprig (Masterminds/sprig v3 GenericFuncMap): strings, lists, dicts, math, defaults, conversion.
// Sprig prefers zero values to errors (a bad atoi is 0), and its argument order puts the subject
// last for piping in Go templates: `replace old new src`, `trimPrefix prefix s`, `has needle list`.

import { goSplit, parseGoFloat, trimCutset } from './builtins.js';
import { EvalError } from './errors.js';
import { formatValue } from './format.js';
import {
  Duration, equal, Float, getKey, hasKey, isEmpty, isInt, isMap, isNil, isNum, mkFloat, numVal, setKey, typeName,
  type ValueMap,
} from './values.js';

export type SprigFn = (...args: unknown[]) => unknown;

/** fmt.Sprintf("%v") as sprig's strval uses it; nil prints as "<nil>". */
export function strval(v: unknown): string {
  return isNil(v) ? '<nil>' : formatValue(v);
}

export function needStr(fn: string, v: unknown): string {
  if (typeof v !== 'string') throw new EvalError(`sprig.${fn}: cannot use ${typeName(v)} as type string`);
  return v;
}

export function needInt(fn: string, v: unknown): number {
  if (!isNum(v)) throw new EvalError(`sprig.${fn}: cannot use ${typeName(v)} as type int`);
  return Math.trunc(numVal(v));
}

function needArgs(fn: string, args: unknown[], n: number): void {
  if (args.length < n) throw new EvalError(`sprig.${fn}: not enough arguments (want ${n}, got ${args.length})`);
}

/** spf13/cast.ToInt64: strings parse with base prefixes and "3.0" trimmed; failures are 0. */
export function toInt64(v: unknown): number {
  if (isNum(v)) return Math.trunc(numVal(v));
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Duration) return v.ns;
  if (typeof v === 'string') {
    const s = v.replace(/\.0*$/, '');
    if (/^[+-]?(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO]?[0-7]+|[1-9]\d*|0)$/.test(s)) {
      const neg = s.startsWith('-');
      const body = s.replace(/^[+-]/, '');
      const n = /^0[0-7]+$/.test(body) ? parseInt(body, 8) : Number(body.replace(/^0[oO]/, '0o'));
      return neg ? -n : n;
    }
  }
  return 0;
}

export function toFloat64(v: unknown): number {
  if (isNum(v)) return numVal(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') return parseGoFloat(v) ?? 0;
  return 0;
}

/** sprig's strslice: lists become strings element-wise, nil elements dropped. */
function strslice(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x) => !isNil(x)).map(strval);
  if (isNil(v)) return [];
  return [strval(v)];
}

function list(fn: string, v: unknown): unknown[] {
  if (!Array.isArray(v)) throw new EvalError(`sprig.${fn}: cannot find ${fn} on type ${typeName(v)}`);
  return v;
}

function dict(fn: string, v: unknown): ValueMap {
  if (!isMap(v)) throw new EvalError(`sprig.${fn}: cannot use ${typeName(v)} as type map[string]interface {}`);
  return v;
}

function goTitle(s: string): string {
  return s.replace(/(^|[^\p{L}\p{N}_'])(\p{L})/gu, (_m, sep: string, c: string) => sep + c.toUpperCase());
}

function substr(start: number, end: number, s: string): string {
  if (start < 0) return s.slice(0, end);
  if (end < 0 || end > s.length) return s.slice(start);
  return s.slice(start, end);
}

function abbrev(width: number, s: string): string {
  if (width < 4) return '';
  return s.length <= width ? s : `${s.slice(0, width - 3)}...`;
}

function splitMap(parts: string[]): ValueMap {
  const out: ValueMap = {};
  parts.forEach((p, i) => setKey(out, `_${i}`, p));
  return out;
}

function roundTo(a: unknown, places: unknown, roundOn: unknown = 0.5): Float | number {
  const pow = 10 ** toFloat64(places);
  const digit = pow * toFloat64(a);
  const frac = digit - Math.trunc(digit);
  return mkFloat((frac >= toFloat64(roundOn) ? Math.ceil(digit) : Math.floor(digit)) / pow);
}

function intDiv(fn: string, a: number, b: number, mod: boolean): number {
  if (b === 0) throw new EvalError(`sprig.${fn}: integer divide by zero`);
  const r = mod ? a % b : Math.trunc(a / b);
  return r === 0 ? 0 : r;
}

export const sprigCore: Record<string, SprigFn> = {
  // strings
  trim: (s) => trimCutset(needStr('trim', s)),
  trimAll: (cut, s) => trimCutset(needStr('trimAll', s), needStr('trimAll', cut)),
  trimPrefix: (p, s) => { const str = needStr('trimPrefix', s); const pre = needStr('trimPrefix', p); return str.startsWith(pre) ? str.slice(pre.length) : str; },
  trimSuffix: (p, s) => { const str = needStr('trimSuffix', s); const suf = needStr('trimSuffix', p); return suf && str.endsWith(suf) ? str.slice(0, -suf.length) : str; },
  upper: (s) => needStr('upper', s).toUpperCase(),
  lower: (s) => needStr('lower', s).toLowerCase(),
  title: (s) => goTitle(needStr('title', s)),
  untitle: (s) => needStr('untitle', s).replace(/(^|\s)(\p{L})/gu, (_m, sep: string, c: string) => sep + c.toLowerCase()),
  replace: (o, n, s) => needStr('replace', s).split(needStr('replace', o)).join(needStr('replace', n)),
  contains: (sub, s) => needStr('contains', s).includes(needStr('contains', sub)),
  hasPrefix: (p, s) => needStr('hasPrefix', s).startsWith(needStr('hasPrefix', p)),
  hasSuffix: (p, s) => needStr('hasSuffix', s).endsWith(needStr('hasSuffix', p)),
  repeat: (n, s) => needStr('repeat', s).repeat(Math.max(0, needInt('repeat', n))),
  substr: (a, b, s) => substr(needInt('substr', a), needInt('substr', b), needStr('substr', s)),
  trunc: (n, s) => {
    const c = needInt('trunc', n);
    const str = needStr('trunc', s);
    if (c < 0 && str.length + c > 0) return str.slice(str.length + c);
    return c >= 0 && str.length > c ? str.slice(0, c) : str;
  },
  nospace: (s) => needStr('nospace', s).replace(/\s+/gu, ''),
  abbrev: (w, s) => abbrev(needInt('abbrev', w), needStr('abbrev', s)),
  initials: (s) => needStr('initials', s).split(/\s+/).filter(Boolean).map((w) => [...w][0]).join(''),
  plural: (one, many, n) => (needInt('plural', n) === 1 ? needStr('plural', one) : needStr('plural', many)),
  quote: (...xs) => xs.filter((x) => !isNil(x)).map((x) => JSON.stringify(strval(x))).join(' '),
  squote: (...xs) => xs.filter((x) => !isNil(x)).map((x) => `'${strval(x)}'`).join(' '),
  cat: (...xs) => xs.filter((x) => !isNil(x)).map(strval).join(' '),
  indent: (n, s) => { const pad = ' '.repeat(Math.max(0, needInt('indent', n))); return pad + needStr('indent', s).split('\n').join(`\n${pad}`); },
  nindent: (n, s) => { const pad = ' '.repeat(Math.max(0, needInt('nindent', n))); return `\n${pad}${needStr('nindent', s).split('\n').join(`\n${pad}`)}`; },
  split: (sep, s) => splitMap(goSplit(needStr('split', s), needStr('split', sep))),
  splitn: (sep, n, s) => splitMap(goSplit(needStr('splitn', s), needStr('splitn', sep), needInt('splitn', n))),
  splitList: (sep, s) => goSplit(needStr('splitList', s), needStr('splitList', sep)),
  join: (sep, v) => strslice(v).join(needStr('join', sep)),
  sortAlpha: (v) => strslice(v).sort(),
  toString: (v: unknown) => strval(v),
  toStrings: (v) => strslice(v),

  // lists
  list: (...xs) => xs,
  first: (l) => list('first', l)[0] ?? null,
  last: (l) => list('last', l).at(-1) ?? null,
  rest: (l) => list('rest', l).slice(1),
  initial: (l) => list('initial', l).slice(0, -1),
  uniq: (l) => list('uniq', l).reduce<unknown[]>((out, x) => (out.some((y) => equal(x, y)) ? out : [...out, x]), []),
  has: (needle, l) => !isNil(l) && list('has', l).some((x) => equal(x, needle)),
  without: (l, ...omit) => list('without', l).filter((x) => !omit.some((o) => equal(o, x))),
  compact: (l) => list('compact', l).filter((x) => !isEmpty(x)),
  append: (l, v) => [...list('append', l), v],
  push: (l, v) => [...list('push', l), v],
  prepend: (l, v) => [v, ...list('prepend', l)],
  reverse: (l) => [...list('reverse', l)].reverse(),
  concat: (...ls) => ls.flatMap((l) => list('concat', l)),
  slice: (l, ...ix) => {
    const xs = list('slice', l);
    const a = ix[0] === undefined ? 0 : toInt64(ix[0]);
    const b = ix[1] === undefined ? xs.length : toInt64(ix[1]);
    return xs.slice(a, b);
  },

  // dicts
  dict: (...kv) => {
    const out: ValueMap = {};
    for (let i = 0; i < kv.length; i += 2) setKey(out, strval(kv[i]), i + 1 < kv.length ? kv[i + 1] : '');
    return out;
  },
  get: (d, k) => { const m = dict('get', d); const key = needStr('get', k); return hasKey(m, key) ? m[key] : ''; },
  set: (d, k, v) => { const m = dict('set', d); setKey(m, needStr('set', k), v); return m; },
  unset: (d, k) => { const m = dict('unset', d); delete m[needStr('unset', k)]; return m; },
  hasKey: (d, k) => hasKey(dict('hasKey', d), needStr('hasKey', k)),
  keys: (...ds) => ds.flatMap((d) => Object.keys(dict('keys', d))),
  values: (d) => Object.values(dict('values', d)),
  pick: (d, ...ks) => {
    const m = dict('pick', d);
    const out: ValueMap = {};
    for (const k of ks.map(strval)) if (hasKey(m, k)) setKey(out, k, m[k]);
    return out;
  },
  omit: (d, ...ks) => {
    const m = dict('omit', d);
    const drop = new Set(ks.map(strval));
    const out: ValueMap = {};
    for (const k of Object.keys(m)) if (!drop.has(k)) setKey(out, k, m[k]);
    return out;
  },
  merge: (dst, ...srcs) => {
    const m = dict('merge', dst);
    for (const s of srcs) for (const [k, v] of Object.entries(dict('merge', s))) if (!hasKey(m, k)) setKey(m, k, v);
    return m;
  },
  pluck: (k, ...ds) => ds.map((d) => getKey(dict('pluck', d), needStr('pluck', k))).filter((v: unknown) => v !== undefined),
  dig: (...args) => {
    needArgs('dig', args, 3);
    let cur: unknown = args.at(-1);
    const dflt = args.at(-2);
    for (const k of args.slice(0, -2)) {
      if (!isMap(cur) || !hasKey(cur, needStr('dig', k))) return dflt;
      cur = cur[k as string];
    }
    return cur;
  },

  // math (int64 unless the name ends in f)
  add: (...xs) => xs.reduce<number>((s, x) => s + toInt64(x), 0),
  add1: (x) => toInt64(x) + 1,
  sub: (a, b) => toInt64(a) - toInt64(b),
  mul: (...xs) => xs.reduce<number>((s, x) => s * toInt64(x), 1),
  div: (a, b) => intDiv('div', toInt64(a), toInt64(b), false),
  mod: (a, b) => intDiv('mod', toInt64(a), toInt64(b), true),
  max: (a, ...xs) => xs.reduce<number>((m, x) => Math.max(m, toInt64(x)), toInt64(a)),
  biggest: (a, ...xs) => xs.reduce<number>((m, x) => Math.max(m, toInt64(x)), toInt64(a)),
  min: (a, ...xs) => xs.reduce<number>((m, x) => Math.min(m, toInt64(x)), toInt64(a)),
  addf: (...xs) => mkFloat(xs.reduce<number>((s, x) => s + toFloat64(x), 0)),
  add1f: (x) => mkFloat(toFloat64(x) + 1),
  subf: (a, ...xs) => mkFloat(xs.reduce<number>((s, x) => s - toFloat64(x), toFloat64(a))),
  mulf: (a, ...xs) => mkFloat(xs.reduce<number>((s, x) => s * toFloat64(x), toFloat64(a))),
  divf: (a, ...xs) => mkFloat(xs.reduce<number>((s, x) => s / toFloat64(x), toFloat64(a))),
  maxf: (a, ...xs) => mkFloat(xs.reduce<number>((m, x) => Math.max(m, toFloat64(x)), toFloat64(a))),
  minf: (a, ...xs) => mkFloat(xs.reduce<number>((m, x) => Math.min(m, toFloat64(x)), toFloat64(a))),
  floor: (x) => mkFloat(Math.floor(toFloat64(x))),
  ceil: (x) => mkFloat(Math.ceil(toFloat64(x))),
  round: (a, p, r) => roundTo(a, p, r ?? 0.5),

  // conversion
  int: (v) => toInt64(v),
  int64: (v) => toInt64(v),
  float64: (v) => mkFloat(toFloat64(v)),
  atoi: (s) => { const str = needStr('atoi', s); return /^[+-]?\d+$/.test(str) ? Number(str) : 0; },
  toDecimal: (v) => { const s = strval(v); return /^[0-7]+$/.test(s) ? parseInt(s, 8) : 0; },
  typeOf: (v) => (isInt(v) ? 'int' : typeName(v)),
  kindOf: (v) => kindOf(v),
  kindIs: (k, v) => kindOf(v) === needStr('kindIs', k),
  typeIs: (t, v) => (isInt(v) ? 'int' : typeName(v)) === needStr('typeIs', t),
  deepEqual: (a, b) => equal(a, b),

  // defaults and flow
  default: (d, ...given) => (given.length === 0 || isEmpty(given[0]) ? d : given[0]),
  empty: (v) => isEmpty(v),
  coalesce: (...xs) => xs.find((x) => !isEmpty(x)) ?? null,
  all: (...xs) => xs.every((x) => !isEmpty(x)),
  any: (...xs) => xs.some((x) => !isEmpty(x)),
  ternary: (t, f, cond) => (cond === true ? t : f),
  fail: (msg) => { throw new EvalError(strval(msg)); },
};

function kindOf(v: unknown): string {
  if (isNil(v)) return 'invalid';
  if (typeof v === 'boolean') return 'bool';
  if (isInt(v)) return 'int';
  if (isNum(v)) return 'float64';
  if (typeof v === 'string') return 'string';
  if (Array.isArray(v)) return 'slice';
  if (v instanceof Date) return 'struct';
  if (v instanceof Duration) return 'int64';
  if (typeof v === 'function') return 'func';
  return 'map';
}
