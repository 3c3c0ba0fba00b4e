import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_SUPPLIED, describeAnswer, HUMAN_DRIVES, pendingAnswers, suppliedOutputs, templateOf } from '../../scripts/conformance/drive.js';
import { parseExpectedTsv } from '../../scripts/conformance/expected.js';
import { REPO_ROOT } from '../../scripts/conformance/main.js';
import type { NodeStatus, Template, Workflow } from '../../src/spec/types.js';

const supplied = { supplied: {} };

describe('suppliedOutputs', () => {
  it('supplies the first enum value, else the default, else "approved"', () => {
    const template: Template = {
      name: 'approve',
      suspend: {},
      outputs: {
        parameters: [
          { name: 'choice', enum: ['b', 'a'], default: 'a', valueFrom: supplied },
          { name: 'fallback', default: 'x', valueFrom: supplied },
          { name: 'inner', valueFrom: { supplied: {}, default: 'y' } },
          { name: 'free', valueFrom: supplied },
          { name: 'computed', valueFrom: { path: '/tmp/x' } },
        ],
      },
    };
    expect(suppliedOutputs(template)).toEqual({ choice: 'b', fallback: 'x', inner: 'y', free: DEFAULT_SUPPLIED });
  });

  it('takes the choices from the input of the same name, as Argo’s UI does', () => {
    const template: Template = {
      name: 'approval',
      suspend: {},
      inputs: { parameters: [{ name: 'approve', default: 'NO', enum: ['YES', 'NO'] }] },
      outputs: { parameters: [{ name: 'approve', valueFrom: supplied }] },
    };
    expect(suppliedOutputs(template)).toEqual({ approve: 'YES' });
    expect(suppliedOutputs({ ...template, inputs: { parameters: [{ name: 'approve', default: 'NO' }] } })).toEqual({ approve: 'NO' });
  });

  it('supplies nothing for a bare suspend', () => {
    expect(suppliedOutputs({ name: 'approve', suspend: {} })).toEqual({});
  });
});

function node(id: string, fields: Partial<NodeStatus>): NodeStatus {
  return { id, name: `wf.${id}`, displayName: id, type: 'Suspend', phase: 'Running', templateName: id, ...fields };
}

function workflow(nodes: NodeStatus[], templates: Template[] = []): Workflow {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name: 'wf' }, spec: { templates }, status: { phase: 'Running', nodes: Object.fromEntries(nodes.map((n) => [n.id, n])) } };
}

describe('pendingAnswers', () => {
  const approve: Template = { name: 'approve', suspend: {}, outputs: { parameters: [{ name: 'message', valueFrom: supplied }] } };
  const drive = { resume: ['approve'], why: 'test' };

  it('answers the running suspend nodes the drive names, with their supplied outputs', () => {
    const wf = workflow([node('approve', {}), node('delay', {}), node('build', { type: 'Pod' })], [approve]);
    expect(pendingAnswers(wf, drive, new Set())).toEqual([{ node: 'approve', outputs: { message: DEFAULT_SUPPLIED } }]);
  });

  it('waits for the node to run and answers it once', () => {
    expect(pendingAnswers(workflow([node('approve', { phase: 'Pending' })], [approve]), drive, new Set())).toEqual([]);
    expect(pendingAnswers(workflow([node('approve', {})], [approve]), drive, new Set(['approve']))).toEqual([]);
    expect(pendingAnswers(workflow([node('approve', { phase: 'Succeeded' })], [approve]), drive, new Set())).toEqual([]);
  });

  it('answers a suspend node even when its template cannot be found, by resuming it', () => {
    expect(pendingAnswers(workflow([node('approve', {})]), drive, new Set())).toEqual([{ node: 'approve', outputs: {} }]);
  });

  it('finds templates of referenced WorkflowTemplates', () => {
    const wf = workflow([node('approve', { templateName: undefined, templateRef: { name: 'wft', template: 'approve' } })]);
    wf.status = { ...wf.status, storedTemplates: { 'namespaced/wft/approve': approve } };
    expect(templateOf(wf, node('approve', { templateName: undefined, templateRef: { name: 'wft', template: 'approve' } }))).toBe(approve);
    wf.status = { ...wf.status, storedTemplates: {}, storedWorkflowTemplateSpec: { templates: [approve] } };
    expect(templateOf(wf, node('approve', {}))).toBe(approve);
  });

  it('describes what it answered', () => {
    expect(describeAnswer({ node: 'approve', outputs: { message: 'approved' } })).toBe('approve (message=approved)');
    expect(describeAnswer({ node: 'approve', outputs: {} })).toBe('approve');
  });
});

const corpus = process.env['ARGOT_EXAMPLES'] ?? join(REPO_ROOT, '..', 'shared', 'argo-examples');
const tsv = join(corpus, 'EXPECTED.tsv');

describe.skipIf(!existsSync(tsv))('HUMAN_DRIVES against the real corpus', () => {
  const rows = existsSync(tsv) ? parseExpectedTsv(readFileSync(tsv, 'utf8')) : [];

  it('has an entry for every row that needs a human, and no stale entries', () => {
    const human = rows.filter((r) => r.needs.includes('human')).map((r) => r.file).sort();
    expect(Object.keys(HUMAN_DRIVES).sort()).toEqual(human);
  });

  it('names steps of each file that call a suspend template without a duration', () => {
    for (const [file, drive] of Object.entries(HUMAN_DRIVES)) {
      const wf = parse(readFileSync(join(corpus, file), 'utf8')) as Workflow;
      const templates = new Map((wf.spec.templates ?? []).map((t) => [t.name, t]));
      const steps = (wf.spec.templates ?? []).flatMap((t) => [...(t.steps ?? []).flat(), ...(t.dag?.tasks ?? [])]);
      for (const name of drive.resume) {
        const step = steps.find((s) => s.name === name);
        const template = step?.template ? templates.get(step.template) : undefined;
        expect(template?.suspend, `${file}: ${name}`).toBeDefined();
        expect(template?.suspend?.duration, `${file}: ${name}`).toBeUndefined();
      }
    }
  });
});
