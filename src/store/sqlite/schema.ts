// The SQLite schema, as migration steps (see migrations.ts). Times used for ordering are integer
// milliseconds; documents are JSON text. Workflows keep their nodes in rows of their own so that
// a reconcile rewrites only the nodes it changed (DESIGN.md §3).
import type { Migration } from './migrations.js';

export const MIGRATIONS: readonly Migration[] = [
  `
  -- The store-wide resourceVersion: every write of any object takes the next value.
  CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
  );
  INSERT INTO meta (key, value) VALUES ('resourceVersion', 0);

  CREATE TABLE workflows (
    uid                TEXT PRIMARY KEY,
    namespace          TEXT NOT NULL,
    name               TEXT NOT NULL,
    resource_version   INTEGER NOT NULL,
    creation_timestamp INTEGER NOT NULL, -- ms since the epoch: the list order
    phase              TEXT,
    finished_at        TEXT,
    labels             TEXT NOT NULL,    -- JSON object, for label selectors
    document           TEXT NOT NULL,    -- JSON, without status.nodes
    UNIQUE (namespace, name)
  );
  -- The two list orders: all namespaces, and one namespace.
  CREATE INDEX workflows_by_creation ON workflows (creation_timestamp DESC, name, namespace);
  CREATE INDEX workflows_by_namespace_creation ON workflows (namespace, creation_timestamp DESC, name);
  CREATE INDEX workflows_by_phase ON workflows (phase);

  CREATE TABLE workflow_nodes (
    workflow_uid     TEXT NOT NULL REFERENCES workflows (uid) ON DELETE CASCADE,
    node_id          TEXT NOT NULL,
    resource_version INTEGER NOT NULL, -- of the write that last changed this node
    node             TEXT NOT NULL,    -- JSON
    PRIMARY KEY (workflow_uid, node_id)
  );

  -- Every other kind (templates, cron workflows, config maps): small documents, one table.
  CREATE TABLE objects (
    uid                TEXT PRIMARY KEY,
    kind               TEXT NOT NULL,
    namespace          TEXT NOT NULL,    -- '' for cluster-scoped kinds
    name               TEXT NOT NULL,
    resource_version   INTEGER NOT NULL,
    creation_timestamp INTEGER NOT NULL,
    labels             TEXT NOT NULL,
    document           TEXT NOT NULL,
    UNIQUE (kind, namespace, name)
  );
  CREATE INDEX objects_by_creation ON objects (kind, creation_timestamp DESC, name, namespace);
  CREATE INDEX objects_by_namespace_creation ON objects (kind, namespace, creation_timestamp DESC, name);

  CREATE TABLE events (
    id                 INTEGER PRIMARY KEY,
    namespace          TEXT NOT NULL,
    involved_kind      TEXT NOT NULL,
    involved_namespace TEXT NOT NULL,
    involved_name      TEXT NOT NULL,
    involved_uid       TEXT NOT NULL,    -- '' when unknown
    type               TEXT NOT NULL,
    reason             TEXT NOT NULL,
    message            TEXT NOT NULL,
    first_timestamp    TEXT NOT NULL,
    last_timestamp     TEXT NOT NULL,
    count              INTEGER NOT NULL
  );
  -- Kubernetes folds repeats of one event into a count: this is what "the same event" means.
  CREATE UNIQUE INDEX events_identity ON events (involved_name, namespace, involved_kind, involved_namespace, involved_uid, type, reason, message);
  CREATE INDEX events_by_namespace ON events (namespace, last_timestamp);
  `,
];
