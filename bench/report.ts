// One row per workload: its figure, the floor it is compared with (measured in the same run), the
// ratio, Argo's figure for the same thing and the goal. Printed as a table, or as JSON (`--json`)
// so that two runs can be compared.
import type { Floor } from './floor.js';

export interface Row {
  workload: string;
  /** What the figure measures, with its unit: "per step (ms)". */
  metric: string;
  figure: number;
  /** The floor's name and value (same unit as the figure). */
  floorName: string;
  floor: number;
  /** figure / floor. */
  ratio: number;
  /** Argo's figure for this workload (spec/performance.md §1, §4). */
  argo: string;
  /** The goal, in words, and whether this run met it (undefined: no goal set). */
  goal: string;
  met: boolean | undefined;
  /** Other figures of the workload, for the JSON output and the detail lines. */
  details: Record<string, number | string>;
}

export interface Report {
  tier: 'smoke' | 'full';
  startedAt: string;
  machine: { cores: number; node: string; sandbox: string };
  floor: Floor;
  rows: Row[];
}

export function row(r: Omit<Row, 'ratio'> & { ratio?: number }): Row {
  return { ...r, ratio: r.ratio ?? r.figure / r.floor };
}

/** 3 significant figures, without exponent notation for the sizes seen here. */
export function num(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  const a = Math.abs(x);
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  return x.toPrecision(2);
}

export function markdownTable(rows: readonly Row[]): string {
  const head = '| workload | metric | figure | floor (this run) | ratio | Argo | goal | met |';
  const sep = '|---|---|---|---|---|---|---|---|';
  const lines = rows.map(
    (r) => `| ${r.workload} | ${r.metric} | ${num(r.figure)} | ${r.floorName} ${num(r.floor)} | ${num(r.ratio)}× | ${r.argo} | ${r.goal} | ${r.met === undefined ? '–' : r.met ? 'yes' : '**no**'} |`,
  );
  return [head, sep, ...lines].join('\n');
}

export function detailLines(r: Row): string {
  return Object.entries(r.details)
    .map(([k, v]) => `    ${k}: ${typeof v === 'number' ? num(v) : v}`)
    .join('\n');
}
