// What a CronWorkflow should do now, as a pure function of its spec and status, the workflows it
// owns and the time (Argo's workflow/cron/operator.go). The scheduler carries the decision out.

import type { CronWorkflow, Workflow } from '../spec/types.js';
import { evaluateCronWhen, evaluateStopStrategy } from './expressions.js';
import { workflowForRun } from './run.js';
import { parseSchedule, type Schedule } from './schedule.js';
import {
  CRON_COMPLETED_LABEL,
  isFinished,
  readStatus,
  reconcileActive,
  referenceTo,
  removeCondition,
  setCondition,
  type CronWorkflowStatus,
  type ObjectReference,
} from './status.js';

export interface DecideInput {
  cron: CronWorkflow;
  /** The workflows labelled `workflows.argoproj.io/cron-workflow=<name>` in its namespace. */
  workflows: readonly Workflow[];
  now: Date;
  /** The scheduled time a timer was armed for, when a timer fired; absent for any other look. */
  firedFor?: Date;
  /** Zone of schedules with neither `timezone` nor CRON_TZ: robfig's time.Local. Default: this process's zone. */
  defaultTimezone?: string;
}

export type SkipReason = 'Suspended' | 'Stopped' | 'WhenFalse' | 'ConcurrencyForbidden' | 'Missed' | 'Error';

export interface CronDecision {
  /** The scheduled time that is due now, whether or not it runs. */
  scheduledTime?: Date;
  /** The run to create for it. Once created, fold it into `status` with recordRun. */
  create?: Workflow;
  /** Why the due time does not run. */
  skip?: { reason: SkipReason; message: string };
  /** concurrencyPolicy Replace: active runs to stop before creating the new one. */
  stop: ObjectReference[];
  /** Finished runs beyond the history limits. */
  delete: ObjectReference[];
  /** The status to save (without the run in `create`). */
  status: CronWorkflowStatus;
  /** Labels and annotations to set on the cron workflow. */
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** When to look again for the next scheduled time; absent while suspended, stopped or invalid. */
  nextRunAt?: Date;
  /** Errors in the spec or its expressions, worth a warning. */
  warnings: string[];
}

/** The schedule a timer last fired for; a missed time under any other schedule is not run (Argo's IsUsingNewSchedule). */
export const LAST_USED_SCHEDULE_ANNOTATION = 'cronworkflows.argoproj.io/last-used-schedule';

const DEFAULT_SUCCESSFUL_HISTORY = 3;
const DEFAULT_FAILED_HISTORY = 1;

/** The specs to schedule: `schedules`, or the deprecated single `schedule`. */
export function scheduleSpecs(cron: CronWorkflow): string[] {
  const many = (cron.spec.schedules ?? []).filter((s) => s.trim() !== '');
  const one = cron.spec.schedule?.trim() ? [cron.spec.schedule] : [];
  if (many.length > 0 && one.length > 0) throw new Error("'schedule' and 'schedules' cannot both be set: use 'schedules'");
  const specs = many.length > 0 ? many : one;
  if (specs.length === 0) throw new Error("a CronWorkflow needs at least one entry in 'schedules'");
  return specs;
}

/** Parses every schedule, or says what is wrong with the spec. */
export function parseSchedules(cron: CronWorkflow, defaultTimezone?: string): Schedule[] {
  const policy = cron.spec.concurrencyPolicy;
  if (policy !== undefined && (policy as string) !== '' && !['Allow', 'Forbid', 'Replace'].includes(policy)) {
    throw new Error(`invalid concurrencyPolicy "${String(policy)}": use Allow, Forbid or Replace`);
  }
  return scheduleSpecs(cron).map((spec) => parseSchedule(spec, cron.spec.timezone || undefined, defaultTimezone));
}

/** Argo's GetScheduleWithTimezoneString, what the last-used-schedule annotation holds. */
export function scheduleString(cron: CronWorkflow): string {
  const specs = scheduleSpecs(cron).join(',');
  return cron.spec.timezone ? `CRON_TZ=${cron.spec.timezone} ${specs}` : specs;
}

function limit(value: number | undefined, fallback: number): number {
  // As Argo: a negative limit is ignored rather than an error.
  return value !== undefined && value >= 0 ? value : fallback;
}

function finishedAt(wf: Workflow): number {
  return Date.parse(wf.status?.finishedAt ?? wf.metadata.creationTimestamp ?? '') || 0;
}

/** Argo's enforceHistoryLimit: keep the newest finished runs of each kind, delete the rest. */
export function overHistoryLimits(cron: CronWorkflow, workflows: readonly Workflow[]): ObjectReference[] {
  const newestFirst = (a: Workflow, b: Workflow): number => finishedAt(b) - finishedAt(a);
  const finished = workflows.filter(isFinished);
  const succeeded = finished.filter((w) => w.status?.phase === 'Succeeded').sort(newestFirst);
  const failed = finished.filter((w) => w.status?.phase !== 'Succeeded').sort(newestFirst);
  return [
    ...succeeded.slice(limit(cron.spec.successfulJobsHistoryLimit, DEFAULT_SUCCESSFUL_HISTORY)),
    ...failed.slice(limit(cron.spec.failedJobsHistoryLimit, DEFAULT_FAILED_HISTORY)),
  ].map(referenceTo);
}

function created(cron: CronWorkflow): Date | undefined {
  const t = Date.parse(cron.metadata.creationTimestamp ?? '');
  return Number.isNaN(t) ? undefined : new Date(t);
}

/**
 * The latest scheduled time that is due: after the last one scheduled (or, on a fire before any,
 * the fired time itself), at or before now.
 */
function latestDue(schedules: readonly Schedule[], cron: CronWorkflow, status: CronWorkflowStatus, now: Date, firedFor?: Date): Date | undefined {
  const last = status.lastScheduledTime === undefined ? undefined : new Date(status.lastScheduledTime);
  // A cron workflow that never ran has nothing missed: only a timer makes a time due.
  const after = last ?? (firedFor ? new Date(firedFor.getTime() - 1) : undefined);
  if (!after) return undefined;
  // `@every` counts from the last run, else from the cron workflow's creation, as a stable origin.
  const anchor = last ?? created(cron) ?? firedFor;
  let due: Date | undefined;
  for (const s of schedules) {
    const t = s.latest(after, now, anchor);
    if (t && (!due || t > due)) due = t;
  }
  return due;
}

function nextRun(schedules: readonly Schedule[], cron: CronWorkflow, status: CronWorkflowStatus, now: Date): Date | undefined {
  const anchor = status.lastScheduledTime === undefined ? created(cron) : new Date(status.lastScheduledTime);
  let next: Date | undefined;
  for (const s of schedules) {
    const t = s.next(now, anchor && anchor <= now ? anchor : now);
    if (t && (!next || t < next)) next = t;
  }
  return next;
}

export function decide(input: DecideInput): CronDecision {
  const { cron, workflows, now, firedFor } = input;
  const decision: CronDecision = { stop: [], delete: [], status: {}, warnings: [] };
  let status = reconcileActive(readStatus(cron), workflows);

  // Retention applies whatever else happens, as in Argo's reconcile.
  decision.delete = overHistoryLimits(cron, workflows);

  let schedules: Schedule[];
  try {
    schedules = parseSchedules(cron, input.defaultTimezone);
    status = removeCondition(status, 'SpecError');
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    decision.status = setCondition(status, 'SpecError', message);
    decision.warnings.push(message);
    return decision;
  }

  if (status.phase !== 'Stopped') {
    const stop = evaluateStopStrategy(cron, status);
    if (!stop.ok) {
      status = setCondition(status, 'SpecError', stop.error);
      decision.warnings.push(stop.error);
    } else if (stop.value) {
      status = { ...status, phase: 'Stopped' };
      decision.labels = { [CRON_COMPLETED_LABEL]: 'true' };
    }
  }

  const due = latestDue(schedules, cron, status, now, firedFor);
  const onTime = due !== undefined && firedFor?.getTime() === due.getTime();
  if (due) {
    decision.scheduledTime = due;
    const skip = (reason: SkipReason, message: string, warn = false): void => {
      decision.skip = { reason, message };
      if (warn) decision.warnings.push(message);
    };
    const deadline = cron.spec.startingDeadlineSeconds;
    const hasDeadline = typeof deadline === 'number';
    const newSchedule = cron.metadata.annotations?.[LAST_USED_SCHEDULE_ANNOTATION] !== scheduleString(cron);
    // A time no timer fired for was missed (the scheduler was down or late): Argo runs the latest
    // missed time only within startingDeadlineSeconds, and not at all right after a schedule edit.
    if (!onTime && (newSchedule || !(hasDeadline && now.getTime() < due.getTime() + deadline * 1000))) {
      const why = newSchedule
        ? 'the schedule changed since the last run'
        : hasDeadline
          ? `it is more than startingDeadlineSeconds (${deadline}) ago`
          : 'startingDeadlineSeconds is not set';
      skip('Missed', `missed the run scheduled for ${due.toISOString()}, not running it: ${why}`);
    } else if (cron.spec.suspend) {
      skip('Suspended', 'the cron workflow is suspended');
    } else if (status.phase === 'Stopped') {
      skip('Stopped', 'the cron workflow is stopped: its stopStrategy held');
    } else {
      // `when` before concurrencyPolicy, so that Replace never stops runs for a time that will not run.
      const when = evaluateCronWhen(cron, status);
      const active = status.active ?? [];
      if (!when.ok) {
        status = setCondition(status, 'SpecError', when.error);
        skip('Error', when.error, true);
      } else if (!when.value) {
        skip('WhenFalse', `'when' is false: ${cron.spec.when ?? ''}`);
      } else if (cron.spec.concurrencyPolicy === 'Forbid' && active.length > 0) {
        skip('ConcurrencyForbidden', `concurrencyPolicy is Forbid and ${active.map((r) => r.name).join(', ')} is still active`);
      } else {
        if (cron.spec.concurrencyPolicy === 'Replace') decision.stop = [...active];
        decision.create = workflowForRun(cron, due);
      }
    }
  }

  // Argo records the schedule in use whenever a time comes up to run, whatever then happens to it.
  if (decision.create || onTime) decision.annotations = { [LAST_USED_SCHEDULE_ANNOTATION]: scheduleString(cron) };
  decision.status = status;
  if (!cron.spec.suspend && status.phase !== 'Stopped') decision.nextRunAt = nextRun(schedules, cron, status, now);
  return decision;
}
