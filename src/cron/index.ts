// CronWorkflows: robfig/cron schedules, the pure per-tick decision, and the scheduler that runs them.

export { CronScheduleError, nextAfter, parseSchedule, type Schedule } from './schedule.js';
export { decide, parseSchedules, scheduleSpecs, type CronDecision, type DecideInput, type SkipReason } from './decide.js';
export { runName, workflowForRun } from './run.js';
export {
  CRON_COMPLETED_LABEL,
  CRON_WORKFLOW_LABEL,
  SCHEDULED_TIME_ANNOTATION,
  readStatus,
  type CronWorkflowStatus,
  type ObjectReference,
} from './status.js';
export { CronScheduler, systemClock, type Clock, type CronLogger, type CronSchedulerOptions } from './scheduler.js';
