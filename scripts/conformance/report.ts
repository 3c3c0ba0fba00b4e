// What the conformance run prints: a line per file as it finishes, then the failures with their
// causes, then the count line that CI and humans grep for.

import pc from 'picocolors';
import { tabwrite } from '../../src/cli/render/tabwriter.js';
import type { CaseResult } from './verdict.js';

const MAX_CAUSE = 200;

export function resultLine(result: CaseResult, fileWidth: number, color = false): string {
  const c = pc.createColors(color);
  const file = result.file.padEnd(fileWidth);
  switch (result.status) {
    case 'pass':
      return `${c.green('PASS')}  ${file}  ${result.got ?? ''}  ${seconds(result.durationMs)}`;
    case 'skip':
      return `${c.yellow('SKIP')}  ${file}  ${result.reason ?? ''}`;
    case 'fail': {
      const got = result.got === 'timeout' ? (result.reason ?? 'timeout') : `${result.got}${result.reason ? `: ${oneLine(result.reason)}` : ''}`;
      return `${c.red('FAIL')}  ${file}  expected ${expectedText(result)}, got ${got}`;
    }
  }
}

export function failureTable(results: readonly CaseResult[]): string[] {
  const failures = results.filter((r) => r.status === 'fail').sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  if (!failures.length) return [];
  const rows = ['FILE\tEXPECTED\tGOT\tCAUSE', ...failures.map((r) => [r.file, expectedText(r), r.got ?? '', oneLine(r.reason ?? '')].join('\t'))];
  return ['', `Failures (${failures.length}):`, ...tabwrite(rows, { padding: 3 })];
}

export function summaryLine(results: readonly CaseResult[]): string {
  const count = (status: CaseResult['status']): number => results.filter((r) => r.status === status).length;
  return `${count('pass')} passed, ${count('fail')} failed, ${count('skip')} skipped`;
}

function expectedText(result: CaseResult): string {
  return (result.expected ?? []).join(' or ');
}

function seconds(ms: number | undefined): string {
  return ms === undefined ? '' : `${(ms / 1000).toFixed(1)}s`;
}

// Causes come from workflow messages and stderr; keep each on one line and short enough to scan.
function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_CAUSE ? `${flat.slice(0, MAX_CAUSE - 1)}…` : flat;
}
