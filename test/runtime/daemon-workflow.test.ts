// Daemon steps end to end: the real controller, engine and local runtime run a workflow whose
// daemon is a small HTTP server (python3's http.server on a free port) with a readinessProbe; the
// client steps reach it through {{steps.server.ip}} / {{tasks.server.ip}}, and once the scope ends
// the daemon's pod is killed, its node Succeeded and none of its processes left.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { Controller } from '../../src/controller/controller.js';
import { podName } from '../../src/engine/index.js';
import { createLocalRuntime } from '../../src/runtime/local/index.js';
import { processesOfPod } from '../../src/runtime/local/proc-scan.js';
import type { NodeStatus, Workflow } from '../../src/spec/types.js';
import { createMemoryStore } from '../../src/store/memory/index.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

const bwrapUsable = process.platform === 'linux' && spawnSync('bwrap', ['--version']).status === 0;
const hasTools = spawnSync('python3', ['--version']).status === 0 && spawnSync('curl', ['--version']).status === 0;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Runs one workflow to its end on a fresh controller; returns it with the daemon pods' names. */
async function runWorkflow(sandbox: 'bwrap' | 'none', yaml: string): Promise<Workflow> {
  const dir = await mkdtemp(path.join(tmpdir(), 'argot-daemon-'));
  dirs.push(dir);
  const store = createMemoryStore();
  const runtime = await createLocalRuntime({ dataDir: dir, sandbox, warn: () => undefined });
  const errors: string[] = [];
  const controller = new Controller({ store, runtime, engine: { namespace: 'default' }, log: { info: () => undefined, warn: () => undefined, error: (m: string) => void errors.push(m) }, resyncMs: 500 });
  await controller.start();
  try {
    const submitted = await controller.submit(parse(yaml) as Workflow);
    const name = submitted.metadata.name ?? '';
    const done = await Promise.race([
      controller.waitFor('default', name),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`workflow ${name} did not finish`)), 45_000)),
    ]);
    expect(errors).toEqual([]);
    return done;
  } finally {
    await controller.stop();
    await runtime.close();
    await store.close();
  }
}

const server = (port: number, probe: string): string => `
  - name: server
    daemon: true
    script:
      image: python:3.12
      command: [python]
      source: |
        import http.server, os, time
        os.makedirs('/tmp/www', exist_ok=True)
        with open('/tmp/www/index.html', 'w') as f:
          f.write('hello from the daemon\\n')
        os.chdir('/tmp/www')
        time.sleep(1)
        http.server.ThreadingHTTPServer(('127.0.0.1', ${port}), http.server.SimpleHTTPRequestHandler).serve_forever()
      readinessProbe:
        ${probe}
        initialDelaySeconds: 1
        periodSeconds: 1
        timeoutSeconds: 1`;

const client = `
  - name: client
    inputs: {parameters: [{name: url}]}
    container:
      image: curlimages/curl:latest
      command: [sh, -c]
      args: ["curl -fsS {{inputs.parameters.url}}"]`;

const nodeNamed = (wf: Workflow, displayName: string): NodeStatus => {
  const found = Object.values(wf.status?.nodes ?? {}).filter((n) => n.displayName === displayName);
  if (found.length !== 1) throw new Error(`expected one node ${displayName}, found ${found.length}`);
  return found[0] as NodeStatus;
};

async function expectNoProcessesOf(wf: Workflow, node: NodeStatus): Promise<void> {
  const pod = podName(wf.metadata.name ?? '', node.name, node.templateName);
  await expect.poll(() => processesOfPod(pod), { timeout: 5000, interval: 100 }).toEqual([]);
}

for (const sandbox of ['none', 'bwrap'] as const) {
  describe.runIf(hasTools && (sandbox === 'none' || bwrapUsable))(`daemon steps, end to end (${sandbox})`, () => {
    it('steps: the client reaches the ready daemon at {{steps.server.ip}}; the daemon is killed when the steps end', async () => {
      const port = await freePort();
      const wf = await runWorkflow(
        sandbox,
        `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: daemon-e2e-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: server, template: server}
    - - {name: client, template: client, arguments: {parameters: [{name: url, value: "http://{{steps.server.ip}}:${port}/index.html"}]}}
    - - {name: again, template: client, arguments: {parameters: [{name: url, value: "http://{{steps.server.ip}}:${port}/"}]}}
${server(port, `httpGet: {path: /index.html, port: ${port}}`)}
${client}
`,
      );
      expect(wf.status?.phase, JSON.stringify(wf.status?.nodes)).toBe('Succeeded');
      expect(nodeNamed(wf, 'client').outputs?.result).toBe('hello from the daemon');
      expect(nodeNamed(wf, 'again').outputs?.result).toBe('hello from the daemon');
      const daemon = nodeNamed(wf, 'server');
      expect(daemon).toMatchObject({ type: 'Pod', phase: 'Succeeded', podIP: '127.0.0.1' });
      expect(daemon.daemoned).toBeUndefined();
      // The daemon was ready before the client started, and ended after the last client.
      expect(Date.parse(daemon.finishedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(nodeNamed(wf, 'again').finishedAt ?? ''));
      await expectNoProcessesOf(wf, daemon);
    });

    it('dag: a tcpSocket-probed daemon, {{tasks.server.ip}}, and a bare depends', async () => {
      const port = await freePort();
      const wf = await runWorkflow(
        sandbox,
        `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: daemon-dag-e2e-}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: server, template: server}
      - {name: client, depends: server, template: client, arguments: {parameters: [{name: url, value: "http://{{tasks.server.ip}}:${port}/index.html"}]}}
${server(port, `tcpSocket: {port: ${port}}`)}
${client}
`,
      );
      expect(wf.status?.phase, JSON.stringify(wf.status?.nodes)).toBe('Succeeded');
      expect(nodeNamed(wf, 'client').outputs?.result).toBe('hello from the daemon');
      expect(nodeNamed(wf, 'server').phase).toBe('Succeeded');
      await expectNoProcessesOf(wf, nodeNamed(wf, 'server'));
    });
  });
}
