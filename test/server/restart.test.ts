// Crash safety (issue: "argot server"): kill -9 the server mid-run, restart it, and every workflow
// finishes; marker files written through a hostPath volume prove no finished step ran twice.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Workflow } from '../../src/spec/types.js';
import { argot, freshHome } from '../cli/cli.js';
import { freePort, startServer, stopServers } from './server-process.js';

afterEach(stopServers);

describe('argot server survives kill -9', () => {
  it('finishes 20 workflows of 3 steps across a crash, running no finished step twice', async () => {
    const home = freshHome();
    const markers = join(home, 'markers');
    mkdirSync(markers);
    const file = join(home, 'three-steps.yaml');
    writeFileSync(
      file,
      `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: three-steps-
spec:
  entrypoint: main
  volumes:
  - name: markers
    hostPath: {path: ${markers}}
  templates:
  - name: main
    steps:
    - - {name: one, template: mark, arguments: {parameters: [{name: step, value: one}]}}
    - - {name: two, template: mark, arguments: {parameters: [{name: step, value: two}]}}
    - - {name: three, template: mark, arguments: {parameters: [{name: step, value: three}]}}
  - name: mark
    inputs: {parameters: [{name: step}]}
    container:
      image: alpine
      command: [sh, -c]
      args: ["sleep 1.5; echo ran >> /markers/{{workflow.name}}-{{inputs.parameters.step}}"]
      volumeMounts: [{name: markers, mountPath: /markers}]
`,
    );
    const port = await freePort();
    const env = { ARGOT_SERVER: `http://127.0.0.1:${port}` };
    const first = await startServer(home, port);
    for (let i = 0; i < 20; i++) {
      const r = await argot(['submit', file, '-o', 'name'], { home, env });
      expect(r.code, r.stderr).toBe(0);
    }
    // Let some steps finish, then crash the server while others run.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    first.kill('SIGKILL');
    const atCrash = readdirSync(markers).length;
    // The crash must land mid-run: some steps done, some not.
    expect(atCrash).toBeGreaterThan(0);
    expect(atCrash).toBeLessThan(60);
    await new Promise((resolve) => first.once('exit', resolve));
    await startServer(home, port);
    const wait = await argot(['wait', ...(await names(home, env))], { home, env });
    expect(wait.code, wait.stdout + wait.stderr).toBe(0);
    const list = JSON.parse((await argot(['list', '-o', 'json'], { home, env })).stdout) as Workflow[] | { items: Workflow[] };
    const items = Array.isArray(list) ? list : list.items;
    expect(items).toHaveLength(20);
    expect(items.every((w) => w.status?.phase === 'Succeeded')).toBe(true);
    const files = readdirSync(markers);
    expect(files).toHaveLength(60);
    for (const f of files) expect(readFileSync(join(markers, f), 'utf8'), f).toBe('ran\n');
  }, 180_000);
});

async function names(home: string, env: Record<string, string>): Promise<string[]> {
  const r = await argot(['list', '-o', 'name'], { home, env });
  return r.stdout.split('\n').filter(Boolean);
}
