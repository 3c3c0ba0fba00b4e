// Option helpers repeated across commands, so the same flag reads the same everywhere.

import { InvalidArgumentError, type Command } from 'commander';
import { UsageError } from '../errors.js';
import type { RemoteContext } from './context.js';

/** `-n, --namespace`; no commander default, so commands can tell "given" from "defaulted" (a manifest's own namespace wins over the default). */
export function namespaceOption(command: Command, ctx: RemoteContext): Command {
  return command.option('-n, --namespace <namespace>', `namespace (default: ${ctx.config.namespace})`);
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('expected a whole number');
  return n;
}

export function integer(value: string): number {
  const n = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('expected a whole number');
  return n;
}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Go durations as argo's flags take them: `30s`, `10m`, `1h30m`, `500ms` (and `2d`). */
export function parseDuration(value: string): number {
  const text = value.trim();
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d)/y;
  let ms = 0;
  let matched = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    ms += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? 0);
    matched = re.lastIndex;
  }
  if (text === '' || matched !== text.length) throw new InvalidArgumentError('expected a duration such as 30s, 10m or 1h30m');
  return ms;
}

export function durationSeconds(value: string): number {
  return Math.ceil(parseDuration(value) / 1000);
}

/** `a=b,c=d` into a map; argo's `-l/--labels` for submit. */
export function parseLabels(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!text) return out;
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) throw new UsageError(`label ${part}: expected key=value`);
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}
