// `{{tag}}` and `{{=expr}}` replacement (Argo util/template). Simple tags are plain lookups;
// expression tags are evaluated against the variables expanded into nested maps.

import { ExprError, UnknownNameError, UnresolvedTagError } from './errors.js';
import { expandVars } from './expand.js';
import { runExpr, toExprError } from './expr.js';
import { formatValue } from './format.js';
import { hasKey, isNil, type ValueMap } from './values.js';

export interface SubstituteOptions {
  /** Tags whose unresolved simple reference is an error (throws UnresolvedTagError); others are left verbatim. Default: none strict. */
  strict?: (tag: string) => boolean;
  /** Extra env for {{= }} merged over expandVars(vars) (e.g. item as a real object). */
  exprEnv?: Record<string, unknown>;
}

interface Tag {
  start: number;
  /** Index just past the closing braces. */
  end: number;
  expression: boolean;
  /** Text between the braces, without the leading '=' of an expression tag. */
  inner: string;
}

/** Index of the first `}}` at or after `from` that is not inside a string literal, or -1. */
function expressionEnd(text: string, from: number): number {
  let quote = '';
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote !== '`') i++;
      else if (c === quote) quote = '';
    } else if (c === "'" || c === '"' || c === '`') {
      quote = c;
    } else if (c === '}' && text[i + 1] === '}') {
      return i;
    }
  }
  return -1;
}

function* scanTags(text: string): Generator<Tag> {
  let i = 0;
  for (;;) {
    const start = text.indexOf('{{', i);
    if (start < 0) return;
    const expression = text[start + 2] === '=';
    const close = expression ? expressionEnd(text, start + 3) : text.indexOf('}}', start + 2);
    if (close < 0) return;
    yield { start, end: close + 2, expression, inner: text.slice(start + (expression ? 3 : 2), close) };
    i = close + 2;
  }
}

/** Tags found in a string (trimmed inner text), e.g. ["inputs.parameters.x", "=asInt(1)"]. */
export function findTags(text: string): string[] {
  return [...scanTags(text)].map((t) => (t.expression ? `=${t.inner.trim()}` : t.inner.trim()));
}

/** Replace {{tag}} and {{=expr}} in a string. */
export function substitute(text: string, vars: Record<string, string>, opts: SubstituteOptions = {}): string {
  let env: ValueMap | undefined;
  const unresolved = (tag: string, original: string): string => {
    if (opts.strict?.(tag)) throw new UnresolvedTagError(tag);
    return original;
  };

  const simple = (inner: string, original: string): string => {
    const name = inner.trim();
    if (hasKey(vars, name)) return String(vars[name]);
    // "{{a {{b}}": Argo resolves the innermost tag and keeps the rest, as fasttemplate saw it.
    const nested = inner.lastIndexOf('{{');
    if (nested > 0) {
      const inside = inner.slice(nested + 2).trim();
      if (hasKey(vars, inside)) return `{{${inner.slice(0, nested)}${vars[inside]}`;
    }
    return unresolved(name, original);
  };

  const expression = (source: string, original: string): string => {
    env ??= { ...expandVars(vars), ...opts.exprEnv };
    const missing: string[] = [];
    let result: unknown;
    try {
      result = runExpr(source, env, { onMissing: (p) => missing.push(p) });
    } catch (e) {
      if (e instanceof UnknownNameError) return unresolved(e.path, original);
      // An error after a failed lookup (asInt(nil), nil.field) is the missing variable's fault.
      if (missing[0] !== undefined) return unresolved(missing[0], original);
      throw toExprError(e, source);
    }
    if (isNil(result)) {
      if (missing[0] !== undefined) return unresolved(missing[0], original);
      throw new ExprError(`expression evaluated to nil: ${source.trim()}`, source);
    }
    return formatValue(result);
  };

  let out = '';
  let last = 0;
  for (const tag of scanTags(text)) {
    out += text.slice(last, tag.start);
    const original = text.slice(tag.start, tag.end);
    out += tag.expression ? expression(tag.inner, original) : simple(tag.inner, original);
    last = tag.end;
  }
  return out + text.slice(last);
}
