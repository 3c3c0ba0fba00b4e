// The `cronworkflow.*` variables and the two conditions that read them (workflow/cron/operator.go):
// `when`, a govaluate condition after {{ }} substitution (so `{{= expr }}` works too), and
// `stopStrategy.expression`, a bare expr-lang expression.
// `now()` inside either reads the process clock, as in Argo; the rest of decide's time comes in.

import { evaluateExpr, evaluateWhen, substitute } from '../expr/index.js';
import type { CronWorkflow } from '../spec/types.js';
import type { CronWorkflowStatus } from './status.js';

function withJSON(map: Record<string, string> | undefined): Record<string, unknown> {
  return { ...map, json: JSON.stringify(map ?? {}) };
}

/** Flat string variables for simple `{{cronworkflow.x}}` tags. */
function simpleVars(cron: CronWorkflow, status: CronWorkflowStatus): Record<string, string> {
  const vars: Record<string, string> = {
    'cronworkflow.name': cron.metadata.name ?? '',
    'cronworkflow.namespace': cron.metadata.namespace ?? '',
    'cronworkflow.labels.json': JSON.stringify(cron.metadata.labels ?? {}),
    'cronworkflow.annotations.json': JSON.stringify(cron.metadata.annotations ?? {}),
    'cronworkflow.failed': String(status.failed ?? 0),
    'cronworkflow.succeeded': String(status.succeeded ?? 0),
  };
  for (const [k, v] of Object.entries(cron.metadata.labels ?? {})) vars[`cronworkflow.labels.${k}`] = v;
  for (const [k, v] of Object.entries(cron.metadata.annotations ?? {})) vars[`cronworkflow.annotations.${k}`] = v;
  // nil before the first run: a simple tag for it stays unresolved, and an expression sees nil.
  if (status.lastScheduledTime !== undefined) vars['cronworkflow.lastScheduledTime'] = status.lastScheduledTime;
  return vars;
}

/** The `cronworkflow` object of an expression env, with typed values (a time, numbers). */
function exprEnv(cron: CronWorkflow, status: CronWorkflowStatus): Record<string, unknown> {
  return {
    cronworkflow: {
      name: cron.metadata.name ?? '',
      namespace: cron.metadata.namespace ?? '',
      labels: withJSON(cron.metadata.labels),
      annotations: withJSON(cron.metadata.annotations),
      failed: status.failed ?? 0,
      succeeded: status.succeeded ?? 0,
      lastScheduledTime: status.lastScheduledTime === undefined ? null : new Date(status.lastScheduledTime),
    },
  };
}

export type ConditionResult = { ok: true; value: boolean } | { ok: false; error: string };

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** `spec.when`; blank is true. */
export function evaluateCronWhen(cron: CronWorkflow, status: CronWorkflowStatus): ConditionResult {
  const when = cron.spec.when ?? '';
  if (when.trim() === '') return { ok: true, value: true };
  try {
    const substituted = substitute(when, simpleVars(cron, status), { exprEnv: exprEnv(cron, status) });
    return { ok: true, value: evaluateWhen(substituted) };
  } catch (e) {
    return { ok: false, error: `failed to evaluate 'when' "${when}": ${message(e)}` };
  }
}

/** `spec.stopStrategy.expression` (v3.6.0 called it `condition`); absent is false. */
export function evaluateStopStrategy(cron: CronWorkflow, status: CronWorkflowStatus): ConditionResult {
  const expression = cron.spec.stopStrategy?.expression ?? cron.spec.stopStrategy?.condition ?? '';
  if (expression.trim() === '') return { ok: true, value: false };
  try {
    const v = evaluateExpr(expression, exprEnv(cron, status));
    if (typeof v !== 'boolean') return { ok: false, error: `stopStrategy expression "${expression}" gave ${JSON.stringify(v)}, not a boolean` };
    return { ok: true, value: v };
  } catch (e) {
    return { ok: false, error: `failed to evaluate stopStrategy expression "${expression}": ${message(e)}` };
  }
}
