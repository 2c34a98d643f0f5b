/**
 * The checks of the booking engine's data (ADR 0038) a schema cannot express: a `book` service has
 * its `booking` section and the register it names has bookable entries; every set of rules — the
 * service's, and each entry's over them — has intervals that end after they start, real dates, a
 * shortest length no longer than the longest, one way of choosing a length, and opening hours.
 */
import type { BookingRules, RegisterEntry, SeasonSpec } from './types.ts';
import type { SchemaProblem } from './schema.ts';
import type { RegisterIndex } from './checks.ts';
import { isIsoDate } from '../expressions/index.ts';

const minutesOf = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));

/** Problems of one set of rules, at `at` (a JSON pointer). */
export function checkBookingRules(rules: BookingRules, at: string): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const problem = (path: string, message: string) => problems.push({ path: `${at}${path}`, message });
  const intervals = (list: readonly (readonly [string, string])[], path: string) =>
    list.forEach(([from, to], i) => {
      if (minutesOf(to) <= minutesOf(from)) problem(`${path}/${i}`, `the interval ${from}–${to} must end after it starts`);
      const before = list[i - 1];
      if (before && minutesOf(from) < minutesOf(before[1])) problem(`${path}/${i}`, `the interval ${from}–${to} overlaps or comes before ${before[0]}–${before[1]}: list them in order`);
    });
  for (const [day, list] of Object.entries(rules.opening ?? {})) intervals(list, `/opening/${day}`);
  (rules.exceptions ?? []).forEach((e, i) => {
    if (!isIsoDate(e.from)) problem(`/exceptions/${i}/from`, `"${e.from}" is not a date`);
    if (e.to !== undefined && !isIsoDate(e.to)) problem(`/exceptions/${i}/to`, `"${e.to}" is not a date`);
    else if (e.to !== undefined && e.to < e.from) problem(`/exceptions/${i}/to`, `the exception ends (${e.to}) before it starts (${e.from})`);
    intervals(e.hours ?? [], `/exceptions/${i}/hours`);
  });
  if (rules.slotMinutes !== undefined && (rules.minMinutes !== undefined || rules.maxMinutes !== undefined || rules.stepMinutes !== undefined)) {
    problem('/slotMinutes', 'fixed slots (slotMinutes) or a free length (minMinutes, maxMinutes, stepMinutes), not both');
  }
  if (rules.minMinutes !== undefined && rules.maxMinutes !== undefined && rules.minMinutes > rules.maxMinutes) {
    problem('/maxMinutes', `must not be less than minMinutes (${rules.minMinutes})`);
  }
  return problems;
}

/** A `book` service against its own rules and its register's entries. */
export function checkBookingService(
  def: {
    engines: readonly string[];
    booking?: { resources: string; rules: BookingRules; cancelledState?: string; together?: { resources: string }; season?: SeasonSpec; reminder?: { hoursBefore: number } };
    workflow?: { states: readonly { id: string; final?: boolean }[]; initial?: string };
    form?: { steps: readonly { fields: readonly { id: string; kind: string; choices?: readonly { value: string }[] }[] }[] };
  },
  registers: RegisterIndex,
): SchemaProblem[] {
  const books = def.engines.includes('book');
  if (!def.booking) return books ? [{ path: '/booking', message: 'a service with the engine book says what it books: booking.resources and booking.rules' }] : [];
  if (!books) return [{ path: '/engines', message: 'a service with a booking section has the engine book' }];
  const problems = checkBookingRules(def.booking.rules, '/booking/rules');
  const together = def.booking.together?.resources;
  if (together !== undefined) {
    const partners = registers.get(together);
    if (!partners) problems.push({ path: '/booking/together/resources', message: `"${together}" is not a register of the municipality` });
    else if (!partners.entries.some((e) => e.bookable)) problems.push({ path: '/booking/together/resources', message: `the register "${together}" has no entry with bookable:` });
  }
  const cancelled = def.booking.cancelledState;
  if (cancelled !== undefined && def.workflow && !def.workflow.states.some((s) => s.id === cancelled)) {
    problems.push({ path: '/booking/cancelledState', message: `"${cancelled}" is not a state of the workflow` });
  }
  if (def.booking.season) problems.push(...checkSeason(def.booking.season, def));
  if (def.booking.season && def.booking.together) problems.push({ path: '/booking/together', message: 'a seasonal service books its resources alone (no together)' });
  // A season's weekly times are one allocation, not bookings a person keeps in mind one by one.
  if (def.booking.season && def.booking.reminder) problems.push({ path: '/booking/reminder', message: 'a seasonal service sends no reminder before each weekly time' });
  const register = registers.get(def.booking.resources);
  if (!register) return [...problems, { path: '/booking/resources', message: `"${def.booking.resources}" is not a register of the municipality` }];
  const bookable = register.entries.filter((e): e is RegisterEntry & { bookable: NonNullable<RegisterEntry['bookable']> } => !!e.bookable);
  if (!bookable.length) problems.push({ path: '/booking/resources', message: `the register "${def.booking.resources}" has no entry with bookable:` });
  for (const e of bookable) {
    // (Each entry's own rules are checked with its register.)
    const merged = { ...def.booking.rules, ...e.bookable };
    // Open some weekday, or on some dates of its own (a course's start, given as an exception with hours).
    const open = Object.values(merged.opening ?? {}).some((list) => list.length > 0) || (merged.exceptions ?? []).some((x) => (x.hours ?? []).length > 0);
    if (!open) {
      problems.push({ path: '/booking/rules/opening', message: `"${e.id}" of "${def.booking.resources}" is never open: give it or the service opening hours` });
    }
  }
  return problems;
}

/** A seasonal service's seasons, states and priority (ADR 0041). */
function checkSeason(season: SeasonSpec, def: Parameters<typeof checkBookingService>[0]): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const seen = new Set<string>();
  season.periods.forEach((p, i) => {
    if (seen.has(p.id)) problems.push({ path: `/booking/season/periods/${i}/id`, message: `"${p.id}" is given twice` });
    seen.add(p.id);
    for (const key of ['from', 'to', 'applyBy'] as const) {
      // A month-day that no year has (02-30) or only leap years have (02-29) would move about.
      const [m, d] = p[key].split('-').map(Number) as [number, number];
      const date = new Date(Date.UTC(2027, m - 1, d));
      if (date.getUTCMonth() !== m - 1) problems.push({ path: `/booking/season/periods/${i}/${key}`, message: `"${p[key]}" is not a day of every year` });
    }
  });
  const states = def.workflow?.states ?? [];
  for (const key of ['allocatedState', 'refusedState'] as const) {
    const state = states.find((s) => s.id === season[key]);
    if (!state) problems.push({ path: `/booking/season/${key}`, message: `"${season[key]}" is not a state of the workflow` });
    else if (state.id === def.workflow?.initial) problems.push({ path: `/booking/season/${key}`, message: 'must not be the initial state: allocating moves an application out of it' });
  }
  if (season.allocatedState === season.refusedState) problems.push({ path: '/booking/season/refusedState', message: 'must differ from allocatedState' });
  if (season.priority) {
    const field = def.form?.steps.flatMap((s) => s.fields).find((f) => f.id === season.priority!.field);
    if (!field) problems.push({ path: '/booking/season/priority/field', message: `"${season.priority.field}" is not a question of the form` });
    else if (field.kind !== 'choice') problems.push({ path: '/booking/season/priority/field', message: `"${season.priority.field}" is not a choice (the order names its answers)` });
    else {
      const values = new Set((field.choices ?? []).map((c) => c.value));
      season.priority.order.forEach((v, i) => {
        if (!values.has(v)) problems.push({ path: `/booking/season/priority/order/${i}`, message: `"${v}" is not an answer of "${field.id}"` });
      });
    }
  }
  return problems;
}
