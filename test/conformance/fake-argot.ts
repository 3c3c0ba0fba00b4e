// A stand-in for the argot CLI (the real one may not be built): it reads directives from comments
// in the workflow file it is asked to run, so each test file states the behaviour it wants.
//   # fake: succeed | fail | error | garbage | crash | hang | stubborn | noisy
//   # pidfile: /path   (hang/stubborn: where to write the pid of a grandchild that ignores SIGTERM)

import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPT = `#!/usr/bin/env node
import { readFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
const [cmd, file, flag, format] = process.argv.slice(2);
if (cmd !== 'run' || flag !== '-o' || format !== 'json') { console.error('fake argot: bad args ' + process.argv.slice(2).join(' ')); process.exit(3); }
const text = readFileSync(file, 'utf8');
const mode = /# fake: (\\w+)/.exec(text)?.[1] ?? 'succeed';
const pidfile = /# pidfile: (\\S+)/.exec(text)?.[1];
const wf = (phase, extra = {}) => JSON.stringify({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow',
  metadata: { name: 'fake', annotations: { home: process.env.ARGOT_HOME ?? '' } }, spec: {}, status: { phase, ...extra } }, null, 4);
const grandchild = () => {
  const child = spawn(process.execPath, ['-e', 'process.on("SIGTERM", () => {}); setInterval(() => {}, 1000)'], { stdio: 'inherit' });
  if (pidfile) writeFileSync(pidfile, String(child.pid));
};
switch (mode) {
  case 'succeed': console.log(wf('Succeeded')); break;
  case 'fail':
    console.log(wf('Failed', { nodes: {
      a: { id: 'a', name: 'fake', displayName: 'fake', type: 'Steps', phase: 'Failed', message: 'child failed' },
      b: { id: 'b', name: 'fake[0].boom', displayName: 'boom', type: 'Pod', phase: 'Failed', message: 'Error (exit code 1)' } } }));
    process.exit(1);
  case 'error': console.log(wf('Error', { message: 'invalid spec: no entrypoint' })); process.exit(1);
  case 'noisy': console.log('warning: something'); console.log(wf('Succeeded')); console.log('bye'); break;
  case 'garbage': console.log('not json'); console.error('argot: first\\nargot: cannot parse workflow'); process.exit(2);
  case 'crash': process.kill(process.pid, 'SIGKILL'); break;
  case 'hang': grandchild(); setInterval(() => {}, 1000); break;
  case 'stubborn': grandchild(); process.on('SIGTERM', () => {}); setInterval(() => {}, 1000); break;
}
`;

/** Writes the fake into a fresh directory and returns its path (an executable `.mjs`). */
export async function writeFakeArgot(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'argot-fake-'));
  const path = join(dir, 'argot.mjs');
  await writeFile(path, SCRIPT);
  await chmod(path, 0o755);
  return path;
}

/** Polls until the process is gone (reaped by init after its parent died). */
export async function waitGone(pid: number, timeoutMs = 3_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}
