// `npm run conformance -- [--tier N] [--long] [--mode server|run] [--jobs N] [--timeout S] [--json FILE] [FILE…]`:
// runs Argo's example corpus through argot and compares each outcome with EXPECTED.tsv.

import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pc from 'picocolors';
import { parseExpectedTsv } from './expected.js';
import { planCases, type RunCase } from './plan.js';
import { poolSize, runPool } from './pool.js';
import { failureTable, resultLine, summaryLine, supportLines, tierLines } from './report.js';
import { killAllRuns, runExample, type RunOutcome } from './run-example.js';
import { applySupport, runOnServer, type SupportResult } from './run-server.js';
import { ArgotServer } from './server.js';
import { judge, type CaseResult } from './verdict.js';

export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

const USAGE = `Usage: npm run conformance -- [options] [FILE...]

Runs Argo's examples (../shared/argo-examples, or $ARGOT_EXAMPLES) through argot and checks each
workflow's phase against EXPECTED.tsv. FILE paths are relative to the corpus.

In server mode (the default) each worker starts an \`argot server\` of its own, applies the corpus's
supporting manifests to it (the \`support\` rows: WorkflowTemplates, ConfigMaps…), and runs each file
as Argo's e2e test does: apply its other documents, submit its Workflows, wait, read them back.
CronWorkflow-only files run once with \`submit --from cronwf/NAME\`; files that need a human (a
suspend node to resume) are driven as drive.ts says. \`--mode run\` uses \`argot run FILE -o json\`
instead: no supporting manifests, no driving.

Options:
  --tier N        only tiers 1..N (default: all local tiers)
  --long          also run the files marked long
  --mode M        server (default) or run
  -j, --jobs N    files run at once (default 4)
  --timeout S     seconds per file before it is killed and failed (default 90; three times that for long rows)
  --json FILE     also write the results as JSON to FILE
  --keep          keep each run's (or server's) ARGOT_HOME (printed for failures)
  -h, --help      show this help

Environment: ARGOT_EXAMPLES (corpus directory), ARGOT_BIN (argot command to run instead of bin/argot.js).
`;

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  color: boolean;
}

interface Options {
  tier?: number;
  long: boolean;
  mode: 'server' | 'run';
  jobs: number;
  timeoutMs: number;
  json?: string;
  keep: boolean;
  files: string[];
}

class UsageError extends Error {}

export async function main(argv: string[], io: Io): Promise<number> {
  let options: Options;
  try {
    const parsed = parseOptions(argv);
    if (parsed === 'help') {
      io.out(USAGE);
      return 0;
    }
    options = parsed;
  } catch (error) {
    if (!(error instanceof UsageError) && !(error instanceof TypeError)) throw error;
    io.err(`conformance: ${(error as Error).message}\n\n${USAGE}`);
    return 1;
  }

  const corpus = resolve(io.cwd, io.env['ARGOT_EXAMPLES'] ?? join(REPO_ROOT, '..', 'shared', 'argo-examples'));
  const tsv = join(corpus, 'EXPECTED.tsv');
  if (!existsSync(tsv)) {
    io.err(`conformance: no corpus at ${corpus} (EXPECTED.tsv missing); set ARGOT_EXAMPLES to its directory`);
    return 1;
  }
  const rows = parseExpectedTsv(await readFile(tsv, 'utf8'));
  const files = [...new Set(options.files.map((file) => corpusPath(file, corpus, io.cwd)))];
  const known = new Set(rows.map((r) => r.file));
  const missing = files.filter((f) => !known.has(f) && !existsSync(join(corpus, f)));
  if (missing.length) {
    io.err(`conformance: not in the corpus: ${missing.join(', ')}`);
    return 1;
  }

  const cases = planCases(rows, { tier: options.tier, long: options.long, files, drive: options.mode === 'server' });
  const command = argotCommand(io.env);
  const fileWidth = Math.max(0, ...cases.map((c) => c.file.length));
  const results: CaseResult[] = [];
  const print = (result: CaseResult): void => {
    results.push(result);
    io.out(resultLine(result, fileWidth, io.color));
  };

  const toRun = cases.filter((c): c is RunCase => c.action === 'run');

  // Server mode: a server per worker, each with the supporting manifests applied.
  const servers: Promise<ArgotServer>[] = [];
  let supportReport: SupportResult[] | undefined;
  try {
    if (options.mode === 'server' && toRun.length) {
      const support = rows.filter((r) => r.tier === 'support').map((r) => r.file);
      for (let i = 0; i < poolSize(options.jobs, toRun.length); i++) {
        servers.push(ArgotServer.start({ command, cwd: REPO_ROOT, env: io.env, keepHome: options.keep }));
      }
      // Every server gets the same manifests; the first one that starts reports how that went.
      const started = await Promise.allSettled(servers);
      const environment = fileURLToPath(new URL('./environment.yaml', import.meta.url));
      const applied = await Promise.all(
        started.map(async (s) => (s.status === 'fulfilled' ? [...(await applySupport(s.value, corpus, support)), ...(await applySupport(s.value, dirname(environment), [basename(environment)]))] : undefined)),
      );
      supportReport = applied[started.findIndex((s) => s.status === 'fulfilled')];
      if (supportReport?.length) for (const line of [...supportLines(supportReport), '']) io.out(line);
    }

    for (const c of cases) if (c.action === 'skip') print({ file: c.file, status: 'skip', reason: c.reason, ...tierOf(c.row?.tier) });

    await runPool(
      toRun,
      options.jobs,
      async (c, worker) => {
        let outcome: RunOutcome;
        // Rows marked long run past Argo's 90 s budget by design (colored-logs prints for 99 s).
        const timeoutMs = c.row?.long ? options.timeoutMs * 3 : options.timeoutMs;
        try {
          const server = servers[worker];
          outcome = server
            ? await runOnServer(await server, join(corpus, c.file), { timeoutMs, ...(c.drive ? { drive: c.drive } : {}) })
            : await runExample(join(corpus, c.file), { command, timeoutMs, cwd: REPO_ROOT, keepHome: options.keep, env: io.env });
        } catch (error) {
          // One file that cannot be started (no temp space, bad ARGOT_BIN, no server) must not hide the others.
          const reason = (error as Error).message;
          return { file: c.file, status: 'fail', expected: c.phases, got: 'not run', reason, ...tierOf(c.row?.tier) } satisfies CaseResult;
        }
        const result = judge(c.file, c.phases, outcome, timeoutMs, c.note, c.detail);
        // Paths in argot's messages are absolute; the corpus-relative ones read better in the table.
        if (result.reason) result.reason = result.reason.split(`${corpus}/`).join('');
        if (c.row?.tier) result.tier = c.row.tier;
        if (options.keep && result.status === 'fail') result.reason = `${result.reason ?? ''} [ARGOT_HOME=${outcome.home}]`;
        return result;
      },
      print,
    );
  } finally {
    await Promise.all(servers.map((s) => s.then((server) => server.stop(), () => undefined)));
  }

  for (const line of failureTable(results)) io.out(line);
  for (const line of tierLines(results)) io.out(line);
  io.out(summaryLine(results));
  if (options.json) {
    const summary = summaryLine(results);
    const report = { corpus, command, options: { ...options, json: undefined }, summary, support: supportReport, results: sortByFile(results) };
    await writeFile(resolve(io.cwd, options.json), `${JSON.stringify(report, null, 2)}\n`);
  }
  return results.some((r) => r.status === 'fail') ? 1 : 0;
}

function parseOptions(argv: string[]): Options | 'help' {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      tier: { type: 'string' },
      long: { type: 'boolean', default: false },
      mode: { type: 'string', default: 'server' },
      jobs: { type: 'string', short: 'j' },
      timeout: { type: 'string' },
      json: { type: 'string' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  const tier = values.tier === undefined ? undefined : Number(values.tier);
  if (tier !== undefined && !(Number.isInteger(tier) && tier >= 1 && tier <= 3)) {
    throw new UsageError(`--tier must be 1, 2 or 3, got "${values.tier}"`);
  }
  const mode = values.mode;
  if (mode !== 'server' && mode !== 'run') throw new UsageError(`--mode must be server or run, got "${mode}"`);
  const jobs = values.jobs === undefined ? 4 : Number(values.jobs);
  if (!(Number.isInteger(jobs) && jobs >= 1)) throw new UsageError(`--jobs must be a whole number ≥ 1, got "${values.jobs}"`);
  const timeout = values.timeout === undefined ? 90 : Number(values.timeout);
  if (!(timeout > 0)) throw new UsageError(`--timeout must be a number of seconds > 0, got "${values.timeout}"`);
  return { tier, long: values.long, mode, jobs, timeoutMs: timeout * 1000, json: values.json, keep: values.keep, files: positionals };
}

/** Accepts a corpus-relative path, or a path (absolute or from the cwd) to a file inside the corpus. */
export function corpusPath(arg: string, corpus: string, cwd: string): string {
  const fromCwd = resolve(cwd, arg);
  const inside = (p: string): boolean => !relative(corpus, p).startsWith('..') && !isAbsolute(relative(corpus, p));
  const absolute = isAbsolute(arg) || (existsSync(fromCwd) && inside(fromCwd)) ? fromCwd : resolve(corpus, arg);
  return relative(corpus, absolute).split(sep).join('/');
}

/** `ARGOT_BIN` replaces the CLI (tests use a fake); a `.js` file there is run with this Node. */
export function argotCommand(env: NodeJS.ProcessEnv): string[] {
  const bin = env['ARGOT_BIN'];
  if (!bin) return [process.execPath, join(REPO_ROOT, 'bin', 'argot.js')];
  return /\.[cm]?js$/.test(bin) ? [process.execPath, resolve(bin)] : [bin];
}

function tierOf(tier: string | undefined): { tier?: string } {
  return tier ? { tier } : {};
}

function sortByFile(results: CaseResult[]): CaseResult[] {
  return [...results].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

export function defaultIo(): Io {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
    cwd: process.cwd(),
    color: pc.isColorSupported,
  };
}

/** Ctrl-C: take the runs' process groups down too, then exit as shells expect. */
export function exitOnInterrupt(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killAllRuns();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}
