import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SpecError } from '../../spec/errors.js';
import { formatProblem, lint } from '../../spec/lint.js';
import { loadDocuments, type LoadedDocument } from '../../spec/load.js';
import { readText } from './documents.js';

/** `argot lint FILE|DIR…`: one line per problem; exit 1 when any is an error. */
export async function lintCommand(paths: string[]): Promise<number> {
  const files: string[] = [];
  for (const p of paths) files.push(...(await expand(p)));
  const docs: LoadedDocument[] = [];
  let failed = false;
  for (const file of files) {
    try {
      docs.push(...loadDocuments(await readText(file), file));
    } catch (err) {
      if (!(err instanceof SpecError) && (err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      process.stderr.write(err instanceof SpecError ? `${err.message}\n` : `${file}: no such file\n`);
      failed = true;
    }
  }
  // All files are linted together so templateRefs between them resolve.
  const problems = lint(docs);
  for (const p of problems) process.stdout.write(`${formatProblem(p)}\n`);
  if (problems.some((p) => p.severity === 'error')) failed = true;
  if (!failed) process.stderr.write(`${files.length === 1 ? files[0] : `${files.length} files`}: no errors found\n`);
  return failed ? 1 : 0;
}

async function expand(path: string): Promise<string[]> {
  if (path === '-') return [path];
  const info = await stat(path).catch(() => undefined);
  if (!info?.isDirectory()) return [path];
  const out: string[] = [];
  for (const entry of (await readdir(path)).sort()) {
    const full = join(path, entry);
    if ((await stat(full)).isDirectory()) out.push(...(await expand(full)));
    else if (/\.(ya?ml|json)$/.test(entry)) out.push(full);
  }
  return out;
}
