// Problems of the text in the editor, each at a line: YAML syntax at once, in the browser; then
// argot's own lint (schema and Argo's rules, `argot lint`) from the server after a pause in typing.
import { useEffect, useMemo, useState } from 'react';
import { parseAllDocuments, parseDocument } from 'yaml';
import { errorMessage, post } from '../api';

export interface Problem {
  line: number;
  col: number;
  message: string;
  severity: 'error' | 'warning';
  /** JSON path in the document, when the server's lint knows it. */
  path?: string;
}

/** YAML syntax errors and warnings, as the `yaml` package finds them. */
export function syntaxProblems(text: string): Problem[] {
  const out: Problem[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (!('errors' in doc)) continue;
    for (const [severity, list] of [
      ['error', doc.errors],
      ['warning', doc.warnings],
    ] as const) {
      for (const e of list) out.push({ line: e.linePos?.[0].line ?? 1, col: e.linePos?.[0].col ?? 1, message: e.message.split('\n')[0] ?? e.message, severity });
    }
  }
  return out;
}

/** The single object a manifest holds, or an error saying why there is none. */
export function parseManifest(text: string): Record<string, unknown> {
  const doc = parseDocument(text);
  const first = doc.errors[0];
  if (first) throw new Error(`line ${first.linePos?.[0].line ?? '?'}: ${first.message.split('\n')[0] ?? ''}`);
  const value: unknown = doc.toJS();
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('the manifest must be a YAML mapping (apiVersion, kind, metadata, spec)');
  return value as Record<string, unknown>;
}

const SERVER_LINT_PAUSE_MS = 400;

/**
 * The problems of `text`: syntax errors as soon as it changes, the server's lint once typing
 * pauses (not while the YAML does not even parse: the server would say the same). `checking`
 * is true while the server's answer for the current text is outstanding.
 */
export function useLint(text: string): { problems: Problem[]; checking: boolean; failure: string | undefined } {
  const syntax = useMemo(() => syntaxProblems(text), [text]);
  const [server, setServer] = useState<{ text: string; problems: Problem[] } | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  const parses = !syntax.some((p) => p.severity === 'error');
  useEffect(() => {
    if (!parses || text.trim() === '') return undefined;
    let cancelled = false;
    const t = setTimeout(() => {
      post<{ problems: Problem[] }>('/api/v1/lint-manifest', { manifest: text })
        .then((r) => {
          if (cancelled) return;
          setServer({ text, problems: r.problems });
          setFailure(undefined);
        })
        .catch((e: unknown) => {
          if (!cancelled) setFailure(`lint unavailable: ${errorMessage(e)}`);
        });
    }, SERVER_LINT_PAUSE_MS);
    return () => {
      cancelled = true;
      clearTimeout(t);
    };
  }, [text, parses]);
  if (!parses) return { problems: syntax, checking: false, failure: undefined };
  const current = server?.text === text;
  return { problems: current ? server.problems : syntax, checking: !current && text.trim() !== '', failure };
}
