// Precedence-climbing parser mirroring expr-lang v1.17's parser/parser.go, including its quirks:
// `??` binds tighter than anything and cannot be mixed with other binary operators unparenthesised,
// `a < b < c` means `a < b && b < c`, and only the predicate positions of builtins are closures.

import type { Node, NodeOf } from './ast.js';
import { EvalError } from './errors.js';
import { tokenize, type Token } from './lexer.js';
import { Float } from './values.js';

interface OpInfo {
  prec: number;
  right?: boolean;
}

const BINARY: Record<string, OpInfo> = {
  '|': { prec: 0 },
  or: { prec: 10 }, '||': { prec: 10 },
  and: { prec: 15 }, '&&': { prec: 15 },
  '==': { prec: 20 }, '!=': { prec: 20 }, '<': { prec: 20 }, '>': { prec: 20 }, '<=': { prec: 20 }, '>=': { prec: 20 },
  in: { prec: 20 }, matches: { prec: 20 }, contains: { prec: 20 }, startsWith: { prec: 20 }, endsWith: { prec: 20 },
  '..': { prec: 25 },
  '+': { prec: 30 }, '-': { prec: 30 },
  '*': { prec: 60 }, '/': { prec: 60 }, '%': { prec: 60 },
  '**': { prec: 100, right: true }, '^': { prec: 100, right: true },
  '??': { prec: 500 },
};

const UNARY: Record<string, number> = { not: 50, '!': 50, '-': 90, '+': 90 };
const COMPARISON = new Set(['<', '>', '<=', '>=']);
const NEGATABLE = new Set(['in', 'matches', 'contains', 'startsWith', 'endsWith']);

/** Builtins whose listed argument positions are closures rather than values. */
export const PREDICATE_ARGS: Record<string, number[]> = {
  all: [1], none: [1], any: [1], one: [1], filter: [1], map: [1], count: [1], sum: [1],
  find: [1], findIndex: [1], findLast: [1], findLastIndex: [1], groupBy: [1], sortBy: [1], reduce: [1],
};

const IDENT_RE = /^[\p{L}_$][\p{L}\p{N}_$]*$/u;

class Parser {
  private tokens: Token[];
  private i = 0;
  /** Closure nesting; `#` and `.field` are only valid inside one. */
  private depth = 0;

  constructor(src: string) {
    this.tokens = tokenize(src);
  }

  private get cur(): Token {
    return this.tokens[this.i] as Token;
  }

  private is(kind: Token['kind'], value?: string): boolean {
    return this.cur.kind === kind && (value === undefined || this.cur.value === value);
  }

  private next(): Token {
    const t = this.cur;
    if (this.i < this.tokens.length - 1) this.i++;
    return t;
  }

  private fail(message: string, t: Token = this.cur): never {
    throw new EvalError(message, t.pos);
  }

  private describe(t: Token): string {
    if (t.kind === 'eof') return 'EOF';
    const kind = { int: 'Number', float: 'Number', string: 'String', ident: 'Identifier', op: 'Operator', bracket: 'Bracket' }[t.kind];
    return `${kind}("${t.value}")`;
  }

  private expect(kind: Token['kind'], value: string): Token {
    if (!this.is(kind, value)) this.fail(`unexpected token ${this.describe(this.cur)}`);
    return this.next();
  }

  parseProgram(): Node {
    const node = this.parseExpression(0);
    if (!this.is('eof')) this.fail(`unexpected token ${this.describe(this.cur)}`);
    return node;
  }

  private parseExpression(prec: number): Node {
    if (prec === 0 && this.is('op', 'let')) return this.parseLet();
    if (prec === 0 && this.is('op', 'if')) return this.parseIf();
    let left = this.parsePrimary();
    let prevOp = '';
    for (;;) {
      let opTok = this.cur;
      if (opTok.kind !== 'op') break;
      let negate = false;
      if (opTok.value === 'not') {
        const save = this.i;
        this.next();
        const info = BINARY[this.cur.value];
        if (!NEGATABLE.has(this.cur.value)) this.fail(`unexpected token ${this.describe(this.cur)}`);
        if (!info || info.prec < prec) {
          this.i = save;
          break;
        }
        negate = true;
        opTok = this.cur;
      }
      const info = BINARY[opTok.value];
      if (!info || info.prec < prec) break;
      this.next();
      if (opTok.value === '|') {
        const name = this.cur;
        if (name.kind !== 'ident') this.fail(`unexpected token ${this.describe(name)}`);
        this.next();
        left = this.parseCall(name, [left]);
      } else {
        if (prevOp === '??' && opTok.value !== '??') {
          this.fail(`Operator (${opTok.value}) and coalesce expressions (??) cannot be mixed. Wrap either by parentheses.`, opTok);
        }
        if (COMPARISON.has(opTok.value)) {
          left = this.parseComparison(left, opTok, info.prec);
        } else {
          const right = this.parseExpression(info.right ? info.prec : info.prec + 1);
          left = { kind: 'binary', op: opTok.value, left, right, pos: opTok.pos };
          if (negate) left = { kind: 'unary', op: 'not', operand: left, pos: opTok.pos };
        }
      }
      prevOp = opTok.value;
    }
    return prec === 0 ? this.parseConditional(left) : left;
  }

  private parseComparison(left: Node, opTok: Token, prec: number): Node {
    let root: Node | undefined;
    for (;;) {
      const right = this.parseExpression(prec + 1);
      const cmp: Node = { kind: 'binary', op: opTok.value, left, right, pos: opTok.pos };
      root = root ? { kind: 'binary', op: '&&', left: root, right: cmp, pos: opTok.pos } : cmp;
      left = right;
      if (!(this.cur.kind === 'op' && COMPARISON.has(this.cur.value))) return root;
      opTok = this.next();
    }
  }

  private parseConditional(node: Node): Node {
    while (this.is('op', '?')) {
      const q = this.next();
      if (this.is('op', ':')) {
        // `a ?: b` (elvis): a when a is not nil, which is what `??` computes.
        this.next();
        node = { kind: 'binary', op: '??', left: node, right: this.parseExpression(0), pos: q.pos };
        continue;
      }
      const then = this.parseExpression(0);
      this.expect('op', ':');
      node = { kind: 'conditional', cond: node, then, else: this.parseExpression(0), pos: q.pos };
    }
    return node;
  }

  private parseLet(): Node {
    const letTok = this.next();
    const name = this.cur;
    if (name.kind !== 'ident') this.fail(`unexpected token ${this.describe(name)}`);
    this.next();
    this.expect('op', '=');
    const value = this.parseExpression(0);
    this.expect('op', ';');
    return { kind: 'let', name: name.value, value, body: this.parseExpression(0), pos: letTok.pos };
  }

  private parseIf(): Node {
    const ifTok = this.next();
    const cond = this.parseExpression(0);
    this.expect('bracket', '{');
    const then = this.parseExpression(0);
    this.expect('bracket', '}');
    this.expect('op', 'else');
    let otherwise: Node;
    if (this.is('op', 'if')) otherwise = this.parseIf();
    else {
      this.expect('bracket', '{');
      otherwise = this.parseExpression(0);
      this.expect('bracket', '}');
    }
    return { kind: 'conditional', cond, then, else: otherwise, pos: ifTok.pos };
  }

  private parsePrimary(): Node {
    const t = this.cur;
    if (t.kind === 'op' && UNARY[t.value] !== undefined) {
      this.next();
      const operand = this.parseExpression(UNARY[t.value] as number);
      return this.parsePostfix({ kind: 'unary', op: t.value, operand, pos: t.pos });
    }
    if (this.is('bracket', '(')) {
      this.next();
      const inner = this.parseExpression(0);
      if (!this.is('bracket', ')')) this.fail('an opened parenthesis is not properly closed');
      this.next();
      return this.parsePostfix(inner);
    }
    if (this.depth > 0 && t.kind === 'op' && (t.value === '#' || t.value === '.')) {
      let name = '';
      if (t.value === '#') {
        this.next();
        if (this.is('ident')) name = this.next().value;
      }
      return this.parsePostfix({ kind: 'pointer', name, pos: t.pos });
    }
    return this.parseSecondary();
  }

  private parseSecondary(): Node {
    const t = this.next();
    let node: Node;
    switch (t.kind) {
      case 'ident':
        if (t.value === 'true' || t.value === 'false') node = { kind: 'literal', value: t.value === 'true', pos: t.pos };
        else if (t.value === 'nil') node = { kind: 'literal', value: null, pos: t.pos };
        else if (this.is('bracket', '(')) node = this.parseCall(t, []);
        else node = { kind: 'ident', name: t.value, pos: t.pos };
        break;
      case 'int':
        node = { kind: 'literal', value: t.literal, pos: t.pos };
        break;
      case 'float':
        node = { kind: 'literal', value: new Float(t.literal as number), pos: t.pos };
        break;
      case 'string':
        node = { kind: 'literal', value: t.literal, pos: t.pos };
        break;
      default:
        if (t.kind === 'bracket' && t.value === '[') node = this.parseArray(t);
        else if (t.kind === 'bracket' && t.value === '{') node = this.parseMap(t);
        else this.fail(`unexpected token ${this.describe(t)}`, t);
    }
    return this.parsePostfix(node);
  }

  /** `name(args)`, with `prefilled` arguments coming from a pipe. */
  private parseCall(name: Token, prefilled: Node[]): Node {
    this.expect('bracket', '(');
    const closures = Object.hasOwn(PREDICATE_ARGS, name.value) ? (PREDICATE_ARGS[name.value] as number[]) : [];
    const args = [...prefilled];
    while (!this.is('bracket', ')')) {
      if (args.length > prefilled.length) {
        this.expect('op', ',');
        if (this.is('bracket', ')')) break;
      }
      args.push(closures.includes(args.length) ? this.parseClosure() : this.parseExpression(0));
    }
    this.expect('bracket', ')');
    return { kind: 'call', callee: { kind: 'ident', name: name.value, pos: name.pos }, args, pos: name.pos };
  }

  private parseArguments(): Node[] {
    this.expect('bracket', '(');
    const args: Node[] = [];
    while (!this.is('bracket', ')')) {
      if (args.length > 0) {
        this.expect('op', ',');
        if (this.is('bracket', ')')) break;
      }
      args.push(this.parseExpression(0));
    }
    this.expect('bracket', ')');
    return args;
  }

  private parseClosure(): Node {
    const start = this.cur;
    const braced = this.is('bracket', '{');
    if (braced) this.next();
    this.depth++;
    const body = this.parseExpression(0);
    this.depth--;
    if (braced) this.expect('bracket', '}');
    return { kind: 'closure', body, pos: start.pos };
  }

  private parseArray(open: Token): Node {
    const items: Node[] = [];
    while (!this.is('bracket', ']')) {
      if (items.length > 0) {
        this.expect('op', ',');
        if (this.is('bracket', ']')) break;
      }
      items.push(this.parseExpression(0));
    }
    this.expect('bracket', ']');
    return { kind: 'array', items, pos: open.pos };
  }

  private parseMap(open: Token): Node {
    const entries: NodeOf<'map'>['entries'] = [];
    while (!this.is('bracket', '}')) {
      if (entries.length > 0) {
        this.expect('op', ',');
        if (this.is('bracket', '}')) break;
      }
      const k = this.cur;
      let key: Node;
      if (k.kind === 'int' || k.kind === 'float' || k.kind === 'string') {
        this.next();
        key = { kind: 'literal', value: k.kind === 'string' ? k.literal : k.value, pos: k.pos };
      } else if (k.kind === 'ident' || (k.kind === 'op' && IDENT_RE.test(k.value))) {
        this.next();
        key = { kind: 'literal', value: k.value, pos: k.pos };
      } else if (this.is('bracket', '(')) {
        this.next();
        key = this.parseExpression(0);
        this.expect('bracket', ')');
      } else {
        this.fail(`a map key must be a quoted string, a number, a identifier, or an expression enclosed in parentheses (unexpected token ${this.describe(k)})`);
      }
      this.expect('op', ':');
      entries.push({ key, value: this.parseExpression(0) });
    }
    this.expect('bracket', '}');
    return { kind: 'map', entries, pos: open.pos };
  }

  private parsePostfix(node: Node): Node {
    let optionalSeen = false;
    for (;;) {
      const t = this.cur;
      if (t.kind === 'op' && (t.value === '.' || t.value === '?.')) {
        const optional = t.value === '?.';
        this.next();
        if (optional && this.is('bracket', '[')) {
          optionalSeen = true;
          node = this.parseIndex(node, true);
          continue;
        }
        const prop = this.next();
        if (prop.kind !== 'ident' && !(prop.kind === 'op' && IDENT_RE.test(prop.value))) this.fail('expected name', prop);
        optionalSeen ||= optional;
        const member: Node = { kind: 'member', object: node, property: { kind: 'literal', value: prop.value, pos: prop.pos }, optional, pos: prop.pos };
        node = this.is('bracket', '(') ? { kind: 'call', callee: member, args: this.parseArguments(), pos: prop.pos } : member;
      } else if (t.kind === 'bracket' && t.value === '[') {
        node = this.parseIndex(node, false);
      } else {
        break;
      }
    }
    return optionalSeen ? { kind: 'chain', node, pos: node.pos } : node;
  }

  private parseIndex(node: Node, optional: boolean): Node {
    const open = this.expect('bracket', '[');
    if (this.is('op', ':')) {
      this.next();
      const to = this.is('bracket', ']') ? undefined : this.parseExpression(0);
      this.expect('bracket', ']');
      return { kind: 'slice', object: node, ...(to && { to }), pos: open.pos };
    }
    const from = this.parseExpression(0);
    if (this.is('op', ':')) {
      this.next();
      const to = this.is('bracket', ']') ? undefined : this.parseExpression(0);
      this.expect('bracket', ']');
      return { kind: 'slice', object: node, from, ...(to && { to }), pos: open.pos };
    }
    this.expect('bracket', ']');
    return { kind: 'member', object: node, property: from, optional, pos: open.pos };
  }
}

const cache = new Map<string, Node>();

/** Parse (memoised: the same `when`/`depends`-style source is evaluated for every node). */
export function parse(src: string): Node {
  let node = cache.get(src);
  if (!node) {
    node = new Parser(src).parseProgram();
    if (cache.size > 2000) cache.clear();
    cache.set(src, node);
  }
  return node;
}
