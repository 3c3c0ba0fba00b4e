import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Workflow } from '../../src/spec/types.js';
import { argot, freshHome } from './cli.js';

const nodes = (wf: Workflow) => Object.values(wf.status?.nodes ?? {});

describe('argot run', () => {
  it('runs hello-world and prints the argo-get tree', async () => {
    const r = await argot(['run', 'examples/hello-world.yaml']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Name:\s+hello-world-[a-z0-9]{5}$/m);
    expect(r.stdout).toMatch(/^Status:\s+Succeeded$/m);
    expect(r.stdout).toMatch(/STEP\s+TEMPLATE\s+PODNAME\s+DURATION\s+MESSAGE/);
    expect(r.stdout).toMatch(/✔ hello-world-[a-z0-9]{5}\s+hello\s+hello-world-[a-z0-9]{5}\s+\d+s/);
    expect(r.stdout).not.toContain('\x1b['); // not a TTY: no colour
  });

  it('colours the phase icons when forced, and never under NO_COLOR', async () => {
    const forced = await argot(['run', 'examples/hello-world.yaml'], { env: { FORCE_COLOR: '1' } });
    expect(forced.stdout).toContain('\x1b[32m✔');
    const plain = await argot(['run', 'examples/hello-world.yaml'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(plain.stdout).toContain('✔');
    expect(plain.stdout).not.toContain('\x1b[');
  });

  it('prints only the final Workflow object with -o json, and passes -p parameters', async () => {
    const r = await argot(['run', 'examples/hello-world.yaml', '-o', 'json', '-p', 'who=argot']);
    expect(r.code).toBe(0);
    const wf = JSON.parse(r.stdout) as Workflow;
    expect(wf.kind).toBe('Workflow');
    expect(wf.status?.phase).toBe('Succeeded');
    expect(nodes(wf)[0]?.outputs?.result).toBe('hello argot');
  });

  it('gives each of two parallel steps its own /tmp/out.txt', async () => {
    const r = await argot(['run', 'examples/parallel-tmp.yaml', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const wf = JSON.parse(r.stdout) as Workflow;
    const out = (name: string) => nodes(wf).find((n) => n.displayName === name)?.outputs?.parameters?.find((p) => p.name === 'out')?.value;
    expect(out('left')).toBe('left');
    expect(out('right')).toBe('right');
  });

  it('runs a DAG, loops and retries from the examples', async () => {
    const dag = JSON.parse((await argot(['run', 'examples/dag-diamond.yaml', '-o', 'json'])).stdout) as Workflow;
    expect(dag.status?.phase).toBe('Succeeded');
    expect(nodes(dag).find((n) => n.displayName === 'D')?.outputs?.result).toBe('ab+ac');
    const loops = JSON.parse((await argot(['run', 'examples/loops.yaml', '-o', 'json'])).stdout) as Workflow;
    expect(nodes(loops).find((n) => n.displayName === 'total')?.outputs?.result).toBe('14');
  });

  it('exits 1 and shows the failure when the workflow fails', async () => {
    const home = freshHome();
    const file = join(home, 'fail.yaml');
    writeFileSync(file, 'apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {generateName: fail-}\nspec:\n  entrypoint: main\n  templates:\n  - name: main\n    container: {image: alpine, command: [sh, -c, "echo oops; exit 3"]}\n');
    const r = await argot(['run', file], { home });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Status:\s+Failed$/m);
    expect(r.stdout).toContain('Error (exit code 3)');
    const logs = await argot(['logs', '@latest'], { home });
    expect(logs.stdout).toMatch(/^fail-[a-z0-9]{5}: oops$/m);
  });

  it('refuses a file that does not lint, before running anything', async () => {
    const home = freshHome();
    const file = join(home, 'typo.yaml');
    writeFileSync(file, 'apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  generateName: typo-\nspec:\n  entrypont: main\n  templates:\n  - name: main\n    container: {image: alpine, command: [true]}\n');
    const r = await argot(['run', file], { home });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}:6:3`);
    const list = await argot(['list', '-o', 'name'], { home });
    expect(list.stdout).toBe('');
  });
});

describe('argot lint', () => {
  it('reports an unknown field with file:line:col, the field and a suggestion', async () => {
    const home = freshHome();
    const file = join(home, 'typo.yaml');
    writeFileSync(file, 'apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  generateName: typo-\nspec:\n  entrypont: main\n  templates:\n  - name: main\n    container: {image: alpine, command: [true]}\n');
    const r = await argot(['lint', file]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines.some((l) => l.startsWith(`${file}:6:3:`) && l.includes('entrypont') && l.includes('did you mean "entrypoint"'))).toBe(true);
  });

  it('passes the project examples', async () => {
    const r = await argot(['lint', 'examples']);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(0);
  });
});
