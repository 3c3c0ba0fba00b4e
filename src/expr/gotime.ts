// Go's time formatting and parsing, which Argo users write in sprig.date('2006-01-02', …) and
// expr's date(…, layout). Everything is UTC: a Date has no zone and the controller runs in UTC.

import { Duration } from './values.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export const RFC3339 = '2006-01-02T15:04:05Z07:00';

/** The one place that reads the clock, shared by expr's now() and sprig's now/date. */
export function currentTime(): Date {
  return new Date(Date.now());
}

type Chunk = { lit: string } | { std: string };

// Longest-first so that "January" wins over "Jan" and "2006" over "2".
const STD = [
  'January', 'Jan', 'Monday', 'Mon', 'MST', '2006', '002', '__2', '_2', '01', '02', '03', '04', '05', '06',
  '15', '1', '2', '3', '4', '5', 'PM', 'pm',
  '-07:00:00', '-070000', '-07:00', '-0700', '-07', 'Z07:00:00', 'Z070000', 'Z07:00', 'Z0700', 'Z07',
];

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function chunks(layout: string): Chunk[] {
  const out: Chunk[] = [];
  let lit = '';
  let i = 0;
  while (i < layout.length) {
    const c = layout[i];
    if ((c === '.' || c === ',') && (layout[i + 1] === '0' || layout[i + 1] === '9')) {
      const d = layout[i + 1] as string;
      let j = i + 1;
      while (layout[j] === d) j++;
      if (!isDigit(layout[j])) {
        if (lit) out.push({ lit });
        lit = '';
        out.push({ std: layout.slice(i, j) });
        i = j;
        continue;
      }
    }
    const std = STD.find((s) => layout.startsWith(s, i));
    if (std) {
      if (lit) out.push({ lit });
      lit = '';
      out.push({ std });
      i += std.length;
    } else {
      lit += c;
      i++;
    }
  }
  if (lit) out.push({ lit });
  return out;
}

const pad = (n: number, w: number, ch = '0'): string => String(n).padStart(w, ch);

function zone(offsetMin: number, std: string): string {
  if (offsetMin === 0 && std.startsWith('Z')) return 'Z';
  const sign = offsetMin < 0 ? '-' : '+';
  const a = Math.abs(offsetMin);
  const hh = pad(Math.floor(a / 60), 2);
  const mm = pad(a % 60, 2);
  const body = std.slice(1);
  if (body === '07') return sign + hh;
  if (body === '0700') return sign + hh + mm;
  if (body === '07:00') return `${sign}${hh}:${mm}`;
  if (body === '070000') return sign + hh + mm + '00';
  return `${sign}${hh}:${mm}:00`;
}

function yearDay(d: Date): number {
  return Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86400000) + 1;
}

/** time.Time.Format(layout), in UTC. Sub-millisecond digits are zero (JS dates hold ms). */
export function formatGoTime(d: Date, layout: string): string {
  const hour = d.getUTCHours();
  const nanos = d.getUTCMilliseconds() * 1e6;
  let out = '';
  for (const c of chunks(layout)) {
    if ('lit' in c) {
      out += c.lit;
      continue;
    }
    const s = c.std;
    switch (s) {
      case 'January': out += MONTHS[d.getUTCMonth()]; break;
      case 'Jan': out += (MONTHS[d.getUTCMonth()] as string).slice(0, 3); break;
      case 'Monday': out += DAYS[d.getUTCDay()]; break;
      case 'Mon': out += (DAYS[d.getUTCDay()] as string).slice(0, 3); break;
      case 'MST': out += 'UTC'; break;
      case '2006': out += pad(d.getUTCFullYear(), 4); break;
      case '06': out += pad(d.getUTCFullYear() % 100, 2); break;
      case '01': out += pad(d.getUTCMonth() + 1, 2); break;
      case '1': out += String(d.getUTCMonth() + 1); break;
      case '02': out += pad(d.getUTCDate(), 2); break;
      case '2': out += String(d.getUTCDate()); break;
      case '_2': out += pad(d.getUTCDate(), 2, ' '); break;
      case '002': out += pad(yearDay(d), 3); break;
      case '__2': out += pad(yearDay(d), 3, ' '); break;
      case '15': out += pad(hour, 2); break;
      case '03': out += pad(hour % 12 === 0 ? 12 : hour % 12, 2); break;
      case '3': out += String(hour % 12 === 0 ? 12 : hour % 12); break;
      case '04': out += pad(d.getUTCMinutes(), 2); break;
      case '4': out += String(d.getUTCMinutes()); break;
      case '05': out += pad(d.getUTCSeconds(), 2); break;
      case '5': out += String(d.getUTCSeconds()); break;
      case 'PM': out += hour >= 12 ? 'PM' : 'AM'; break;
      case 'pm': out += hour >= 12 ? 'pm' : 'am'; break;
      default:
        if (s.startsWith('-') || s.startsWith('Z')) {
          out += zone(0, s);
        } else {
          const digits = pad(nanos, 9).slice(0, s.length - 1);
          if (s[1] === '0') out += s[0] + digits;
          else {
            const trimmed = digits.replace(/0+$/, '');
            if (trimmed) out += s[0] + trimmed;
          }
        }
    }
  }
  return out;
}

/** time.Time.String(): "2006-01-02 15:04:05.999999999 -0700 MST". */
export function goTimeString(d: Date): string {
  return formatGoTime(d, '2006-01-02 15:04:05.999999999 -0700 MST');
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** time.ParseInLocation(layout, value, UTC); undefined when the value does not fit the layout. */
export function parseGoTime(value: string, layout: string): Date | undefined {
  let year = 0, month = 1, day = 1, hour = 0, min = 0, sec = 0, ms = 0, offset = 0;
  let pm: boolean | undefined;
  let rest = value;
  const num = (lo: number, hi: number): number | undefined => {
    const m = new RegExp(`^\\d{${lo},${hi}}`).exec(rest);
    if (!m) return undefined;
    rest = rest.slice(m[0].length);
    return Number(m[0]);
  };
  const name = (list: string[], short: boolean): number | undefined => {
    const i = list.findIndex((n) => rest.toLowerCase().startsWith((short ? n.slice(0, 3) : n).toLowerCase()));
    if (i < 0) return undefined;
    rest = rest.slice(short ? 3 : (list[i] as string).length);
    return i;
  };
  const frac = (): boolean => {
    const m = /^[.,](\d+)/.exec(rest);
    if (!m) return false;
    ms = Math.round(Number(`0.${m[1]}`) * 1000);
    rest = rest.slice(m[0].length);
    return true;
  };
  const cs = chunks(layout);
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i] as Chunk;
    if ('lit' in c) {
      if (!rest.startsWith(c.lit)) return undefined;
      rest = rest.slice(c.lit.length);
      continue;
    }
    let v: number | undefined = 0;
    const s = c.std;
    switch (s) {
      case 'January': case 'Jan': v = name(MONTHS, s === 'Jan'); if (v !== undefined) month = v + 1; break;
      case 'Monday': case 'Mon': v = name(DAYS, s === 'Mon'); break;
      case 'MST': { const m = /^[A-Z]{3,5}/.exec(rest); if (!m) return undefined; rest = rest.slice(m[0].length); break; }
      case '2006': v = num(4, 4); if (v !== undefined) year = v; break;
      case '06': v = num(2, 2); if (v !== undefined) year = v >= 69 ? 1900 + v : 2000 + v; break;
      case '01': case '1': v = num(s.length, 2); if (v !== undefined) month = v; break;
      case '02': case '2': v = num(s.length, 2); if (v !== undefined) day = v; break;
      case '_2': if (rest.startsWith(' ')) rest = rest.slice(1); v = num(1, 2); if (v !== undefined) day = v; break;
      case '002': case '__2': v = num(1, 3); break;
      case '15': v = num(1, 2); if (v !== undefined) hour = v; break;
      case '03': case '3': v = num(s.length, 2); if (v !== undefined) hour = v; break;
      case '04': case '4': v = num(s.length, 2); if (v !== undefined) min = v; break;
      case '05': case '5': {
        v = num(s.length, 2);
        if (v !== undefined) sec = v;
        const next = cs[i + 1];
        // Go accepts fractional seconds after a seconds field even when the layout has none.
        if (!(next && 'std' in next && /^[.,]/.test(next.std))) frac();
        break;
      }
      case 'PM': case 'pm': {
        const m = /^(AM|PM)/i.exec(rest);
        if (!m) return undefined;
        pm = (m[1] as string).toUpperCase() === 'PM';
        rest = rest.slice(2);
        break;
      }
      default:
        if (s.startsWith('-') || s.startsWith('Z')) {
          if (s.startsWith('Z') && rest.startsWith('Z')) { rest = rest.slice(1); break; }
          const m = /^([+-])(\d\d):?(\d\d)?(?::?(\d\d))?/.exec(rest);
          if (!m) return undefined;
          offset = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
          rest = rest.slice(m[0].length);
        } else if (!frac() && s[1] === '0') {
          return undefined;
        }
    }
    if (v === undefined) return undefined;
  }
  if (rest !== '') return undefined;
  if (pm !== undefined) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (pm ? 12 : 0);
  }
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || min > 59 || sec > 59) return undefined;
  // setUTCFullYear rather than Date.UTC, which maps years 0-99 to 19xx.
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, min, sec, ms);
  return new Date(d.getTime() - offset * 60000);
}

const UNITS: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** time.ParseDuration. */
export function parseDuration(s: string): Duration | undefined {
  const m = /^([-+]?)(.*)$/.exec(s);
  const body = m?.[2] ?? '';
  if (body === '0') return new Duration(0);
  if (body === '') return undefined;
  let total = 0;
  const re = /(\d*\.?\d*)([a-zµμ]+)/gy;
  let pos = 0;
  for (let part = re.exec(body); part; part = re.exec(body)) {
    const [whole, n = '', unit = ''] = part;
    const scale = Object.hasOwn(UNITS, unit) ? UNITS[unit] : undefined;
    if (scale === undefined || n === '' || n === '.') return undefined;
    total += Number(n) * scale;
    pos += whole.length;
  }
  if (pos !== body.length) return undefined;
  return new Duration(Math.round(m?.[1] === '-' ? -total : total));
}

function fracUnits(u: number, digits: number): string {
  const scale = 10 ** digits;
  const whole = Math.floor(u / scale);
  const f = String(u % scale).padStart(digits, '0').replace(/0+$/, '');
  return f ? `${whole}.${f}` : String(whole);
}

/** time.Duration.String(): "1h2m3.5s", "1.5ms", "0s". */
export function durationString(d: Duration): string {
  const ns = Math.round(d.ns);
  if (ns === 0) return '0s';
  const sign = ns < 0 ? '-' : '';
  const u = Math.abs(ns);
  if (u < 1e3) return `${sign}${u}ns`;
  if (u < 1e6) return `${sign}${fracUnits(u, 3)}µs`;
  if (u < 1e9) return `${sign}${fracUnits(u, 6)}ms`;
  const totalSec = Math.floor(u / 1e9);
  const h = Math.floor(totalSec / 3600);
  const m = Math.floor((totalSec % 3600) / 60);
  const secs = `${fracUnits((totalSec % 60) * 1e9 + (u % 1e9), 9)}s`;
  if (h > 0) return `${sign}${h}h${m}m${secs}`;
  if (m > 0) return `${sign}${m}m${secs}`;
  return sign + secs;
}
