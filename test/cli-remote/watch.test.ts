import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NodeStatus, Workflow } from '../../src/spec/types.js';
import { FakeArgoServer } from './fake-server.js';
import { run, start, until, workflow } from './harness.js';

let fake: FakeArgoServer;
const argot = (...args: string[]) => run(args, { server: fake.url });

beforeEach(async () => {
  fake = await new FakeArgoServer().start();
});
afterEach(async () => {
  await fake.stop();
});

function withPod(wf: Workflow, phase: NodeStatus['phase']): Workflow {
  const name = wf.metadata.name ?? '';
  wf.status = {
    ...wf.status,
    startedAt: '2024-05-01T10:00:00Z',
    nodes: { [name]: { id: name, name, displayName: name, type: 'Pod', templateName: 'main', phase, startedAt: '2024-05-01T10:00:00Z' } },
  };
  return wf;
}

describe('watch', () => {
  it('prints progress on stderr and the final view on stdout without a terminal; exit 0 even when it failed', async () => {
    fake.putWorkflow(withPod(workflow('w', { phase: 'Running' }), 'Running'));
    const cli = start(['watch', 'w'], { server: fake.url });
    await until(() => cli.stderr.text.includes('Running'));
    fake.putWorkflow(withPod(workflow('w', { phase: 'Failed', finished: '2024-05-01T10:00:05Z', message: 'boom' }), 'Failed'));
    const r = await cli.done;
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n').filter(Boolean).map((l) => l.split(/\s+/)[0])).toEqual(['Running', 'Failed']);
    expect(r.stdout).toMatch(/^Name: +w\n(.*\n)*Status: +Failed\nMessage: +boom\n/);
    expect(r.stdout).toContain('STEP');
    // Each connection starts with a GET, then the watch narrowed to the one workflow.
    expect(fake.calls()).toEqual(['GET /api/v1/workflow-events/default', 'GET /api/v1/workflows/default/w']);
    expect(fake.requests[0]?.query).toEqual({ 'listOptions.fieldSelector': 'metadata.name=w' });
  });

  it('redraws the view on a terminal, clearing the screen on stderr', async () => {
    fake.putWorkflow(workflow('w', { phase: 'Running' }));
    const cli = start(['watch', 'w'], { server: fake.url, stdoutTty: true });
    await until(() => cli.stdout.text.includes('Running'));
    fake.putWorkflow(workflow('w', { phase: 'Succeeded', finished: '2024-05-01T10:00:05Z' }));
    const r = await cli.done;
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('\x1b[H\x1b[2J');
    expect(r.stdout.match(/^Name: +w$/gm)?.length).toBeGreaterThanOrEqual(2);
    expect(r.stdout.trimEnd().split('\n').filter((l) => l.startsWith('Status:')).at(-1)).toMatch(/Succeeded$/);
  });

  it('reconnects when the stream drops, and still sees the end', async () => {
    fake.putWorkflow(workflow('w', { phase: 'Running' }));
    fake.dropNextWatchAfter = 1;
    const pending = argot('watch', 'w');
    await until(() => fake.watchConnections === 2 && fake.watchers.size === 1);
    fake.putWorkflow(workflow('w', { phase: 'Succeeded', finished: '2024-05-01T10:00:05Z' }));
    const r = await pending;
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('argot: lost the watch on workflow "w"; reconnecting (attempt 1)');
    expect(r.stdout).toMatch(/Status: +Succeeded/);
  });

  it('does not miss an end that happened while disconnected, even from a server that replays nothing', async () => {
    fake.replayOnWatch = false;
    fake.putWorkflow(workflow('w', { phase: 'Running' }));
    const cli = start(['watch', 'w'], { server: fake.url });
    await until(() => cli.stderr.text.includes('Running'));
    for (const w of fake.watchers) {
      fake.watchers.delete(w);
      w.res.socket?.destroy();
    }
    fake.putWorkflow(workflow('w', { phase: 'Succeeded', finished: '2024-05-01T10:00:05Z' }));
    const r = await cli.done;
    expect(r.stdout).toMatch(/Status: +Succeeded/);
    expect(fake.watchConnections).toBe(2);
  });

  it('fails when the workflow is deleted while watched', async () => {
    fake.putWorkflow(workflow('w', { phase: 'Running' }));
    const cli = start(['watch', 'w'], { server: fake.url });
    // Delete only once the CLI has shown it: before that, "not found" would be the right answer.
    await until(() => cli.stderr.text.includes('Running') && fake.watchers.size === 1);
    fake.removeWorkflow('default', 'w');
    const r = await cli.done;
    expect(r).toMatchObject({ code: 1 });
    expect(r.stderr).toContain('argot: workflow "w" was deleted from namespace default before it finished');
  });

  it('names a workflow that does not exist', async () => {
    expect(await argot('watch', 'nope')).toMatchObject({ code: 1, stderr: 'argot: workflow "nope" not found in namespace default\n' });
  });
});

describe('wait', () => {
  it("prints argo's line per workflow and exits 0 when all Succeeded", async () => {
    fake.putWorkflow(workflow('a', { phase: 'Succeeded', finished: '2024-05-01T10:00:05Z' }));
    fake.putWorkflow(workflow('b', { phase: 'Running' }));
    const pending = argot('wait', 'a', 'b');
    await until(() => [...fake.watchers].some((w) => w.fieldName === 'b') && fake.requests.some((r) => r.path.endsWith('/workflows/default/b')));
    fake.putWorkflow(workflow('b', { phase: 'Succeeded', finished: '2024-05-01T10:01:00Z' }));
    const r = await pending;
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual(['a Succeeded at 2024-05-01 10:00:05 +0000 UTC', 'b Succeeded at 2024-05-01 10:01:00 +0000 UTC']);
  });

  it('exits 1 when one did not succeed', async () => {
    fake.putWorkflow(workflow('a', { phase: 'Succeeded', finished: '2024-05-01T10:00:05Z' }));
    fake.putWorkflow(workflow('b', { phase: 'Error', finished: '2024-05-01T10:00:06Z' }));
    const r = await argot('wait', 'a', 'b');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('b Error at 2024-05-01 10:00:06 +0000 UTC');
  });

  it('skips missing workflows with --ignore-not-found, fails without', async () => {
    fake.putWorkflow(workflow('a', { phase: 'Succeeded', finished: '2024-05-01T10:00:05Z' }));
    expect((await argot('wait', 'a', 'gone', '--ignore-not-found')).code).toBe(0);
    expect(await argot('wait', 'a', 'gone')).toMatchObject({ code: 1, stderr: 'argot: workflow "gone" not found in namespace default\n' });
  });
});

describe('submit --wait / --watch / --log', () => {
  let path: string;
  beforeEach(() => {
    path = join(mkdtempSync(join(tmpdir(), 'argot-remote-')), 'wf.yaml');
    writeFileSync(
      path,
      'apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  name: job\nspec:\n  entrypoint: main\n  templates:\n    - name: main\n      container:\n        image: alpine\n',
    );
  });

  it('--wait exits 1 when the workflow fails', async () => {
    const pending = argot('submit', path, '--wait');
    await until(() => fake.watchers.size === 1);
    fake.putWorkflow(workflow('job', { phase: 'Failed', finished: '2024-05-01T10:00:05Z' }));
    const r = await pending;
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Name: +job\n/);
    expect(r.stdout).toContain('job Failed at 2024-05-01 10:00:05 +0000 UTC\n');
  });

  it('--wait with -o name prints only the name', async () => {
    const pending = argot('submit', path, '--wait', '-o', 'name');
    await until(() => fake.watchers.size === 1);
    fake.putWorkflow(workflow('job', { phase: 'Succeeded', finished: '2024-05-01T10:00:05Z' }));
    expect(await pending).toMatchObject({ code: 0, stdout: 'job\n' });
  });

  it('--watch shows it until it ends, exit 0', async () => {
    const pending = argot('submit', path, '--watch');
    await until(() => fake.watchers.size === 1);
    fake.putWorkflow(workflow('job', { phase: 'Failed', finished: '2024-05-01T10:00:05Z' }));
    const r = await pending;
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^Name:/gm)).toHaveLength(1);
    expect(r.stdout).toMatch(/Status: +Failed/);
  });

  it('--log follows the logs until the server ends them', async () => {
    const pending = argot('submit', path, '--log', '-o', 'name');
    await until(() => fake.logs.get('default/job')?.followers.size === 1);
    fake.appendLogs('default', 'job', [{ podName: 'job', content: 'hello' }]);
    fake.endLogs('default', 'job');
    const r = await pending;
    expect(r).toMatchObject({ code: 0, stdout: 'job\njob: hello\n' });
    expect(fake.last('GET', '/api/v1/workflows/default/job/log')?.query).toEqual({ 'logOptions.container': 'main', 'logOptions.follow': 'true' });
  });
});

describe('logs', () => {
  beforeEach(() => {
    fake.putWorkflow(workflow('w', { phase: 'Running', created: '2024-05-01T10:00:00Z' }));
    fake.appendLogs('default', 'w', [
      { podName: 'w-a-1', content: 'first\n' },
      { podName: 'w-b-2', content: 'second' },
    ]);
  });

  it('prints pod: line for every pod', async () => {
    expect(await argot('logs', 'w')).toMatchObject({ code: 0, stdout: 'w-a-1: first\nw-b-2: second\n', stderr: '' });
  });

  it('passes pod, container, grep, tail, since and timestamps to the server', async () => {
    expect((await argot('logs', '@latest', 'w-b-2', '-c', 'wait', '--grep', 'sec', '--tail', '5', '--since', '1h30m', '--timestamps')).stdout).toBe('w-b-2: second\n');
    expect(fake.last('GET', '/api/v1/workflows/default/w/log')?.query).toEqual({
      podName: 'w-b-2',
      'logOptions.container': 'wait',
      grep: 'sec',
      'logOptions.tailLines': '5',
      'logOptions.sinceSeconds': '5400',
      'logOptions.timestamps': 'true',
    });
  });

  it('rejects a bad duration before calling the server', async () => {
    const r = await argot('logs', 'w', '--since', 'soon');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('expected a duration');
    expect(fake.requests).toEqual([]);
  });

  it('follows new lines with -f until the stream ends', async () => {
    const pending = argot('logs', 'w', '-f');
    await until(() => fake.logs.get('default/w')?.followers.size === 1);
    fake.appendLogs('default', 'w', [{ podName: 'w-a-1', content: 'third' }]);
    fake.appendLogs('default', 'w', [{ podName: 'w-b-2', content: 'fourth' }]);
    fake.endLogs('default', 'w');
    expect(await pending).toMatchObject({ code: 0, stdout: 'w-a-1: first\nw-b-2: second\nw-a-1: third\nw-b-2: fourth\n' });
  });

  it('reports a cut log stream as a failure', async () => {
    const pending = argot('logs', 'w', '-f');
    await until(() => fake.logs.get('default/w')?.followers.size === 1);
    for (const f of fake.logs.get('default/w')?.followers ?? []) f.res.socket?.destroy();
    const r = await pending;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the log stream was cut');
  });

  it('names the missing workflow', async () => {
    expect(await argot('logs', 'nope')).toMatchObject({ code: 1, stderr: 'argot: workflow "nope" not found in namespace default\n' });
  });
});
