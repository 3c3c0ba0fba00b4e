import { describe, expect, it } from 'vitest';
import { parseControllerConfig } from '../../src/controller/controller-config.js';

describe('controller config', () => {
  it('reads Argo’s ConfigMap form, with YAML in data values', () => {
    const cfg = parseControllerConfig(
      `apiVersion: v1
kind: ConfigMap
metadata: {name: workflow-controller-configmap}
data:
  parallelism: "2"
  workflowDefaults: |
    metadata:
      labels: {team: a}
    spec:
      ttlStrategy: {secondsAfterCompletion: 60}
`,
      'cm.yaml',
    );
    expect(cfg).toEqual({ parallelism: 2, workflowDefaults: { metadata: { labels: { team: 'a' } }, spec: { ttlStrategy: { secondsAfterCompletion: 60 } } } });
  });

  it('reads a plain map, and says which key is wrong', () => {
    expect(parseControllerConfig('parallelism: 3\n', 'c.yaml')).toEqual({ parallelism: 3 });
    expect(() => parseControllerConfig('parallelism: many\n', 'c.yaml')).toThrow(/c\.yaml: parallelism must be a non-negative integer/);
    expect(() => parseControllerConfig('workflowDefaults: [1]\n', 'c.yaml')).toThrow(/workflowDefaults must be a Workflow/);
  });
});
