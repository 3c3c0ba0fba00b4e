// `argot lint`: every problem in a set of documents, each pointing at a line, a column and a JSON
// path. Structure is checked against argot's schema first; the semantic rules of lint-spec.ts
// then run on what passed, with templates from the same documents (and the registry) in view.

import { identifyKind } from './kinds.js';
import type { LoadedDocument, Position } from './load.js';
import { lintWorkflowSpec, type SpecLintContext } from './lint-spec.js';
import { formatPath, type Path, type PathSegment } from './path.js';
import { InMemoryTemplateRegistry, layeredRegistry, type TemplateRegistry } from './registry.js';
import { refType } from './schema.js';
import { checkAgainstSchema, isRecord, type SchemaProblem } from './schema-check.js';
import type { ObjectMeta, Resource, WorkflowSpec } from './types.js';

export type { TemplateRegistry } from './registry.js';

export interface LintProblem {
  file: string;
  line: number;
  col: number;
  /** JSON path inside the document, like `spec.templates[0].entrypont`. */
  path: string;
  message: string;
  severity: 'error' | 'warning';
}

export function formatProblem(p: LintProblem): string {
  return `${p.file}:${p.line}:${p.col}: ${p.message}${p.path === '' ? '' : ` (${p.path})`}`;
}

interface Checked {
  doc: LoadedDocument;
  kind: string;
  cleaned: Record<string, unknown>;
  /** Paths of fields that are missing only because they were misspelt (and reported as such). */
  misspelt: Set<string>;
}

const SPEC_KINDS: ReadonlySet<string> = new Set(['Workflow', 'WorkflowTemplate', 'ClusterWorkflowTemplate', 'CronWorkflow']);

/**
 * Lints documents together: a templateRef may point at a WorkflowTemplate in any of them. With a
 * `registry`, references it cannot resolve are reported as warnings; without one, only templates
 * among `docs` are checked and other references are taken on trust.
 */
export function lint(docs: readonly LoadedDocument[], registry?: TemplateRegistry): LintProblem[] {
  const local = new InMemoryTemplateRegistry();
  const checked: Checked[] = [];
  const problemsByDoc = new Map<LoadedDocument, LintProblem[]>(docs.map((d) => [d, []]));
  const problemsOf = (doc: LoadedDocument): LintProblem[] => problemsByDoc.get(doc) ?? [];

  for (const doc of docs) {
    const report = reporter(doc, problemsOf(doc));
    for (const w of doc.warnings ?? []) report(w.path, w.message, 'warning');
    const identified = identifyKind(doc.object);
    if (identified.status === 'invalid') {
      report(identified.path, identified.fix === undefined ? identified.message : `${identified.message} (${identified.fix})`);
      continue;
    }
    if (identified.status === 'foreign') {
      report(['kind'], `${identified.kind} (${identified.apiVersion}) is not an Argo resource; argot does not check it`, 'warning');
      continue;
    }
    const schemaProblems: SchemaProblem[] = [];
    const sourceOf = (path: PathSegment[]): string | undefined => doc.plainSource?.(path);
    const cleaned = checkAgainstSchema(doc.object, refType(identified.type), [], schemaProblems, sourceOf);
    const misspelt = new Set<string>();
    for (const p of schemaProblems) {
      report(p.path, p.message, p.severity);
      if (p.suggestion !== undefined) misspelt.add(formatPath([...p.path.slice(0, -1), p.suggestion]));
    }
    if (!isRecord(cleaned)) continue;
    checkMetadata(identified.kind, cleaned, report);
    if (identified.kind === 'CronWorkflow') checkSchedules(cleaned, report);
    if (identified.kind === 'WorkflowTemplate' || identified.kind === 'ClusterWorkflowTemplate') {
      if (isRecord(cleaned['spec'])) local.add(cleaned as unknown as Resource);
    }
    checked.push({ doc, kind: identified.kind, cleaned, misspelt });
  }

  const lookup = registry ? layeredRegistry(local, registry) : local;
  for (const { doc, kind, cleaned, misspelt } of checked) {
    if (!SPEC_KINDS.has(kind)) continue;
    const base: PathSegment[] = kind === 'CronWorkflow' ? ['spec', 'workflowSpec'] : ['spec'];
    const spec = kind === 'CronWorkflow' ? (cleaned['spec'] as Record<string, unknown> | undefined)?.['workflowSpec'] : cleaned['spec'];
    if (!isRecord(spec)) continue;
    const metadata = cleaned['metadata'] as ObjectMeta | undefined;
    const ctx: SpecLintContext = {
      spec: spec as WorkflowSpec,
      base,
      kind: kind as SpecLintContext['kind'],
      registry: lookup,
      registryComplete: registry !== undefined,
      misspelt,
      source: doc.object,
      locate: (path) => doc.position(path),
      report: reporter(doc, problemsOf(doc)),
    };
    if (metadata?.namespace !== undefined) ctx.namespace = metadata.namespace;
    lintWorkflowSpec(ctx);
  }
  // In document order, and top to bottom within a document.
  return docs.flatMap((d) => problemsOf(d).sort((a, b) => a.line - b.line || a.col - b.col));
}

function checkMetadata(kind: string, object: Record<string, unknown>, report: ReturnType<typeof reporter>): void {
  const metadata = (object['metadata'] ?? {}) as ObjectMeta;
  const misplaced = ['name', 'generateName'].find((k) => metadata.labels?.[k] !== undefined || metadata.annotations?.[k] !== undefined);
  const hint = misplaced === undefined ? '' : ` ("${misplaced}" is indented under labels or annotations)`;
  if (kind === 'Workflow') {
    if (!metadata.name && !metadata.generateName) report(['metadata'], `a Workflow needs metadata.name or metadata.generateName${hint}`);
  } else if (!metadata.name) {
    report(['metadata'], `a ${kind} needs metadata.name${hint}`);
  }
}

function checkSchedules(object: Record<string, unknown>, report: ReturnType<typeof reporter>): void {
  const spec = object['spec'] as { schedules?: unknown[]; schedule?: string } | undefined;
  if (spec && !spec.schedules?.length && !spec.schedule) report(['spec'], 'a CronWorkflow needs "schedules": a list of cron expressions');
}

function reporter(doc: LoadedDocument, into: LintProblem[]) {
  return (path: Path, message: string, severity: 'error' | 'warning' = 'error'): void => {
    const { line, col } = nearestPosition(doc, path);
    into.push({ file: doc.file, line, col, path: formatPath(path), message, severity });
  };
}

/** Where `path` is written or, for something missing, where its closest existing parent is. */
function nearestPosition(doc: LoadedDocument, path: Path): Position {
  for (let n = path.length; n >= 0; n--) {
    const pos = doc.position(path.slice(0, n));
    if (pos) return pos;
  }
  return { line: 1, col: 1 };
}
