// The store in memory: the same semantics as the SQL stores, for engine and controller tests
// (and `--store memory` runs) where nothing needs to outlive the process.
import type { ClusterWorkflowTemplate, ConfigMap, CronWorkflow, WorkflowTemplate } from '../../spec/types.js';
import { KINDS } from '../metadata.js';
import type { Store } from '../types.js';
import { MemoryEventStore } from './event-store.js';
import { MemoryObjectStore } from './object-store.js';
import { MemoryContext } from './records.js';
import { MemoryWorkflowStore } from './workflow-store.js';

export interface MemoryStoreOptions {
  /** The clock for creationTimestamp; fake-clock tests pass theirs. */
  now?: () => Date;
}

export function createMemoryStore(options: MemoryStoreOptions = {}): Store {
  const ctx = new MemoryContext(options.now ?? (() => new Date()));
  const workflows = new MemoryWorkflowStore(ctx);
  const workflowTemplates = new MemoryObjectStore<WorkflowTemplate>(ctx, KINDS.workflowTemplate);
  const clusterWorkflowTemplates = new MemoryObjectStore<ClusterWorkflowTemplate>(ctx, KINDS.clusterWorkflowTemplate);
  const cronWorkflows = new MemoryObjectStore<CronWorkflow>(ctx, KINDS.cronWorkflow);
  const configMaps = new MemoryObjectStore<ConfigMap>(ctx, KINDS.configMap);
  return {
    workflows,
    workflowTemplates,
    clusterWorkflowTemplates,
    cronWorkflows,
    configMaps,
    events: new MemoryEventStore(),
    async close() {
      for (const s of [workflows, workflowTemplates, clusterWorkflowTemplates, cronWorkflows, configMaps]) s.close();
    },
  };
}
