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
export { addMonths, ageInYearOf, ageOn, isIsoDate } from '../expressions/index.ts';

// Ways people type a date that mean one date without doubt: year first with or without separators
// (2027-03-15, 20270315, 2027/3/15, 2027.03.15, 2027 3 15) and day first with a four-digit year
// (15/3/2027, 15.3.2027, 15-03-2027), as Swedish and European forms write it. Month first (US) is
// never assumed: 3/4/2027 is the 3rd of April.
const YEAR_FIRST = /^(\d{4})(?:([-/. ])(\d{1,2})\2(\d{1,2})|(\d{2})(\d{2}))$/;
const DAY_FIRST = /^(\d{1,2})([-/. ])(\d{1,2})\2(\d{4})$/;

/**
 * A typed date as YYYY-MM-DD when it is written in one of the unambiguous ways above, otherwise
 * the text as typed (trimmed), so the answer is shown back as the person wrote it with the error.
 * Whether it is a real date (no 30 February) is the field's rule, not this.
 */
export function normaliseTypedDate(typed: string): string {
  const s = typed.trim();
  // Only where the parts can be a month and a day: 11/22/2026 (month first) stays as typed, so the
  // error shows what was written, not a rearranged 2026-22-11.
  const iso = (year: string, month: string, day: string) =>
    Number(month) >= 1 && Number(month) <= 12 && Number(day) >= 1 && Number(day) <= 31 ? `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}` : s;
  const y = YEAR_FIRST.exec(s);
  if (y) return y[2] ? iso(y[1]!, y[3]!, y[4]!) : iso(y[1]!, y[5]!, y[6]!);
  const d = DAY_FIRST.exec(s);
  if (d) return iso(d[4]!, d[3]!, d[1]!);
  return s;
}
