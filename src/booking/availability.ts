/**
 * Which times a resource can be booked (ADR 0038): its rules (the service's, with the resource's
 * own over them), its opening hours on each local date, and the time its active claims hold. Pure:
 * the claims are read by the caller, and the answer is advisory — the claim's insert decides.
 */
import type { BookableEntry, BookingRules, LocalInterval } from '../catalogue/types.ts';
import type { Localised } from '../kernel/tenants.ts';
import { addDays, instantOf, localDate, plusMinutes, weekdayOf } from './time.ts';

/** A resource's rules with every default applied. */
export interface ResolvedRules {
  opening: NonNullable<BookingRules['opening']>;
  exceptions: NonNullable<BookingRules['exceptions']>;
  /** Fixed slots of this length; undefined: a free length of minMinutes–maxMinutes. */
  slotMinutes: number | undefined;
  minMinutes: number;
  maxMinutes: number;
  stepMinutes: number;
  bufferMinutes: number;
  noticeHours: number;
  horizonDays: number;
  capacity: number;
  approval: boolean;
  prices: NonNullable<BookingRules['prices']>;
  cancellation: NonNullable<BookingRules['cancellation']> | undefined;
}

/** The resource's own rules over the service's; what neither says takes the engine's default. */
export function resolveRules(service: BookingRules, entry?: BookableEntry): ResolvedRules {
  const own: Partial<BookableEntry> = stripUndefined(entry ?? ({} as BookableEntry));
  // A resource that chooses its own way of sizing a booking (fixed slots, or a free length) drops the service's other way.
  const base = { ...service };
  if (own.slotMinutes !== undefined) (['minMinutes', 'maxMinutes', 'stepMinutes'] as const).forEach((k) => delete base[k]);
  else if (own.minMinutes !== undefined || own.maxMinutes !== undefined || own.stepMinutes !== undefined) delete base.slotMinutes;
  const r = { ...base, ...own };
  const slotMinutes = r.slotMinutes;
  const minMinutes = slotMinutes ?? r.minMinutes ?? 60;
  const bufferMinutes = r.bufferMinutes ?? 0;
  return {
    opening: r.opening ?? {},
    exceptions: r.exceptions ?? [],
    slotMinutes,
    minMinutes,
    maxMinutes: slotMinutes ?? r.maxMinutes ?? minMinutes,
    // Fixed slots follow each other with the buffer between them.
    stepMinutes: slotMinutes !== undefined ? slotMinutes + bufferMinutes : (r.stepMinutes ?? 30),
    bufferMinutes,
    noticeHours: r.noticeHours ?? 0,
    horizonDays: r.horizonDays ?? 365,
    capacity: r.capacity ?? 1,
    approval: r.approval ?? false,
    prices: r.prices ?? {},
    cancellation: r.cancellation,
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The hours a resource is open on a local date: an exception covering the date wins over the weekday's hours. */
export function openingOn(rules: Pick<ResolvedRules, 'opening' | 'exceptions'>, date: string): { hours: LocalInterval[]; reason?: Localised } {
  const exception = rules.exceptions.find((e) => e.from <= date && date <= (e.to ?? e.from));
  if (exception) return { hours: exception.hours ?? [], ...(exception.reason ? { reason: exception.reason } : {}) };
  return { hours: rules.opening[weekdayOf(date)] ?? [] };
}

/** A span of time, [start, end). */
export interface Span {
  start: Date;
  end: Date;
}

/**
 * The slots of a local date: from each opening, fixed slots one after the other with the buffer
 * between them, or for a free length a start every `stepMinutes` with the shortest length. Stepped in real minutes from the opening's instant,
 * so a day that summer time shortens or lengthens has an hour's slots fewer or more.
 */
/** The first date after `from`, up to `last`, with any slots by the rules (booked or not); undefined when none. */
export function nextDateWithSlots(rules: ResolvedRules, from: string, last: string): string | undefined {
  for (let date = addDays(from, 1); date <= last; date = addDays(date, 1)) if (slotsOn(rules, date).length) return date;
  return undefined;
}

export function slotsOn(rules: ResolvedRules, date: string): Span[] {
  const slots: Span[] = [];
  for (const [from, to] of openingOn(rules, date).hours) {
    const close = instantOf(date, to);
    for (let start = instantOf(date, from); plusMinutes(start, rules.minMinutes) <= close; start = plusMinutes(start, rules.stepMinutes)) {
      slots.push({ start, end: plusMinutes(start, rules.minMinutes) });
    }
  }
  return slots;
}

/** Why a slot cannot be booked, or that it can. */
/** `full`: a course or session with seats has none left; it can still be chosen, for its waiting list. */
export type SlotState = 'free' | 'taken' | 'full' | 'tooSoon' | 'tooFarAhead';

export interface Slot extends Span {
  state: SlotState;
  /** A resource with seats (capacity above 1): how many are left at this occurrence, and how many wait. */
  seats?: { left: number; waiting: number };
}

export interface DayAvailability {
  date: string;
  slots: Slot[];
  /** Why the resource is closed on the date, where an exception says so. */
  closedBecause?: Localised;
}

/** The time a new booking of [start, end) would hold: its span and the buffer after it. */
export function occupying(rules: Pick<ResolvedRules, 'bufferMinutes'>, span: Span): Span {
  return { start: span.start, end: plusMinutes(span.end, rules.bufferMinutes) };
}

const overlaps = (a: Span, b: Span) => a.start < b.end && b.start < a.end;

/**
 * Whether a span starting on local `date` is too soon (inside the notice) or too far ahead (past
 * the horizon) to book at `now`; `lastDate` is the horizon's last local date (lastBookableDate).
 */
function timingOf(rules: ResolvedRules, span: Span, date: string, now: Date, lastDate: string): 'tooSoon' | 'tooFarAhead' | undefined {
  if (span.start < plusMinutes(now, rules.noticeHours * 60)) return 'tooSoon';
  if (date > lastDate) return 'tooFarAhead';
  return undefined;
}

const lastBookableDate = (rules: ResolvedRules, now: Date) => addDays(localDate(now), rules.horizonDays);

/** Each date's slots and whether each can be booked, given the time the resource's active claims hold. */
export function availability(rules: ResolvedRules, dates: readonly string[], held: readonly Span[], now: Date): DayAvailability[] {
  const lastDate = lastBookableDate(rules, now);
  return dates.map((date) => {
    const { reason } = openingOn(rules, date);
    const slots = slotsOn(rules, date).map((span): Slot => {
      const taken = held.some((h) => overlaps(h, occupying(rules, span)));
      return { ...span, state: taken ? 'taken' : (timingOf(rules, span, date, now, lastDate) ?? 'free') };
    });
    return { date, slots, ...(reason ? { closedBecause: reason } : {}) };
  });
}

/** Why a requested span does not follow the rules; undefined when it does (whether it is free is the claim's to say). */
export type RequestProblem = 'closed' | 'notASlot' | 'pastClosing' | 'tooShort' | 'tooLong' | 'past' | 'tooSoon' | 'tooFarAhead';

export function requestProblem(rules: ResolvedRules, span: Span, now: Date): RequestProblem | undefined {
  const date = localDate(span.start);
  const length = (span.end.getTime() - span.start.getTime()) / 60_000;
  if (rules.slotMinutes === undefined) {
    if (length < rules.minMinutes) return 'tooShort';
    if (length > rules.maxMinutes) return 'tooLong';
  }
  const hours = openingOn(rules, date).hours.map(([from, to]) => ({ open: instantOf(date, from), close: instantOf(date, to) }));
  const onAStep = hours.some(({ open, close }) => open <= span.start && span.end <= close && (span.start.getTime() - open.getTime()) % (rules.stepMinutes * 60_000) === 0);
  if (!onAStep) {
    const opening = hours.find(({ open, close }) => open <= span.start && span.start < close);
    if (!opening) return 'closed';
    // A free length from a listed start that runs past closing: said as such, not as "no such time".
    const onStep = (span.start.getTime() - opening.open.getTime()) % (rules.stepMinutes * 60_000) === 0;
    return onStep && span.end > opening.close ? 'pastClosing' : 'notASlot';
  }
  if (rules.slotMinutes !== undefined && length !== rules.slotMinutes) return 'notASlot';
  if (span.start <= now) return 'past';
  return timingOf(rules, span, date, now, lastBookableDate(rules, now));
}

/**
 * The free slots nearest a wanted start, up to `count`, on the dates given: what a person is offered
 * when the time they chose was just taken.
 */
export function nearestFree(rules: ResolvedRules, dates: readonly string[], held: readonly Span[], now: Date, wanted: Date, count = 3): Span[] {
  return availability(rules, dates, held, now)
    .flatMap((d) => d.slots)
    .filter((s) => s.state === 'free')
    .sort((a, b) => Math.abs(a.start.getTime() - wanted.getTime()) - Math.abs(b.start.getTime() - wanted.getTime()) || a.start.getTime() - b.start.getTime())
    .slice(0, count)
    .map(({ start, end }) => ({ start, end }))
    .sort((a, b) => a.start.getTime() - b.start.getTime());
}
