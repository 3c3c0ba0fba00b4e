// Every YAML file of Argo's examples (../shared/argo-examples) loads, normalises and lints without
// errors, with the templates of all files in the registry, as `argot lint examples/` would see them.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadDocuments, type LoadedDocument } from './load.js';
import { lint } from './lint.js';
import { resourcesOf } from './normalize.js';
import { InMemoryTemplateRegistry } from './registry.js';

const EXAMPLES = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/argo-examples');
const present = existsSync(EXAMPLES);

/**
 * Examples that are genuinely invalid, with the errors argot gives. Both lose their name to bad
 * indentation, so the Kubernetes API would refuse them; Argo's CI skips both (no-test: environment).
 */
const KNOWN_INVALID: Record<string, string[]> = {
  // `generateName:` is indented under metadata.labels, so it is a label, not the name.
  'fun-with-gifs.yaml': [
    '12:1 metadata: a Workflow needs metadata.name or metadata.generateName ("generateName" is indented under labels or annotations)',
  ],
  // `name: k8s-jobs` is indented into the block scalar of an annotation above it.
  'k8s-jobs.yaml': ['8:1 metadata: a Workflow needs metadata.name or metadata.generateName'],
};

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) return yamlFiles(full);
      return /\.ya?ml$/.test(entry) ? [full] : [];
    });
}

if (!present) console.warn(`skipped: the Argo examples corpus is not at ${EXAMPLES}`);

describe.skipIf(!present)(`Argo examples corpus (${EXAMPLES})`, () => {
  const files = present ? yamlFiles(EXAMPLES) : [];
  const loaded = new Map<string, LoadedDocument[]>();
  const registry = new InMemoryTemplateRegistry();
  for (const file of files) {
    const name = relative(EXAMPLES, file);
    // Failures surface in the per-file test below rather than aborting collection.
    try {
      const docs = loadDocuments(readFileSync(file, 'utf8'), name);
      loaded.set(name, docs);
      for (const r of resourcesOf(docs)) registry.add(r);
    } catch {
      /* reported by the test of this file */
    }
  }

  it('has the files EXPECTED.tsv lists', () => {
    const listed = readFileSync(join(EXAMPLES, 'EXPECTED.tsv'), 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.split('\t')[0])
      .filter((f): f is string => f !== undefined && f !== '');
    expect(listed.length).toBeGreaterThan(200);
    for (const f of listed) expect(loaded.has(f), f).toBe(true);
  });

  it.each(files.map((f) => relative(EXAMPLES, f)))('%s', (name) => {
    const docs = loaded.get(name) ?? loadDocuments(readFileSync(join(EXAMPLES, name), 'utf8'), name);
    expect(() => resourcesOf(docs)).not.toThrow();
    const errors = lint(docs, registry)
      .filter((p) => p.severity === 'error')
      .map((p) => `${p.line}:${p.col} ${p.path}: ${p.message}`);
    expect(errors).toEqual(KNOWN_INVALID[name] ?? []);
  });
});
