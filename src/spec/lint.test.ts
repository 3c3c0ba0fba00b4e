// lint's structural checks (fields and their kinds against argot's schema), document-level rules
// and how problems are located and printed. The rules about references live in lint-spec.test.ts.

import { describe, expect, it } from 'vitest';
import { loadDocuments } from './load.js';
import { formatProblem, lint, type LintProblem } from './lint.js';

const HEADER = 'apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  generateName: t-\n';

function lintText(text: string, file = 'wf.yaml'): LintProblem[] {
  return lint(loadDocuments(text, file));
}

function errorsOf(text: string): string[] {
  return lintText(text)
    .filter((p) => p.severity === 'error')
    .map((p) => `${p.path}: ${p.message}`);
}

const VALID = `${HEADER}spec:
  entrypoint: main
  templates:
  - name: main
    container:
      image: alpine
      command: [echo, hi]
`;

describe('lint: unknown fields', () => {
  it('reports a misspelt field at its key, with the closest known field', () => {
    const text = VALID.replace('  entrypoint: main', '  entrypont: main');
    const problems = lintText(text);
    expect(problems).toEqual([
      {
        file: 'wf.yaml',
        line: 6,
        col: 3,
        path: 'spec.entrypont',
        message: 'unknown field "entrypont" in WorkflowSpec, did you mean "entrypoint"?',
        severity: 'error',
      },
    ]);
    expect(formatProblem(problems[0]!)).toBe(
      'wf.yaml:6:3: unknown field "entrypont" in WorkflowSpec, did you mean "entrypoint"? (spec.entrypont)',
    );
  });

  it('finds typos deep inside templates and Kubernetes objects', () => {
    const text = VALID.replace('      image: alpine', '      imag: alpine\n      resources: {limits: {cpu: 1}, request: {}}');
    expect(errorsOf(text)).toEqual([
      'spec.templates[0].container.imag: unknown field "imag" in Container, did you mean "image"?',
      'spec.templates[0].container.resources.request: unknown field "request" in ResourceRequirements, did you mean "requests"?',
    ]);
  });

  it('has no suggestion when nothing is close', () => {
    expect(errorsOf(VALID.replace('  entrypoint: main', '  entrypoint: main\n  zzzzzz: 1'))).toEqual([
      'spec.zzzzzz: unknown field "zzzzzz" in WorkflowSpec',
    ]);
  });

  it('accepts a clean workflow', () => {
    expect(lintText(VALID)).toEqual([]);
  });
});

describe('lint: field kinds', () => {
  it('rejects a string where a list is expected', () => {
    expect(errorsOf(VALID.replace('command: [echo, hi]', 'command: echo hi'))).toEqual([
      'spec.templates[0].container.command: "command" must be a list of strings, got a string',
    ]);
  });

  it('rejects a string in an integer field and a map in a string field', () => {
    const text = VALID.replace('  entrypoint: main', '  entrypoint: main\n  parallelism: "2"\n  serviceAccountName: {a: 1}');
    expect(errorsOf(text)).toEqual([
      'spec.parallelism: "parallelism" must be an integer, got a string',
      'spec.serviceAccountName: "serviceAccountName" must be a string, got a map',
    ]);
  });

  it('accepts what Go converts: numbers and booleans in string fields, ints or strings in IntOrString', () => {
    const text = VALID.replace(
      '      command: [echo, hi]',
      '      command: [echo, 5, true]\n      ports: [{containerPort: 80}]\n      readinessProbe: {httpGet: {port: http}, periodSeconds: 1}\n    activeDeadlineSeconds: "10"\n    retryStrategy: {limit: 2}',
    );
    expect(lintText(text)).toEqual([]);
  });

  it('warns when YAML 1.1 turns an unquoted word in a string field into a boolean', () => {
    const text = VALID.replace('command: [echo, hi]', 'command: [echo, yes, "no", true]').replace('- name: main', '- name: main\n    nodeSelector: {fast: on}');
    expect(lintText(text).map((p) => `${p.severity} ${p.path}: ${p.message}`)).toEqual([
      'warning spec.templates[0].nodeSelector.fast: on is read as the boolean true (YAML 1.1, as Argo reads it) and becomes the string "true"; quote it to keep "on"',
      'warning spec.templates[0].container.command[1]: yes is read as the boolean true (YAML 1.1, as Argo reads it) and becomes the string "true"; quote it to keep "yes"',
    ]);
  });

  it('reports a list item of the wrong kind at the item', () => {
    const problems = lintText(VALID.replace('  templates:\n', '  templates:\n  - just-a-name\n'));
    expect(problems[0]).toMatchObject({ path: 'spec.templates[0]', line: 8, col: 5, message: 'item 0 must be a Template object, got a string' });
  });
});

describe('lint: documents', () => {
  it('checks apiVersion and kind', () => {
    expect(errorsOf('apiVersion: argoproj.io/v1alpha1\nkind: Workfow\n')).toEqual(['kind: unknown kind "Workfow", did you mean "Workflow"?']);
    expect(errorsOf('kind: Workflow\nspec: {}\n')).toEqual([': missing "apiVersion" (add apiVersion: argoproj.io/v1alpha1)']);
  });

  it('needs metadata.name or generateName, and says when it is indented under labels', () => {
    const text = VALID.replace('metadata:\n  generateName: t-\n', 'metadata:\n  labels:\n    generateName: t-\n');
    expect(errorsOf(text)).toEqual([
      'metadata: a Workflow needs metadata.name or metadata.generateName ("generateName" is indented under labels or annotations)',
    ]);
  });

  it('warns about duplicate keys and about Kubernetes objects it does not check', () => {
    const text = `${VALID}  entrypoint: main\n---\napiVersion: v1\nkind: ResourceQuota\nmetadata: {name: q}\n`;
    const warnings = lintText(text).filter((p) => p.severity === 'warning');
    expect(warnings.map((p) => `${p.line}:${p.col} ${p.message}`)).toEqual([
      '12:3 duplicate key "entrypoint": the last one wins',
      '15:1 ResourceQuota (v1) is not an Argo resource; argot does not check it',
    ]);
  });

  it('lints JSON documents with positions', () => {
    const json = JSON.stringify(
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name: 'j' }, spec: { entrypoint: 'main', templats: [] } },
      null,
      2,
    );
    expect(lintText(json, 'wf.json').map(formatProblem)).toContain(
      'wf.json:9:5: unknown field "templats" in WorkflowSpec, did you mean "templates"? (spec.templats)',
    );
  });

  it('checks every kind it knows: CronWorkflow schedules, WorkflowEventBinding, ConfigMap, PersistentVolumeClaim', () => {
    const cron = `apiVersion: argoproj.io/v1alpha1
kind: CronWorkflow
metadata: {name: c}
spec:
  schedule: "* * * * *"
  workflowSpec:
    entrypoint: main
    templates: [{name: main, suspend: {}}]
`;
    const problems = lintText(cron);
    expect(problems.map((p) => `${p.severity} ${p.path}: ${p.message}`)).toEqual([
      'warning spec.schedule: "schedule" is deprecated and was removed in Argo v4.0; write it as a list: schedules: ["* * * * *"]',
    ]);
    expect(errorsOf(cron.replace('  schedule: "* * * * *"\n', ''))).toEqual(['spec: a CronWorkflow needs "schedules": a list of cron expressions']);

    const others = `apiVersion: argoproj.io/v1alpha1
kind: WorkflowEventBinding
metadata: {name: b}
spec:
  event: {selektor: x}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: c}
data: {a: 1}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: p}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}, storageClass: x}
`;
    expect(errorsOf(others)).toEqual([
      'spec.event: Event is missing the required field "selector"',
      'spec.event.selektor: unknown field "selektor" in Event, did you mean "selector"?',
      'spec.storageClass: unknown field "storageClass" in PersistentVolumeClaimSpec, did you mean "storageClassName"?',
    ]);
  });

  it('sorts problems top to bottom within each document, documents in order', () => {
    const text = `${HEADER}spec:\n  templates: []\n  b: 1\n  a: 2\n---\n${HEADER}spec:\n  entrypoint: x\n  templates: []\n`;
    expect(lintText(text).map((p) => p.line)).toEqual([5, 7, 8, 15]);
  });
});
