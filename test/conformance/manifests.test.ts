import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { planManifests } from '../../scripts/conformance/manifests.js';

const workflow = 'apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  generateName: hello-\nspec:\n  entrypoint: main\n';
const template = 'apiVersion: argoproj.io/v1alpha1\nkind: WorkflowTemplate\nmetadata:\n  name: greeting\nspec: {}\n';
const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: params\ndata:\n  message: hi\n';
const cron = (name: string): string => `apiVersion: argoproj.io/v1alpha1\nkind: CronWorkflow\nmetadata:\n  name: ${name}\nspec:\n  schedules: ["* * * * *"]\n`;

const kinds = (text: string | undefined): unknown[] => parseAllDocuments(text ?? '').map((d) => (d.toJS() as { kind: string }).kind);

describe('planManifests', () => {
  it('submits a file of Workflows as it is', () => {
    expect(planManifests(`# a comment\n${workflow}---\n${workflow}`)).toEqual({ kind: 'workflows', cronWorkflows: [] });
  });

  it('applies the other documents of a file first, and submits its Workflows alone', () => {
    const plan = planManifests(`${configMap}---\n${workflow}---\n${template}`);
    expect(plan.kind).toBe('workflows');
    expect(kinds(plan.apply)).toEqual(['ConfigMap', 'WorkflowTemplate']);
    expect(kinds(plan.workflowsOnly)).toEqual(['Workflow']);
  });

  it('runs a CronWorkflow-only file through its CronWorkflows, applied first', () => {
    const plan = planManifests(`${cron('a')}---\n${cron('b')}`);
    expect(plan).toMatchObject({ kind: 'cron', cronWorkflows: ['a', 'b'] });
    expect(kinds(plan.apply)).toEqual(['CronWorkflow', 'CronWorkflow']);
    expect(plan.workflowsOnly).toBeUndefined();
  });

  it('has nothing to run in a file of templates', () => {
    expect(planManifests(template)).toMatchObject({ kind: 'none', cronWorkflows: [] });
    expect(planManifests('')).toEqual({ kind: 'none', cronWorkflows: [] });
  });

  it('submits a file it cannot read as it is, for argot to say why', () => {
    expect(planManifests('kind: [unclosed\n')).toMatchObject({ kind: 'workflows', cronWorkflows: [], error: expect.any(String) });
  });

  it('reads what argot reads: a quoted scalar continued on a less indented line', () => {
    // As in secrets.yaml: go-yaml accepts it, a strict YAML parser does not.
    const text = `${workflow}  templates:\n  - name: main\n    container:\n      args: ['\n        echo "a";\n        echo "b"\n      ']\n`;
    expect(planManifests(text)).toEqual({ kind: 'workflows', cronWorkflows: [] });
  });
});
