/**
 * Time at the edges (ADR 0038): bookings are instants; a municipality's opening hours, dates and the
 * times people read are Europe/Stockholm wall-clock. Luxon applies the zone, with its rules for the
 * hour summer time skips (a time in it moves forward) and the hour it repeats (the later one).
 */
import { DateTime } from 'luxon';
import type { Weekday } from '../catalogue/types.ts';
import { addDays, isIsoDate } from '../expressions/index.ts';
import { stockholmToday } from '../forms/dates.ts';

// Calendar arithmetic on local dates is the expression language's, as everywhere else.
export { addDays };

export const ZONE = 'Europe/Stockholm';

/** How far from today a date the booking pages are asked about may lie: beyond it, no resource has times (and the zone's arithmetic has no years). */
const CALENDAR_YEARS = 10;
const CALENDAR_DAYS = Math.round(CALENDAR_YEARS * 365.25);

/**
 * What is wrong with a date a form or link names, if anything: not a real date written year-month-day
 * ('format': 2026-02-30, 26-1-5), or further than ten years from today ('range': 9999-12-31).
 */
export function dateProblem(value: string, today: string): 'format' | 'range' | undefined {
  if (!isIsoDate(value)) return 'format';
  return value < addDays(today, -CALENDAR_DAYS) || value > addDays(today, CALENDAR_DAYS) ? 'range' : undefined;
}

/** An instant a form or link names (a slot's start), within ten years of now; undefined for anything else. */
export function instantNamed(value: unknown, now: Date): Date | undefined {
  if (typeof value !== 'string' || value.length > 40) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) || Math.abs(at - now.getTime()) > CALENDAR_DAYS * 86_400_000 ? undefined : new Date(at);
}

/**
 * Answers of the zone's rules, remembered: the same dates and times are asked for again and again
 * (every slot of every resource's week, every booking's rules), and Luxon's zone arithmetic was the
 * largest part of a week page's and a booking's own work (bench/booking's profile). Bounded: cleared
 * when full, as a set of recent dates is small.
 */
const MEMO_LIMIT = 50_000;
function memo<K, V>(compute: (key: K) => V): (key: K) => V {
  const cache = new Map<K, V>();
  return (key) => {
    let v = cache.get(key);
    if (v === undefined) {
      if (cache.size >= MEMO_LIMIT) cache.clear();
      cache.set(key, (v = compute(key)));
    }
    return v;
  };
}

const instantMs = memo((dateTime: string): number => {
  const [date, time] = dateTime.split(' ') as [string, string];
  if (time === '24:00') return DateTime.fromISO(date, { zone: ZONE }).plus({ days: 1 }).toMillis();
  const dt = DateTime.fromISO(`${date}T${time}`, { zone: ZONE });
  if (!dt.isValid) return Number.NaN;
  return dt.toMillis();
});

/** The instant of a local date ("2027-03-28") and wall-clock time ("07:00"; "24:00" is the next midnight). */
export function instantOf(date: string, time: string): Date {
  const ms = instantMs(`${date} ${time}`);
  if (Number.isNaN(ms)) throw new RangeError(`not a local date and time: ${date} ${time}`);
  return new Date(ms);
}

/** The local date of an instant ("2027-03-28"): the forms engine's Stockholm day. */
export const localDate = stockholmToday;

const localTimeOf = memo((ms: number): string => DateTime.fromMillis(ms, { zone: ZONE }).toFormat('HH:mm'));

/** The local wall-clock time of an instant ("07:30"). */
export function localTime(at: Date): string {
  return localTimeOf(at.getTime());
}

export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** The weekday of a local date (calendar arithmetic: no zone is needed for a date's weekday). */
export function weekdayOf(date: string): Weekday {
  const day = new Date(`${date}T12:00:00Z`).getUTCDay();
  if (Number.isNaN(day)) throw new RangeError(`not a local date: ${date}`);
  return WEEKDAYS[(day + 6) % 7]!;
}

/** The Monday of the week a local date falls in (weeks start on Monday in Sweden). */
export function mondayOf(date: string): string {
  return DateTime.fromISO(date, { zone: ZONE }).startOf('week').toISODate()!;
}

/** An instant `minutes` after another. */
export const plusMinutes = (at: Date, minutes: number) => new Date(at.getTime() + minutes * 60_000);

/** The ISO week number of a local date (Swedish calendars number weeks so: vecka 50). */
export function weekNumberOf(date: string): number {
  return DateTime.fromISO(date, { zone: ZONE }).weekNumber;
}

const DAY_FORMATS = {
  sv: new Intl.DateTimeFormat('sv-SE', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long' }),
  en: new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long' }),
};

/** A local date as people say it: "måndag 7 december", "Monday 7 December". */
export function formatDay(date: string, locale: 'sv' | 'en'): string {
  // The date is already local: formatted as a UTC midnight so no zone moves it to another day.
  return DAY_FORMATS[locale].format(new Date(`${date}T00:00:00Z`));
}

/** A booking's time as people read it: "måndag 7 december 18:00–19:00" (local time). */
export function formatSpan(span: { start: Date; end: Date }, locale: 'sv' | 'en'): string {
  const day = localDate(span.start);
  const endDay = localDate(span.end);
  const end = endDay === day || localTime(span.end) === '00:00' ? localTime(span.end) : `${formatDay(endDay, locale)} ${localTime(span.end)}`;
  return `${formatDay(day, locale)} ${localTime(span.start)}–${end}`;
}

/** A typed wall-clock time ("8:00", "08.00", "0800", "24:00" for an end) as HH:MM, or undefined. */
export function readTime(raw: string, end: boolean): string | undefined {
  const m = /^([0-9]{1,2})[:.]?([0-9]{2})$/.exec(raw.trim());
  if (!m) return undefined;
  const [h, min] = [Number(m[1]), Number(m[2])];
  if (min > 59 || h > 24 || (h === 24 && (min !== 0 || !end))) return undefined;
  return `${String(h).padStart(2, '0')}:${m[2]}`;
}
