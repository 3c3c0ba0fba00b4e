// What the conformance run prints: in server mode first the supporting manifests that did not
// apply cleanly, then a line per file as it finishes, the failures with their causes, the counts
// per tier when the run spans several, and last the count line that CI and humans grep for.

import pc from 'picocolors';
import { tabwrite } from '../../src/cli/render/tabwriter.js';
import type { CaseResult } from './verdict.js';

const MAX_CAUSE = 200;

export function resultLine(result: CaseResult, fileWidth: number, color = false): string {
  const c = pc.createColors(color);
  const file = result.file.padEnd(fileWidth);
  switch (result.status) {
    case 'pass':
      return `${c.green('PASS')}  ${file}  ${result.got ?? ''}  ${seconds(result.durationMs)}${result.detail ? `  (${result.detail})` : ''}`;
    case 'skip':
      return `${c.yellow('SKIP')}  ${file}  ${result.reason ?? ''}`;
    case 'fail': {
      const got = result.got === 'timeout' ? (result.reason ?? 'timeout') : `${result.got}${result.reason ? `: ${oneLine(result.reason)}` : ''}`;
      return `${c.red('FAIL')}  ${file}  expected ${expectedText(result)}, got ${got}${result.detail ? `  (${result.detail})` : ''}`;
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

/** `tier 2 only: …` lines, when the run spans several tiers (tiers are cumulative). */
export function tierLines(results: readonly CaseResult[]): string[] {
  const tiers = [...new Set(results.map((r) => r.tier ?? ''))].filter(Boolean).sort();
  if (tiers.length < 2) return [];
  return ['', ...tiers.map((tier) => `tier ${tier} only: ${summaryLine(results.filter((r) => r.tier === tier))}`)];
}

/** Supporting manifests that could not be applied (or applied with a warning), before the results. */
export function supportLines(results: readonly { file: string; ok: boolean; message?: string }[]): string[] {
  const failed = results.filter((r) => !r.ok);
  const warned = results.filter((r) => r.ok && r.message);
  return [
    `Supporting manifests: ${results.length - failed.length} of ${results.length} applied${failed.length ? `, ${failed.length} refused` : ''}`,
    ...failed.map((r) => `  refused  ${r.file}: ${oneLine(r.message ?? '')}`),
    ...warned.map((r) => `  warning  ${r.file}: ${oneLine(r.message ?? '')}`),
  ];
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
