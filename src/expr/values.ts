// Runtime value model shared by the expr-lang evaluator, sprig and the Argo extras.
//
// Go distinguishes int from float64 and users can see it: `1000000` prints as is but
// `float(1000000)` prints "1e+06", and `%` rejects floats. A plain JS number is an int when it is
// integral and a float otherwise; an integral float (1.0, 4/2, any number decoded from JSON) is
// boxed in `Float` so the distinction survives. Everything leaving the package goes through
// `toPlain`.

export class Float {
  constructor(readonly value: number) {}
}

/** Go's time.Duration: an int64 count of nanoseconds. */
export class Duration {
  constructor(readonly ns: number) {}
}

export type Fn = (...args: unknown[]) => unknown;
export type ValueMap = Record<string, unknown>;

/** Functions written against the internal value model; other functions get plain JS values. */
const nativeFns = new WeakSet<Fn>();

export function native<T extends Fn>(fn: T): T {
  nativeFns.add(fn);
  return fn;
}

export function isNative(fn: Fn): boolean {
  return nativeFns.has(fn);
}

export function mkFloat(n: number): number | Float {
  return Number.isInteger(n) ? new Float(n) : n;
}

export function isNum(v: unknown): v is number | Float {
  return typeof v === 'number' || v instanceof Float;
}

export function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

export function isFloat(v: unknown): boolean {
  return v instanceof Float || (typeof v === 'number' && !Number.isInteger(v));
}

export function numVal(v: number | Float): number {
  return typeof v === 'number' ? v : v.value;
}

export function isMap(v: unknown): v is ValueMap {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof Float) &&
    !(v instanceof Duration) &&
    !(v instanceof Date)
  );
}

export function isNil(v: unknown): v is null | undefined {
  return v === null || v === undefined;
}

export function hasKey(m: ValueMap, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(m, key);
}

/** Own-property lookup, so "constructor" or "__proto__" in user data never reach Object.prototype. */
export function getKey(m: ValueMap, key: string): unknown {
  return hasKey(m, key) ? m[key] : undefined;
}

export function setKey(m: ValueMap, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(m, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    m[key] = value;
  }
}

/** Go-ish type name, used in error messages. */
export function typeName(v: unknown): string {
  if (isNil(v)) return '<nil>';
  if (typeof v === 'boolean') return 'bool';
  if (isInt(v)) return 'int';
  if (isNum(v)) return 'float64';
  if (typeof v === 'string') return 'string';
  if (Array.isArray(v)) return '[]interface {}';
  if (v instanceof Date) return 'time.Time';
  if (v instanceof Duration) return 'time.Duration';
  if (typeof v === 'function') return 'func';
  return 'map[string]interface {}';
}

/** expr-lang's runtime.Equal: numbers compare numerically across int/float; other kinds must match. */
export function equal(a: unknown, b: unknown): boolean {
  if (isNil(a) || isNil(b)) return isNil(a) && isNil(b);
  if (isNum(a) && isNum(b)) return numVal(a) === numVal(b);
  if (typeof a !== typeof b) return false;
  if (typeof a !== 'object') return a === b;
  if (a instanceof Date) return b instanceof Date && a.getTime() === b.getTime();
  if (a instanceof Duration) return b instanceof Duration && a.ns === b.ns;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => equal(x, b[i]));
  }
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => hasKey(b, k) && equal(a[k], b[k]));
  }
  return false;
}

/** Ordering for `<` and friends; undefined when the operands are not comparable. */
export function compare(a: unknown, b: unknown): number | undefined {
  if (isNum(a) && isNum(b)) {
    const x = numVal(a);
    const y = numVal(b);
    return x < y ? -1 : x > y ? 1 : x === y ? 0 : undefined;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof Date && b instanceof Date) return Math.sign(a.getTime() - b.getTime());
  if (a instanceof Duration && b instanceof Duration) return Math.sign(a.ns - b.ns);
  return undefined;
}

/** Unbox floats (deeply) so callers see ordinary JSON-like values. */
export function toPlain(v: unknown): unknown {
  if (v instanceof Float) return v.value;
  if (Array.isArray(v)) return v.map(toPlain);
  if (isMap(v)) {
    const out: ValueMap = {};
    for (const [k, x] of Object.entries(v)) setKey(out, k, toPlain(x));
    return out;
  }
  return v === undefined ? null : v;
}

/** Go's encoding/json decodes every number as float64. */
export function fromJSONValue(v: unknown): unknown {
  if (typeof v === 'number') return mkFloat(v);
  if (Array.isArray(v)) return v.map(fromJSONValue);
  if (isMap(v)) {
    const out: ValueMap = {};
    for (const [k, x] of Object.entries(v)) setKey(out, k, fromJSONValue(x));
    return out;
  }
  return v;
}

/** Go truthiness used by sprig's `empty`/`default`: the zero value of the type is empty. */
export function isEmpty(v: unknown): boolean {
  if (isNil(v)) return true;
  if (typeof v === 'boolean') return !v;
  if (isNum(v)) return numVal(v) === 0;
  if (typeof v === 'string' || Array.isArray(v)) return v.length === 0;
  if (v instanceof Duration) return v.ns === 0;
  if (v instanceof Date) return v.getTime() === -62135596800000;
  if (isMap(v)) return Object.keys(v).length === 0;
  return false;
}

export function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}
