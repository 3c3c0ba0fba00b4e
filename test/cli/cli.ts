// Runs the built CLI (dist/) as a user would, in a fresh data dir per test.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const repo = join(import.meta.dirname, '../..');
const bin = join(repo, 'bin', 'argot.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function freshHome(): string {
  return mkdtempSync(join(tmpdir(), 'argot-test-'));
}

export function argot(args: string[], opts: { home?: string; env?: Record<string, string>; input?: string } = {}): Promise<CliResult> {
  if (!existsSync(join(repo, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: repo,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ARGOT_HOME: opts.home ?? freshHome(), ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}
