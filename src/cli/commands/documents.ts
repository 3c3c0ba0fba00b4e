import { readFile } from 'node:fs/promises';
import type { TemplateLookup } from '../../engine/index.js';
import { SpecError } from '../../spec/errors.js';
import { lint, formatProblem } from '../../spec/lint.js';
import { loadDocuments } from '../../spec/load.js';
import { resourcesOf } from '../../spec/normalize.js';
import type { ClusterWorkflowTemplate, ConfigMap, CronWorkflow, Resource, Workflow, WorkflowTemplate } from '../../spec/types.js';

export interface WorkflowFile {
  workflows: Workflow[];
  templates: TemplateLookup & { workflowTemplates: WorkflowTemplate[]; clusterTemplates: ClusterWorkflowTemplate[] };
  kinds: string[];
  /** ConfigMaps in the file (semaphore limits, parameters): applied before the run. */
  configMaps: ConfigMap[];
}

export async function readText(file: string): Promise<string> {
  if (file !== '-') return readFile(file, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Loads and lints a file; prints every problem (errors stop the run, warnings do not). */
export async function readWorkflowFile(file: string): Promise<WorkflowFile | undefined> {
  let resources: Resource[];
  try {
    const docs = loadDocuments(await readText(file), file === '-' ? '<stdin>' : file);
    const problems = lint(docs);
    for (const p of problems) process.stderr.write(`${formatProblem(p)}\n`);
    if (problems.some((p) => p.severity === 'error')) return undefined;
    resources = resourcesOf(docs);
  } catch (err) {
    if (err instanceof SpecError) {
      process.stderr.write(`${err.message}\n`);
      return undefined;
    }
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      process.stderr.write(`argot: ${file}: no such file\n`);
      return undefined;
    }
    throw err;
  }
  // A CronWorkflow file runs its workflowSpec once now, as `argo submit --from cronwf/NAME` does.
  const workflows = [...resources.filter((r): r is Workflow => r.kind === 'Workflow'), ...resources.filter((r): r is CronWorkflow => r.kind === 'CronWorkflow').map(fromCron)];
  const workflowTemplates = resources.filter((r): r is WorkflowTemplate => r.kind === 'WorkflowTemplate');
  const clusterTemplates = resources.filter((r): r is ClusterWorkflowTemplate => r.kind === 'ClusterWorkflowTemplate');
  return {
    workflows,
    kinds: [...new Set(resources.map((r) => r.kind))],
    configMaps: resources.filter((r): r is ConfigMap => r.kind === 'ConfigMap'),
    templates: {
      workflowTemplates,
      clusterTemplates,
      workflowTemplate: (name) => workflowTemplates.find((t) => t.metadata.name === name),
      clusterWorkflowTemplate: (name) => clusterTemplates.find((t) => t.metadata.name === name),
    },
  };
}

function fromCron(cron: CronWorkflow): Workflow {
  const name = cron.metadata.name ?? 'cron';
  const meta = cron.spec.workflowMetadata;
  return {
    apiVersion: cron.apiVersion,
    kind: 'Workflow',
    metadata: {
      generateName: `${name}-`,
      ...(cron.metadata.namespace ? { namespace: cron.metadata.namespace } : {}),
      labels: { ...(meta?.labels ?? {}), 'workflows.argoproj.io/cron-workflow': name },
      ...(meta?.annotations ? { annotations: { ...meta.annotations } } : {}),
    },
    spec: structuredClone(cron.spec.workflowSpec),
  };
}
