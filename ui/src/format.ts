// How times and phases read across the UI: one place, so the list, the graph and the panels agree.

export type Phase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Error' | 'Skipped' | 'Omitted' | string;

/** A glyph per phase (as `argo get` prints), so phase never relies on colour alone. */
export function phaseIcon(phase: Phase | undefined): string {
  switch (phase) {
    case 'Succeeded':
      return '✔';
    case 'Failed':
    case 'Error':
      return '✖';
    case 'Running':
      return '●';
    case 'Pending':
      return '◷';
    case 'Skipped':
    case 'Omitted':
      return '○';
    default:
      return '◌';
  }
}

/** The CSS class carrying a phase's colour (theme.css: `.phase-*`). */
export function phaseClass(phase: Phase | undefined): string {
  return `phase-${(phase ?? 'Unknown').toLowerCase()}`;
}

export function isFinished(phase: Phase | undefined): boolean {
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Error';
}

/** `1h2m`, `3m4s`, `5s`: Argo's short duration. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${s % 60 ? `${s % 60}s` : ''}`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${m % 60 ? `${m % 60}m` : ''}`;
  const d = Math.floor(h / 24);
  return `${d}d${h % 24 ? `${h % 24}h` : ''}`;
}

/** Duration between two timestamps; an unfinished one runs to `now`. */
export function elapsed(startedAt: string | undefined, finishedAt: string | undefined, now = Date.now()): string {
  if (!startedAt) return '';
  const end = finishedAt ? Date.parse(finishedAt) : now;
  return formatDuration(end - Date.parse(startedAt));
}

/** `5m ago`-style age of a timestamp. */
export function ago(at: string | undefined, now = Date.now()): string {
  if (!at) return '';
  const d = formatDuration(now - Date.parse(at));
  return d ? `${d} ago` : '';
}
