// WorkflowService: /api/v1/workflows/**, /api/v1/workflow-events/{ns}.

import type { Workflow } from '../../spec/types.js';
import { ServerUnavailableError, type ApiResource } from './errors.js';
import { listQuery, toList } from './list.js';
import type { Transport } from './transport.js';
import type {
  ListQuery,
  LogEntry,
  LogQuery,
  ObjectList,
  ResubmitRequest,
  RetryRequest,
  SetRequest,
  StopRequest,
  SubmitRequest,
  WorkflowWatchEvent,
} from './types.js';
import { watchStream, type WatchOptions } from './watch.js';

const BASE = ['api', 'v1', 'workflows'];

// `--from` kinds as error messages word them.
const KIND_WORDS: Record<string, string> = {
  workflowtemplate: 'workflow template',
  clusterworkflowtemplate: 'cluster workflow template',
  cronworkflow: 'cron workflow',
};

export class WorkflowsApi {
  constructor(private readonly transport: Transport) {}

  create(namespace: string, workflow: Workflow, opts: { serverDryRun?: boolean } = {}): Promise<Workflow> {
    const name = workflow.metadata.name ?? workflow.metadata.generateName;
    return this.transport.call('POST', [...BASE, namespace], {
      body: { namespace, workflow, ...(opts.serverDryRun && { serverDryRun: true }) },
      resource: resource(namespace, name),
    });
  }

  /** Runs a WorkflowTemplate, ClusterWorkflowTemplate or CronWorkflow (`argo submit --from`). */
  submit(namespace: string, request: SubmitRequest): Promise<Workflow> {
    return this.transport.call('POST', [...BASE, namespace, 'submit'], {
      body: { namespace, ...request },
      resource: { kind: KIND_WORDS[request.resourceKind.toLowerCase()] ?? request.resourceKind, name: request.resourceName, namespace },
      operation: 'submit',
    });
  }

  lint(namespace: string, workflow: Workflow): Promise<Workflow> {
    return this.transport.call('POST', [...BASE, namespace, 'lint'], { body: { namespace, workflow }, resource: resource(namespace, workflow.metadata.name), operation: 'lint' });
  }

  /** One page; namespace '' lists every namespace. */
  async list(namespace: string, query: ListQuery = {}): Promise<ObjectList<Workflow>> {
    const q = listQuery(query);
    if (query.namePrefix !== undefined) {
      q['nameFilter'] = query.nameFilter ?? 'Prefix';
      q['namePrefix'] = query.namePrefix;
    } else if (query.nameFilter) q['nameFilter'] = query.nameFilter;
    q['createdAfter'] = query.createdAfter;
    q['finishedBefore'] = query.finishedBefore;
    return toList(await this.transport.call('GET', [...BASE, namespace], { query: q, resource: { kind: 'workflow', namespace }, operation: 'list' }));
  }

  get(namespace: string, name: string, opts: { fields?: string } = {}): Promise<Workflow> {
    return this.transport.call('GET', [...BASE, namespace, name], { query: { fields: opts.fields }, resource: resource(namespace, name) });
  }

  async delete(namespace: string, name: string, opts: { force?: boolean } = {}): Promise<void> {
    await this.transport.call('DELETE', [...BASE, namespace, name], { query: { force: opts.force }, resource: resource(namespace, name) });
  }

  retry(namespace: string, name: string, request: RetryRequest = {}): Promise<Workflow> {
    return this.action(namespace, name, 'retry', request);
  }

  resubmit(namespace: string, name: string, request: ResubmitRequest = {}): Promise<Workflow> {
    return this.action(namespace, name, 'resubmit', request);
  }

  suspend(namespace: string, name: string): Promise<Workflow> {
    return this.action(namespace, name, 'suspend', {});
  }

  resume(namespace: string, name: string, request: { nodeFieldSelector?: string } = {}): Promise<Workflow> {
    return this.action(namespace, name, 'resume', request);
  }

  /** Exit handlers still run. */
  stop(namespace: string, name: string, request: StopRequest = {}): Promise<Workflow> {
    return this.action(namespace, name, 'stop', request);
  }

  /** Exit handlers do not run. */
  terminate(namespace: string, name: string): Promise<Workflow> {
    return this.action(namespace, name, 'terminate', {});
  }

  /** `argo node set`: a suspend node's phase, message and output parameters. */
  set(namespace: string, name: string, request: SetRequest): Promise<Workflow> {
    const { outputParameters, ...rest } = request;
    return this.action(namespace, name, 'set', { ...rest, ...(outputParameters && { outputParameters: JSON.stringify(outputParameters) }) });
  }

  /**
   * argot's own (Argo has none; there it is `kubectl delete pod`): deletes one of the workflow's pods
   * as a node loss would. `pod` is the pod's name, or the ID or name of its pod node. Without
   * `graceSeconds` (or 0) abruptly; with it, its containers get SIGTERM and that long to exit.
   */
  async deletePod(namespace: string, name: string, pod: string, opts: { graceSeconds?: number } = {}): Promise<void> {
    await this.transport.call('DELETE', [...BASE, namespace, name, 'pods', pod], {
      query: { gracePeriodSeconds: opts.graceSeconds },
      resource: resource(namespace, name),
      operation: 'delete a pod of',
    });
  }

  /** Changes to matching workflows, reconnecting when the stream drops; ends only when `signal` aborts. */
  watch(
    namespace: string,
    query: Pick<ListQuery, 'fieldSelector' | 'labelSelector' | 'resourceVersion' | 'fields'> = {},
    options: WatchOptions = {},
  ): AsyncGenerator<WorkflowWatchEvent> {
    const q = listQuery(query);
    return watchStream(this.transport, ['api', 'v1', 'workflow-events', namespace], q, { kind: 'workflow', namespace }, options) as AsyncGenerator<WorkflowWatchEvent>;
  }

  /** Log lines until the server ends the stream (with `follow`, when the workflow is done). */
  async *logs(namespace: string, name: string, query: LogQuery = {}, options: { signal?: AbortSignal } = {}): AsyncGenerator<LogEntry> {
    const res = resource(namespace, name);
    const response = await this.transport.open([...BASE, namespace, name, 'log'], {
      query: {
        podName: query.podName,
        'logOptions.container': query.container ?? 'main',
        'logOptions.follow': query.follow,
        'logOptions.previous': query.previous,
        'logOptions.sinceSeconds': query.sinceSeconds,
        'logOptions.sinceTime.seconds': query.sinceTime,
        'logOptions.timestamps': query.timestamps,
        'logOptions.tailLines': query.tailLines,
        grep: query.grep,
        selector: query.selector,
      },
      resource: res,
      operation: 'read the logs of',
      ...(options.signal && { signal: options.signal }),
    });
    try {
      for await (const entry of this.transport.messages(response, res)) {
        const e = (entry ?? {}) as Partial<LogEntry>;
        yield { podName: e.podName ?? '', content: e.content ?? '' };
      }
    } catch (err) {
      if (options.signal?.aborted) return;
      if (err instanceof TypeError || (err as { name?: string }).name === 'AbortError') {
        throw new ServerUnavailableError(this.transport.server, 'the log stream was cut', { cause: err });
      }
      throw err;
    }
  }

  private action(namespace: string, name: string, verb: string, body: object): Promise<Workflow> {
    return this.transport.call('PUT', [...BASE, namespace, name, verb], { body: { namespace, name, ...body }, resource: resource(namespace, name), operation: verb });
  }
}

function resource(namespace: string, name: string | undefined): ApiResource {
  return { kind: 'workflow', namespace, ...(name !== undefined && { name }) };
}
