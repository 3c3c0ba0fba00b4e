// expr-lang's lexer (expr/parser/lexer): numbers, three kinds of string, identifiers, operators.

import { EvalError } from './errors.js';

export type TokenKind = 'int' | 'float' | 'string' | 'ident' | 'op' | 'bracket' | 'eof';

export interface Token {
  kind: TokenKind;
  value: string;
  /** Parsed literal for int/float/string tokens. */
  literal?: number | string;
  pos: number;
}

/** Words that expr treats as operators; they can still be used as property names after `.`. */
const WORD_OPS = new Set(['and', 'or', 'not', 'in', 'matches', 'contains', 'startsWith', 'endsWith', 'let', 'if', 'else']);

const OPS = ['?.', '??', '..', '**', '==', '!=', '<=', '>=', '&&', '||', '!', '<', '>', '+', '-', '*', '/', '%', '^', '|', '?', ':', '.', ',', '=', ';', '#'];

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isIdentStart = (c: string | undefined): boolean => c !== undefined && /[\p{L}_$]/u.test(c);
const isIdentPart = (c: string | undefined): boolean => c !== undefined && /[\p{L}\p{N}_$]/u.test(c);

const SIMPLE_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"' };

/** Go's strconv.Unquote body rules: \n, \xHH, \uHHHH, \UHHHHHHHH, octal \ooo. */
function readQuoted(src: string, start: number): { value: string; end: number } {
  const q = src[start];
  let out = '';
  let i = start + 1;
  while (i < src.length) {
    const c = src[i] as string;
    if (c === q) return { value: out, end: i + 1 };
    if (c === '\n') break;
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const e = src[i + 1] ?? '';
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      out += simple;
      i += 2;
      continue;
    }
    const hexLen = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    if (hexLen > 0) {
      const hex = src.slice(i + 2, i + 2 + hexLen);
      if (!new RegExp(`^[0-9a-fA-F]{${hexLen}}$`).test(hex)) throw new EvalError('invalid char escape', i);
      out += String.fromCodePoint(parseInt(hex, 16));
      i += 2 + hexLen;
      continue;
    }
    const oct = src.slice(i + 1, i + 4);
    if (/^[0-7]{3}$/.test(oct)) {
      out += String.fromCharCode(parseInt(oct, 8));
      i += 4;
      continue;
    }
    throw new EvalError('invalid char escape', i);
  }
  throw new EvalError('literal not terminated', start);
}

function readNumber(src: string, start: number): { token: Token; end: number } {
  let i = start;
  const prefixed = /^0[xXoObB]/.exec(src.slice(i, i + 2));
  if (prefixed) {
    i += 2;
    while (/[0-9a-fA-F_]/.test(src[i] ?? '')) i++;
    const text = src.slice(start, i);
    const n = Number(text.replace(/_/g, '').replace(/^0[oO]/, '0o'));
    if (Number.isNaN(n)) throw new EvalError(`invalid number literal ${text}`, start);
    return { token: { kind: 'int', value: text, literal: n, pos: start }, end: i };
  }
  let float = false;
  while (isDigit(src[i]) || src[i] === '_') i++;
  // "1..3" is a range, not the float "1." followed by ".3".
  if (src[i] === '.' && isDigit(src[i + 1])) {
    float = true;
    i++;
    while (isDigit(src[i]) || src[i] === '_') i++;
  }
  if ((src[i] === 'e' || src[i] === 'E') && (isDigit(src[i + 1]) || (/[+-]/.test(src[i + 1] ?? '') && isDigit(src[i + 2])))) {
    float = true;
    i += 2;
    while (isDigit(src[i])) i++;
  }
  const text = src.slice(start, i);
  const n = Number(text.replace(/_/g, ''));
  if (Number.isNaN(n) || isIdentStart(src[i])) throw new EvalError(`invalid number literal ${text}${src[i] ?? ''}`, start);
  return { token: { kind: float ? 'float' : 'int', value: text, literal: n, pos: start }, end: i };
}

export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) throw new EvalError('unclosed comment', i);
      i = end + 2;
      continue;
    }
    if (isDigit(c)) {
      const { token, end } = readNumber(src, i);
      tokens.push(token);
      i = end;
      continue;
    }
    if (c === '"' || c === "'") {
      const { value, end } = readQuoted(src, i);
      tokens.push({ kind: 'string', value: src.slice(i, end), literal: value, pos: i });
      i = end;
      continue;
    }
    if (c === '`') {
      const end = src.indexOf('`', i + 1);
      if (end < 0) throw new EvalError('literal not terminated', i);
      tokens.push({ kind: 'string', value: src.slice(i, end + 1), literal: src.slice(i + 1, end), pos: i });
      i = end + 1;
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (isIdentPart(src[j])) j++;
      const word = src.slice(i, j);
      tokens.push({ kind: WORD_OPS.has(word) ? 'op' : 'ident', value: word, pos: i });
      i = j;
      continue;
    }
    if ('()[]{}'.includes(c)) {
      tokens.push({ kind: 'bracket', value: c, pos: i });
      i++;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new EvalError(`unrecognized character: U+${c.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')} '${c}'`, i);
    tokens.push({ kind: 'op', value: op, pos: i });
    i += op.length;
  }
  tokens.push({ kind: 'eof', value: '', pos: src.length });
  return tokens;
}
