// CronWorkflow status (Argo's CronWorkflowStatus) and the bookkeeping over the workflows a cron
// workflow owns: which are active, and the succeeded/failed counters that stopStrategy reads.

import type { CronWorkflow, Workflow } from '../spec/types.js';

export const CRON_WORKFLOW_LABEL = 'workflows.argoproj.io/cron-workflow';
export const SCHEDULED_TIME_ANNOTATION = 'workflows.argoproj.io/scheduled-time';
/** Set on a cron workflow whose stopStrategy held (Argo v3.6 LabelKeyCronWorkflowCompleted). */
export const CRON_COMPLETED_LABEL = 'workflows.argoproj.io/cron-workflow-completed';

/** corev1.ObjectReference, as Argo keeps in status.active. */
export interface ObjectReference {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  name: string;
  uid?: string;
}

export interface CronCondition {
  type: 'SubmissionError' | 'SpecError' | string;
  status: 'True' | 'False' | string;
  message?: string;
}

// A type alias rather than an interface, so that it is assignable to CronWorkflow['status'].
export type CronWorkflowStatus = {
  active?: ObjectReference[];
  /** RFC3339, UTC. */
  lastScheduledTime?: string;
  conditions?: CronCondition[];
  succeeded?: number;
  failed?: number;
  phase?: 'Active' | 'Stopped';
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The stored status, tolerating anything a user or an older version may have written. */
export function readStatus(cron: CronWorkflow): CronWorkflowStatus {
  const s = isRecord(cron.status) ? cron.status : {};
  const out: CronWorkflowStatus = {};
  if (Array.isArray(s.active)) {
    out.active = s.active.filter((r): r is ObjectReference => isRecord(r) && typeof r.name === 'string').map((r) => ({ ...r }));
  }
  if (typeof s.lastScheduledTime === 'string' && !Number.isNaN(Date.parse(s.lastScheduledTime))) out.lastScheduledTime = s.lastScheduledTime;
  if (Array.isArray(s.conditions)) {
    out.conditions = s.conditions.filter((c): c is CronCondition => isRecord(c) && typeof c.type === 'string').map((c) => ({ ...c }));
  }
  if (typeof s.succeeded === 'number') out.succeeded = s.succeeded;
  if (typeof s.failed === 'number') out.failed = s.failed;
  if (s.phase === 'Active' || s.phase === 'Stopped') out.phase = s.phase;
  return out;
}

/** Metav1.Time's JSON form: RFC3339 in UTC, whole seconds. */
export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function isFinished(wf: Workflow): boolean {
  const phase = wf.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Error';
}

export function referenceTo(wf: Workflow): ObjectReference {
  const ref: ObjectReference = { apiVersion: wf.apiVersion, kind: 'Workflow', name: wf.metadata.name ?? '' };
  if (wf.metadata.namespace !== undefined) ref.namespace = wf.metadata.namespace;
  if (wf.metadata.uid !== undefined) ref.uid = wf.metadata.uid;
  return ref;
}

/** Whether the reference names this workflow; a uid, when both have one, tells a re-created namesake apart. */
export function refersTo(ref: ObjectReference, wf: Workflow): boolean {
  if (ref.name !== wf.metadata.name) return false;
  return ref.uid === undefined || wf.metadata.uid === undefined || ref.uid === wf.metadata.uid;
}

function created(wf: Workflow): number {
  return Date.parse(wf.metadata.creationTimestamp ?? '') || 0;
}

/**
 * Argo's reconcileActiveWfs: `active` becomes the owned workflows that have not finished, and each
 * previously active one seen finished bumps `succeeded` or `failed`. Counting transitions rather
 * than the workflows present keeps the counters right after history limits delete runs.
 */
export function reconcileActive(status: CronWorkflowStatus, owned: readonly Workflow[]): CronWorkflowStatus {
  const next: CronWorkflowStatus = { ...status };
  let succeeded = status.succeeded ?? 0;
  let failed = status.failed ?? 0;
  for (const ref of status.active ?? []) {
    const wf = owned.find((w) => refersTo(ref, w));
    if (!wf || !isFinished(wf)) continue;
    if (wf.status?.phase === 'Succeeded') succeeded++;
    else failed++;
  }
  const running = owned.filter((w) => !isFinished(w)).sort((a, b) => created(a) - created(b));
  next.active = running.map((w) => status.active?.find((r) => refersTo(r, w)) ?? referenceTo(w));
  if (succeeded > 0 || status.succeeded !== undefined) next.succeeded = succeeded;
  if (failed > 0 || status.failed !== undefined) next.failed = failed;
  return next;
}

export function setCondition(status: CronWorkflowStatus, type: string, message: string): CronWorkflowStatus {
  const conditions = (status.conditions ?? []).filter((c) => c.type !== type);
  conditions.push({ type, status: 'True', message });
  return { ...status, conditions };
}

export function removeCondition(status: CronWorkflowStatus, type: string): CronWorkflowStatus {
  if (!status.conditions?.some((c) => c.type === type)) return status;
  const { conditions: all, ...rest } = status;
  const conditions = all.filter((c) => c.type !== type);
  return conditions.length > 0 ? { ...rest, conditions } : rest;
}

/**
 * The status after the run for `scheduledTime` was created (or found already created). A run that
 * finished before it could be seen active is counted here, or it would never be.
 */
export function recordRun(status: CronWorkflowStatus, wf: Workflow, scheduledTime: Date): CronWorkflowStatus {
  const next = removeCondition(status, 'SubmissionError');
  const active = (next.active ?? []).filter((r) => r.name !== wf.metadata.name);
  const out: CronWorkflowStatus = { ...next, active, phase: next.phase === 'Stopped' ? 'Stopped' : 'Active', lastScheduledTime: rfc3339(scheduledTime) };
  if (!isFinished(wf)) active.push(referenceTo(wf));
  else if (wf.status?.phase === 'Succeeded') out.succeeded = (out.succeeded ?? 0) + 1;
  else out.failed = (out.failed ?? 0) + 1;
  return out;
}

/** Deep equality of two JSON values, to avoid writing an unchanged status. */
export function sameJSON(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => sameJSON(v, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => sameJSON(a[k], b[k]));
  }
  return false;
}
