/** Calendar dates in Europe/Stockholm, where the municipality's rules are counted. */

const STOCKHOLM_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit' });

// The last answer, by the minute it was asked in: Intl's formatting was 1.5% of a form page's CPU
// (bench:forms, ADR 0019) and Stockholm's day always turns on a whole minute (offsets are whole
// hours), so every time in one UTC minute has the same date. One entry, the same for everyone.
let lastMinute = NaN;
let lastDay = '';

/** Today's date in Stockholm as YYYY-MM-DD. */
export function stockholmToday(now: Date): string {
  const minute = Math.floor(now.getTime() / 60_000);
  if (minute !== lastMinute) {
    lastDay = STOCKHOLM_DAY.format(now);
    lastMinute = minute;
  }
  return lastDay;
}

// The calendar arithmetic is the expression language's (bundled for the browser too), so a date
// window the server checks and a date condition the browser shows are counted alike.
export { addMonths, ageOn, isIsoDate } from '../expressions/index.ts';
