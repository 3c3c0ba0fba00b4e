// One container of a pod as the pod's lifecycle tracks it, and the rules that judge it alone: how
// it ended when nothing recorded it, and whether its dependencies let it run.

import { constants as osConstants } from 'node:os';
import type { ContainerSpec } from '../types.js';
import type { ProcessIdentity } from './process-identity.js';
import type { SignalMode } from './signal-container.js';

/** A container that was never started because the pod ended or a dependency failed: Argo's
 * emissary would have been waiting on the dependency's exit code when the pod was terminated, and
 * reports SIGTERM's 143 (spec/containerset.md §1.3). */
export const NEVER_STARTED_EXIT_CODE = 143;

/** Exit code of a container whose command could not be started at all (Kubernetes' StartError). */
export const START_ERROR_EXIT_CODE = 128;

export interface ContainerRun {
  spec: ContainerSpec;
  /** `retrying`: its command failed and runs again after the retry delay (ContainerSpec.retry); `exitCode` is the failed run's. */
  state: 'waiting' | 'starting' | 'running' | 'retrying' | 'exited';
  /** The helper's id for the process while the helper watches it; unset once it does not (adopted, helper died). */
  procId?: string;
  process?: ProcessIdentity;
  startedAt?: string;
  finishedAt?: string;
  exitCode?: number;
  /** We signalled it: an exit by signal is then reported as killed. */
  killed: boolean;
  /** The strongest signal sent, for the exit code of a process that died without an exit record. */
  signalled?: SignalMode;
  /** Asked for before the process was known. */
  pendingSignal?: SignalMode;
  killTimer?: NodeJS.Timeout;
  /** Runs of the command started so far (in-pod retry); unset: one. */
  executions?: number;
  retryTimer?: NodeJS.Timeout;
  /** Its readinessProbe passed (reported once per run). */
  ready?: boolean;
  /** Consecutive passes of its readinessProbe so far. */
  probePasses?: number;
  probeTimer?: NodeJS.Timeout;
}

/** How the helper saw a process end, when it was watching. */
export interface ProcessStatus {
  code: number | null;
  signal: string | null;
}

/**
 * The exit code of a container whose wrapper left none (it was killed): as the helper saw the
 * process end, else as we signalled it. Undefined: nobody knows how it died.
 */
export function exitCodeUnrecorded(run: ContainerRun, status: ProcessStatus | undefined): number | undefined {
  if (status) return fromProcessStatus(status.code, status.signal);
  if (run.signalled === 'kill') return 128 + osConstants.signals.SIGKILL;
  if (run.signalled === 'graceful') return 128 + osConstants.signals.SIGTERM;
  return undefined;
}

function fromProcessStatus(code: number | null, signal: string | null): number {
  if (code !== null) return code;
  const number = signal ? (osConstants.signals as Record<string, number>)[signal] : undefined;
  return number !== undefined ? 128 + number : -1;
}

/** Why a waiting container can never start (a dependency failed or does not exist), if so. */
export function unrunnableReason(runs: ContainerRun[], run: ContainerRun): string | undefined {
  for (const dep of run.spec.dependencies ?? []) {
    const d = runs.find((r) => r.spec.name === dep);
    if (!d) return `unknown dependency "${dep}"`;
    if (d.state === 'exited' && d.exitCode !== 0) return `dependency "${dep}" exited with non-zero code: ${d.exitCode}`;
  }
  return undefined;
}

export function dependenciesSucceeded(runs: ContainerRun[], run: ContainerRun): boolean {
  return (run.spec.dependencies ?? []).every((dep) => runs.some((r) => r.spec.name === dep && r.state === 'exited' && r.exitCode === 0));
}

/**
 * Whether a run that ended with `exitCode` is run again (Argo's emissary retry): a non-zero exit of
 * a command that did run, not killed by us, with executions left. A command that could not be
 * started (not found: `reason` set by the wrapper; the sandbox refused) is not retried, as Argo
 * does not retry its own failures.
 */
export function retriesAfter(run: ContainerRun, exitCode: number, reason: string | undefined): boolean {
  const retry = run.spec.retry;
  if (!retry || exitCode === 0 || run.killed || reason !== undefined || exitCode === START_ERROR_EXIT_CODE) return false;
  return (run.executions ?? 1) < retry.executions;
}
