// Tree-walking evaluator for expr-lang ASTs over the value model of values.ts.

import { staticPath, type Node, type NodeOf } from './ast.js';
import { arity, BUILTINS, callMethod, sortValues } from './builtins.js';
import { EvalError, UnknownNameError } from './errors.js';
import { formatValue } from './format.js';
import { binary, toBool, unary } from './operators.js';
import { PREDICATE_ARGS } from './parser.js';
import {
  Duration, getKey, hasKey, isInt, isMap, isNative, isNil, isNum, mkFloat, numVal, setKey, toPlain, typeName,
  type Fn, type ValueMap,
} from './values.js';

export interface EvalOptions {
  /** Told the full dotted path (e.g. "inputs.parameters.x") whenever a map lookup misses. */
  onMissing?: (path: string) => void;
}

/** The element a closure is looking at: `#`, `#index`, and `#acc` in reduce. */
interface Frame {
  item: unknown;
  index: number;
  acc?: unknown;
}

interface Scope {
  lets?: { name: string; value: unknown; parent: Scope['lets'] };
  frame?: Frame;
}

/** Thrown by `?.` on nil and caught by the enclosing chain node, which then yields nil. */
const CHAIN_NIL = Symbol('chain-nil');

const pathCache = new WeakMap<Node, WeakMap<Node, string>>();

/** For every identifier/member node, the path of the longest static chain it belongs to. */
function fullPaths(root: Node): WeakMap<Node, string> {
  let paths = pathCache.get(root);
  if (paths) return paths;
  const out = new WeakMap<Node, string>();
  const visit = (n: Node, outer: string | undefined): void => {
    const own = staticPath(n);
    const full = own !== undefined ? (outer ?? own) : undefined;
    if (full !== undefined) out.set(n, full);
    switch (n.kind) {
      case 'member': visit(n.object, full); visit(n.property, undefined); break;
      case 'chain': visit(n.node, full); break;
      case 'unary': visit(n.operand, undefined); break;
      case 'binary': visit(n.left, undefined); visit(n.right, undefined); break;
      case 'slice': visit(n.object, undefined); if (n.from) visit(n.from, undefined); if (n.to) visit(n.to, undefined); break;
      case 'call':
        if (n.callee.kind === 'member') visit(n.callee.object, undefined);
        n.args.forEach((a) => visit(a, undefined));
        break;
      case 'closure': visit(n.body, undefined); break;
      case 'conditional': visit(n.cond, undefined); visit(n.then, undefined); visit(n.else, undefined); break;
      case 'array': n.items.forEach((x) => visit(x, undefined)); break;
      case 'map': n.entries.forEach((e) => { visit(e.key, undefined); visit(e.value, undefined); }); break;
      case 'let': visit(n.value, undefined); visit(n.body, undefined); break;
      default: break;
    }
  };
  visit(root, undefined);
  paths = out;
  pathCache.set(root, paths);
  return paths;
}

function at<T>(pos: number, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof EvalError && e.pos < 0) e.pos = pos;
    throw e;
  }
}

export class Evaluator {
  private readonly paths: WeakMap<Node, string>;

  constructor(
    private readonly root: Node,
    private readonly env: ValueMap,
    private readonly opts: EvalOptions = {},
  ) {
    this.paths = fullPaths(root);
  }

  run(): unknown {
    return this.evaluate(this.root, {});
  }

  private evaluate(node: Node, scope: Scope): unknown {
    switch (node.kind) {
      case 'literal': return node.value;
      case 'ident': return this.ident(node, scope);
      case 'pointer': return this.pointer(node, scope);
      case 'member': return this.member(node, scope, false);
      case 'chain':
        try {
          return this.evaluate(node.node, scope);
        } catch (e) {
          if (e === CHAIN_NIL) return null;
          throw e;
        }
      case 'slice': return at(node.pos, () => this.slice(node, scope));
      case 'call': return at(node.pos, () => this.call(node, scope));
      case 'unary': {
        const v = this.evaluate(node.operand, scope);
        return at(node.pos, () => unary(node.op, v));
      }
      case 'binary': return this.binary(node, scope);
      case 'conditional': {
        const c = this.evaluate(node.cond, scope);
        if (typeof c !== 'boolean') throw new EvalError(`non-bool expression (type ${typeName(c)}) used as condition`, node.cond.pos);
        return this.evaluate(c ? node.then : node.else, scope);
      }
      case 'array': return node.items.map((x) => this.evaluate(x, scope));
      case 'map': {
        const out: ValueMap = {};
        for (const { key, value } of node.entries) {
          const k = this.evaluate(key, scope);
          setKey(out, typeof k === 'string' ? k : formatValue(k), this.evaluate(value, scope));
        }
        return out;
      }
      case 'let': {
        const value = this.evaluate(node.value, scope);
        return this.evaluate(node.body, { ...scope, lets: { name: node.name, value, parent: scope.lets } });
      }
      case 'closure':
        throw new EvalError('closure used outside of a builtin', node.pos);
    }
  }

  private ident(node: NodeOf<'ident'>, scope: Scope): unknown {
    for (let l = scope.lets; l; l = l.parent) if (l.name === node.name) return l.value;
    if (hasKey(this.env, node.name)) return this.env[node.name] ?? null;
    const err = new UnknownNameError(node.name, node.pos);
    err.path = this.paths.get(node) ?? node.name;
    throw err;
  }

  private pointer(node: NodeOf<'pointer'>, scope: Scope): unknown {
    const f = scope.frame;
    if (!f) throw new EvalError('cannot use pointer accessor outside predicate', node.pos);
    if (node.name === '') return f.item;
    if (node.name === 'index') return f.index;
    if (node.name === 'acc' && 'acc' in f) return f.acc;
    throw new EvalError(`unknown pointer #${node.name}`, node.pos);
  }

  /** `nilSafe` is set for the left side of `??`, where fetching from a missing parent gives nil. */
  private member(node: NodeOf<'member'>, scope: Scope, nilSafe: boolean): unknown {
    const obj = nilSafe && node.object.kind === 'member' ? this.member(node.object, scope, true) : this.evaluate(node.object, scope);
    const key = this.evaluate(node.property, scope);
    if (isNil(obj)) {
      if (node.optional) throw CHAIN_NIL;
      if (nilSafe) return null;
      throw new EvalError(`cannot fetch ${formatValue(key)} from <nil>`, node.pos);
    }
    return at(node.pos, () => this.fetch(obj, key, node));
  }

  private fetch(obj: unknown, key: unknown, node: Node): unknown {
    if (isMap(obj)) {
      const k = typeof key === 'string' ? key : isNum(key) ? String(numVal(key)) : undefined;
      if (k !== undefined && hasKey(obj, k)) return obj[k] ?? null;
      const path = this.paths.get(node);
      if (path !== undefined) this.opts.onMissing?.(path);
      return null;
    }
    if ((Array.isArray(obj) || typeof obj === 'string') && isNum(key)) {
      const list = typeof obj === 'string' ? [...obj] : obj;
      let i = Math.trunc(numVal(key));
      if (i < 0) i += list.length;
      if (i < 0 || i >= list.length) throw new EvalError(`index out of range: ${Math.trunc(numVal(key))} (array length is ${list.length})`);
      return list[i] ?? null;
    }
    throw new EvalError(`cannot fetch ${formatValue(key)} from ${typeName(obj)}`);
  }

  private slice(node: NodeOf<'slice'>, scope: Scope): unknown {
    const obj = this.evaluate(node.object, scope);
    if (!Array.isArray(obj) && typeof obj !== 'string') throw new EvalError(`cannot slice ${typeName(obj)}`);
    const list = typeof obj === 'string' ? [...obj] : obj;
    const bound = (n: Node | undefined, dflt: number): number => {
      if (!n) return dflt;
      const v = this.evaluate(n, scope);
      if (!isNum(v)) throw new EvalError(`invalid slice index (type ${typeName(v)})`, n.pos);
      return Math.trunc(numVal(v));
    };
    const len = list.length;
    let a = bound(node.from, 0);
    let b = bound(node.to, len);
    if (a < 0) a = Math.max(0, len + a);
    if (b < 0) b = Math.max(0, len + b);
    b = Math.min(b, len);
    a = Math.min(a, b);
    const out = list.slice(a, b);
    return typeof obj === 'string' ? out.join('') : out;
  }

  private binary(node: NodeOf<'binary'>, scope: Scope): unknown {
    const { op } = node;
    if (op === '&&' || op === 'and' || op === '||' || op === 'or') {
      const isAnd = op === '&&' || op === 'and';
      const l = at(node.pos, () => toBool(this.evaluate(node.left, scope), op));
      if (l !== isAnd) return l;
      return at(node.pos, () => toBool(this.evaluate(node.right, scope), op));
    }
    if (op === '??') {
      const l = node.left.kind === 'member' ? this.member(node.left, scope, true) : this.evaluate(node.left, scope);
      return isNil(l) ? this.evaluate(node.right, scope) : l;
    }
    const l = this.evaluate(node.left, scope);
    const r = this.evaluate(node.right, scope);
    return at(node.pos, () => binary(op, l, r));
  }

  private call(node: NodeOf<'call'>, scope: Scope): unknown {
    const callee = node.callee;
    if (callee.kind === 'member') {
      const name = String((callee.property as NodeOf<'literal'>).value);
      const obj = this.evaluate(callee.object, scope);
      if (isNil(obj)) {
        if (callee.optional) throw CHAIN_NIL;
        throw new EvalError(`cannot call ${name} on <nil>`);
      }
      const args = node.args.map((a) => this.evaluate(a, scope));
      if (obj instanceof Date || obj instanceof Duration) return callMethod(obj, name, args);
      const fn = isMap(obj) ? getKey(obj, name) : undefined;
      if (typeof fn !== 'function') throw new EvalError(`${staticPath(callee) ?? name} is not a function`);
      return callFn(fn as Fn, args);
    }
    if (callee.kind !== 'ident') throw new EvalError('invalid call');
    const name = callee.name;
    const shadowed = this.isLet(name, scope);
    if (!shadowed && Object.hasOwn(PREDICATE_ARGS, name)) return this.predicate(name, node.args, scope);
    const args = node.args.map((a) => this.evaluate(a, scope));
    const builtin = !shadowed && Object.hasOwn(BUILTINS, name) ? BUILTINS[name] : undefined;
    if (builtin) return builtin(args);
    const fn = this.ident(callee, scope);
    if (typeof fn !== 'function') throw new EvalError(`${name} is not a function`);
    return callFn(fn as Fn, args);
  }

  private isLet(name: string, scope: Scope): boolean {
    for (let l = scope.lets; l; l = l.parent) if (l.name === name) return true;
    return false;
  }

  private predicate(name: string, argNodes: Node[], scope: Scope): unknown {
    const [listNode, closure, extraNode] = argNodes;
    const optionalPredicate = name === 'count' || name === 'sum';
    arity(name, argNodes, optionalPredicate ? 1 : 2, name === 'sortBy' || name === 'reduce' ? 3 : 2);
    const list = this.evaluate(listNode as Node, scope);
    if (!Array.isArray(list)) throw new EvalError(`cannot iterate over ${typeName(list)}`, (listNode as Node).pos);
    const extra = extraNode ? this.evaluate(extraNode, scope) : undefined;
    const run = (item: unknown, index: number, acc?: { acc: unknown }): unknown => {
      if (!closure) return item;
      const body = closure.kind === 'closure' ? closure.body : closure;
      return this.evaluate(body, { lets: scope.lets, frame: acc ? { item, index, acc: acc.acc } : { item, index } });
    };
    const test = (item: unknown, index: number): boolean => {
      const v = run(item, index);
      if (typeof v !== 'boolean') throw new EvalError(`predicate should return boolean (got ${typeName(v)})`, closure?.pos ?? -1);
      return v;
    };
    switch (name) {
      case 'all': return list.every(test);
      case 'any': return list.some(test);
      case 'none': return !list.some(test);
      case 'one': return list.filter(test).length === 1;
      case 'filter': return list.filter(test);
      case 'map': return list.map((x, i) => run(x, i));
      case 'count': return list.filter(test).length;
      case 'find': return list.find(test) ?? null;
      case 'findIndex': return list.findIndex(test);
      case 'findLast': return list.findLast(test) ?? null;
      case 'findLastIndex': return list.findLastIndex(test);
      case 'sum': {
        let total = 0;
        let allInt = true;
        list.forEach((x, i) => {
          const v = run(x, i);
          if (!isNum(v)) throw new EvalError(`invalid argument for sum (type ${typeName(v)})`);
          allInt &&= isInt(v);
          total += numVal(v);
        });
        return allInt ? total : mkFloat(total);
      }
      case 'groupBy': {
        const out: ValueMap = {};
        list.forEach((x, i) => {
          const k = formatValue(run(x, i));
          const group = getKey(out, k);
          if (Array.isArray(group)) group.push(x);
          else setKey(out, k, [x]);
        });
        return out;
      }
      case 'sortBy': {
        const order = extra ?? 'asc';
        if (order !== 'asc' && order !== 'desc') throw new EvalError(`unknown order ${formatValue(order)}, use asc or desc`);
        const indexed = list.map((x, i) => ({ x, k: run(x, i) }));
        return sortValues(indexed, (e) => (e as { k: unknown }).k, order === 'desc').map((e) => (e as { x: unknown }).x);
      }
      case 'reduce': {
        let start = 0;
        let acc = extra;
        if (argNodes.length < 3) {
          if (list.length === 0) throw new EvalError('reduce of empty array with no initial value');
          acc = list[0];
          start = 1;
        }
        for (let i = start; i < list.length; i++) acc = run(list[i], i, { acc });
        return acc ?? null;
      }
    }
    throw new EvalError(`unknown builtin ${name}`);
  }
}

/** Our own functions speak the internal value model; foreign ones get plain JS values. */
function callFn(fn: Fn, args: unknown[]): unknown {
  try {
    const result = isNative(fn) ? fn(...args) : fn(...args.map(toPlain));
    return result === undefined ? null : result;
  } catch (e) {
    if (e instanceof EvalError) throw e;
    throw new EvalError(e instanceof Error ? e.message : String(e));
  }
}
