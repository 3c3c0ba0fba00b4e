// Binary and unary operator semantics of expr-lang's runtime (expr/vm/runtime).

import { EvalError } from './errors.js';
import { compileRegex } from './regex.js';
import {
  compare, Duration, equal, Float, hasKey, isFloat, isInt, isMap, isNil, isNum, mkFloat, numVal, typeName,
} from './values.js';

function mismatch(op: string, a: unknown, b: unknown): EvalError {
  return new EvalError(`invalid operation: ${op} (mismatched types ${typeName(a)} and ${typeName(b)})`);
}

function arith(op: string, a: number, b: number): number {
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    default: return a * b;
  }
}

function plusMinusTime(op: string, a: unknown, b: unknown): unknown {
  if (a instanceof Date && b instanceof Duration) {
    return new Date(a.getTime() + (op === '+' ? 1 : -1) * b.ns / 1e6);
  }
  if (op === '+' && a instanceof Duration && b instanceof Date) return new Date(b.getTime() + a.ns / 1e6);
  if (op === '-' && a instanceof Date && b instanceof Date) return new Duration((a.getTime() - b.getTime()) * 1e6);
  if (a instanceof Duration && b instanceof Duration) return new Duration(op === '+' ? a.ns + b.ns : a.ns - b.ns);
  return undefined;
}

export function binary(op: string, a: unknown, b: unknown): unknown {
  switch (op) {
    case '+':
    case '-':
    case '*': {
      if (isNum(a) && isNum(b)) {
        const r = arith(op, numVal(a), numVal(b));
        return isInt(a) && isInt(b) ? r : mkFloat(r);
      }
      if (op === '+' && typeof a === 'string' && typeof b === 'string') return a + b;
      if (op === '*' && a instanceof Duration && isNum(b)) return new Duration(a.ns * numVal(b));
      if (op === '*' && isNum(a) && b instanceof Duration) return new Duration(b.ns * numVal(a));
      const t = op === '*' ? undefined : plusMinusTime(op, a, b);
      if (t !== undefined) return t;
      throw mismatch(op, a, b);
    }
    case '/':
      if (isNum(a) && isNum(b)) return mkFloat(numVal(a) / numVal(b));
      throw mismatch(op, a, b);
    case '%':
      if (isInt(a) && isInt(b)) {
        if (b === 0) throw new EvalError('integer divide by zero');
        const r = a % b;
        return r === 0 ? 0 : r;
      }
      throw mismatch(op, a, b);
    case '**':
    case '^':
      if (isNum(a) && isNum(b)) return mkFloat(numVal(a) ** numVal(b));
      throw mismatch(op, a, b);
    case '==':
      return equal(a, b);
    case '!=':
      return !equal(a, b);
    case '<':
    case '>':
    case '<=':
    case '>=': {
      const c = compare(a, b);
      if (c === undefined) {
        if ((isNum(a) && isNum(b)) || (isFloat(a) && isFloat(b))) return false; // NaN
        throw mismatch(op, a, b);
      }
      return op === '<' ? c < 0 : op === '>' ? c > 0 : op === '<=' ? c <= 0 : c >= 0;
    }
    case 'in':
      return inOp(a, b);
    case 'contains':
    case 'startsWith':
    case 'endsWith':
    case 'matches': {
      if (typeof a !== 'string' || typeof b !== 'string') throw mismatch(op, a, b);
      if (op === 'contains') return a.includes(b);
      if (op === 'startsWith') return a.startsWith(b);
      if (op === 'endsWith') return a.endsWith(b);
      return compileRegex(b).test(a);
    }
    case '..': {
      if (!isInt(a) || !isInt(b)) throw mismatch(op, a, b);
      const out: number[] = [];
      for (let i = a; i <= b; i++) out.push(i);
      return out;
    }
    default:
      throw new EvalError(`unknown operator ${op}`);
  }
}

function inOp(a: unknown, b: unknown): boolean {
  if (Array.isArray(b)) return b.some((x) => equal(a, x));
  if (isMap(b)) {
    if (typeof a === 'string') return hasKey(b, a);
    if (isNum(a)) return hasKey(b, String(numVal(a)));
    return false;
  }
  if (isNil(b)) return false;
  throw new EvalError(`invalid operation: in (mismatched types ${typeName(a)} and ${typeName(b)})`);
}

export function unary(op: string, v: unknown): unknown {
  switch (op) {
    case '!':
    case 'not':
      if (typeof v !== 'boolean') throw new EvalError(`invalid operation: ${op} ${typeName(v)}`);
      return !v;
    case '-':
      if (v instanceof Float) return new Float(-v.value);
      if (typeof v === 'number') return v === 0 ? 0 : -v;
      if (v instanceof Duration) return new Duration(-v.ns);
      throw new EvalError(`invalid operation: - ${typeName(v)}`);
    case '+':
      if (isNum(v) || v instanceof Duration) return v;
      throw new EvalError(`invalid operation: + ${typeName(v)}`);
    default:
      throw new EvalError(`unknown operator ${op}`);
  }
}

export function toBool(v: unknown, op: string): boolean {
  if (typeof v !== 'boolean') throw new EvalError(`invalid operation: ${op} (mismatched types ${typeName(v)} and bool)`);
  return v;
}
