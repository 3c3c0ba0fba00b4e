// argot's own lint of a manifest as text (Argo has no such path): the web UI's YAML editor sends
// what the user typed and marks each problem at its line. Argo's `…/lint` endpoints take a parsed
// object, so they cannot say where in the text a problem is; this one runs `argot lint` on the text.
import type { FastifyInstance } from 'fastify';
import { SpecError } from '../../spec/errors.js';
import { lint, type LintProblem } from '../../spec/lint.js';
import { loadDocuments } from '../../spec/load.js';
import { objectBody, requiredString } from '../request.js';

export interface ManifestLintResult {
  problems: Omit<LintProblem, 'file'>[];
}

/** Problems of a YAML or JSON text, each with its 1-based line and column; a syntax error is one problem. */
export function lintManifest(text: string): ManifestLintResult {
  try {
    return { problems: lint(loadDocuments(text, 'manifest')).map(({ file: _file, ...p }) => p) };
  } catch (err) {
    if (!(err instanceof SpecError)) throw err;
    return { problems: [{ line: err.line, col: err.col, path: err.path, message: err.detail, severity: 'error' }] };
  }
}

export function lintManifestRoutes(app: FastifyInstance): void {
  app.post('/api/v1/lint-manifest', async (req) => {
    const what = 'a manifest lint request {"manifest": "<YAML or JSON text>"}';
    return lintManifest(requiredString(objectBody(req.body, what), 'manifest', what));
  });
}
