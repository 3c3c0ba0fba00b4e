import { describe, expect, it } from 'vitest';
import { elapsedMs, formatDuration, formatDurationLong, relativeTime } from './duration.js';

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [999, '0s'],
    [5_000, '5s'],
    [59_999, '59s'],
    [60_000, '1m'],
    [65_000, '1m5s'],
    [3_600_000, '1h'],
    [3_720_000, '1h2m'],
    [3_725_000, '1h2m'],
    [90_000_000, '1d1h'],
    [-5, '0s'],
    [Number.NaN, '0s'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('formatDurationLong', () => {
  it('words the header duration with at most two units', () => {
    expect(formatDurationLong(0)).toBe('0 seconds');
    expect(formatDurationLong(1_000)).toBe('1 second');
    expect(formatDurationLong(63_000)).toBe('1 minute 3 seconds');
    expect(formatDurationLong(7_200_000)).toBe('2 hours');
  });
});

describe('relativeTime', () => {
  const now = new Date('2024-05-01T12:00:00Z');
  const ago = (ms: number): string => relativeTime(new Date(now.getTime() - ms), now);
  it('coarsens like go-humanize', () => {
    expect(ago(500)).toBe('now');
    expect(ago(1_500)).toBe('1 second ago');
    expect(ago(42_000)).toBe('42 seconds ago');
    expect(ago(150_000)).toBe('2 minutes ago');
    expect(ago(3 * 3_600_000)).toBe('3 hours ago');
    expect(ago(3 * 86_400_000)).toBe('3 days ago');
    expect(ago(-120_000)).toBe('2 minutes from now');
  });
});

describe('elapsedMs', () => {
  it('measures running work to now and never-started work as undefined', () => {
    const now = new Date('2024-05-01T12:00:10Z');
    expect(elapsedMs('2024-05-01T12:00:00Z', undefined, now)).toBe(10_000);
    expect(elapsedMs('2024-05-01T12:00:00Z', '2024-05-01T12:00:03Z', now)).toBe(3_000);
    expect(elapsedMs(undefined, undefined, now)).toBeUndefined();
  });
});
