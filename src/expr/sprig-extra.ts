// Sprig: JSON, encodings, regex, hashes, dates, sequences and random values.

import { createHash, randomInt, randomUUID } from 'node:crypto';
import { parseJSON } from './builtins.js';
import { goJSON } from './format.js';
import { currentTime, durationString, formatGoTime, parseDuration, parseGoTime, RFC3339 } from './gotime.js';
import { compileRegex, findAll, replaceAll, splitRegex } from './regex.js';
import { needInt, needStr, toInt64, type SprigFn } from './sprig-core.js';
import { Duration, isInt } from './values.js';

function json(v: unknown, indent?: string, html = true): string {
  try {
    return goJSON(v, { ...(indent !== undefined && { indent }), html });
  } catch {
    return '';
  }
}

function b64dec(s: string): string {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) {
    const bad = s.search(/[^A-Za-z0-9+/=]/);
    return `illegal base64 data at input byte ${bad < 0 ? Math.floor(s.length / 4) * 4 : bad}`;
  }
  return Buffer.from(s, 'base64').toString('utf8');
}

/** Regex helpers swallow compile errors as sprig's non-must variants do. */
function tryRegex<T>(pattern: unknown, fallback: T, fn: (re: ReturnType<typeof compileRegex>) => T): T {
  try {
    return fn(compileRegex(needStr('regex', pattern)));
  } catch {
    return fallback;
  }
}

const hash = (algo: string) => (s: unknown): string => createHash(algo).update(needStr(`${algo}sum`, s), 'utf8').digest('hex');

/** sprig's date arguments: time.Time, or unix seconds as an int; anything else means "now". */
function toTime(v: unknown): Date {
  if (v instanceof Date) return v;
  if (isInt(v)) return new Date(v * 1000);
  // Sprig would use the current time for a string; Argo passes workflow.creationTimestamp as an
  // RFC 3339 string, and parsing it is what the author meant (and equal in practice).
  if (typeof v === 'string') return parseGoTime(v, RFC3339) ?? currentTime();
  return currentTime();
}

function untilStep(start: number, stop: number, step: number): number[] {
  const v: number[] = [];
  if (stop < start) {
    if (step >= 0) return v;
    for (let i = start; i > stop; i += step) v.push(i);
    return v;
  }
  if (step <= 0) return v;
  for (let i = start; i < stop; i += step) v.push(i);
  return v;
}

function seq(...params: unknown[]): string {
  const p = params.map((x) => needInt('seq', x));
  let r: number[];
  if (p.length === 1) {
    const end = p[0] as number;
    const inc = end < 1 ? -1 : 1;
    r = untilStep(1, end + inc, inc);
  } else if (p.length === 2) {
    const [start, end] = p as [number, number];
    const step = end < start ? -1 : 1;
    r = untilStep(start, end + step, step);
  } else if (p.length === 3) {
    const [start, step, end] = p as [number, number, number];
    let inc = 1;
    if (end < start) {
      inc = -1;
      if (step > 0) return '';
    }
    r = untilStep(start, end + inc, step);
  } else {
    return '';
  }
  return r.join(' ');
}

const ALPHA = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';

function rand(chars: string) {
  return (n: unknown): string => {
    const count = Math.max(0, needInt('rand', n));
    let out = '';
    for (let i = 0; i < count; i++) out += chars[randomInt(chars.length)];
    return out;
  };
}

const ASCII = Array.from({ length: 94 }, (_, i) => String.fromCharCode(33 + i)).join('');

export const sprigExtra: Record<string, SprigFn> = {
  toJson: (v) => json(v),
  mustToJson: (v) => goJSON(v),
  toPrettyJson: (v) => json(v, '  '),
  toRawJson: (v) => json(v, undefined, false),
  fromJson: (s) => {
    try {
      return parseJSON(needStr('fromJson', s));
    } catch {
      return {};
    }
  },
  mustFromJson: (s) => parseJSON(needStr('mustFromJson', s)),

  b64enc: (s) => Buffer.from(needStr('b64enc', s), 'utf8').toString('base64'),
  b64dec: (s) => b64dec(needStr('b64dec', s)),

  regexMatch: (re, s) => tryRegex(re, false, (r) => r.test(needStr('regexMatch', s))),
  regexFindAll: (re, s, n) => tryRegex(re, [] as string[], (r) => findAll(r, needStr('regexFindAll', s), needInt('regexFindAll', n))),
  regexFind: (re, s) => tryRegex(re, '', (r) => findAll(r, needStr('regexFind', s), 1)[0] ?? ''),
  regexReplaceAll: (re, s, repl) => tryRegex(re, '', (r) => replaceAll(r, needStr('regexReplaceAll', s), needStr('regexReplaceAll', repl))),
  regexReplaceAllLiteral: (re, s, repl) => tryRegex(re, '', (r) => replaceAll(r, needStr('regexReplaceAllLiteral', s), needStr('regexReplaceAllLiteral', repl), true)),
  regexSplit: (re, s, n) => tryRegex(re, [] as string[], (r) => splitRegex(r, needStr('regexSplit', s), needInt('regexSplit', n))),
  regexQuoteMeta: (s) => needStr('regexQuoteMeta', s).replace(/[\\.+*?()|[\]{}^$]/g, '\\$&'),

  sha1sum: hash('sha1'),
  sha256sum: hash('sha256'),
  sha512sum: hash('sha512'),
  adler32sum: (s) => {
    let a = 1;
    let b = 0;
    for (const byte of Buffer.from(needStr('adler32sum', s), 'utf8')) {
      a = (a + byte) % 65521;
      b = (b + a) % 65521;
    }
    return String(((b << 16) | a) >>> 0);
  },

  now: () => currentTime(),
  date: (fmt, d) => formatGoTime(toTime(d), needStr('date', fmt)),
  // Zones are ignored: dates render in UTC, the zone an Argo controller normally runs in.
  dateInZone: (fmt, d) => formatGoTime(toTime(d), needStr('dateInZone', fmt)),
  date_in_zone: (fmt, d) => formatGoTime(toTime(d), needStr('date_in_zone', fmt)),
  htmlDate: (d) => formatGoTime(toTime(d), '2006-01-02'),
  htmlDateInZone: (d) => formatGoTime(toTime(d), '2006-01-02'),
  unixEpoch: (d) => String(Math.floor(toTime(d).getTime() / 1000)),
  dateModify: (fmt, d) => {
    const t = toTime(d);
    const dur = parseDuration(needStr('dateModify', fmt));
    return dur ? new Date(t.getTime() + dur.ns / 1e6) : t;
  },
  toDate: (fmt, s) => parseGoTime(needStr('toDate', s), needStr('toDate', fmt)) ?? new Date(-62135596800000),
  duration: (sec) => durationString(new Duration(toInt64(sec) * 1e9)),
  ago: (d) => durationString(new Duration(Math.round((currentTime().getTime() - toTime(d).getTime()) / 1000) * 1e9)),

  seq,
  until: (n) => {
    const count = needInt('until', n);
    return untilStep(0, count, count < 0 ? -1 : 1);
  },
  untilStep: (a, b, c) => untilStep(needInt('untilStep', a), needInt('untilStep', b), needInt('untilStep', c)),

  uuidv4: () => randomUUID(),
  randAlphaNum: rand(ALPHA + DIGITS),
  randAlpha: rand(ALPHA),
  randNumeric: rand(DIGITS),
  randAscii: rand(ASCII),
};
