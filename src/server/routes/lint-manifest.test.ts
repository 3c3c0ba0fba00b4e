import { describe, expect, it } from 'vitest';
import { lintManifest } from './lint-manifest.js';

describe('lintManifest', () => {
  it('points a misspelt field at its line and column', () => {
    const text = ['apiVersion: argoproj.io/v1alpha1', 'kind: Workflow', 'metadata:', '  generateName: x-', 'spec:', '  entrypont: main', '  templates:', '    - name: main', '      container: {image: alpine}', ''].join('\n');
    const { problems } = lintManifest(text);
    const misspelt = problems.find((p) => p.path.includes('entrypont'));
    expect(misspelt).toMatchObject({ line: 6, col: 3, severity: 'error' });
  });

  it('reports a YAML syntax error as one problem at its line', () => {
    const { problems } = lintManifest('kind: Workflow\nspec: [unclosed\n');
    expect(problems).toHaveLength(1);
    expect(problems[0]?.severity).toBe('error');
    expect(problems[0]?.line).toBeGreaterThanOrEqual(2);
  });

  it('finds nothing wrong in a valid workflow', () => {
    const text = 'apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {generateName: x-}\nspec:\n  entrypoint: main\n  templates:\n  - name: main\n    container: {image: alpine}\n';
    expect(lintManifest(text).problems.filter((p) => p.severity === 'error')).toEqual([]);
  });
});
