import { describe, expect, it } from 'vitest';
import { CronScheduleError, nextAfter, parseSchedule } from './schedule.js';

/** The next `n` times after `from`, as ISO strings. */
function times(spec: string, from: string, n: number, timezone?: string, defaultZone = 'UTC'): string[] {
  const s = parseSchedule(spec, timezone, defaultZone);
  const out: string[] = [];
  let t = new Date(from);
  for (let i = 0; i < n; i++) {
    const next = s.next(t);
    if (!next) break;
    out.push(next.toISOString());
    t = next;
  }
  return out;
}

function error(spec: string, timezone?: string): string {
  try {
    parseSchedule(spec, timezone, 'UTC');
  } catch (e) {
    expect(e).toBeInstanceOf(CronScheduleError);
    return (e as Error).message;
  }
  throw new Error(`"${spec}" parsed`);
}

describe('five-field specs', () => {
  it('fires strictly after the given time', () => {
    expect(times('* * * * *', '2024-01-01T00:00:00Z', 2)).toEqual(['2024-01-01T00:01:00.000Z', '2024-01-01T00:02:00.000Z']);
    expect(times('* * * * *', '2024-01-01T00:00:30.500Z', 1)).toEqual(['2024-01-01T00:01:00.000Z']);
    expect(nextAfter('*/15 * * * *', new Date('2024-01-01T10:07:00Z'), 'UTC')?.toISOString()).toBe('2024-01-01T10:15:00.000Z');
  });

  it('reads ranges, steps, lists and names as robfig does', () => {
    expect(times('5/20 * * * *', '2024-01-01T00:00:00Z', 4)).toEqual([
      '2024-01-01T00:05:00.000Z',
      '2024-01-01T00:25:00.000Z',
      '2024-01-01T00:45:00.000Z',
      '2024-01-01T01:05:00.000Z',
    ]);
    // 2024-01-01 is a Monday.
    expect(times('0 9 * jan-feb MON-wed', '2024-01-01T12:00:00Z', 3)).toEqual([
      '2024-01-02T09:00:00.000Z',
      '2024-01-03T09:00:00.000Z',
      '2024-01-08T09:00:00.000Z',
    ]);
    expect(times('0 0 1,15 * *', '2024-01-01T00:00:00Z', 3)).toEqual(['2024-01-15T00:00:00.000Z', '2024-02-01T00:00:00.000Z', '2024-02-15T00:00:00.000Z']);
  });

  it('treats ? as *', () => {
    expect(times('0 0 ? * 1', '2024-01-01T00:00:00Z', 2)).toEqual(['2024-01-08T00:00:00.000Z', '2024-01-15T00:00:00.000Z']);
    expect(times('? ? ? ? ?', '2024-01-01T00:00:00Z', 1)).toEqual(['2024-01-01T00:01:00.000Z']);
  });

  it('ORs day of month and day of week when both are restricted', () => {
    // The 13th, or any Friday (2024-01-05 is a Friday).
    expect(times('0 0 13 * 5', '2024-01-01T00:00:00Z', 3)).toEqual(['2024-01-05T00:00:00.000Z', '2024-01-12T00:00:00.000Z', '2024-01-13T00:00:00.000Z']);
    // A step clears robfig's star bit: */10 is a restriction (days 1, 11, 21, 31) ORed with Mondays.
    expect(times('0 0 */10 * 1', '2024-01-01T00:00:00Z', 4)).toEqual([
      '2024-01-08T00:00:00.000Z',
      '2024-01-11T00:00:00.000Z',
      '2024-01-15T00:00:00.000Z',
      '2024-01-21T00:00:00.000Z',
    ]);
    // A star day of month leaves day of week alone in charge.
    expect(times('0 0 * * 5', '2024-01-01T00:00:00Z', 2)).toEqual(['2024-01-05T00:00:00.000Z', '2024-01-12T00:00:00.000Z']);
  });

  it('parses impossible dates but never fires them', () => {
    for (const spec of ['0 0 31 2 *', '0 0 30 2 *', '0 0 31 4,6,9,11 *']) {
      const s = parseSchedule(spec, undefined, 'UTC');
      expect(s.canFire).toBe(false);
      expect(s.next(new Date('2024-01-01T00:00:00Z'))).toBeUndefined();
      expect(s.latest(undefined, new Date('2024-01-01T00:00:00Z'))).toBeUndefined();
    }
    // With a restricted day of week, the OR rule still finds days.
    expect(times('0 0 31 2 1', '2024-01-01T00:00:00Z', 1)).toEqual(['2024-02-05T00:00:00.000Z']);
    // Leap days are within robfig's five years.
    expect(times('0 0 29 2 *', '2025-01-01T00:00:00Z', 1)).toEqual(['2028-02-29T00:00:00.000Z']);
  });
});

describe('descriptors', () => {
  it.each([
    ['@hourly', '2024-05-15T11:00:00.000Z'],
    ['@daily', '2024-05-16T00:00:00.000Z'],
    ['@midnight', '2024-05-16T00:00:00.000Z'],
    ['@weekly', '2024-05-19T00:00:00.000Z'],
    ['@monthly', '2024-06-01T00:00:00.000Z'],
    ['@yearly', '2025-01-01T00:00:00.000Z'],
    ['@annually', '2025-01-01T00:00:00.000Z'],
  ])('%s', (spec, next) => {
    expect(times(spec, '2024-05-15T10:30:00Z', 1)).toEqual([next]);
  });

  it('@every counts whole seconds from the previous time, at least one', () => {
    expect(times('@every 90s', '2024-01-01T00:00:00.700Z', 2)).toEqual(['2024-01-01T00:01:30.000Z', '2024-01-01T00:03:00.000Z']);
    expect(times('@every 1h30m', '2024-01-01T00:00:00Z', 1)).toEqual(['2024-01-01T01:30:00.000Z']);
    expect(times('@every 300ms', '2024-01-01T00:00:00Z', 1)).toEqual(['2024-01-01T00:00:01.000Z']);
    const s = parseSchedule('@every 10m', undefined, 'UTC');
    expect(s.interval).toBe(true);
    // On the grid from the anchor, not from `after`.
    expect(s.next(new Date('2024-01-01T00:14:00Z'), new Date('2024-01-01T00:01:00Z'))?.toISOString()).toBe('2024-01-01T00:21:00.000Z');
    expect(s.latest(new Date('2024-01-01T00:01:00Z'), new Date('2024-01-01T00:35:00Z'))?.toISOString()).toBe('2024-01-01T00:31:00.000Z');
    expect(s.latest(new Date('2024-01-01T00:01:00Z'), new Date('2024-01-01T00:05:00Z'))).toBeUndefined();
  });
});

describe('time zones', () => {
  it('reads the wall clock of the timezone field, a CRON_TZ= or TZ= prefix, or the default zone', () => {
    expect(times('0 9 * * *', '2024-01-01T00:00:00Z', 1, 'Asia/Tokyo')).toEqual(['2024-01-02T00:00:00.000Z']);
    expect(times('CRON_TZ=Asia/Tokyo 0 9 * * *', '2024-01-01T00:00:00Z', 1)).toEqual(['2024-01-02T00:00:00.000Z']);
    expect(times('TZ=America/New_York 0 9 * * *', '2024-01-01T00:00:00Z', 1)).toEqual(['2024-01-01T14:00:00.000Z']);
    expect(times('0 9 * * *', '2024-01-01T00:00:00Z', 1, undefined, 'Europe/Berlin')).toEqual(['2024-01-01T08:00:00.000Z']);
    expect(times('CRON_TZ=UTC @daily', '2024-01-01T00:00:00Z', 1, undefined, 'Europe/Berlin')).toEqual(['2024-01-02T00:00:00.000Z']);
  });

  it('follows daylight saving time: the same wall time, a different instant', () => {
    // America/New_York: EST (-5) until 2024-03-10 02:00, then EDT (-4).
    expect(times('0 9 * * *', '2024-03-09T00:00:00Z', 2, 'America/New_York')).toEqual(['2024-03-09T14:00:00.000Z', '2024-03-10T13:00:00.000Z']);
    // Europe/London: GMT until 2024-03-31 01:00, then BST.
    expect(times('30 8 * * *', '2024-03-30T12:00:00Z', 2, 'Europe/London')).toEqual(['2024-03-31T07:30:00.000Z', '2024-04-01T07:30:00.000Z']);
  });

  it('skips a time inside the spring-forward gap, as robfig does', () => {
    // 02:30 does not exist in New York on 2024-03-10.
    expect(times('30 2 * * *', '2024-03-09T12:00:00Z', 2, 'America/New_York')).toEqual(['2024-03-11T06:30:00.000Z', '2024-03-12T06:30:00.000Z']);
    // Hourly: 01:00 EST, then 03:00 EDT, one real hour apart.
    expect(times('0 * * * *', '2024-03-10T05:30:00Z', 3, 'America/New_York')).toEqual([
      '2024-03-10T06:00:00.000Z',
      '2024-03-10T07:00:00.000Z',
      '2024-03-10T08:00:00.000Z',
    ]);
  });

  it('fires twice for a time inside the fall-back overlap, as robfig does', () => {
    // 01:30 happens twice in New York on 2024-11-03: 05:30Z (EDT) and 06:30Z (EST).
    expect(times('30 1 * * *', '2024-11-02T12:00:00Z', 3, 'America/New_York')).toEqual([
      '2024-11-03T05:30:00.000Z',
      '2024-11-03T06:30:00.000Z',
      '2024-11-04T06:30:00.000Z',
    ]);
    expect(times('*/20 1 * * *', '2024-11-03T05:30:00Z', 5, 'America/New_York')).toEqual([
      '2024-11-03T05:40:00.000Z',
      '2024-11-03T06:00:00.000Z',
      '2024-11-03T06:20:00.000Z',
      '2024-11-03T06:40:00.000Z',
      '2024-11-04T06:00:00.000Z',
    ]);
  });

  it('finds the latest time at or before an instant, across the overlap', () => {
    const s = parseSchedule('*/20 1 * * *', 'America/New_York');
    const latest = (after: string | undefined, notAfter: string): string | undefined =>
      s.latest(after === undefined ? undefined : new Date(after), new Date(notAfter))?.toISOString();
    expect(latest(undefined, '2024-11-03T06:15:00Z')).toBe('2024-11-03T06:00:00.000Z');
    expect(latest(undefined, '2024-11-03T05:59:00Z')).toBe('2024-11-03T05:40:00.000Z');
    expect(latest(undefined, '2024-11-03T06:40:00Z')).toBe('2024-11-03T06:40:00.000Z');
    expect(latest('2024-11-03T06:40:00Z', '2024-11-03T07:00:00Z')).toBeUndefined();
    expect(latest('2024-11-03T06:00:00Z', '2024-11-03T07:00:00Z')).toBe('2024-11-03T06:40:00.000Z');
  });
});

describe('errors say what and where', () => {
  it('rejects six fields (no seconds in Argo)', () => {
    expect(error('0 * * * * *')).toMatch(/expected exactly 5 fields, found 6.*seconds field is not supported/);
    expect(error('* * * *')).toMatch(/expected exactly 5 fields, found 4/);
  });

  it('names the field and the problem', () => {
    expect(error('0 0 32 * *')).toBe('invalid cron schedule "0 0 32 * *": field 3 (day-of-month) "32": end of range (32) above maximum (31): 32');
    expect(error('60 * * * *')).toMatch(/field 1 \(minute\).*above maximum \(59\)/);
    expect(error('0 0 * * 7')).toMatch(/field 5 \(day-of-week\).*above maximum \(6\)/);
    expect(error('0 0 * 0 *')).toMatch(/field 4 \(month\).*below minimum \(1\)/);
    expect(error('0 5-2 * * *')).toMatch(/field 2 \(hour\).*beginning of range \(5\) beyond end of range \(2\)/);
    expect(error('*/0 * * * *')).toMatch(/step of range should be a positive number/);
    expect(error('1-2-3 * * * *')).toMatch(/too many hyphens/);
    expect(error('1/2/3 * * * *')).toMatch(/too many slashes/);
    expect(error('x * * * *')).toMatch(/failed to parse int from "x"/);
    expect(error('L * * * *')).toMatch(/field 1 \(minute\) "L"/);
  });

  it('rejects bad descriptors, durations and zones', () => {
    expect(error('')).toMatch(/empty spec string/);
    expect(error('@fortnightly')).toMatch(/unrecognized descriptor "@fortnightly"/);
    expect(error('@every 5 minutes')).toMatch(/failed to parse duration "5 minutes"/);
    expect(error('CRON_TZ=Mars/Olympus 0 * * * *')).toMatch(/unknown time zone "Mars\/Olympus"/);
    expect(error('0 * * * *', 'Nowhere/Land')).toMatch(/unknown time zone "Nowhere\/Land"/);
    expect(error('CRON_TZ=UTC 0 * * * *', 'Asia/Tokyo')).toMatch(/CRON_TZ=UTC.*timezone field.*Asia\/Tokyo/);
  });
});
