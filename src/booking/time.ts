/**
 * Time at the edges (ADR 0038): bookings are instants; a municipality's opening hours, dates and the
 * times people read are Europe/Stockholm wall-clock. Luxon applies the zone, with its rules for the
 * hour summer time skips (a time in it moves forward) and the hour it repeats (the later one).
 */
import { DateTime } from 'luxon';
import type { Weekday } from '../catalogue/types.ts';

export const ZONE = 'Europe/Stockholm';

/** The instant of a local date ("2027-03-28") and wall-clock time ("07:00"; "24:00" is the next midnight). */
export function instantOf(date: string, time: string): Date {
  if (time === '24:00') return DateTime.fromISO(date, { zone: ZONE }).plus({ days: 1 }).toJSDate();
  const dt = DateTime.fromISO(`${date}T${time}`, { zone: ZONE });
  if (!dt.isValid) throw new RangeError(`not a local date and time: ${date} ${time}`);
  return dt.toJSDate();
}

/** The local date of an instant ("2027-03-28"). */
export function localDate(at: Date): string {
  return DateTime.fromJSDate(at, { zone: ZONE }).toISODate()!;
}

/** The local wall-clock time of an instant ("07:30"). */
export function localTime(at: Date): string {
  return DateTime.fromJSDate(at, { zone: ZONE }).toFormat('HH:mm');
}

const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** The weekday of a local date. */
export function weekdayOf(date: string): Weekday {
  return WEEKDAYS[DateTime.fromISO(date, { zone: ZONE }).weekday - 1]!;
}

/** The local date `days` after `date`. */
export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: ZONE }).plus({ days }).toISODate()!;
}

/** The Monday of the week a local date falls in (weeks start on Monday in Sweden). */
export function mondayOf(date: string): string {
  return DateTime.fromISO(date, { zone: ZONE }).startOf('week').toISODate()!;
}

/** Whether a string is a real calendar date written YYYY-MM-DD. */
export function isLocalDate(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && DateTime.fromISO(s, { zone: ZONE }).isValid;
}

/** Minutes between two instants. */
export const minutesBetween = (a: Date, b: Date) => Math.round((b.getTime() - a.getTime()) / 60_000);

/** An instant `minutes` after another. */
export const plusMinutes = (at: Date, minutes: number) => new Date(at.getTime() + minutes * 60_000);
