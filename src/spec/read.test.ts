import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpecError } from './errors.js';
import { loadResourcesFromFile } from './read.js';

describe('loadResourcesFromFile', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'argot-spec-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('returns the resources argot runs and every document', async () => {
    const file = join(dir, 'mixed.yaml');
    await writeFile(
      file,
      `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: p}
---
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: w-}
spec:
  entrypoint: main
  arguments: {parameters: [{name: count, value: 3}]}
  templates: [{name: main, suspend: {}}]
`,
    );
    const { resources, docs } = await loadResourcesFromFile(file);
    expect(docs).toHaveLength(2);
    expect(resources).toHaveLength(1);
    expect(resources[0]).toMatchObject({ kind: 'Workflow', spec: { arguments: { parameters: [{ name: 'count', value: '3' }] } } });
  });

  it('throws a SpecError naming the file when it cannot be read', async () => {
    const missing = join(dir, 'missing.yaml');
    await expect(loadResourcesFromFile(missing)).rejects.toThrow(SpecError);
    await expect(loadResourcesFromFile(missing)).rejects.toMatchObject({ code: 'read-failed', file: missing });
  });
});
