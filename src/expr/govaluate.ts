// Argo's `when` (workflow/controller/steps.go shouldExecute): the already-substituted string is
// parsed by Knetic/govaluate and every variable token is turned into a string literal, so
// `heads == heads` compares two strings. Types are float64, bool, string and arrays `(a, b)`.
//
// Deliberately more lenient than govaluate where it only ever produced errors: a bare word may
// contain '-', '/' and '.' (`foo-bar`, `v1.2`), and `x in (a)` accepts a one-element list.

import { ExprError } from './errors.js';
import { goFloat } from './format.js';
import { parseGoTime } from './gotime.js';
import { compileRegex } from './regex.js';

type GValue = number | string | boolean | null | GValue[];

interface GToken {
  kind: 'value' | 'op' | '(' | ')' | ',';
  value: GValue;
  op?: string;
}

type GNode =
  | { kind: 'value'; value: GValue }
  | { kind: 'prefix'; op: string; operand: GNode }
  | { kind: 'binary'; op: string; left: GNode; right: GNode }
  | { kind: 'list'; items: GNode[] };

class WhenError extends Error {}

const OPERATORS = ['==', '!=', '>=', '<=', '=~', '!~', '&&', '||', '??', '**', '<<', '>>', '>', '<', '!', '~', '+', '-', '*', '/', '%', '&', '|', '^', '?', ':'];
const OPERATOR_CHARS = new Set('=!<>&|~+-*/%^?:');
/** Characters that end a bare word; '-' and '/' are deliberately absent so `foo-bar` is one word. */
const WORD_END = new Set('()[],\'"=!<>&|~+*%^?:{}');

/** govaluate's tryParseTime: a quoted string in one of these layouts becomes unix seconds. */
const TIME_LAYOUTS = [
  'Mon Jan _2 15:04:05 2006', 'Mon Jan _2 15:04:05 MST 2006', 'Mon Jan 02 15:04:05 -0700 2006', '3:04PM',
  '2006-01-02T15:04:05Z07:00', '2006-01-02', '2006-01-02 15:04', '2006-01-02 15:04:05', '2006-01-02 15:04:05-07:00',
  '2006-01-02T15Z0700', '2006-01-02T15:04Z0700', '2006-01-02T15:04:05Z0700',
];

function fmt(v: GValue): string {
  if (v === null) return '<nil>';
  if (typeof v === 'number') return goFloat(v);
  if (Array.isArray(v)) return `[${v.map(fmt).join(' ')}]`;
  return String(v);
}

function tokenize(src: string): GToken[] {
  const out: GToken[] = [];
  let i = 0;
  const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/.test(c);
  const isWordChar = (c: string | undefined): boolean => c !== undefined && !isSpace(c) && !WORD_END.has(c);
  while (i < src.length) {
    const c = src[i] as string;
    if (isSpace(c)) { i++; continue; }
    if (c === '(' || c === ')' || c === ',') { out.push({ kind: c, value: c }); i++; continue; }
    if (c === "'" || c === '"') {
      let s = '';
      let j = i + 1;
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) j++;
        s += src[j];
        j++;
      }
      if (j >= src.length) throw new WhenError('Unclosed string literal');
      i = j + 1;
      const t = TIME_LAYOUTS.map((l) => parseGoTime(s, l)).find((d) => d !== undefined);
      out.push({ kind: 'value', value: t ? Math.floor(t.getTime() / 1000) : s });
      continue;
    }
    if (c === '[') {
      const end = src.indexOf(']', i);
      if (end < 0) throw new WhenError('Unclosed parameter bracket');
      out.push({ kind: 'value', value: src.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    if (/[0-9.]/.test(c) && !(c === '.' && !/[0-9]/.test(src[i + 1] ?? ''))) {
      let j = i;
      while (/[0-9.]/.test(src[j] ?? '')) j++;
      if (!isWordChar(src[j]) || src[j] === '-' || src[j] === '/') {
        const text = src.slice(i, j);
        if (!/^(\d+\.?\d*|\.\d+)$/.test(text)) throw new WhenError(`Unable to parse numeric value '${text}' to float64`);
        out.push({ kind: 'value', value: Number(text) });
        i = j;
        continue;
      }
    }
    if (OPERATOR_CHARS.has(c)) {
      const op = OPERATORS.find((o) => src.startsWith(o, i));
      if (!op) throw new WhenError(`Invalid token: '${c}'`);
      out.push({ kind: 'op', value: op, op });
      i += op.length;
      continue;
    }
    if (!isWordChar(c)) throw new WhenError(`Invalid token: '${src.slice(i).split(/\s/)[0]}'`);
    let j = i;
    while (isWordChar(src[j])) j++;
    const word = src.slice(i, j);
    i = j;
    if (word === 'true' || word === 'false') out.push({ kind: 'value', value: word === 'true' });
    else if (word === 'in' || word === 'IN') out.push({ kind: 'op', value: 'in', op: 'in' });
    else out.push({ kind: 'value', value: word });
  }
  return out;
}

/** Lowest to highest, as govaluate's planner chains them; each level is left-associative. */
const LEVELS: string[][] = [
  ['?', ':', '??'],
  ['||'],
  ['&&'],
  ['==', '!=', '>', '>=', '<', '<=', '=~', '!~', 'in'],
  ['&', '|', '^'],
  ['<<', '>>'],
  ['+', '-'],
  ['*', '/', '%'],
  ['**'],
];

class Parser {
  private i = 0;
  constructor(private readonly tokens: GToken[]) {}

  parse(): GNode {
    if (this.tokens.length === 0) throw new WhenError('empty expression');
    const node = this.list();
    if (this.i < this.tokens.length) throw new WhenError(`Unexpected token '${fmt(this.tokens[this.i]?.value ?? null)}'`);
    return node;
  }

  private peek(): GToken | undefined {
    return this.tokens[this.i];
  }

  /** The separator level: `a, b` builds an array, which only `in` can use. */
  private list(): GNode {
    const first = this.level(0);
    if (this.peek()?.kind !== ',') return first;
    const items = [first];
    while (this.peek()?.kind === ',') {
      this.i++;
      items.push(this.level(0));
    }
    return { kind: 'list', items };
  }

  private level(n: number): GNode {
    if (n >= LEVELS.length) return this.prefix();
    let left = this.level(n + 1);
    for (;;) {
      const t = this.peek();
      if (t?.kind !== 'op' || !LEVELS[n]?.includes(t.op as string)) return left;
      this.i++;
      left = { kind: 'binary', op: t.op as string, left, right: this.level(n + 1) };
    }
  }

  private prefix(): GNode {
    const t = this.peek();
    if (t?.kind === 'op' && (t.op === '-' || t.op === '!' || t.op === '~')) {
      this.i++;
      return { kind: 'prefix', op: t.op, operand: this.prefix() };
    }
    return this.value();
  }

  private value(): GNode {
    const t = this.peek();
    if (!t) throw new WhenError('Unexpected end of expression');
    this.i++;
    if (t.kind === 'value') return { kind: 'value', value: t.value };
    if (t.kind === '(') {
      const inner = this.list();
      if (this.peek()?.kind !== ')') throw new WhenError('Unbalanced parenthesis');
      this.i++;
      return inner;
    }
    throw new WhenError(`Unexpected token '${fmt(t.value)}'`);
  }
}

function num(v: GValue, op: string, what = 'modifier'): number {
  if (typeof v !== 'number') throw new WhenError(`Value '${fmt(v)}' cannot be used with the ${what} '${op}', it is not a number`);
  return v;
}

function bool(v: GValue, op: string, what = 'logical operator'): boolean {
  if (typeof v !== 'boolean') throw new WhenError(`Value '${fmt(v)}' cannot be used with the ${what} '${op}', it is not a bool`);
  return v;
}

function str(v: GValue, op: string): string {
  if (typeof v !== 'string') throw new WhenError(`Value '${fmt(v)}' cannot be used with the comparator '${op}', it is not a string`);
  return v;
}

function deepEqual(a: GValue, b: GValue): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i] ?? null));
  return a === b;
}

function evaluate(node: GNode): GValue {
  switch (node.kind) {
    case 'value': return node.value;
    case 'list': return node.items.map(evaluate);
    case 'prefix': {
      const v = evaluate(node.operand);
      if (node.op === '!') return !bool(v, '!', 'prefix');
      if (node.op === '-') return -num(v, '-', 'prefix');
      return ~num(v, '~', 'prefix');
    }
    case 'binary': break;
  }
  const { op } = node;
  const left = evaluate(node.left);
  if (op === '&&' && !bool(left, op)) return false;
  if (op === '||' && bool(left, op)) return true;
  if (op === '?') return bool(left, op, 'ternary operator') ? evaluate(node.right) : null;
  if ((op === ':' || op === '??') && left !== null) return left;
  const right = evaluate(node.right);
  switch (op) {
    case '&&': case '||': return bool(right, op);
    case ':': case '??': return right;
    case '==': return deepEqual(left, right);
    case '!=': return !deepEqual(left, right);
    case '>': case '>=': case '<': case '<=': {
      if (!((typeof left === 'number' && typeof right === 'number') || (typeof left === 'string' && typeof right === 'string'))) {
        num(typeof left === 'number' ? right : left, op, 'comparator');
      }
      const l = left as number | string;
      const r = right as number | string;
      return op === '>' ? l > r : op === '>=' ? l >= r : op === '<' ? l < r : l <= r;
    }
    case '=~': case '!~': {
      const s = str(left, op);
      let re;
      try {
        re = compileRegex(str(right, op));
      } catch (e) {
        throw new WhenError((e as Error).message);
      }
      return re.test(s) === (op === '=~');
    }
    case 'in': {
      const list = Array.isArray(right) ? right : [right];
      return list.some((x) => deepEqual(left, x));
    }
    case '+':
      if (typeof left === 'string' || typeof right === 'string') {
        if (Array.isArray(left) || Array.isArray(right)) break;
        return fmt(left) + fmt(right);
      }
      return num(left, op) + num(right, op);
    case '-': return num(left, op) - num(right, op);
    case '*': return num(left, op) * num(right, op);
    case '/': return num(left, op) / num(right, op);
    case '%': return num(left, op) % num(right, op);
    case '**': return num(left, op) ** num(right, op);
    case '&': return Number(BigInt.asIntN(64, BigInt(Math.trunc(num(left, op)))) & BigInt.asIntN(64, BigInt(Math.trunc(num(right, op)))));
    case '|': return Number(BigInt.asIntN(64, BigInt(Math.trunc(num(left, op)))) | BigInt.asIntN(64, BigInt(Math.trunc(num(right, op)))));
    case '^': return Number(BigInt.asIntN(64, BigInt(Math.trunc(num(left, op)))) ^ BigInt.asIntN(64, BigInt(Math.trunc(num(right, op)))));
    case '<<': return Number(BigInt.asIntN(64, BigInt(Math.trunc(num(left, op))) << BigInt(Math.trunc(num(right, op)))));
    case '>>': return Number(BigInt.asIntN(64, BigInt(Math.trunc(num(left, op))) >> BigInt(Math.trunc(num(right, op)))));
  }
  throw new WhenError(`Value '${fmt(left)}' cannot be used with the modifier '${op}'`);
}

/** Evaluate a substituted `when` condition. Blank means "no condition" and is true. */
export function evaluateWhen(source: string): boolean {
  if (source.trim() === '') return true;
  const fail = (reason: string): never => {
    throw new ExprError(`Invalid 'when' expression '${source}': ${reason} (hint: try wrapping the affected expression in quotes ("))`, source);
  };
  let result: GValue;
  try {
    result = evaluate(new Parser(tokenize(source)).parse());
  } catch (e) {
    if (e instanceof WhenError) return fail(e.message);
    throw e;
  }
  if (typeof result !== 'boolean') return fail(`expected boolean evaluation, got ${fmt(result)}`);
  return result;
}
