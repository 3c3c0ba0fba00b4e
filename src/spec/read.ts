// The only file of spec/ that touches the filesystem.

import { readFile } from 'node:fs/promises';
import { SpecError } from './errors.js';
import { loadDocuments, type LoadedDocument } from './load.js';
import { resourcesOf } from './normalize.js';
import type { Resource } from './types.js';

/**
 * Loads every document of a file. `resources` holds the ones argot runs; Kubernetes objects it does
 * not read (a PersistentVolumeClaim, a ResourceQuota) and WorkflowEventBindings stay only in `docs`,
 * where lint still sees them. A malformed or misspelt Argo resource throws.
 */
export async function loadResourcesFromFile(path: string): Promise<{ resources: Resource[]; docs: LoadedDocument[] }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new SpecError(`cannot read the file: ${reason}`, { code: 'read-failed', file: path, line: 1, col: 1, cause });
  }
  const docs = loadDocuments(text, path);
  return { resources: resourcesOf(docs), docs };
}
