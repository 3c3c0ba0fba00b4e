// Multi-document YAML and JSON, read the way Argo reads it (sigs.k8s.io/yaml over go-yaml v2):
// YAML 1.1 scalars (`yes` is true, `010` is 8), timestamps left as strings, duplicate keys allowed
// (last wins, reported as a warning), keys that are collections rejected. Each document keeps its
// syntax tree so that any JSON path can be turned back into a line and column.

import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  type Document,
  type Node as YamlNode,
  type Scalar,
  type Tags,
  type YAMLError,
} from 'yaml';
import { SpecError } from './errors.js';
import { formatGoFloat } from './go-format.js';
import { reindentFlowContinuations, type Reindented } from './lenient-indent.js';
import { formatPath, type Path, type PathSegment } from './path.js';

export interface Position {
  line: number;
  col: number;
}

export interface DocumentWarning {
  path: Path;
  message: string;
}

export interface LoadedDocument {
  object: unknown;
  file: string;
  /** Index of the document in its file's stream, counting empty documents too. */
  index: number;
  /** Where the value at `path` was written: the key for a map entry, the item for a list element. */
  position(path: Path): Position | undefined;
  /**
   * How a YAML number was written. Go prints a float (`1.0`, `1e6`) differently from an int when it
   * lands in a string field, and the parsed JS number no longer tells them apart.
   */
  numberKind?(path: Path): 'int' | 'float' | undefined;
  /** The text of a plain (unquoted) scalar as written, such as `yes` for a value read as true. */
  plainSource?(path: Path): string | undefined;
  /** Things the loader accepted but a user probably did not mean (duplicate keys). */
  warnings?: DocumentWarning[];
}

// Errors that go-yaml does not raise for under-indented flow continuations (see lenient-indent.ts).
const INDENT_ERROR_CODES = new Set(['BAD_INDENT', 'MISSING_CHAR', 'MULTILINE_IMPLICIT_KEY', 'BLOCK_AS_IMPLICIT_KEY']);
// go-yaml v2 hands timestamp-looking scalars to interface{} targets as strings and has no base-60 numbers.
const GO_UNSUPPORTED_TAG_NAMES: ReadonlySet<string> = new Set(['timestamp', 'intTime', 'floatTime']);
const isGoUnsupportedTag = (t: { tag: string; format?: string }): boolean =>
  t.tag === 'tag:yaml.org,2002:timestamp' || t.format === 'TIME';
const MAX_ALIAS_EXPANSIONS = 10_000;
const GO_INT = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;
const GO_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const GO_SPECIAL_FLOAT = /^([-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$/;

export function loadDocuments(text: string, file: string): LoadedDocument[] {
  // JSON is read by the same parser, as Go does: it is YAML whose scalars are all explicit.
  let parsed = parse(text);
  let reindented: Reindented | undefined;
  if (parsed.docs.some((d) => d.errors.some((e) => INDENT_ERROR_CODES.has(e.code)))) {
    reindented = reindentFlowContinuations(text);
    if (reindented) {
      const retry = parse(reindented.text);
      if (retry.docs.every((d) => d.errors.length === 0)) parsed = retry;
      else reindented = undefined;
    }
  }
  const locate = (offset: number): Position => {
    const { line, col } = parsed.lineCounter.linePos(offset);
    const shift = reindented?.shifts.get(line - 1) ?? 0;
    return { line, col: col > shift ? col - shift : col };
  };

  const out: LoadedDocument[] = [];
  parsed.docs.forEach((doc, index) => {
    const firstError = doc.errors[0];
    if (firstError) throw syntaxError(firstError, file, locate);
    if (isEmptyDocument(doc)) return;
    out.push(buildDocument(doc, file, index, locate));
  });
  return out;
}

/** A document built from an already-parsed object (an API request body): no positions. */
export function documentFromObject(object: unknown, file: string, index = 0): LoadedDocument {
  return { object, file, index, position: () => undefined };
}

function parse(text: string): { docs: Document.Parsed[]; lineCounter: LineCounter } {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, {
    lineCounter,
    version: '1.1',
    uniqueKeys: false,
    customTags: (tags: Tags) => tags.filter((t) => (typeof t === 'string' ? !GO_UNSUPPORTED_TAG_NAMES.has(t) : !isGoUnsupportedTag(t))),
  });
  // parseAllDocuments returns an EmptyStream (an array) for empty input, and documents otherwise.
  return { docs: Array.from(docs), lineCounter };
}

function syntaxError(error: YAMLError, file: string, locate: (offset: number) => Position): SpecError {
  const { line, col } = locate(error.pos[0]);
  const detail = error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? error.message;
  return new SpecError(detail, { code: 'yaml-syntax', file, line, col, cause: error });
}

function isEmptyDocument(doc: Document.Parsed): boolean {
  const c = doc.contents;
  return c === null || (isScalar(c) && c.value === null);
}

function buildDocument(
  doc: Document.Parsed,
  file: string,
  index: number,
  locate: (offset: number) => Position,
): LoadedDocument {
  const warnings: DocumentWarning[] = [];
  const floats = new Set<string>();
  const converter = new Converter(doc, file, locate, warnings, floats);
  const object = converter.convert(doc.contents, []);
  return {
    object,
    file,
    index,
    position: (path) => findPosition(doc, path, locate),
    plainSource: (path) => {
      const node = findNode(doc, path)?.node;
      return isScalar(node) && node.type === 'PLAIN' && node.source !== undefined ? String(node.source) : undefined;
    },
    numberKind: (path) => {
      const node = findNode(doc, path)?.node;
      if (!isScalar(node) || typeof node.value !== 'number') return undefined;
      return floats.has(JSON.stringify(path)) ? 'float' : 'int';
    },
    warnings,
  };
}

class Converter {
  private expansions = 0;

  constructor(
    private readonly doc: Document.Parsed,
    private readonly file: string,
    private readonly locate: (offset: number) => Position,
    private readonly warnings: DocumentWarning[],
    private readonly floats: Set<string>,
  ) {}

  convert(node: unknown, path: PathSegment[]): unknown {
    if (isAlias(node)) {
      if (++this.expansions > MAX_ALIAS_EXPANSIONS) throw this.error(node, path, 'yaml-alias', 'too many alias expansions');
      return this.convert(node.resolve(this.doc), path);
    }
    if (isScalar(node)) {
      if (typeof node.value !== 'number') return node.value;
      const resolved = goNumber(node);
      if (resolved === undefined) return String(node.source ?? node.value);
      if (resolved.kind === 'float') this.floats.add(JSON.stringify(path));
      return resolved.value;
    }
    if (isSeq(node)) return node.items.map((item, i) => this.convert(item, [...path, i]));
    if (isMap(node)) return this.convertMap(node.items, path);
    return node ?? null;
  }

  private convertMap(pairs: readonly unknown[], path: PathSegment[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const explicit = new Set<string>();
    const merged: Record<string, unknown>[] = [];
    for (const pair of pairs) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key;
      if (isScalar(keyNode) && typeof keyNode.value === 'symbol') {
        merged.push(...this.mergeSources(pair.value, path));
        continue;
      }
      const key = this.keyString(keyNode, path);
      if (explicit.has(key)) this.warnings.push({ path: [...path, key], message: `duplicate key "${key}": the last one wins` });
      explicit.add(key);
      out[key] = this.convert(pair.value, [...path, key]);
    }
    // YAML merge keys: explicitly written keys win over merged ones, earlier sources over later ones.
    for (const source of merged) {
      for (const [k, v] of Object.entries(source)) if (!(k in out)) out[k] = v;
    }
    return out;
  }

  private mergeSources(value: unknown, path: PathSegment[]): Record<string, unknown>[] {
    const nodes = isSeq(value) ? value.items : [value];
    return nodes.map((n) => {
      const converted = this.convert(n, path);
      if (converted === null || typeof converted !== 'object' || Array.isArray(converted)) {
        throw this.error(n, path, 'yaml-syntax', 'a merge key (<<) must refer to a map or a list of maps');
      }
      return converted as Record<string, unknown>;
    });
  }

  /** Go turns scalar keys into strings the way sigs.k8s.io/yaml does; collection keys are an error there. */
  private keyString(keyNode: unknown, path: PathSegment[]): string {
    const node = isAlias(keyNode) ? keyNode.resolve(this.doc) : keyNode;
    if (isScalar(node)) {
      const v = node.value;
      if (typeof v === 'string') return v;
      if (typeof v === 'boolean' && node.type === 'PLAIN' && !/^(true|false)$/i.test(String(node.source))) {
        this.warnings.push({
          path: [...path, String(v)],
          message: `the key "${String(node.source)}" is read as the boolean ${String(v)} (YAML 1.1, as Argo reads it); quote it to keep it a string`,
        });
      }
      if (typeof v === 'number') {
        const resolved = goNumber(node);
        if (resolved === undefined) return String(node.source ?? v);
        return resolved.kind === 'int' ? String(resolved.value) : formatGoFloat(resolved.value, 'g', 32);
      }
      if (v === null) return 'null';
      return String(v);
    }
    throw this.error(
      keyNode,
      path,
      'yaml-collection-key',
      'a map key must be a string, not a map or list (an unquoted "{{…}}" key is read as a map: quote it)',
    );
  }

  private error(node: unknown, path: PathSegment[], code: 'yaml-syntax' | 'yaml-collection-key' | 'yaml-alias', detail: string): SpecError {
    const offset = (node as YamlNode | null)?.range?.[0] ?? 0;
    const { line, col } = this.locate(offset);
    return new SpecError(detail, { code, file: this.file, line, col, path: formatPath(path) });
  }
}

/**
 * go-yaml v2's reading of a plain scalar the `yaml` package took for a number: it strips `_`, tries
 * strconv.ParseInt with base prefixes, then a float of the plain `1.5e3` form. Anything else (`.`,
 * `1_0.5`) stays a string in Go, though YAML 1.1 itself would call some of them numbers.
 */
function goNumber(node: Scalar): { value: number; kind: 'int' | 'float' } | undefined {
  const value = node.value as number;
  if (node.type !== 'PLAIN' || node.tag !== undefined || node.source === undefined) {
    return { value, kind: Number.isInteger(value) ? 'int' : 'float' };
  }
  const source = String(node.source);
  if (GO_SPECIAL_FLOAT.test(source)) return { value, kind: 'float' };
  const plain = source.replace(/_/g, '');
  const int = GO_INT.exec(plain);
  if (int) {
    const [, sign = '', digits = ''] = int;
    const base = /^0[xX]/.test(digits) ? 16 : /^0[oO]/.test(digits) ? 8 : /^0[bB]/.test(digits) ? 2 : /^0./.test(digits) ? 8 : 10;
    const body = base === 10 ? digits : digits.replace(/^0[xXoObB]?/, '') || '0';
    const magnitude = parseInt(body, base);
    return { value: sign === '-' ? -magnitude : magnitude, kind: 'int' };
  }
  if (GO_FLOAT.test(plain)) return { value: Number(plain), kind: 'float' };
  return undefined;
}

interface Found {
  node: unknown;
  /** The key node when the last segment was a map key. */
  key?: unknown;
}

function findNode(doc: Document.Parsed, path: Path): Found | undefined {
  let found: Found = { node: doc.contents };
  for (const segment of path) {
    const next = step(doc, found.node, segment);
    if (!next) return undefined;
    found = next;
  }
  return found;
}

function step(doc: Document.Parsed, node: unknown, segment: PathSegment): Found | undefined {
  const current = isAlias(node) ? node.resolve(doc) : node;
  if (isSeq(current)) {
    if (typeof segment !== 'number') return undefined;
    const item = current.items[segment];
    return item === undefined ? undefined : { node: item };
  }
  if (!isMap(current)) return undefined;
  let found: Found | undefined;
  const merges: unknown[] = [];
  for (const pair of current.items) {
    const key = isAlias(pair.key) ? pair.key.resolve(doc) : pair.key;
    if (!isScalar(key)) continue;
    if (typeof key.value === 'symbol') merges.push(...(isSeq(pair.value) ? pair.value.items : [pair.value]));
    else if (String(key.value) === String(segment)) found = { node: pair.value, key: pair.key };
  }
  if (found) return found;
  for (const source of merges) {
    const inMerged = step(doc, source, segment);
    if (inMerged) return inMerged;
  }
  return undefined;
}

function findPosition(doc: Document.Parsed, path: Path, locate: (offset: number) => Position): Position | undefined {
  const found = findNode(doc, path);
  if (!found) return undefined;
  const target = (found.key ?? found.node) as YamlNode | null;
  const offset = target?.range?.[0];
  return offset === undefined ? undefined : locate(offset);
}
