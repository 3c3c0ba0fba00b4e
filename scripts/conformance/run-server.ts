// Server mode: runs one corpus file on a worker's `argot server` as Argo's e2e test does (features.md
// §3.1): apply the file's non-Workflow documents, submit its Workflows, wait, read them back, then
// delete them (which kills whatever pods are left) so the next file starts on a clean server.
// CronWorkflow-only files run each CronWorkflow once with `submit --from cronwf/NAME`.
// Human-driven files (drive.ts) are polled, answered and resumed instead of waited for.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Workflow } from '../../src/spec/types.js';
import { describeAnswer, pendingAnswers, type Drive } from './drive.js';
import { planManifests } from './manifests.js';
import { parseWorkflow, type RunOutcome } from './run-example.js';
import type { ArgotServer } from './server.js';
import type { CommandResult } from './spawn.js';
import { lastLine } from './verdict.js';

export interface ServerRunOptions {
  timeoutMs: number;
  /** Play the human: answer these suspend nodes. */
  drive?: Drive;
  /** Poll interval while driving. */
  pollMs?: number;
}

// After a timeout: how long the terminated workflow gets to finish before it is deleted anyway.
const TERMINATE_GRACE_MS = 15_000;

const FINISHED = new Set(['Succeeded', 'Failed', 'Error']);

class Abort extends Error {
  constructor(
    readonly step: string,
    readonly result: CommandResult,
  ) {
    super(step);
  }
}

export async function runOnServer(server: ArgotServer, file: string, options: ServerRunOptions): Promise<RunOutcome> {
  const started = performance.now();
  const deadline = Date.now() + options.timeoutMs;
  const remaining = (): number => Math.max(1, deadline - Date.now());
  const stderr: string[] = [];
  const details: string[] = [];
  const names: string[] = [];
  const crons: string[] = [];
  const scratch = await mkdtemp(join(tmpdir(), 'argot-conformance-file-'));
  const outcome = (rest: Partial<RunOutcome>): RunOutcome => ({
    timedOut: false,
    exitCode: 0,
    signal: null,
    stderr: stderr.join(''),
    durationMs: performance.now() - started,
    home: server.home,
    ...(details.length ? { detail: details.join('; ') } : {}),
    ...rest,
  });
  // A CLI command that must work for the run to go on.
  const must = async (step: string, args: string[], timeoutMs?: number): Promise<CommandResult> => {
    const result = await server.cli(args, timeoutMs);
    stderr.push(result.stderr);
    if (result.exitCode !== 0 || result.timedOut) throw new Abort(step, result);
    return result;
  };

  try {
    const manifests = planManifests(await readFile(file, 'utf8'), file);
    if (manifests.apply) {
      const applyFile = join(scratch, 'apply.yaml');
      await writeFile(applyFile, manifests.apply);
      await must('apply', ['apply', '-f', applyFile]);
      for (const cron of manifests.cronWorkflows) {
        crons.push(cron);
        // The scheduler must not start runs of its own while this one is measured.
        await must('cron suspend', ['cron', 'suspend', cron]);
      }
    }
    if (manifests.kind === 'none') return outcome({ exitCode: null, stderr: 'nothing to run: no Workflow or CronWorkflow in the file' });
    if (manifests.kind === 'cron') {
      for (const cron of manifests.cronWorkflows) {
        names.push(...workflowNames((await must('submit --from', ['submit', '--from', `cronwf/${cron}`, '-o', 'name'])).stdout));
      }
      details.push(`via ${manifests.cronWorkflows.map((c) => `submit --from cronwf/${c}`).join(', ')}`);
    } else {
      let submitFile = file;
      if (manifests.workflowsOnly) {
        submitFile = join(scratch, 'workflows.yaml');
        await writeFile(submitFile, manifests.workflowsOnly);
      }
      names.push(...workflowNames((await must('submit', ['submit', submitFile, '-o', 'name'])).stdout));
    }
    if (!names.length) return outcome({ exitCode: null, stderr: `${stderr.join('')}\nsubmit printed no workflow name` });

    let finished: Workflow[] | undefined;
    if (!options.drive) {
      const wait = await server.cli(['wait', ...names], remaining());
      stderr.push(wait.stderr);
      if (!wait.timedOut) finished = await getAll(server, names, stderr);
    }
    // Driving, or `wait` gave up early (a dropped connection): poll until the workflows finish.
    if (options.drive || (finished?.length === names.length && !allFinished(finished, names))) {
      const drive = options.drive ?? { resume: [], why: '' };
      finished = await driveUntilDone(server, names, drive, remaining, options.pollMs ?? 500, details, stderr);
    }
    if (!finished) return await timedOut(server, names, outcome, stderr);
    if (finished.length < names.length) return outcome({ exitCode: 1, stderr: `${stderr.join('')}\n${server.deathNote() ?? 'get printed no workflow'}` });
    return outcome({ workflow: finished[0], workflows: finished, exitCode: finished.every((w) => w.status?.phase === 'Succeeded') ? 0 : 1 });
  } catch (error) {
    if (!(error instanceof Abort)) throw error;
    const why = server.deathNote() ?? (error.result.timedOut ? 'timed out' : lastLine(error.result.stderr) || `exit code ${error.result.exitCode ?? '?'}`);
    return outcome({ exitCode: error.result.exitCode, signal: error.result.signal, stderr: `${stderr.join('')}\n${error.step}: ${why}` });
  } finally {
    if (names.length) stderr.push((await server.cli(['delete', ...names])).stderr);
    for (const cron of crons) await server.cli(['cron', 'delete', cron]);
    await rm(scratch, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** Polls the workflows, answering the drive's suspend nodes as they come up, until all have finished. */
async function driveUntilDone(
  server: ArgotServer,
  names: string[],
  drive: Drive,
  remaining: () => number,
  pollMs: number,
  details: string[],
  stderr: string[],
): Promise<Workflow[] | undefined> {
  const answered = new Map<string, Set<string>>(names.map((n) => [n, new Set<string>()]));
  for (;;) {
    const workflows = await getAll(server, names, stderr);
    if (workflows.length < names.length && server.deathNote()) return workflows;
    if (allFinished(workflows, names)) return workflows;
    for (const wf of workflows) {
      const name = wf.metadata.name ?? '';
      const done = answered.get(name) ?? new Set<string>();
      for (const answer of pendingAnswers(wf, drive, done)) {
        const selector = `displayName=${answer.node}`;
        const outputs = Object.entries(answer.outputs).flatMap(([k, v]) => ['--output-parameter', `${k}=${v}`]);
        if (outputs.length) stderr.push((await server.cli(['node', 'set', name, '--node-field-selector', selector, ...outputs])).stderr);
        stderr.push((await server.cli(['resume', name, '--node-field-selector', selector])).stderr);
        done.add(answer.node);
        details.push(`resumed ${describeAnswer(answer)}`);
      }
    }
    if (remaining() <= pollMs) return undefined;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

function allFinished(workflows: Workflow[], names: string[]): boolean {
  return workflows.length === names.length && workflows.every((w) => FINISHED.has(w.status?.phase ?? ''));
}

async function getAll(server: ArgotServer, names: string[], stderr: string[]): Promise<Workflow[]> {
  const workflows: Workflow[] = [];
  for (const name of names) {
    const got = await server.cli(['get', name, '-o', 'json']);
    stderr.push(got.stderr);
    const wf = parseWorkflow(got.stdout);
    if (wf) workflows.push(wf);
  }
  return workflows;
}

/** Names what the workflows were still doing, then terminates them (deletion follows). */
async function timedOut(server: ArgotServer, names: string[], outcome: (rest: Partial<RunOutcome>) => RunOutcome, stderr: string[]): Promise<RunOutcome> {
  const workflows = await getAll(server, names, stderr);
  const stuck = workflows.flatMap((wf) =>
    Object.values(wf.status?.nodes ?? {})
      .filter((n) => n.phase === 'Running' || n.phase === 'Pending')
      .filter((n) => !(n.children ?? []).some((c) => ['Running', 'Pending'].includes(wf.status?.nodes?.[c]?.phase ?? '')))
      .map((n) => `${n.displayName} (${n.type}${n.message ? `: ${n.message}` : ''})`),
  );
  await server.cli(['terminate', ...names]);
  await server.cli(['wait', ...names], TERMINATE_GRACE_MS);
  const last = workflows[0];
  return outcome({ timedOut: true, stuck, exitCode: null, ...(last ? { workflow: last, workflows } : {}) });
}

/** `submit -o name` prints one name per line. */
export function workflowNames(stdout: string): string[] {
  return stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(l));
}

export interface SupportResult {
  file: string;
  /** Applied (possibly with a warning in `message`), or refused (the reason in `message`). */
  ok: boolean;
  message?: string;
}

/** Applies each supporting manifest (corpus-relative paths) to the server, one `apply -f` per file. */
export async function applySupport(server: ArgotServer, corpus: string, files: readonly string[]): Promise<SupportResult[]> {
  const results: SupportResult[] = [];
  for (const file of files) {
    const applied = await server.cli(['apply', '-f', join(corpus, file)]);
    const message = (server.deathNote() ?? (applied.timedOut ? 'timed out' : lastLine(applied.stderr))).split(`${corpus}/`).join('');
    const ok = applied.exitCode === 0 && !applied.timedOut;
    results.push({ file, ok, ...(message || !ok ? { message: message || `exit code ${applied.exitCode ?? '?'}` } : {}) });
  }
  return results;
}
