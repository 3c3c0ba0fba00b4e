// containerSet.retryStrategy in the local runtime (spec/containerset.md §1.7, CS-09/10/11): a
// failing command runs again in the same container, N executions in all, `duration` apart; the
// pod reports one exit per container (the last run's). Real processes.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalRuntime, type LocalPodRuntime } from '../../src/runtime/local/index.js';
import { EventRecorder, testContainer, testPod } from '../../src/runtime/runtime.suite.js';
import type { ContainerSpec, PodSpec } from '../../src/runtime/types.js';

const dirs: string[] = [];
const runtimes: LocalPodRuntime[] = [];
afterAll(async () => {
  for (const r of runtimes) await r.close();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

const bwrapUsable = process.platform === 'linux' && spawnSync('bwrap', ['--version']).status === 0;

async function start(sandbox: 'bwrap' | 'none', dataDir?: string): Promise<{ runtime: LocalPodRuntime; events: EventRecorder; dir: string }> {
  const dir = dataDir ?? (await mkdtemp(path.join(tmpdir(), 'argot-csretry-')));
  if (!dataDir) dirs.push(dir);
  const runtime = await createLocalRuntime({ dataDir: dir, sandbox, warn: () => undefined, sidecarGraceSeconds: 1 });
  runtimes.push(runtime);
  return { runtime, events: new EventRecorder(runtime), dir };
}

const sh = (name: string, script: string, extra: Partial<ContainerSpec> = {}): ContainerSpec =>
  testContainer(name, { image: 'alpine:3.23', command: ['sh', '-c'], args: [script], volumeMounts: [{ name: 'ws', mountPath: '/ws' }], ...extra });

const withWorkspace = (containers: ContainerSpec[]): PodSpec => testPod(containers, { volumes: [{ name: 'ws', source: { kind: 'emptyDir' } }] });

const volumeFile = (dir: string, pod: PodSpec, file: string): Promise<string> => readFile(path.join(dir, 'pods', pod.name, 'volumes', 'ws', file), 'utf8');

for (const sandbox of ['none', 'bwrap'] as const) {
  describe.runIf(sandbox === 'none' || bwrapUsable)(`containerSet in-pod retry (${sandbox})`, () => {
    it('CS-09 runs a failed command again in the same container after the delay, and reports one exit', async () => {
      const { runtime, events, dir } = await start(sandbox);
      const pod = withWorkspace([
        sh('a', 'date +%s.%N >> /ws/runs; if [ -f /ws/x ]; then exit 0; fi; touch /ws/x; exit 1', { retry: { executions: 2, delayMs: 1000 } }),
        sh('main', 'cat /ws/runs | wc -l', { dependencies: ['a'], captureResult: true }),
      ]);
      await runtime.createPod(pod);
      const end = await events.end(pod.name, 20_000);
      expect(end).toMatchObject({ type: 'podFinished', phase: 'Succeeded' });
      const runs = (await volumeFile(dir, pod, 'runs')).trim().split('\n').map(Number);
      expect(runs).toHaveLength(2);
      expect(runs[1]! - runs[0]!).toBeGreaterThanOrEqual(0.95);
      const exits = events.events(pod.name).filter((e) => e.type === 'containerExited' && e.container === 'a');
      expect(exits).toHaveLength(1);
      expect(exits[0]).toMatchObject({ exitCode: 0 });
      expect(events.exited(pod.name, 'main')).toMatchObject({ exitCode: 0, result: '2' });
    });

    it('CS-10 retries N means N executions in all; the container ends with the last exit code', async () => {
      const { runtime, events, dir } = await start(sandbox);
      const pod = withWorkspace([sh('a', 'echo run >> /ws/n; echo "attempt $(wc -l < /ws/n)"; exit 1', { retry: { executions: 3, delayMs: 0 } })]);
      await runtime.createPod(pod);
      expect(await events.end(pod.name, 20_000)).toMatchObject({ type: 'podFinished', phase: 'Failed' });
      expect((await volumeFile(dir, pod, 'n')).trim().split('\n')).toHaveLength(3);
      expect(events.events(pod.name).filter((e) => e.type === 'containerExited')).toEqual([expect.objectContaining({ container: 'a', exitCode: 1 })]);
      // Every run appended to the one log.
      const log = await readFile(runtime.logPath(pod.name, 'a'), 'utf8');
      expect(log.match(/attempt \d/g)).toEqual(['attempt 1', 'attempt 2', 'attempt 3']);
    });

    it('CS-11 a command that cannot be found is not retried', async () => {
      const { runtime, events } = await start(sandbox);
      const pod = withWorkspace([testContainer('a', { image: 'alpine:3.23', command: ['/no/such/binary'], retry: { executions: 3, delayMs: 5000 } })]);
      const started = Date.now();
      await runtime.createPod(pod);
      expect(await events.end(pod.name, 10_000)).toMatchObject({ type: 'podFinished', phase: 'Failed' });
      expect(Date.now() - started).toBeLessThan(4000);
      const exit = events.exited(pod.name, 'a');
      expect(exit?.exitCode).not.toBe(0);
      expect(exit?.reason).toMatch(/not found/);
    });

    it('fail-fast ends a container waiting to be retried, without waiting for its delay', async () => {
      const { runtime, events } = await start(sandbox);
      const pod = withWorkspace([
        sh('a', 'exit 4', { retry: { executions: 5, delayMs: 30_000 } }),
        sh('b', 'sleep 1; exit 2'),
        sh('main', 'true', { dependencies: ['a'] }),
      ]);
      const started = Date.now();
      await runtime.createPod(pod);
      expect(await events.end(pod.name, 15_000)).toMatchObject({ type: 'podFinished', phase: 'Failed' });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(events.exited(pod.name, 'a')).toMatchObject({ exitCode: 4 });
      expect(events.exited(pod.name, 'b')).toMatchObject({ exitCode: 2 });
      expect(events.exited(pod.name, 'main')?.exitCode).not.toBe(0);
    });

    it('a pod deleted between two runs is gone at once; a graceful deletion reports the last exit', async () => {
      const { runtime, events } = await start(sandbox);
      const abrupt = withWorkspace([sh('a', 'exit 1', { retry: { executions: 5, delayMs: 30_000 } })]);
      await runtime.createPod(abrupt);
      await new Promise((r) => setTimeout(r, 1000));
      await runtime.deletePod(abrupt.name);
      expect(await events.end(abrupt.name, 5000)).toMatchObject({ type: 'podGone', reason: 'deleted' });

      const graceful = withWorkspace([sh('a', 'exit 1', { retry: { executions: 5, delayMs: 30_000 } })]);
      await runtime.createPod(graceful);
      await new Promise((r) => setTimeout(r, 1000));
      await runtime.deletePod(graceful.name, { graceSeconds: 2 });
      expect(await events.end(graceful.name, 5000)).toMatchObject({ type: 'podFinished', phase: 'Failed' });
      expect(events.exited(graceful.name, 'a')).toMatchObject({ exitCode: 1 });
    });

    it('a runtime restarted between two runs carries the retry on, counting the runs already made', async () => {
      const first = await start(sandbox);
      const pod = withWorkspace([sh('a', 'echo run >> /ws/n; exit 1', { retry: { executions: 3, delayMs: 1500 } })]);
      await first.runtime.createPod(pod);
      await first.events.waitFor(pod.name, 'containerStarted');
      await new Promise((r) => setTimeout(r, 500));
      await first.runtime.close({ keepPods: true });
      const second = await start(sandbox, first.dir);
      const adopted = await second.runtime.adopt();
      expect(adopted.map((a) => a.spec.name)).toContain(pod.name);
      expect(await second.events.end(pod.name, 20_000)).toMatchObject({ type: 'podFinished', phase: 'Failed' });
      // Three runs in all: the one before the restart counted.
      expect((await volumeFile(first.dir, pod, 'n')).trim().split('\n')).toHaveLength(3);
      expect(second.events.exited(pod.name, 'a')).toMatchObject({ exitCode: 1 });
    });
  });
}
