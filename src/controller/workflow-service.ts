import { open, stat } from 'node:fs/promises';
import { isWorkflowFinished, podName } from '../engine/index.js';
import {
  OperationError,
  overrideParameters,
  resubmitWorkflow,
  resumeWorkflow,
  retryWorkflow,
  setNodes,
  shutdownWorkflow,
  suspendWorkflow,
} from '../engine/operations.js';
import { formatProblem, lint } from '../spec/lint.js';
import { documentFromObject } from '../spec/load.js';
import type { Workflow } from '../spec/types.js';
import type { Change, ListOptions, ListResult } from '../store/types.js';
import { NotFoundError } from '../store/types.js';
import type { Controller } from './controller.js';
import { workflowFilter } from './watch-filter.js';
import { InvalidError, type LockView, type LogEntry, type LogOptions, type NodeSetOptions, type RetryOptions, type SubmitOptions, type WorkflowService } from './service.js';

export interface WorkflowServiceOptions {
  controller: Controller;
  /** Where a container's log file is: the runtime's layout. */
  logPath: (namespace: string, workflow: string, pod: string, container: string) => string;
  now?: () => Date;
}

/** WorkflowService over the controller and its store: what the HTTP API and the embedded CLI call. */
export class ControllerWorkflowService implements WorkflowService {
  private readonly controller: Controller;
  private readonly now: () => Date;

  constructor(private readonly opts: WorkflowServiceOptions) {
    this.controller = opts.controller;
    this.now = opts.now ?? (() => new Date());
  }

  private get store() {
    return this.controller.store;
  }

  async create(wf: Workflow, opts: SubmitOptions = {}): Promise<Workflow> {
    const prepared = applySubmitOptions(structuredClone(wf), opts);
    this.validate(prepared);
    if (opts.dryRun) return prepared;
    return this.controller.submit(prepared);
  }

  async submitFrom(namespace: string, kind: string, name: string, opts: SubmitOptions = {}): Promise<Workflow> {
    const k = kind.toLowerCase();
    let wf: Workflow;
    if (k === 'workflowtemplate' || k === 'wftmpl' || k === 'clusterworkflowtemplate' || k === 'cwftmpl' || k === 'cwft') {
      const cluster = k.startsWith('cluster') || k.startsWith('cwf');
      const tmpl = cluster ? await this.store.clusterWorkflowTemplates.get('', name) : await this.store.workflowTemplates.get(namespace, name);
      if (!tmpl) throw new NotFoundError(cluster ? 'ClusterWorkflowTemplate' : 'WorkflowTemplate', cluster ? name : `${namespace}/${name}`);
      wf = {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Workflow',
        metadata: {
          generateName: `${name}-`,
          namespace,
          labels: { [cluster ? 'workflows.argoproj.io/cluster-workflow-template' : 'workflows.argoproj.io/workflow-template']: name },
        },
        spec: { workflowTemplateRef: cluster ? { name, clusterScope: true } : { name } },
      };
    } else if (k === 'cronworkflow' || k === 'cronwf' || k === 'cwf') {
      const cron = await this.store.cronWorkflows.get(namespace, name);
      if (!cron) throw new NotFoundError('CronWorkflow', `${namespace}/${name}`);
      wf = {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Workflow',
        metadata: {
          generateName: `${name}-`,
          namespace,
          labels: { ...(cron.spec.workflowMetadata?.labels ?? {}), 'workflows.argoproj.io/cron-workflow': name },
          ...(cron.spec.workflowMetadata?.annotations ? { annotations: { ...cron.spec.workflowMetadata.annotations } } : {}),
        },
        spec: structuredClone(cron.spec.workflowSpec),
      };
    } else {
      throw new InvalidError(`cannot submit from kind '${kind}': expected workflowtemplate, clusterworkflowtemplate or cronworkflow`);
    }
    return this.create(wf, opts);
  }

  async lint(wf: Workflow): Promise<Workflow> {
    this.validate(wf);
    return wf;
  }

  async get(namespace: string, name: string): Promise<Workflow> {
    const wf = await this.store.workflows.get(namespace, name);
    if (!wf) throw new NotFoundError('Workflow', `${namespace}/${name}`);
    return this.controller.locks.live(wf);
  }

  list(opts: ListOptions): Promise<ListResult<Workflow>> {
    return this.store.workflows.list(opts);
  }

  async delete(namespace: string, name: string): Promise<void> {
    if (!(await this.controller.delete(namespace, name))) throw new NotFoundError('Workflow', `${namespace}/${name}`);
  }

  async retry(namespace: string, name: string, opts: RetryOptions = {}): Promise<Workflow> {
    await this.get(namespace, name);
    return this.operate(namespace, name, (wf) =>
      retryWorkflow(wf, {
        ...(opts.restartSuccessful !== undefined ? { restartSuccessful: opts.restartSuccessful } : {}),
        ...(opts.nodeFieldSelector !== undefined ? { nodeFieldSelector: opts.nodeFieldSelector } : {}),
        parameters: parseParameters(opts.parameters),
      }),
    );
  }

  async resubmit(namespace: string, name: string, opts: { parameters?: string[] } = {}): Promise<Workflow> {
    const wf = await this.get(namespace, name);
    return this.controller.submit(resubmitWorkflow(wf, parseParameters(opts.parameters)));
  }

  suspend(namespace: string, name: string): Promise<Workflow> {
    return this.operate(namespace, name, (wf) => ({ workflow: suspendWorkflow(wf) }));
  }

  resume(namespace: string, name: string, opts: { nodeFieldSelector?: string } = {}): Promise<Workflow> {
    return this.operate(namespace, name, (wf) => ({ workflow: resumeWorkflow(wf, opts.nodeFieldSelector, this.now()) }));
  }

  stop(namespace: string, name: string): Promise<Workflow> {
    return this.operate(namespace, name, (wf) => ({ workflow: shutdownWorkflow(wf, 'Stop') }));
  }

  terminate(namespace: string, name: string): Promise<Workflow> {
    return this.operate(namespace, name, (wf) => ({ workflow: shutdownWorkflow(wf, 'Terminate') }));
  }

  setNode(namespace: string, name: string, opts: NodeSetOptions): Promise<Workflow> {
    return this.operate(namespace, name, (wf) => ({ workflow: setNodes(wf, opts, this.now()) }));
  }

  watch(opts: ListOptions, listener: (change: Change<Workflow>) => void): () => void {
    const matches = workflowFilter(opts);
    return this.store.workflows.watch((change) => {
      if (matches(change.object)) listener(change);
    });
  }

  async logs(namespace: string, name: string, opts: LogOptions, onEntry: (entry: LogEntry) => void, signal?: AbortSignal): Promise<void> {
    const container = opts.container ?? 'main';
    const offsets = new Map<string, number>();
    const partial = new Map<string, string>();
    const emit = (pod: string, text: string): void => {
      const lines = (partial.get(pod) ?? '') + text;
      const parts = lines.split('\n');
      partial.set(pod, parts.pop() ?? '');
      for (const line of parts) if (!opts.grep || line.includes(opts.grep)) onEntry({ podName: pod, content: line });
    };
    for (;;) {
      const wf = await this.get(namespace, name);
      const pods = Object.values(wf.status?.nodes ?? {})
        .filter((n) => n.type === 'Pod')
        .sort((a, b) => (a.startedAt ?? '').localeCompare(b.startedAt ?? ''))
        .map((n) => podName(name, n.name, n.templateName))
        .filter((p) => !opts.podName || p === opts.podName);
      for (const pod of pods) {
        const file = this.opts.logPath(namespace, name, pod, container);
        const from = offsets.get(pod) ?? 0;
        const size = await stat(file).then((s) => s.size, () => 0);
        if (size <= from) continue;
        const handle = await open(file, 'r');
        try {
          const buffer = Buffer.alloc(size - from);
          await handle.read(buffer, 0, buffer.length, from);
          offsets.set(pod, size);
          emit(pod, buffer.toString('utf8'));
        } finally {
          await handle.close();
        }
      }
      if (!opts.follow || isWorkflowFinished(wf.status?.phase) || signal?.aborted) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
      if (signal?.aborted) break;
    }
    for (const [pod, rest] of partial) if (rest !== '' && (!opts.grep || rest.includes(opts.grep))) onEntry({ podName: pod, content: rest });
  }

  async deletePod(namespace: string, name: string, pod: string, opts: { graceSeconds?: number } = {}): Promise<void> {
    const wf = await this.get(namespace, name);
    const node = Object.values(wf.status?.nodes ?? {}).find((n) => n.type === 'Pod' && (n.id === pod || n.name === pod || podName(name, n.name, n.templateName) === pod));
    if (!node) throw new NotFoundError('Pod', `${pod} of workflow ${namespace}/${name}`);
    await this.controller.runtime.deletePod(podName(name, node.name, node.templateName), opts.graceSeconds ? { graceSeconds: opts.graceSeconds } : undefined);
  }

  async locks(namespace: string): Promise<LockView[]> {
    return this.controller.locks
      .snapshot()
      .filter((l) => !namespace || l.ref.namespace === namespace)
      .map((l) => ({
        name: l.ref.id,
        type: l.ref.kind,
        namespace: l.ref.namespace,
        ...(l.limit !== undefined ? { limit: l.limit } : {}),
        holders: l.holders,
        waiting: l.waiting,
      }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.type.localeCompare(b.type));
  }

  private async operate(namespace: string, name: string, change: Parameters<Controller['mutate']>[2]): Promise<Workflow> {
    await this.get(namespace, name);
    try {
      return await this.controller.mutate(namespace, name, change);
    } catch (err) {
      if (err instanceof OperationError) throw new InvalidError(err.message);
      throw err;
    }
  }

  private validate(wf: Workflow): void {
    const problems = lint([documentFromObject(wf, `workflow ${wf.metadata.name ?? wf.metadata.generateName ?? ''}`)]).filter((p) => p.severity === 'error');
    if (problems.length > 0) throw new InvalidError(problems.map((p) => p.message).join('; '), problems.map(formatProblem));
  }
}

function parseParameters(list: string[] | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const item of list ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new InvalidError(`parameter '${item}': expected name=value`);
    out.set(item.slice(0, eq), item.slice(eq + 1));
  }
  return out;
}

function applySubmitOptions(wf: Workflow, opts: SubmitOptions): Workflow {
  const params = parseParameters(opts.parameters);
  if (params.size > 0) wf.spec.arguments = { ...wf.spec.arguments, parameters: overrideParameters(wf.spec.arguments?.parameters ?? [], params) };
  if (opts.entrypoint) wf.spec.entrypoint = opts.entrypoint;
  if (opts.labels) wf.metadata.labels = { ...(wf.metadata.labels ?? {}), ...opts.labels };
  if (opts.name) wf.metadata.name = opts.name;
  if (opts.generateName) wf.metadata.generateName = opts.generateName;
  if (opts.serviceAccount) wf.spec.serviceAccountName = opts.serviceAccount;
  return wf;
}
