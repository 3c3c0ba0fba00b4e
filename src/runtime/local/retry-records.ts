// The durable part of a containerSet's in-pod retry (ContainerSpec.retry, Argo's emissary retry),
// next to the container's other records (pod-records.ts):
//
//   <pod>/containers/<c>/executions   how many times the command has been started (absent: once)
//
// Before a failed command runs again, the count is raised and the ended run's exit record (and its
// process record) removed, so the next run leaves its own: a runtime restarted in between sees a
// container that has not ended and, with no process, starts it again.

import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readOptional, type PodLayout } from './pod-layout.js';

const EXECUTIONS = 'executions';

/** Files of one run of the command: its end (the wrapper's) and its process (the spawner's). */
const RUN_FILES = ['exitcode', 'finished-at', 'reason', 'pid', 'spawning'];

export async function readExecutions(layout: PodLayout, container: string): Promise<number> {
  const text = (await readOptional(path.join(layout.stateDir(container), EXECUTIONS)))?.trim();
  const n = text ? Number.parseInt(text, 10) : Number.NaN;
  return Number.isInteger(n) && n > 0 ? n : 1;
}

/** Records that run number `execution` is next, then forgets the ended run. */
export async function beginExecution(layout: PodLayout, container: string, execution: number): Promise<void> {
  const dir = layout.stateDir(container);
  const file = path.join(dir, EXECUTIONS);
  await writeFile(`${file}.tmp`, `${execution}\n`);
  await rename(`${file}.tmp`, file);
  for (const name of RUN_FILES) await rm(path.join(dir, name), { force: true });
}
