// Cron schedules with robfig/cron v3 semantics (cron.ParseStandard, as Argo uses): 5 fields,
// `?` = `*`, day-of-month OR day-of-week when both are restricted, descriptors, `@every`, a
// `CRON_TZ=`/`TZ=` prefix. cron-parser does the field matching; it runs in "wall time" (see zone.ts)
// so that DST follows robfig: a time inside a spring-forward gap is skipped, one inside a fall-back
// overlap fires twice. robfig gives up after five years of search, so an impossible date
// (`0 0 31 2 *`) parses but never fires.

import { CronExpressionParser, type CronExpression } from 'cron-parser';
import { parseDuration } from '../expr/gotime.js';
import { instantsAt, localZone, MAX_ZONE_SHIFT, offsetAt, resolveZone, wallTime } from './zone.js';

export class CronScheduleError extends Error {
  constructor(
    readonly spec: string,
    readonly reason: string,
  ) {
    super(`invalid cron schedule "${spec}": ${reason}`);
  }
}

export interface Schedule {
  /** As written. */
  readonly spec: string;
  /** The IANA zone its wall clock is read in. */
  readonly zone: string;
  /** False for a schedule that can never fire (`0 0 30 2 *`). */
  readonly canFire: boolean;
  /** True for `@every`, whose times are a grid laid from an anchor rather than a calendar. */
  readonly interval: boolean;
  /** The first time strictly after `after` (`@every`: on the grid from `anchor`, default `after`). */
  next(after: Date, anchor?: Date): Date | undefined;
  /**
   * The last time in (`after`, `notAfter`] (`@every`: on the grid from `anchor`, default `after`).
   * Without `after`, within the five years robfig searches (`@every`: none).
   */
  latest(after: Date | undefined, notAfter: Date, anchor?: Date): Date | undefined;
}

interface FieldRange {
  name: string;
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTH_NAMES = Object.fromEntries(['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map((n, i) => [n, i + 1]));
const DOW_NAMES = Object.fromEntries(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((n, i) => [n, i]));

const FIELDS: readonly FieldRange[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTH_NAMES },
  { name: 'day-of-week', min: 0, max: 6, names: DOW_NAMES },
];

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const YEAR = 366 * 24 * 3_600_000;
const SEARCH_YEARS = 5;

interface ParsedField {
  values: Set<number>;
  /** robfig's star bit: `*` or `?` without a step, which the day-of-month/day-of-week rule looks at. */
  star: boolean;
}

function fail(spec: string, reason: string): never {
  throw new CronScheduleError(spec, reason);
}

/** robfig's getRange for one comma-separated part of a field. */
function parseRange(spec: string, where: string, expr: string, r: FieldRange, into: ParsedField): void {
  const bad = (reason: string): never => fail(spec, `${where}: ${reason}`);
  const int = (s: string): number => {
    if (!/^[+-]?\d+$/.test(s)) return bad(`failed to parse int from "${s}"`);
    const n = Number(s);
    if (n < 0) return bad(`negative number (${n}) not allowed: ${expr}`);
    return n;
  };
  const intOrName = (s: string): number => {
    const named = r.names?.[s.toLowerCase()];
    return named ?? int(s);
  };
  const rangeAndStep = expr.split('/');
  const [low = '', ...highs] = (rangeAndStep[0] ?? '').split('-');
  let start: number;
  let end: number;
  let star = false;
  if (low === '*' || low === '?') {
    start = r.min;
    end = r.max;
    star = true;
  } else {
    start = intOrName(low);
    if (highs.length > 1) bad(`too many hyphens: ${expr}`);
    end = highs[0] === undefined ? start : intOrName(highs[0]);
  }
  let step = 1;
  if (rangeAndStep.length > 2) bad(`too many slashes: ${expr}`);
  if (rangeAndStep.length === 2) {
    step = int(rangeAndStep[1] ?? '');
    // "N/step" means "N-max/step".
    if (highs.length === 0) end = r.max;
    if (step > 1) star = false;
  }
  if (start < r.min) bad(`beginning of range (${start}) below minimum (${r.min}): ${expr}`);
  if (end > r.max) bad(`end of range (${end}) above maximum (${r.max}): ${expr}`);
  if (start > end) bad(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) bad(`step of range should be a positive number: ${expr}`);
  for (let v = start; v <= end; v += step) into.values.add(v);
  if (star) into.star = true;
}

function parseField(spec: string, index: number, text: string): ParsedField {
  const r = FIELDS[index] as FieldRange;
  const field: ParsedField = { values: new Set(), star: false };
  for (const part of text.split(',')) parseRange(spec, `field ${index + 1} (${r.name}) "${text}"`, part, r, field);
  return field;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** robfig would search its five years in vain: a restricted day of month that no chosen month has. */
function neverFires(dom: ParsedField, month: ParsedField, dow: ParsedField): boolean {
  if (dom.star || !dow.star) return false;
  for (const m of month.values) for (const d of dom.values) if (d <= (DAYS_IN_MONTH[m - 1] ?? 0)) return false;
  return true;
}

/** A field as cron-parser reads it with the same meaning: `*` exactly when robfig's star bit is set. */
function fieldText(field: ParsedField): string {
  return field.star ? '*' : [...field.values].sort((a, b) => a - b).join(',');
}

/** Splits off a `CRON_TZ=Zone ` / `TZ=Zone ` prefix. */
function splitZone(spec: string): { zoneName?: string; rest: string } {
  const m = /^(?:CRON_TZ|TZ)=(\S*)(?:\s+|$)/.exec(spec);
  if (!m) return { rest: spec };
  return { zoneName: m[1] ?? '', rest: spec.slice(m[0].length).trim() };
}

class CronSchedule implements Schedule {
  readonly interval = false;
  constructor(
    readonly spec: string,
    readonly zone: string,
    readonly canFire: boolean,
    private readonly expr: CronExpression | undefined,
  ) {}

  private wall(next: boolean, from: number): number | undefined {
    const e = this.expr as CronExpression;
    try {
      e.reset(new Date(from));
      return (next ? e.next() : e.prev()).getTime();
    } catch {
      // cron-parser's loop limit: nothing to find in range.
      return undefined;
    }
  }

  /** Whether the wall clock steps back (a fall-back transition) between the two instants. */
  private stepsBack(from: number, to: number): boolean {
    return offsetAt(from, this.zone) > offsetAt(to, this.zone);
  }

  // Wall time only runs backwards at a fall-back, and then by less than MAX_ZONE_SHIFT; away from
  // one, wall order is instant order and the first match found is the answer. Near one, the search
  // widens by the shift and keeps the best instant.

  next(after: Date): Date | undefined {
    if (!this.canFire) return undefined;
    const t = after.getTime();
    const afterWall = wallTime(t, this.zone);
    const from = this.stepsBack(t, t + MAX_ZONE_SHIFT) ? afterWall - MAX_ZONE_SHIFT : afterWall;
    let best: number | undefined;
    let stopAt = afterWall + SEARCH_YEARS * YEAR;
    for (let w = this.wall(true, from - 1000); w !== undefined && w <= stopAt; w = this.wall(true, w)) {
      const found = instantsAt(w, this.zone).find((i) => i > t);
      if (found === undefined || (best !== undefined && found >= best)) continue;
      if (best === undefined) stopAt = this.stepsBack(found - MAX_ZONE_SHIFT, found) ? w + MAX_ZONE_SHIFT : w;
      best = found;
    }
    return best === undefined ? undefined : new Date(best);
  }

  latest(after: Date | undefined, notAfter: Date): Date | undefined {
    if (!this.canFire) return undefined;
    const limit = notAfter.getTime();
    const floor = after?.getTime() ?? limit - SEARCH_YEARS * YEAR;
    const limitWall = wallTime(limit, this.zone);
    const from = this.stepsBack(limit - MAX_ZONE_SHIFT, limit) ? limitWall + MAX_ZONE_SHIFT : limitWall;
    let best: number | undefined;
    let stopAt = wallTime(floor, this.zone) - MAX_ZONE_SHIFT;
    for (let w = this.wall(false, from + 1000); w !== undefined && w >= stopAt; w = this.wall(false, w)) {
      const found = instantsAt(w, this.zone).reverse().find((i) => i <= limit);
      if (found === undefined || (best !== undefined && found <= best)) continue;
      if (best === undefined) stopAt = Math.max(stopAt, this.stepsBack(found, found + MAX_ZONE_SHIFT) ? w - MAX_ZONE_SHIFT : w);
      best = found;
    }
    return best !== undefined && best > floor ? new Date(best) : undefined;
  }
}

/** robfig's ConstantDelaySchedule: whole seconds, at least one. */
class EverySchedule implements Schedule {
  readonly canFire = true;
  readonly interval = true;
  constructor(
    readonly spec: string,
    readonly zone: string,
    private readonly delayMs: number,
  ) {}

  /** The last grid point at or before `t`, for a grid through `anchor` (robfig drops sub-seconds). */
  private floorOnGrid(t: number, anchor: number): number {
    const base = Math.floor(anchor / 1000) * 1000;
    return base + Math.floor((t - base) / this.delayMs) * this.delayMs;
  }

  next(after: Date, anchor: Date = after): Date {
    return new Date(this.floorOnGrid(after.getTime(), anchor.getTime()) + this.delayMs);
  }

  latest(after: Date | undefined, notAfter: Date, anchor: Date | undefined = after): Date | undefined {
    // Without an anchor there is no grid to find the last tick on.
    if (!after || !anchor) return undefined;
    const t = this.floorOnGrid(notAfter.getTime(), anchor.getTime());
    return t > after.getTime() ? new Date(t) : undefined;
  }
}

function parseUncached(spec: string, timezone: string | undefined, defaultZone: string): Schedule {
  const trimmed = spec.trim();
  if (trimmed === '') fail(spec, 'empty spec string');
  const { zoneName, rest } = splitZone(trimmed);
  if (zoneName !== undefined && timezone) {
    fail(spec, `the spec sets ${trimmed.slice(0, trimmed.indexOf('='))}=${zoneName} and the timezone field sets "${timezone}": use one of them`);
  }
  const name = zoneName ?? (timezone || undefined);
  const zone = name === undefined ? defaultZone : resolveZone(name);
  if (zone === undefined) fail(spec, `unknown time zone "${name}"`);
  if (rest === '') fail(spec, 'no schedule after the time zone');

  let fields = rest;
  if (rest.startsWith('@')) {
    if (rest.startsWith('@every ')) {
      const text = rest.slice('@every '.length).trim();
      const d = parseDuration(text);
      if (!d) fail(spec, `failed to parse duration "${text}" (a Go duration such as 90s, 5m, 1h30m)`);
      const ms = Math.max(1000, Math.floor(d.ns / 1e9) * 1000);
      return new EverySchedule(spec, zone, ms);
    }
    const expanded = DESCRIPTORS[rest];
    if (expanded === undefined) fail(spec, `unrecognized descriptor "${rest}" (known: ${Object.keys(DESCRIPTORS).join(', ')}, @every <duration>)`);
    fields = expanded;
  }

  const parts = fields.split(/\s+/);
  if (parts.length !== 5) {
    const hint = parts.length === 6 ? ' (a seconds field is not supported: use minute hour day-of-month month day-of-week)' : '';
    fail(spec, `expected exactly 5 fields, found ${parts.length}: [${parts.join(' ')}]${hint}`);
  }
  const parsed = parts.map((text, i) => parseField(spec, i, text));
  const [, , dom, month, dow] = parsed as [ParsedField, ParsedField, ParsedField, ParsedField, ParsedField];
  if (neverFires(dom, month, dow)) return new CronSchedule(spec, zone, false, undefined);
  // Wall time is zone-free, so cron-parser runs in UTC and never sees a DST transition.
  const expr = CronExpressionParser.parse(parsed.map(fieldText).join(' '), { tz: 'UTC' });
  return new CronSchedule(spec, zone, true, expr);
}

const cache = new Map<string, Schedule>();

/**
 * Parses a schedule as Argo's controller does. `timezone` is the CronWorkflow's field (an error
 * together with a CRON_TZ prefix); `defaultZone` applies when neither is given — robfig's
 * time.Local, this process's zone unless the caller pins one. Throws CronScheduleError.
 */
export function parseSchedule(spec: string, timezone?: string, defaultZone?: string): Schedule {
  const key = `${timezone ?? ''}\u0000${defaultZone ?? ''}\u0000${spec}`;
  let s = cache.get(key);
  if (!s) {
    s = parseUncached(spec, timezone, defaultZone ? (resolveZone(defaultZone) ?? fail(spec, `unknown time zone "${defaultZone}"`)) : localZone());
    // The working set is the configured cron workflows; a bound keeps a hostile stream of specs small.
    if (cache.size >= 1000) cache.clear();
    cache.set(key, s);
  }
  return s;
}

/** The first time the schedule fires strictly after `after`; undefined when it never does. */
export function nextAfter(spec: string, after: Date, timezone?: string): Date | undefined {
  return parseSchedule(spec, timezone).next(after);
}
