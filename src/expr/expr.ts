// Entry points for expr-lang evaluation.

import { withArgoFunctions } from './argo-env.js';
import { EvalError, ExprError, withLocation } from './errors.js';
import { Evaluator, type EvalOptions } from './evaluator.js';
import { parse } from './parser.js';
import { toPlain, type ValueMap } from './values.js';

/**
 * Evaluate with Argo's functions in scope, returning the internal value (floats boxed) and
 * throwing the raw EvalError, so substitution can tell "unknown name" apart from other failures.
 */
export function runExpr(source: string, env: ValueMap, opts?: EvalOptions): unknown {
  return new Evaluator(parse(source), withArgoFunctions(env), opts).run();
}

export function toExprError(e: unknown, source: string): ExprError {
  if (e instanceof ExprError) return e;
  if (e instanceof EvalError) return new ExprError(withLocation(e.message, source, e.pos), source);
  // A stack overflow from a pathological expression, or a bug: still the expression's fault.
  return new ExprError(e instanceof Error ? e.message : String(e), source);
}

/** expr-lang (github.com/expr-lang/expr v1.17) evaluation, as Argo uses for {{= }}, depends, retry expression, hooks, valueFrom.expression. */
export function evaluateExpr(source: string, env: Record<string, unknown>): unknown {
  try {
    return toPlain(runExpr(source, env));
  } catch (e) {
    throw toExprError(e, source);
  }
}
