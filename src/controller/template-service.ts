// TemplateService over the store: CRUD for WorkflowTemplates, ClusterWorkflowTemplates and
// CronWorkflows with Argo's checks. What gets stored is linted first, so a template that a later
// submit would reject is refused when it is written, where the author can still fix it.
import { lint } from '../spec/lint.js';
import { documentFromObject } from '../spec/load.js';
import type { ClusterWorkflowTemplate, CronWorkflow, ObjectMeta, WorkflowTemplate } from '../spec/types.js';
import { ConflictError, NotFoundError, type ListOptions, type ListResult, type ObjectStore, type Store } from '../store/types.js';
import { InvalidError, type ResourceService, type TemplateService } from './service.js';

type Kind = 'WorkflowTemplate' | 'ClusterWorkflowTemplate' | 'CronWorkflow';
type Resource = { apiVersion: string; kind: Kind; metadata: ObjectMeta };

/** Read-modify-write attempts for suspend/resume when the cron controller writes in between. */
const SUSPEND_ATTEMPTS = 5;

export class StoreTemplateService implements TemplateService {
  readonly workflowTemplates: ResourceService<WorkflowTemplate>;
  readonly clusterWorkflowTemplates: ResourceService<ClusterWorkflowTemplate>;
  readonly cronWorkflows: ResourceService<CronWorkflow> & {
    suspend(namespace: string, name: string): Promise<CronWorkflow>;
    resume(namespace: string, name: string): Promise<CronWorkflow>;
  };

  constructor(store: Store) {
    this.workflowTemplates = new StoreResourceService(store.workflowTemplates, 'WorkflowTemplate', false);
    this.clusterWorkflowTemplates = new StoreResourceService(store.clusterWorkflowTemplates, 'ClusterWorkflowTemplate', true);
    this.cronWorkflows = new CronWorkflowService(store.cronWorkflows);
  }
}

class StoreResourceService<T extends Resource> implements ResourceService<T> {
  constructor(
    protected readonly objects: ObjectStore<T>,
    private readonly kind: Kind,
    private readonly clusterScoped: boolean,
  ) {}

  async create(obj: T): Promise<T> {
    return this.objects.create(await this.lint(obj));
  }

  async get(namespace: string, name: string): Promise<T> {
    const obj = await this.objects.get(this.namespaceOf(namespace), name);
    if (!obj) throw new NotFoundError(this.kind, this.describe(namespace, name));
    return obj;
  }

  list(opts: ListOptions): Promise<ListResult<T>> {
    const { namespace: _namespace, ...rest } = opts;
    return this.objects.list(this.clusterScoped ? rest : opts);
  }

  /** Replaces the object. Its resourceVersion, when present, must be current (optimistic locking, as in Kubernetes). */
  async update(obj: T): Promise<T> {
    const checked = await this.lint(obj);
    return this.objects.update(checked, checked.metadata.resourceVersion);
  }

  async delete(namespace: string, name: string): Promise<void> {
    if (!(await this.objects.delete(this.namespaceOf(namespace), name))) throw new NotFoundError(this.kind, this.describe(namespace, name));
  }

  /** The object as it would be stored; InvalidError with every problem when lint finds errors. */
  async lint(obj: T): Promise<T> {
    const typed = { ...obj, apiVersion: obj.apiVersion ?? 'argoproj.io/v1alpha1', kind: obj.kind ?? this.kind };
    if (typed.kind !== this.kind) throw new InvalidError(`expected a ${this.kind}, got kind ${String(typed.kind)}`);
    if (!this.clusterScoped && !typed.metadata?.namespace) throw new InvalidError(`${this.kind} "${typed.metadata?.name ?? ''}": metadata.namespace is required`);
    const label = `${this.kind} ${typed.metadata?.name ?? ''}`.trim();
    const problems = lint([documentFromObject(typed, label)]).filter((p) => p.severity === 'error');
    if (problems.length > 0) {
      // The message carries the JSON paths: over the API there is no file or line to point at.
      const message = problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ');
      throw new InvalidError(`${label}: ${message}`, problems.map((p) => (p.path ? `${label}: ${p.message} (${p.path})` : `${label}: ${p.message}`)));
    }
    return typed;
  }

  private namespaceOf(namespace: string): string {
    return this.clusterScoped ? '' : namespace;
  }

  private describe(namespace: string, name: string): string {
    return this.clusterScoped ? name : `${namespace}/${name}`;
  }
}

class CronWorkflowService extends StoreResourceService<CronWorkflow> {
  constructor(objects: ObjectStore<CronWorkflow>) {
    super(objects, 'CronWorkflow', false);
  }

  suspend(namespace: string, name: string): Promise<CronWorkflow> {
    return this.setSuspend(namespace, name, true);
  }

  resume(namespace: string, name: string): Promise<CronWorkflow> {
    return this.setSuspend(namespace, name, false);
  }

  /** Only spec.suspend changes; a concurrent status write by the cron controller is retried over. */
  private async setSuspend(namespace: string, name: string, suspend: boolean): Promise<CronWorkflow> {
    for (let attempt = 1; ; attempt++) {
      const cron = await this.get(namespace, name);
      const next: CronWorkflow = { ...cron, spec: { ...cron.spec, suspend } };
      try {
        return await this.objects.update(next, cron.metadata.resourceVersion);
      } catch (err) {
        if (!(err instanceof ConflictError) || attempt >= SUSPEND_ATTEMPTS) throw err;
      }
    }
  }
}
