// Kubernetes label and field selectors, parsed once into requirements that every store evaluates
// its own way (the memory store in JS, SQL stores as WHERE clauses). The grammar and the matching
// rules are Kubernetes' (apimachinery/pkg/labels): `!=` and `notin` also match objects that lack
// the label, `=` and `in` need it present.

/** A selector that does not parse. HTTP 400 at the edge. */
export class SelectorError extends Error {
  readonly code = 'InvalidArgument';
  constructor(
    readonly selector: string,
    /** 1-based column of the offending token. */
    readonly column: number,
    problem: string,
    kind: 'label' | 'field',
  ) {
    super(`invalid ${kind} selector "${selector}": ${problem} at column ${column}`);
  }
}

export type LabelRequirement =
  | { key: string; op: 'exists' | 'notExists' }
  /** `a=b` and `a==b` are `in [b]`; `a!=b` is `notin [b]`. */
  | { key: string; op: 'in' | 'notin'; values: string[] };

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

// ---- labels ----

type TokenKind = 'ident' | '!' | '=' | '==' | '!=' | '(' | ')' | ',' | 'end';

interface Token {
  kind: TokenKind;
  text: string;
  column: number;
}

const SPECIAL = new Set(['!', '=', '(', ')', ',']);

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const column = i + 1;
    const two = input.slice(i, i + 2);
    if (two === '==' || two === '!=') {
      tokens.push({ kind: two, text: two, column });
      i += 2;
    } else if (SPECIAL.has(c)) {
      tokens.push({ kind: c as TokenKind, text: c, column });
      i++;
    } else {
      let j = i;
      while (j < input.length && !SPECIAL.has(input[j] as string) && !/\s/.test(input[j] as string)) j++;
      tokens.push({ kind: 'ident', text: input.slice(i, j), column });
      i = j;
    }
  }
  tokens.push({ kind: 'end', text: '', column: input.length + 1 });
  return tokens;
}

// Label names and values: at most 63 characters, alphanumerics with `-`, `_`, `.` inside.
const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function keyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
    return `key prefix "${prefix}" must be a lowercase DNS subdomain`;
  }
  if (!NAME.test(name)) return `key "${key}" must be at most 63 alphanumerics, '-', '_' or '.', beginning and ending with an alphanumeric`;
  return undefined;
}

function valueProblem(value: string): string | undefined {
  if (value === '' || NAME.test(value)) return undefined;
  return `value "${value}" must be empty or at most 63 alphanumerics, '-', '_' or '.', beginning and ending with an alphanumeric`;
}

/** Parses `a=b,c!=d,e in (x,y),f notin (z),g,!h`; the empty selector matches everything. */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  const tokens = tokenize(selector);
  let pos = 0;
  const peek = (): Token => tokens[pos] as Token;
  const next = (): Token => tokens[pos++] as Token;
  const fail = (token: Token, problem: string): never => {
    throw new SelectorError(selector, token.column, problem, 'label');
  };
  const describe = (t: Token): string => (t.kind === 'end' ? 'the end' : `"${t.text}"`);

  const key = (): string => {
    const t = next();
    if (t.kind !== 'ident') fail(t, `expected a label key, found ${describe(t)}`);
    const problem = keyProblem(t.text);
    if (problem) fail(t, problem);
    return t.text;
  };
  const value = (): string => {
    const t = peek();
    if (t.kind !== 'ident') return ''; // `a=` selects the empty value, as in Kubernetes
    pos++;
    const problem = valueProblem(t.text);
    if (problem) fail(t, problem);
    return t.text;
  };
  const valueSet = (operator: string): string[] => {
    const open = next();
    if (open.kind !== '(') fail(open, `expected "(" after "${operator}", found ${describe(open)}`);
    const values: string[] = [];
    if (peek().kind === ')') fail(peek(), `the set after "${operator}" is empty`);
    for (;;) {
      values.push(value());
      const t = next();
      if (t.kind === ')') return values;
      if (t.kind !== ',') fail(t, `expected "," or ")" in the set after "${operator}", found ${describe(t)}`);
    }
  };
  const requirement = (): LabelRequirement => {
    if (peek().kind === '!') {
      pos++;
      return { key: key(), op: 'notExists' };
    }
    const k = key();
    const t = peek();
    switch (t.kind) {
      case ',':
      case 'end':
        return { key: k, op: 'exists' };
      case '=':
      case '==':
        pos++;
        return { key: k, op: 'in', values: [value()] };
      case '!=':
        pos++;
        return { key: k, op: 'notin', values: [value()] };
      case 'ident':
        if (t.text === 'in' || t.text === 'notin') {
          pos++;
          return { key: k, op: t.text, values: valueSet(t.text) };
        }
        return fail(t, `expected an operator (=, ==, !=, in, notin) after "${k}", found ${describe(t)}`);
      default:
        return fail(t, `expected an operator (=, ==, !=, in, notin) after "${k}", found ${describe(t)}`);
    }
  };

  const out: LabelRequirement[] = [];
  if (peek().kind === 'end') return out;
  for (;;) {
    out.push(requirement());
    const t = next();
    if (t.kind === 'end') return out;
    if (t.kind !== ',') fail(t, `expected "," between requirements, found ${describe(t)}`);
  }
}

export function matchesLabels(requirements: readonly LabelRequirement[], labels: Readonly<Record<string, string>> | undefined): boolean {
  return requirements.every((r) => {
    const value = labels && Object.hasOwn(labels, r.key) ? labels[r.key] : undefined;
    switch (r.op) {
      case 'exists':
        return value !== undefined;
      case 'notExists':
        return value === undefined;
      case 'in':
        return value !== undefined && r.values.includes(value);
      case 'notin':
        return value === undefined || !r.values.includes(value);
    }
  });
}

// ---- fields ----

/**
 * Parses `metadata.name=x,status.phase!=Running`; `supported` lists the fields the kind offers,
 * so an unknown field fails loudly instead of matching nothing.
 */
export function parseFieldSelector(selector: string, supported: readonly string[]): FieldRequirement[] {
  const out: FieldRequirement[] = [];
  if (selector.trim() === '') return out;
  let column = 1;
  for (const term of selector.split(',')) {
    const termColumn = column;
    column += term.length + 1;
    const fail = (problem: string): never => {
      throw new SelectorError(selector, termColumn, problem, 'field');
    };
    const match = /^\s*([^=!\s]+)\s*(==|!=|=)(.*)$/.exec(term);
    if (!match) return fail(`expected <field>=<value>, <field>==<value> or <field>!=<value>, found "${term}"`);
    const [, field = '', operator, value = ''] = match;
    if (!supported.includes(field)) fail(`field "${field}" is not supported (supported: ${supported.join(', ')})`);
    out.push({ field, op: operator === '!=' ? '!=' : '=', value: value.trim() });
  }
  return out;
}

/** `fields` maps each supported field to the object's value ('' when unset). */
export function matchesFields(requirements: readonly FieldRequirement[], fields: Readonly<Record<string, string>>): boolean {
  return requirements.every((r) => ((fields[r.field] ?? '') === r.value) === (r.op === '='));
}
