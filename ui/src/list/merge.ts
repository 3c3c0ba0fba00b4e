// How watch events change the rows loaded so far (pure, so it can be tested without a browser).
import { keyOf, type WatchEvent, type WorkflowRow } from './model.js';

export interface Loaded {
  rows: Map<string, WorkflowRow>;
  /** The continue token of the next page; undefined when every page was loaded. */
  cont: string | undefined;
}

/**
 * Applies watch events to the loaded rows. A workflow not loaded yet is added only if it belongs
 * among them: when no older pages remain, or when it is newer than the oldest loaded row (a page
 * not loaded yet will bring the others).
 */
export function applyEvents(loaded: Loaded, events: WatchEvent<WorkflowRow>[], matches: (wf: WorkflowRow) => boolean): Map<string, WorkflowRow> {
  const rows = new Map(loaded.rows);
  let oldest: string | undefined;
  for (const wf of loaded.rows.values()) {
    const t = wf.metadata.creationTimestamp ?? '';
    if (oldest === undefined || t < oldest) oldest = t;
  }
  for (const { type, object } of events) {
    const key = keyOf(object);
    if (type === 'DELETED' || !matches(object)) rows.delete(key);
    else if (rows.has(key) || loaded.cont === undefined || (object.metadata.creationTimestamp ?? '') >= (oldest ?? '')) rows.set(key, object);
  }
  return rows;
}
