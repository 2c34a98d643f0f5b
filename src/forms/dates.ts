/** Calendar dates in Europe/Stockholm, where the municipality's rules are counted. */

const STOCKHOLM_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's date in Stockholm as YYYY-MM-DD. */
export function stockholmToday(now: Date): string {
  return STOCKHOLM_DAY.format(now);
}

// The calendar arithmetic is the expression language's (bundled for the browser too), so a date
// window the server checks and a date condition the browser shows are counted alike.
export { addMonths, ageOn, isIsoDate } from '../expressions/index.ts';
