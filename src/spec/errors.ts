// The one error type of spec/: it carries where the problem is (file, line, col and the JSON path
// inside the document) so the CLI and the server can point at it without re-parsing anything.

export type SpecErrorCode =
  | 'yaml-syntax'
  | 'yaml-collection-key'
  | 'yaml-alias'
  | 'not-an-object'
  | 'bad-api-version'
  | 'unknown-kind'
  | 'unsupported-kind'
  | 'invalid-value'
  | 'read-failed';

export interface SpecErrorInit {
  code: SpecErrorCode;
  file: string;
  line: number;
  col: number;
  /** JSON path inside the document (`spec.templates[0].name`); empty when it is about the text itself. */
  path?: string;
  /** What was expected at that spot, for the CLI to show under the message. */
  expected?: string;
  /** How to fix it, when there is one obvious way. */
  fix?: string;
  cause?: unknown;
}

export class SpecError extends Error {
  readonly code: SpecErrorCode;
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly path: string;
  readonly expected?: string;
  readonly fix?: string;
  /** The message without the `file:line:col: ` prefix. */
  readonly detail: string;

  constructor(detail: string, init: SpecErrorInit) {
    super(`${init.file}:${init.line}:${init.col}: ${detail}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'SpecError';
    this.code = init.code;
    this.file = init.file;
    this.line = init.line;
    this.col = init.col;
    this.path = init.path ?? '';
    this.detail = detail;
    if (init.expected !== undefined) this.expected = init.expected;
    if (init.fix !== undefined) this.fix = init.fix;
  }
}
