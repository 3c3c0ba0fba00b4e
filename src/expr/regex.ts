// Go's regexp is RE2; re2js gives the same syntax and linear-time matching, so a `matches` or `=~`
// written against Argo behaves the same here (no backreferences, no lookahead).

import { RE2JS } from 're2js';
import { EvalError } from './errors.js';

const cache = new Map<string, RE2JS>();

export function compileRegex(pattern: string): RE2JS {
  let re = cache.get(pattern);
  if (!re) {
    try {
      re = RE2JS.compile(pattern);
    } catch (e) {
      throw new EvalError(`error parsing regexp: ${(e as Error).message}`);
    }
    if (cache.size > 500) cache.clear();
    cache.set(pattern, re);
  }
  return re;
}

/** Go's Regexp.FindAllString(s, n): n < 0 means all matches. */
export function findAll(re: RE2JS, s: string, n: number): string[] {
  const out: string[] = [];
  if (n === 0) return out;
  for (const m of re.matchAll(s)) {
    out.push(m[0] ?? '');
    if (n > 0 && out.length >= n) break;
  }
  return out;
}

/** Go's Regexp.Split(s, n): n < 0 all pieces, n == 0 nil, n > 0 at most n pieces. */
export function splitRegex(re: RE2JS, s: string, n: number): string[] {
  if (n === 0) return [];
  if (s === '') return [''];
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of re.matchAll(s)) {
    if (n > 0 && out.length === n - 1) break;
    const start = m.index ?? 0;
    end = start;
    const matchEnd = start + (m[0] ?? '').length;
    if (matchEnd !== 0) out.push(s.slice(beg, end));
    beg = matchEnd;
  }
  if (end !== s.length) out.push(s.slice(beg));
  return out;
}

/** Go's Regexp.ReplaceAllString: `$1`, `${name}` expand; `$$` is a literal dollar. */
export function replaceAll(re: RE2JS, s: string, repl: string, literal = false): string {
  let out = '';
  let last = 0;
  for (const m of re.matchAll(s)) {
    const start = m.index ?? 0;
    const whole = m[0] ?? '';
    out += s.slice(last, start);
    out += literal ? repl : expand(repl, m);
    last = start + whole.length;
  }
  return out + s.slice(last);
}

function expand(template: string, m: RegExpMatchArray): string {
  return template.replace(/\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g, (_all, tok: string, braced?: string, bare?: string) => {
    if (tok === '$') return '$';
    const name = braced ?? bare ?? '';
    if (/^\d+$/.test(name)) return m[Number(name)] ?? '';
    return m.groups?.[name] ?? '';
  });
}
