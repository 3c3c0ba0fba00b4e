// The durable records of a pod's run, next to its spec (pod.json): what a controller that restarts
// needs to judge the pod without having watched it (spec/containerset.md §3.7).
//
//   <pod>/started-at              when the pod started (ISO, milliseconds: deadlines count from it)
//   <pod>/ending.json             a deletion or deadline under way
//   <pod>/ended.json              the pod's final event, once emitted
//   <pod>/containers/<c>/spawning the runtime asked for the container's process
//   <pod>/containers/<c>/pid      "<pid> <start time>" of that process (the spawner helper)
//   <pod>/containers/<c>/{started-at,finished-at,exitcode,reason,stdout}  the wrapper's; the
//                                 runtime completes them for ends it decided (never started, killed)
//
// started-at and finished-at hold an ISO time (seconds) or, as the wrapper leaves started-at (it
// writes it without starting a process), nothing: the time is then the file's modification time.
// The wrapper leaves no finished-at: the command ended when its exitcode was written.
// exitcode is always written last, as one whole line (the runtime's by rename): once it holds a
// line, the rest of the record is there.

import { open, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PodEvent } from '../types.js';
import { isoSeconds } from './clock.js';
import { readOptional, trimOneNewline, type PodLayout } from './pod-layout.js';
import { parseIdentity, type ProcessIdentity } from './process-identity.js';

export interface ExitRecord {
  exitCode?: number;
  startedAt?: string;
  finishedAt?: string;
  reason?: string;
}

/** A deletion or deadline in progress: a restarted runtime carries it on. */
export type Ending =
  | { kind: 'gone'; reason: 'deleted' | 'deadline'; message: string }
  /** Containers were sent SIGTERM; whatever still runs at `killAt` (epoch ms) is killed. */
  | { kind: 'graceful'; message: string; killAt: number };

export type FinalEvent = Extract<PodEvent, { type: 'podFinished' | 'podGone' }>;

export class PodRecords {
  constructor(private readonly layout: PodLayout) {}

  private podFile(name: string): string {
    return path.join(this.layout.podDir, name);
  }

  private containerFile(container: string, name: string): string {
    return path.join(this.layout.stateDir(container), name);
  }

  pidFile(container: string): string {
    return this.containerFile(container, 'pid');
  }

  stdoutFile(container: string): string {
    return this.containerFile(container, 'stdout');
  }

  /** Written once, in place: only a whole line counts. */
  async writeStarted(at: Date): Promise<void> {
    await writeFile(this.podFile('started-at'), `${at.toISOString()}\n`);
  }

  async readStarted(): Promise<Date | undefined> {
    const line = await readOptional(this.podFile('started-at'));
    const text = line?.endsWith('\n') ? line.trim() : undefined;
    const ms = text ? Date.parse(text) : Number.NaN;
    return Number.isNaN(ms) ? undefined : new Date(ms);
  }

  writeEnding(ending: Ending): Promise<void> {
    return atomicWrite(this.podFile('ending.json'), JSON.stringify(ending));
  }

  readEnding(): Promise<Ending | undefined> {
    return readJson<Ending>(this.podFile('ending.json'));
  }

  /** Written once, in place: JSON cut short does not parse, and reads as no record. */
  writeEnded(event: FinalEvent): Promise<void> {
    return writeFile(this.podFile('ended.json'), JSON.stringify(event));
  }

  readEnded(): Promise<FinalEvent | undefined> {
    return readJson<FinalEvent>(this.podFile('ended.json'));
  }

  async markSpawning(container: string): Promise<void> {
    await writeFile(this.containerFile(container, 'spawning'), '');
  }

  async isSpawning(container: string): Promise<boolean> {
    return (await readOptional(this.containerFile(container, 'spawning'))) !== undefined;
  }

  async readProcess(container: string): Promise<ProcessIdentity | undefined> {
    return parseIdentity(await readOptional(this.pidFile(container)));
  }

  async readExit(container: string): Promise<ExitRecord> {
    const [code, startedAt, finishedAt, reason] = await Promise.all([
      this.readExitCode(container),
      readTime(this.containerFile(container, 'started-at')),
      readTime(this.containerFile(container, 'finished-at')).then(async (time) => time ?? (await modifiedAt(this.containerFile(container, 'exitcode')))),
      readOptional(this.containerFile(container, 'reason')).then((text) => text?.trim() || undefined),
    ]);
    const record: ExitRecord = {};
    if (code !== undefined) record.exitCode = code;
    if (startedAt) record.startedAt = startedAt;
    if (finishedAt) record.finishedAt = finishedAt;
    if (reason) record.reason = reason;
    return record;
  }

  async hasExit(container: string): Promise<boolean> {
    return (await this.readExitCode(container)) !== undefined;
  }

  /** Only a whole line counts: the wrapper may be caught between creating the file and writing it. */
  private async readExitCode(container: string): Promise<number | undefined> {
    const text = await readOptional(this.containerFile(container, 'exitcode'));
    const code = text?.endsWith('\n') ? Number.parseInt(text, 10) : Number.NaN;
    return Number.isNaN(code) ? undefined : code;
  }

  /** Completes a container's exit record with what the runtime decided; the wrapper's own entries win. */
  async recordExit(container: string, exit: { exitCode: number; finishedAt: string; reason?: string }, known?: ExitRecord): Promise<void> {
    const current = known ?? (await this.readExit(container));
    if (exit.reason && !current.reason) await writeFile(this.containerFile(container, 'reason'), `${exit.reason}\n`);
    if (!current.finishedAt) await writeFile(this.containerFile(container, 'finished-at'), `${exit.finishedAt}\n`);
    if (current.exitCode === undefined) await atomicWrite(this.containerFile(container, 'exitcode'), `${exit.exitCode}\n`);
  }

  /** The last `bytes` of the container's stdout, one trailing newline trimmed. */
  async readResult(container: string, bytes: number): Promise<string> {
    return trimOneNewline(await readTail(this.stdoutFile(container), bytes));
  }
}

async function atomicWrite(file: string, content: string): Promise<void> {
  await writeFile(`${file}.tmp`, content);
  await rename(`${file}.tmp`, file);
}

/** A recorded time: the file's content, or when empty (the wrapper's) its modification time. */
async function readTime(file: string): Promise<string | undefined> {
  const text = (await readOptional(file))?.trim();
  if (text === undefined) return undefined;
  return text !== '' ? text : modifiedAt(file);
}

async function modifiedAt(file: string): Promise<string | undefined> {
  try {
    return isoSeconds((await stat(file)).mtime);
  } catch {
    return undefined;
  }
}

async function readJson<T>(file: string): Promise<T | undefined> {
  const text = await readOptional(file);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

async function readTail(file: string, bytes: number): Promise<string> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return '';
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, bytes);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    return buffer.toString('utf8');
  } finally {
    await handle.close();
  }
}
