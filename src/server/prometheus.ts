// The Prometheus text exposition format (version 0.0.4), for the handful of metric families argot
// serves. Names are used as written: like Argo, no `_total` is appended to counters.

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export type Labels = Readonly<Record<string, string>>;

export interface Sample {
  labels: Labels;
  value: number;
}

export type MetricFamily =
  | { name: string; help: string; type: 'gauge' | 'counter'; samples: readonly Sample[] }
  | {
      name: string;
      help: string;
      type: 'histogram';
      /** Upper bounds, ascending, without +Inf. */
      buckets: readonly number[];
      /** Observations per bucket (not cumulative), one more than `buckets` for +Inf. */
      counts: readonly number[];
      sum: number;
      labels?: Labels;
    };

export function formatMetrics(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const family of families) {
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
    if (family.type === 'histogram') {
      const labels = family.labels ?? {};
      let cumulative = 0;
      family.buckets.forEach((le, i) => {
        cumulative += family.counts[i] ?? 0;
        lines.push(`${family.name}_bucket${labelText({ ...labels, le: formatNumber(le) })} ${cumulative}`);
      });
      cumulative += family.counts[family.buckets.length] ?? 0;
      lines.push(`${family.name}_bucket${labelText({ ...labels, le: '+Inf' })} ${cumulative}`);
      lines.push(`${family.name}_sum${labelText(labels)} ${formatNumber(family.sum)}`);
      lines.push(`${family.name}_count${labelText(labels)} ${cumulative}`);
    } else {
      for (const s of family.samples) lines.push(`${family.name}${labelText(s.labels)} ${formatNumber(s.value)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function labelText(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
}

function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  return String(n);
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}
