import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { argotCommand, corpusPath, main, REPO_ROOT, type Io } from '../../scripts/conformance/main.js';
import { writeFakeArgot } from './fake-argot.js';

// A small corpus of its own, run through the fake argot: the whole command, end to end.
let corpus: string;
let fake: string;

const TSV = [
  'file\ttier\texpected\ttools\tneeds\trandom\tlong\targo_ci',
  'hello.yaml\t1\tSucceeded\t\t\t\t\trun',
  'exit-handlers.yaml\t1\tFailed (entrypoint exits 1)\t\t\t\t\tskip:expected-failure',
  'broken.yaml\t1\tSucceeded\t\t\t\t\trun',
  'sub/garbage.yaml\t2\tSucceeded\t\t\t\t\trun',
  'slow.yaml\t1\tSucceeded\t\t\t\tlong\tskip:duration',
  'http.yaml\tnet\tSucceeded\t\tnetwork\t\t\trun',
].join('\n');

beforeAll(async () => {
  corpus = await mkdtemp(join(tmpdir(), 'argot-corpus-'));
  fake = await writeFakeArgot();
  await mkdir(join(corpus, 'sub'));
  await writeFile(join(corpus, 'EXPECTED.tsv'), `${TSV}\n`);
  const files: Record<string, string> = {
    'hello.yaml': 'succeed',
    'exit-handlers.yaml': 'fail',
    'broken.yaml': 'fail',
    'sub/garbage.yaml': 'garbage',
    'slow.yaml': 'succeed',
    'http.yaml': 'succeed',
    'extra.yaml': 'succeed',
  };
  for (const [file, mode] of Object.entries(files)) await writeFile(join(corpus, file), `# fake: ${mode}\nkind: Workflow\n`);
});

afterAll(async () => {
  await rm(corpus, { recursive: true, force: true });
});

async function run(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l), env: { ...process.env, ARGOT_EXAMPLES: corpus, ARGOT_BIN: fake }, cwd: corpus, color: false };
  const code = await main(argv, io);
  return { code, out, err };
}

describe.skipIf(process.platform === 'win32').each([
  { mode: 'run', submit: '' },
  { mode: 'server', submit: 'submit: ' },
])('conformance main, --mode $mode', ({ mode, submit }) => {
  it('prints a line per file, the failures with their causes and the count line, the same in both modes', async () => {
    const jsonPath = join(corpus, `results-${mode}.json`);
    const { code, out } = await run(['--jobs', '2', '--json', jsonPath, '--mode', mode]);
    expect(code).toBe(1);
    const lines = out.join('\n').split('\n');
    expect(lines.filter((l) => l.startsWith('SKIP'))).toEqual([
      'SKIP  slow.yaml           long-running (use --long)',
      'SKIP  http.yaml           needs the network (network)',
    ]);
    expect(lines).toContainEqual(expect.stringMatching(/^PASS {2}hello\.yaml {10}Succeeded {2}\d+\.\ds$/));
    expect(lines).toContainEqual(expect.stringMatching(/^PASS {2}exit-handlers\.yaml {2}Failed/));
    expect(lines).toContain('FAIL  broken.yaml         expected Succeeded, got Failed: boom: Error (exit code 1)');
    expect(lines).toContain(`FAIL  sub/garbage.yaml    expected Succeeded, got no workflow: exit code 2: ${submit}argot: cannot parse workflow`);
    const table = lines.slice(lines.indexOf('Failures (2):') + 1, lines.indexOf('tier 1 only: 2 passed, 1 failed, 1 skipped') - 1);
    expect(table).toEqual([
      'FILE               EXPECTED    GOT           CAUSE',
      'broken.yaml        Succeeded   Failed        boom: Error (exit code 1)',
      `sub/garbage.yaml   Succeeded   no workflow   exit code 2: ${submit}argot: cannot parse workflow`,
    ]);
    expect(lines.slice(-4, -1)).toEqual(['tier 1 only: 2 passed, 1 failed, 1 skipped', 'tier 2 only: 0 passed, 1 failed, 0 skipped', 'tier net only: 0 passed, 0 failed, 1 skipped']);
    expect(lines[lines.length - 1]).toBe('2 passed, 2 failed, 2 skipped');

    const report = JSON.parse(await readFile(jsonPath, 'utf8')) as { summary: string; results: { file: string; status: string }[] };
    expect(report.summary).toBe('2 passed, 2 failed, 2 skipped');
    expect(report.results.map((r) => `${r.status} ${r.file}`)).toEqual([
      'fail broken.yaml',
      'pass exit-handlers.yaml',
      'pass hello.yaml',
      'skip http.yaml',
      'skip slow.yaml',
      'fail sub/garbage.yaml',
    ]);
  });

  it('runs only the FILE arguments, given relative to the corpus or as paths', async () => {
    const { code, out } = await run(['hello.yaml', join(corpus, 'extra.yaml'), '--tier', '1', '--mode', mode]);
    expect(code).toBe(0);
    expect(out.filter((l) => /^(PASS|FAIL|SKIP)/.test(l)).map((l) => l.split(/\s+/).slice(0, 2).join(' ')).sort()).toEqual([
      'PASS extra.yaml',
      'PASS hello.yaml',
    ]);
    expect(out[out.length - 1]).toBe('2 passed, 0 failed, 0 skipped');
  });

  it('filters by tier', async () => {
    const { out } = await run(['--tier', '1', 'sub/garbage.yaml', '--mode', mode]);
    expect(out[out.length - 1]).toBe('0 passed, 1 failed, 0 skipped');
    const all = await run(['--tier', '1', '--long', '--mode', mode]);
    expect(all.out[all.out.length - 1]).toBe('3 passed, 1 failed, 0 skipped');
  });

});

describe('conformance main, arguments', () => {
  it('rejects bad arguments and unknown files with exit code 1', async () => {
    expect((await run(['--tier', '7'])).err.join('\n')).toMatch(/--tier must be 1, 2 or 3/);
    expect((await run(['--mode', 'cluster'])).err.join('\n')).toMatch(/--mode must be server or run/);
    expect((await run(['--jobs', '0'])).code).toBe(1);
    expect((await run(['--frobnicate'])).err.join('\n')).toMatch(/Unknown option/);
    expect((await run(['nope.yaml'])).err.join('\n')).toMatch(/not in the corpus: nope\.yaml/);
    expect((await run(['--help'])).out.join('\n')).toMatch(/^Usage: npm run conformance/);
  });

  it('says where it looked when the corpus is missing', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main([], { out: (l) => out.push(l), err: (l) => err.push(l), env: { ARGOT_EXAMPLES: join(corpus, 'nowhere') }, cwd: corpus, color: false });
    expect(code).toBe(1);
    expect(err.join('\n')).toMatch(/no corpus at .*nowhere/);
  });
});

describe('argotCommand and corpusPath', () => {
  it('runs bin/argot.js with this node unless ARGOT_BIN says otherwise', () => {
    expect(argotCommand({})).toEqual([process.execPath, join(REPO_ROOT, 'bin', 'argot.js')]);
    expect(argotCommand({ ARGOT_BIN: '/opt/fake.mjs' })).toEqual([process.execPath, '/opt/fake.mjs']);
    expect(argotCommand({ ARGOT_BIN: '/usr/local/bin/argot' })).toEqual(['/usr/local/bin/argot']);
  });

  it('normalises FILE arguments to corpus-relative paths', () => {
    expect(corpusPath('a/b.yaml', '/c', '/elsewhere')).toBe('a/b.yaml');
    expect(corpusPath('./a/b.yaml', '/c', '/elsewhere')).toBe('a/b.yaml');
    expect(corpusPath('/c/a/b.yaml', '/c', '/elsewhere')).toBe('a/b.yaml');
  });
});
