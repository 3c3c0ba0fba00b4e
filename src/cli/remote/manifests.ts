// Reading manifests for the server: every file is loaded and linted locally first, together (so
// templateRefs between them resolve), and nothing is sent while any of them has an error. Problems
// point at file:line:col, which the server's answer could not do.

import { formatProblem, lint } from '../../spec/lint.js';
import { loadDocuments, type LoadedDocument } from '../../spec/load.js';
import { resourcesOf } from '../../spec/normalize.js';
import type { Resource } from '../../spec/types.js';
import { readText } from '../commands/documents.js';
import { CommandError, type RemoteContext } from './context.js';

export interface Manifest {
  resource: Resource;
  /** `file` or `file#2` for the third document of a stream, for messages. */
  source: string;
}

export async function readManifests(ctx: RemoteContext, files: readonly string[]): Promise<Manifest[]> {
  if (files.length === 0) throw new CommandError('no files given');
  const docs: LoadedDocument[] = [];
  for (const file of files) {
    const label = file === '-' ? '<stdin>' : file;
    docs.push(...loadDocuments(await readSource(file), label));
  }
  const problems = lint(docs);
  for (const p of problems) ctx.err(`${formatProblem(p)}\n`);
  const errors = problems.filter((p) => p.severity === 'error').length;
  if (errors > 0) throw new CommandError(`${errors} error${errors === 1 ? '' : 's'} in ${files.join(', ')}; nothing was sent to the server`);

  const perFile = new Map<string, number>();
  for (const doc of docs) perFile.set(doc.file, (perFile.get(doc.file) ?? 0) + 1);
  const out: Manifest[] = [];
  for (const doc of docs) {
    // Kubernetes objects mixed into the file (a PVC, a Secret) are for kubectl: skipped, as lint warned.
    const [resource] = resourcesOf([doc]);
    if (resource) out.push({ resource, source: (perFile.get(doc.file) ?? 0) > 1 ? `${doc.file}#${doc.index}` : doc.file });
  }
  return out;
}

/** A path, `-` for stdin, or an http(s) URL as argo accepts for `submit`. */
async function readSource(file: string): Promise<string> {
  if (/^https?:\/\//i.test(file)) {
    let response: Response;
    try {
      response = await fetch(file);
    } catch (err) {
      throw new CommandError(`${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!response.ok) throw new CommandError(`${file}: ${response.status} ${response.statusText}`);
    return response.text();
  }
  try {
    return await readText(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CommandError(`${file}: no such file`);
    if (code === 'EISDIR') throw new CommandError(`${file}: is a directory`);
    throw err;
  }
}

/** The manifests of one kind; the others are named in an error, since sending them elsewhere is likely a mistake. */
export function manifestsOfKind<K extends Resource['kind']>(manifests: readonly Manifest[], kind: K, hint: string): (Manifest & { resource: Extract<Resource, { kind: K }> })[] {
  const wrong = manifests.filter((m) => m.resource.kind !== kind);
  if (wrong.length > 0) {
    const list = wrong.map((m) => `${m.source}: ${m.resource.kind} "${m.resource.metadata.name ?? m.resource.metadata.generateName ?? ''}"`).join(', ');
    throw new CommandError(`expected ${kind} documents, found ${list}${hint ? ` (${hint})` : ''}`);
  }
  if (manifests.length === 0) throw new CommandError(`no ${kind} documents found`);
  return manifests as (Manifest & { resource: Extract<Resource, { kind: K }> })[];
}
