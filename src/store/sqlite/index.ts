// The embedded store: one SQLite file (DESIGN.md §1, one-shot and server modes). Every method is
// synchronous underneath (better-sqlite3); the async signatures are the contract shared with the
// networked stores. Watches see this process's writes only.
import type { ClusterWorkflowTemplate, ConfigMap, CronWorkflow, WorkflowTemplate } from '../../spec/types.js';
import { KINDS } from '../metadata.js';
import type { Store } from '../types.js';
import { openDatabase } from './database.js';
import { SqliteEventStore } from './event-store.js';
import { Lister } from './list-sql.js';
import { migrate } from './migrations.js';
import { SqliteObjectStore, type SqliteContext } from './object-store.js';
import { ResourceVersions } from './resource-versions.js';
import { MIGRATIONS } from './schema.js';
import { SqliteWorkflowStore } from './workflow-store.js';

export { SchemaTooNewError } from './migrations.js';

export interface SqliteStoreOptions {
  /** The clock for creationTimestamp; tests pass a fake one. */
  now?: () => Date;
}

/** Opens (creating and migrating as needed) the store in `file`, or in memory for `':memory:'`. */
export function openSqliteStore(file: string, options: SqliteStoreOptions = {}): Store {
  const db = openDatabase(file);
  try {
    migrate(db, MIGRATIONS);
  } catch (err) {
    db.close();
    throw err;
  }
  const versions = new ResourceVersions(db);
  const ctx: SqliteContext = { db, versions, lister: new Lister(db, versions), now: options.now ?? (() => new Date()) };
  const workflows = new SqliteWorkflowStore(ctx);
  const workflowTemplates = new SqliteObjectStore<WorkflowTemplate>(ctx, KINDS.workflowTemplate);
  const clusterWorkflowTemplates = new SqliteObjectStore<ClusterWorkflowTemplate>(ctx, KINDS.clusterWorkflowTemplate);
  const cronWorkflows = new SqliteObjectStore<CronWorkflow>(ctx, KINDS.cronWorkflow);
  const configMaps = new SqliteObjectStore<ConfigMap>(ctx, KINDS.configMap);
  return {
    workflows,
    workflowTemplates,
    clusterWorkflowTemplates,
    cronWorkflows,
    configMaps,
    events: new SqliteEventStore(db),
    async close() {
      for (const s of [workflows, workflowTemplates, clusterWorkflowTemplates, cronWorkflows, configMaps]) s.close();
      if (db.open) db.close();
    },
  };
}
