// Wall-clock arithmetic in an IANA zone, with only Intl. robfig/cron matches a schedule against the
// wall clock of its zone, so the scheduler works in "wall time": the zone's local date and time
// written as if it were UTC (a plain number of milliseconds), and maps it back to instants here.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The process's own zone: what Go calls time.Local. */
export function localZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Canonical name of a zone as Go's time.LoadLocation accepts it ("UTC", "Local", IANA), or undefined. */
export function resolveZone(name: string): string | undefined {
  if (name === 'Local') return localZone();
  if (name === '' || name === 'UTC') return 'UTC';
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** The wall time of `instant` (ms) in `zone`, whole seconds. */
export function wallTime(instant: number, zone: string): number {
  const secs = Math.floor(instant / 1000) * 1000;
  if (zone === 'UTC') return secs;
  const parts: Record<string, string> = {};
  for (const p of formatter(zone).formatToParts(new Date(secs))) parts[p.type] = p.value;
  let year = Number(parts.year);
  if (parts.era === 'BC') year = 1 - year;
  const d = new Date(0);
  d.setUTCFullYear(year, Number(parts.month) - 1, Number(parts.day));
  d.setUTCHours(Number(parts.hour), Number(parts.minute), Number(parts.second), 0);
  return d.getTime();
}

/** UTC offset (ms) of `zone` at `instant`. */
export function offsetAt(instant: number, zone: string): number {
  return wallTime(instant, zone) - Math.floor(instant / 1000) * 1000;
}

/**
 * Every instant whose wall time in `zone` is `wall`, ascending: none inside a spring-forward gap,
 * two inside a fall-back overlap.
 */
export function instantsAt(wall: number, zone: string): number[] {
  if (zone === 'UTC') return [wall];
  // A zone changes offset at most once within a day either side, so the offsets on both sides
  // (and at the guess itself) are the only candidates.
  const offsets = new Set([offsetAt(wall - DAY, zone), offsetAt(wall, zone), offsetAt(wall + DAY, zone)]);
  const out: number[] = [];
  for (const o of offsets) {
    const t = wall - o;
    if (offsetAt(t, zone) === o && !out.includes(t)) out.push(t);
  }
  return out.sort((a, b) => a - b);
}

/** The largest wall-clock jump of any zone's transition, as a search margin. */
export const MAX_ZONE_SHIFT = 3 * HOUR;
