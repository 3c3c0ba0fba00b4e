import type { TemplateLookup } from '../engine/index.js';
import type { ClusterWorkflowTemplate, WorkflowTemplate } from '../spec/types.js';
import type { Store } from '../store/types.js';

/**
 * The engine resolves templateRefs synchronously, so the controller keeps every (Cluster)
 * WorkflowTemplate in memory, fed by the store's change feed. They are few and small.
 */
export class TemplateCache implements TemplateLookup {
  private readonly namespaced = new Map<string, WorkflowTemplate>();
  private readonly cluster = new Map<string, ClusterWorkflowTemplate>();
  private readonly unsubscribe: (() => void)[] = [];

  static async load(store: Store): Promise<TemplateCache> {
    const cache = new TemplateCache();
    cache.unsubscribe.push(
      store.workflowTemplates.watch((c) => {
        const key = `${c.object.metadata.namespace ?? ''}/${c.object.metadata.name ?? ''}`;
        if (c.type === 'DELETED') cache.namespaced.delete(key);
        else cache.namespaced.set(key, c.object);
      }),
      store.clusterWorkflowTemplates.watch((c) => {
        const key = c.object.metadata.name ?? '';
        if (c.type === 'DELETED') cache.cluster.delete(key);
        else cache.cluster.set(key, c.object);
      }),
    );
    for (const t of (await store.workflowTemplates.list()).items) cache.namespaced.set(`${t.metadata.namespace ?? ''}/${t.metadata.name ?? ''}`, t);
    for (const t of (await store.clusterWorkflowTemplates.list()).items) cache.cluster.set(t.metadata.name ?? '', t);
    return cache;
  }

  workflowTemplate(name: string, namespace: string): WorkflowTemplate | undefined {
    return this.namespaced.get(`${namespace}/${name}`);
  }

  clusterWorkflowTemplate(name: string): ClusterWorkflowTemplate | undefined {
    return this.cluster.get(name);
  }

  close(): void {
    for (const u of this.unsubscribe) u();
  }
}
