// What a corpus file holds, for server mode: the Workflows to submit, and the other documents
// (WorkflowTemplates, ConfigMaps, CronWorkflows…) that must be applied first, as Argo's e2e test
// applies every non-Workflow document of the examples before submitting (features.md §3.1).

import { stringify } from 'yaml';
import { loadDocuments } from '../../src/spec/load.js';

export interface ManifestPlan {
  /** `workflows`: submit the Workflow documents. `cron`: only CronWorkflows: run each once. */
  kind: 'workflows' | 'cron' | 'none';
  /** YAML of the documents to `apply -f` before submitting, if any. */
  apply?: string;
  /** The CronWorkflows among them: their scheduling is suspended as soon as they are applied. */
  cronWorkflows: string[];
  /** YAML of the Workflow documents alone, when the file also holds others (submit refuses those). */
  workflowsOnly?: string;
  /** Set when argot cannot read the file: it is submitted as it is, for argot to say why. */
  error?: string;
}

interface Manifest {
  kind?: unknown;
  metadata?: { name?: unknown };
}

/** Reads the file as argot does (YAML 1.1, Go's leniencies), so that what argot accepts, this accepts. */
export function planManifests(text: string, file = 'manifest.yaml'): ManifestPlan {
  let values: Manifest[];
  try {
    values = loadDocuments(text, file)
      .map((d) => d.object)
      .filter((v): v is Manifest => typeof v === 'object' && v !== null);
  } catch (error) {
    return { kind: 'workflows', cronWorkflows: [], error: (error as Error).message };
  }
  const workflows = values.filter((v) => v.kind === 'Workflow');
  const others = values.filter((v) => v.kind !== 'Workflow');
  const cronWorkflows = others.filter((v) => v.kind === 'CronWorkflow').map((v) => String(v.metadata?.name ?? ''));
  const plan: ManifestPlan = {
    kind: workflows.length ? 'workflows' : cronWorkflows.length ? 'cron' : 'none',
    cronWorkflows,
  };
  if (others.length) plan.apply = joinDocuments(others);
  if (others.length && workflows.length) plan.workflowsOnly = joinDocuments(workflows);
  return plan;
}

function joinDocuments(values: unknown[]): string {
  return values.map((v) => stringify(v, { lineWidth: 0 })).join('---\n');
}
