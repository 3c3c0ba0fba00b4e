// Durations and timestamps as `argo get` words them. Kept apart from the renderers because the
// list view and the progress line need the same wording.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const UNITS: readonly { ms: number; short: string; long: string }[] = [
  { ms: DAY, short: 'd', long: 'day' },
  { ms: HOUR, short: 'h', long: 'hour' },
  { ms: MINUTE, short: 'm', long: 'minute' },
  { ms: SECOND, short: 's', long: 'second' },
];

/** The two most significant units, so a long step still reads at a glance: `0s`, `5s`, `1m`, `1m5s`, `1h2m`, `2d3h`. */
export function formatDuration(ms: number): string {
  return twoUnits(ms).map(({ count, unit }) => `${count}${unit.short}`).join('') || '0s';
}

/** The header's wording (`Duration:`): `0 seconds`, `1 minute 3 seconds`, `2 hours`. */
export function formatDurationLong(ms: number): string {
  const parts = twoUnits(ms).map(({ count, unit }) => `${count} ${unit.long}${count === 1 ? '' : 's'}`);
  return parts.join(' ') || '0 seconds';
}

function twoUnits(ms: number): { count: number; unit: (typeof UNITS)[number] }[] {
  let rest = Math.max(0, Math.floor(Number.isFinite(ms) ? ms : 0));
  const first = UNITS.findIndex((unit) => rest >= unit.ms);
  if (first < 0) return [];
  const parts: { count: number; unit: (typeof UNITS)[number] }[] = [];
  for (const unit of UNITS.slice(first, first + 2)) {
    const count = Math.floor(rest / unit.ms);
    rest -= count * unit.ms;
    if (count > 0) parts.push({ count, unit });
  }
  return parts;
}

/** Milliseconds from `start` to `end`, or to `now` while it runs; undefined when it never started. */
export function elapsedMs(start: string | undefined, end: string | undefined, now: Date): number | undefined {
  if (!start) return undefined;
  const from = Date.parse(start);
  if (Number.isNaN(from)) return undefined;
  const to = end ? Date.parse(end) : now.getTime();
  return Math.max(0, (Number.isNaN(to) ? now.getTime() : to) - from);
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go's layout `Mon Jan 02 15:04:05 -0700` in local time, then Argo's ` (2 minutes ago)`. */
export function formatTimestamp(iso: string, now: Date): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const two = (n: number): string => String(n).padStart(2, '0');
  const offset = -date.getTimezoneOffset();
  const zone = `${offset < 0 ? '-' : '+'}${two(Math.floor(Math.abs(offset) / 60))}${two(Math.abs(offset) % 60)}`;
  const clock = `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
  const stamp = `${WEEKDAYS[date.getDay()]} ${MONTHS[date.getMonth()]} ${two(date.getDate())} ${clock} ${zone}`;
  return `${stamp} (${relativeTime(date, now)})`;
}

// go-humanize's magnitudes, which argo's timestamps use: one unit, coarsening as time passes.
const MONTH = 30 * DAY;
const YEAR = 12 * MONTH;
const MAGNITUDES: readonly { below: number; text: (ms: number) => string }[] = [
  { below: SECOND, text: () => 'now' },
  { below: 2 * SECOND, text: () => '1 second' },
  { below: MINUTE, text: (ms) => `${Math.floor(ms / SECOND)} seconds` },
  { below: 2 * MINUTE, text: () => '1 minute' },
  { below: HOUR, text: (ms) => `${Math.floor(ms / MINUTE)} minutes` },
  { below: 2 * HOUR, text: () => '1 hour' },
  { below: DAY, text: (ms) => `${Math.floor(ms / HOUR)} hours` },
  { below: 2 * DAY, text: () => '1 day' },
  { below: 7 * DAY, text: (ms) => `${Math.floor(ms / DAY)} days` },
  { below: 14 * DAY, text: () => '1 week' },
  { below: MONTH, text: (ms) => `${Math.floor(ms / (7 * DAY))} weeks` },
  { below: 2 * MONTH, text: () => '1 month' },
  { below: YEAR, text: (ms) => `${Math.floor(ms / MONTH)} months` },
  { below: 18 * MONTH, text: () => '1 year' },
  { below: 2 * YEAR, text: () => '2 years' },
  { below: Infinity, text: (ms) => `${Math.floor(ms / YEAR)} years` },
];

export function relativeTime(date: Date, now: Date): string {
  const diff = now.getTime() - date.getTime();
  const magnitude = Math.abs(diff);
  const entry = MAGNITUDES.find((m) => magnitude < m.below) ?? MAGNITUDES[MAGNITUDES.length - 1];
  const text = entry ? entry.text(magnitude) : '';
  if (text === 'now') return text;
  return `${text} ${diff >= 0 ? 'ago' : 'from now'}`;
}
