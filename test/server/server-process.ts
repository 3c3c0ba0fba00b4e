// A real `argot server` process (the compiled bin, as a user starts it) on a free loopback port,
// killed after each test by `stopServers`.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { repo } from '../cli/cli.js';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const servers: ChildProcess[] = [];

export function startServer(home: string, port: number, extraArgs: string[] = []): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(repo, 'bin', 'argot.js'), 'server', '--port', String(port), ...extraArgs], {
    cwd: repo,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ARGOT_HOME: home, ...(process.env.ARGOT_UI_DIR ? { ARGOT_UI_DIR: process.env.ARGOT_UI_DIR } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  servers.push(child);
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${log}`)), 20_000);
    const onData = (d: Buffer): void => {
      log += d.toString();
      if (log.includes(`:${port}`)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${log}`)));
  });
}

/** SIGKILLs every server this file started that is still running. */
export function stopServers(): void {
  for (const s of servers.splice(0)) if (s.exitCode === null) s.kill('SIGKILL');
}
