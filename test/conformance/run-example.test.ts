import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWorkflow, runExample, type RunOptions } from '../../scripts/conformance/run-example.js';
import type { Workflow } from '../../src/spec/types.js';
import { failureCause, judge, lastLine } from '../../scripts/conformance/verdict.js';
import { waitGone, writeFakeArgot } from './fake-argot.js';

let dir: string;
let options: RunOptions;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'argot-conformance-test-'));
  options = { command: [process.execPath, await writeFakeArgot()], timeoutMs: 10_000, cwd: dir };
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function example(name: string, body: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `${body}\napiVersion: argoproj.io/v1alpha1\nkind: Workflow\n`);
  return path;
}

describe.skipIf(process.platform === 'win32')('runExample', () => {
  it('reads the phase of the printed workflow and gives each run a fresh ARGOT_HOME', async () => {
    const file = await example('ok.yaml', '# fake: succeed');
    const [a, b] = await Promise.all([runExample(file, options), runExample(file, options)]);
    expect(a.workflow?.status?.phase).toBe('Succeeded');
    expect(a.exitCode).toBe(0);
    const homeA = a.workflow?.metadata.annotations?.['home'];
    expect(homeA).toBe(a.home);
    expect(homeA).not.toBe(b.workflow?.metadata.annotations?.['home']);
    expect(existsSync(a.home)).toBe(false); // cleaned up
    expect(judge('ok.yaml', ['Succeeded'], a, 10_000)).toMatchObject({ status: 'pass', got: 'Succeeded' });
  });

  it('judges a workflow that ends in the wrong phase by its failed pod', async () => {
    const outcome = await runExample(await example('fail.yaml', '# fake: fail'), options);
    expect(outcome.exitCode).toBe(1);
    expect(judge('fail.yaml', ['Succeeded'], outcome, 10_000)).toMatchObject({
      status: 'fail',
      got: 'Failed',
      reason: 'boom: Error (exit code 1)',
    });
    expect(judge('fail.yaml', ['Failed'], outcome, 10_000).status).toBe('pass');
  });

  it('prefers the workflow message as the cause', async () => {
    const outcome = await runExample(await example('error.yaml', '# fake: error'), options);
    expect(judge('error.yaml', ['Succeeded'], outcome, 10_000)).toMatchObject({ got: 'Error', reason: 'invalid spec: no entrypoint' });
  });

  it('finds the workflow among other stdout lines', async () => {
    const outcome = await runExample(await example('noisy.yaml', '# fake: noisy'), options);
    expect(outcome.workflow?.status?.phase).toBe('Succeeded');
  });

  it('fails a run that prints no workflow with the last line of stderr', async () => {
    const outcome = await runExample(await example('garbage.yaml', '# fake: garbage'), options);
    expect(judge('garbage.yaml', ['Succeeded'], outcome, 10_000)).toMatchObject({
      status: 'fail',
      got: 'no workflow',
      reason: 'exit code 2: argot: cannot parse workflow',
    });
    const crashed = await runExample(await example('crash.yaml', '# fake: crash'), options);
    expect(judge('crash.yaml', ['Succeeded'], crashed, 10_000).reason).toBe('killed by SIGKILL');
  });

  it('kills the whole process group on timeout', async () => {
    const pidfile = join(dir, 'hang.pid');
    const outcome = await runExample(await example('hang.yaml', `# fake: hang\n# pidfile: ${pidfile}`), { ...options, timeoutMs: 1_000 });
    expect(outcome.timedOut).toBe(true);
    expect(judge('hang.yaml', ['Succeeded'], outcome, 1_000)).toMatchObject({ status: 'fail', got: 'timeout', reason: 'timeout after 1s' });
    // The grandchild ignores SIGTERM; it must still be gone.
    expect(await waitGone(Number(await readFile(pidfile, 'utf8')))).toBe(true);
  });

  it('escalates to SIGKILL when argot ignores SIGTERM', async () => {
    const pidfile = join(dir, 'stubborn.pid');
    const started = Date.now();
    const outcome = await runExample(await example('stubborn.yaml', `# fake: stubborn\n# pidfile: ${pidfile}`), { ...options, timeoutMs: 500 });
    expect(outcome).toMatchObject({ timedOut: true, signal: 'SIGKILL' });
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(await waitGone(Number(await readFile(pidfile, 'utf8')))).toBe(true);
  });
});

describe('parseWorkflow', () => {
  it('accepts a pretty-printed workflow and rejects other JSON', () => {
    expect(parseWorkflow(JSON.stringify({ kind: 'Workflow', metadata: {}, spec: {} }, null, 4))?.kind).toBe('Workflow');
    expect(parseWorkflow('{"kind":"ConfigMap"}')).toBeUndefined();
    expect(parseWorkflow('')).toBeUndefined();
  });
});

const failedWorkflow = (message?: string): Workflow => ({
  apiVersion: 'v',
  kind: 'Workflow',
  metadata: { name: 'wf' },
  spec: {},
  status: {
    phase: 'Failed',
    ...(message ? { message } : {}),
    nodes: {
      wf: { id: 'wf', name: 'wf', displayName: 'wf', type: 'Steps', phase: 'Failed', message: "child 'wf-1' failed" },
      'wf-1': { id: 'wf-1', name: 'wf[0].consume', displayName: 'consume', type: 'Pod', phase: 'Failed', message: 'cannot load input artifact' },
    },
  },
});

describe('failureCause', () => {
  it('falls back to stderr when the workflow says nothing', () => {
    const wf = { apiVersion: 'v', kind: 'Workflow' as const, metadata: {}, spec: {}, status: { phase: 'Failed' as const } };
    expect(failureCause(wf, 'line one\nthe last line\n\n')).toBe('the last line');
  });

  it('looks past a message that only says a child failed', () => {
    expect(failureCause(failedWorkflow("child 'wf-1' failed"), '')).toBe('consume: cannot load input artifact');
    expect(failureCause(failedWorkflow('Step exceeded its deadline'), '')).toBe('Step exceeded its deadline');
  });
});

describe('lastLine', () => {
  it('gives the errors before a line that only counts them', () => {
    const stderr = 'f.yaml:6:3: entrypoint refers to template "x" (spec.entrypoint)\nargot: 1 error in f.yaml; nothing was sent to the server\n';
    expect(lastLine(stderr)).toBe('f.yaml:6:3: entrypoint refers to template "x" (spec.entrypoint)');
    expect(lastLine('a\nb:1:2: one\nb:3:4: two\nargot: 2 errors in b\n')).toBe('b:1:2: one | b:3:4: two');
    expect(lastLine('argot: 1 error in b\n')).toBe('argot: 1 error in b');
  });
});

describe('judge', () => {
  const outcome = { timedOut: false, exitCode: 1, signal: null, stderr: '', durationMs: 1, home: '/h' };
  const succeeded: Workflow = { ...failedWorkflow(), status: { phase: 'Succeeded' } };

  it('passes a file with several workflows only when each ends as expected', () => {
    expect(judge('f', ['Succeeded'], { ...outcome, workflow: succeeded, workflows: [succeeded, failedWorkflow()] }, 1_000)).toMatchObject({
      status: 'fail',
      got: 'Failed',
      reason: 'consume: cannot load input artifact',
    });
    expect(judge('f', ['Succeeded'], { ...outcome, workflow: succeeded, workflows: [succeeded, succeeded] }, 1_000).status).toBe('pass');
  });

  it('names the nodes still running at a timeout, and keeps the details of the run', () => {
    expect(judge('f', ['Succeeded'], { ...outcome, timedOut: true, stuck: ['server (Pod)'], detail: 'resumed approve' }, 90_000, undefined, 'driven')).toMatchObject({
      got: 'timeout',
      reason: 'timeout after 90s; still running: server (Pod)',
      detail: 'driven; resumed approve',
    });
  });
});
