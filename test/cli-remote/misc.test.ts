import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ServerUnavailableError } from '../../src/cli/client/index.js';
import { FakeArgoServer } from './fake-server.js';
import { run, workflow } from './harness.js';

let fake: FakeArgoServer;
const argot = (...args: string[]) => run(args, { server: fake.url });

beforeEach(async () => {
  fake = await new FakeArgoServer().start();
});
afterEach(async () => {
  await fake.stop();
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('version', () => {
  it("prints argot's version, then the server's", async () => {
    const r = await argot('version');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^argot: v\d+\.\d+\.\d+\n {2}NodeVersion: v\d+.*\n {2}Platform: \w+\/\w+\nargot-server: v3\.6\.0-fake\n {2}GitCommit: abc123\n {2}Platform: linux\/amd64\n$/);
    expect((await argot('version', '--short')).stdout).toMatch(/^argot: v\S+\nargot-server: v3\.6\.0-fake\n$/);
  });
});

describe('an unreachable server', () => {
  it('is one line naming the address, exit 1, after printing what did not need it', async () => {
    const port = await closedPort();
    const r = await run(['version', '--short'], { server: `http://127.0.0.1:${port}` });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^argot: v\S+\n$/);
    expect(r.stderr).toBe(`argot: cannot reach the server at http://127.0.0.1:${port} (connection refused); is "argot server" running there? (ARGOT_SERVER sets the address)\n`);
  });

  it('lets the caller fall back, with the command and its arguments', async () => {
    const port = await closedPort();
    const seen: { error: unknown; name: string; args: string[]; namespace: unknown }[] = [];
    const r = await run(['get', 'wf-1', '-n', 'argo'], {
      server: `127.0.0.1:${port}`,
      onServerUnavailable: (error, command) => {
        seen.push({ error, name: command.name(), args: command.args, namespace: command.opts()['namespace'] });
        return 0;
      },
    });
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.error).toBeInstanceOf(ServerUnavailableError);
    expect(seen[0]).toMatchObject({ name: 'get', args: ['wf-1'], namespace: 'argo' });
  });
});

describe('the token', () => {
  it('goes with every request of a command', async () => {
    fake.putWorkflow(workflow('w', { phase: 'Succeeded', finished: '2024-05-01T10:00:00Z' }));
    await run(['wait', 'w'], { server: fake.url, token: 'secret' });
    expect(fake.requests.map((r) => r.headers.authorization)).toEqual(['Bearer secret', 'Bearer secret']);
  });

  it('is asked for when the server says 401', async () => {
    fake.failOnce('GET', /workflows\/default\/w$/, 401, { code: 16, message: 'token not valid' });
    expect(await argot('get', 'w')).toMatchObject({ code: 1, stderr: 'argot: cannot get workflow "w" in namespace default: unauthenticated (token not valid); set ARGOT_TOKEN\n' });
  });
});

describe('usage errors', () => {
  it('are commander errors with exit 1', async () => {
    const r = await argot('get', 'w', '--bogus');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("unknown option '--bogus'");
    expect(fake.requests).toEqual([]);
  });
});

describe('completion', () => {
  async function script(shell: string): Promise<string> {
    const r = await run(['completion', shell], {
      server: fake.url,
      extend: (root) => void root.command('run').description('Run locally').option('--entrypoint <template>', 'entry').argument('<file>'),
    });
    expect(r.code).toBe(0);
    return r.stdout;
  }

  function bashComplete(text: string, words: string[]): string {
    const cword = words.length - 1;
    const arr = words.map((w) => `'${w}'`).join(' ');
    const res = spawnSync('bash', ['-c', `${text}\nargot() { printf 'wf-one\\nwf-two\\n'; }\nCOMP_WORDS=(${arr}); COMP_CWORD=${cword}; _argot; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: 'utf8' });
    expect(res.stderr).toBe('');
    return res.stdout.trim();
  }

  it('generates a bash script from the command tree that bash accepts and that completes commands, flags and workflows', async () => {
    const text = await script('bash');
    expect(spawnSync('bash', ['-n'], { input: text }).status).toBe(0);
    expect(bashComplete(text, ['argot', 'cr'])).toBe('cron');
    expect(bashComplete(text, ['argot', 'r']).split('\n').sort()).toEqual(['resubmit', 'resume', 'retry', 'run']);
    expect(bashComplete(text, ['argot', 'run', '--e'])).toBe('--entrypoint');
    expect(bashComplete(text, ['argot', 'cron', 'su'])).toBe('suspend');
    expect(bashComplete(text, ['argot', '-n', 'x', 'submit', '--fr'])).toBe('--from');
    expect(bashComplete(text, ['argot', 'get', '-n', 'argo', ''])).toBe('@latest\nwf-one\nwf-two');
    expect(bashComplete(text, ['argot', 'get', '-o', ''])).toBe('name\njson\nyaml\nwide');
  });

  it('generates zsh (through bashcompinit) and fish scripts', async () => {
    const zsh = await script('zsh');
    expect(zsh).toMatch(/^#compdef argot\n/);
    expect(zsh).toContain('bashcompinit');
    expect(zsh).toContain('complete -o default -F _argot argot');
    const fish = await script('fish');
    expect(fish).toContain("complete -c argot -f -n '__argot_at \"\"' -a 'submit' -d 'Submit workflows to the server");
    expect(fish).toContain("complete -c argot -n '__argot_at \"logs\"' -s f -l follow -d 'keep printing until the workflow finishes'");
    expect(fish).toContain("complete -c argot -n '__argot_at \"submit\"' -s p -l parameter -r -d 'input parameter (repeatable)'");
    expect(fish).toContain("-a '@latest (argot list -o name 2>/dev/null)'");
  });

  it('refuses other shells', async () => {
    expect(await argot('completion', 'powershell')).toMatchObject({ code: 1, stderr: 'argot: completion powershell: expected bash, zsh or fish\n' });
  });
});
