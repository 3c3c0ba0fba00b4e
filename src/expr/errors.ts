/** An expression failed to lex, parse or evaluate. The message carries the position, like expr-lang's. */
export class ExprError extends Error {
  readonly expression: string;

  constructor(message: string, expression: string) {
    super(message);
    this.name = 'ExprError';
    this.expression = expression;
  }
}

/** A `{{tag}}` (or a variable inside `{{= }}`) that strict substitution could not resolve. */
export class UnresolvedTagError extends Error {
  readonly tag: string;

  constructor(tag: string) {
    super(`failed to resolve {{${tag}}}`);
    this.name = 'UnresolvedTagError';
    this.tag = tag;
  }
}

/**
 * Raised inside the evaluator before the source text is known; evaluateExpr turns it into an
 * ExprError with a position. `pos` is an offset into the source, -1 when unknown.
 */
export class EvalError extends Error {
  pos: number;

  constructor(message: string, pos = -1) {
    super(message);
    this.name = 'EvalError';
    this.pos = pos;
  }
}

/**
 * An identifier absent from the env. Substitution needs the dotted path the expression tried to
 * reach (e.g. "inputs.parameters.x", not just "inputs") to decide between strict and verbatim.
 */
export class UnknownNameError extends EvalError {
  path: string;

  constructor(name: string, pos: number) {
    super(`unknown name ${name}`, pos);
    this.name = 'UnknownNameError';
    this.path = name;
  }
}

/** Render `message (line:col)` plus the offending line and a caret, as expr-lang does. */
export function withLocation(message: string, source: string, pos: number): string {
  if (pos < 0 || pos > source.length) return message;
  const before = source.slice(0, pos);
  const line = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = source.indexOf('\n', pos);
  const text = source.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
  const col = pos - lineStart;
  return `${message} (${line}:${col + 1})\n | ${text}\n | ${'.'.repeat(col)}^`;
}
