/** The resources a booking service books, and a resource's week of times. */
import type { Catalogue } from '../catalogue/index.ts';
import type { ServiceDefinition } from '../catalogue/types.ts';
import { entryName } from '../catalogue/entry-name.ts';
import type { Locale } from '../kernel/i18n/index.ts';
import type { Localised } from '../kernel/tenants.ts';
import type { TenantQueryable } from '../kernel/db/index.ts';
import { availability, occupying, openingOn, resolveRules, type DayAvailability, type ResolvedRules, type Span } from './availability.ts';
import { heldBetween, type Booking } from './claims.ts';
import { seatsBetween, type SeatRow } from './seats.ts';
import { addDays, instantOf, localDate, mondayOf, plusMinutes } from './time.ts';

/** A resource a service books: its register entry and its rules resolved over the service's. */
export interface Resource {
  /** What its claims are keyed by: the register and the entry ("sports-halls/nby-hallen"), shared by every service that books it. */
  id: string;
  entryId: string;
  /** Its name in Swedish (kept with a booking, on staff's lists); `names` in each language where the register gives both (`entryName`). */
  name: string;
  names?: Localised;
  kind: string;
  area?: string;
  address?: string;
  rules: ResolvedRules;
}

/**
 * Per definition object and tenant: its resources with their rules resolved. The catalogue and its
 * definitions do not change while the app runs, and resolving 500 entries' rules on every page and
 * booking was a third of a week page's work (bench/booking).
 */
const resolved = new WeakMap<object, Map<string, Resource[]>>();

/** The bookable entries of the service's register, in file order. */
export function resourcesOf(catalogue: Catalogue, tenantId: string, def: Pick<ServiceDefinition, 'booking'>): Resource[] {
  if (!def.booking) return [];
  let byTenant = resolved.get(def);
  if (!byTenant) resolved.set(def, (byTenant = new Map()));
  let list = byTenant.get(tenantId);
  if (!list) byTenant.set(tenantId, (list = resolve(catalogue, tenantId, def.booking)));
  return list;
}

function resolve(catalogue: Catalogue, tenantId: string, booking: NonNullable<ServiceDefinition['booking']>): Resource[] {
  const { resources: register, rules } = booking;
  return (catalogue.register(tenantId, register) ?? []).flatMap((e) =>
    e.bookable ? [{ id: `${register}/${e.id}`, entryId: e.id, name: e.name, ...(e.names ? { names: e.names } : {}), kind: e.bookable.kind, ...(e.area ? { area: e.area } : {}), ...(e.address ? { address: e.address } : {}), rules: resolveRules(rules, e.bookable) }] : [],
  );
}

/** A service whose case holds one booking (a seasonal application's many are shown by season-case.tsx). */
export const oneBookingPerCase = (def: ServiceDefinition | undefined): def is ServiceDefinition => !!def && def.engines.includes('book') && !!def.booking && !def.booking.season;

/** Until when the booker may cancel: the definition's hours before the start, else the start itself. */
export function cancelUntil(def: Pick<ServiceDefinition, 'booking'>, b: Pick<Booking, 'start'>): Date {
  const hours = def.booking?.rules.cancellation?.untilHours ?? 0;
  return plusMinutes(b.start, -hours * 60);
}

/** A place as one line: its name, and its address after a comma where it has one. */
export const placeLine = (p: { name: string; address?: string | undefined }): string => (p.address ? `${p.name}, ${p.address}` : p.name);

/**
 * The resource's name in `locale` and its address, for a booking's first claim (the name stored with
 * the booking outlives a register change).
 */
export function placeOfBooking(catalogue: Catalogue, tenantId: string, def: Pick<ServiceDefinition, 'booking'>, b: Pick<Booking, 'resources' | 'details'>, locale: Locale): { name: string; address?: string | undefined } {
  const r = resourcesOf(catalogue, tenantId, def).find((x) => b.resources.includes(x.id));
  return { name: r ? entryName(r, locale) : String(b.details.resourceName ?? b.resources[0] ?? ''), address: r?.address };
}

/**
 * A resource's week from the Monday of `date`: each day's slots and whether each can be booked at
 * `now`. With `partners` (the service's `together` register: officiants for a ceremony room), a
 * slot is free only when one of them is free for it too.
 */
export async function weekOf(q: TenantQueryable, resource: Resource, date: string, now: Date, partners: readonly Resource[] = []): Promise<DayAvailability[]> {
  const monday = mondayOf(date);
  const dates = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  const from = instantOf(monday, '00:00');
  const to = instantOf(addDays(monday, 7), '00:00');
  if (hasSeats(resource)) return withSeats(availability(resource.rules, dates, [], now), await seatsBetween(q, resource.id, from, to), resource.rules.capacity);
  const held = await heldBetween(q, resource.id, from, to, now);
  const days = availability(resource.rules, dates, held, now);
  if (!partners.length) return days;
  const partnersHeld = await Promise.all(partners.map((p) => heldBetween(q, p.id, from, to, now)));
  return days.map((d) => ({ ...d, slots: d.slots.map((s) => (s.state === 'free' && !partners.some((p, i) => partnerFree(p, s, partnersHeld[i]!)) ? { ...s, state: 'taken' as const } : s)) }));
}

/** The resources of a service's `together` register (officiants), with their own rules. */
export function partnersOf(catalogue: Catalogue, tenantId: string, def: Pick<ServiceDefinition, 'booking'>): Resource[] {
  const together = def.booking?.together;
  if (!together) return [];
  let byTenant = partnerLists.get(def);
  if (!byTenant) partnerLists.set(def, (byTenant = new Map()));
  let list = byTenant.get(tenantId);
  if (!list) byTenant.set(tenantId, (list = resolve(catalogue, tenantId, { resources: together.resources, rules: {} })));
  return list;
}
const partnerLists = new WeakMap<object, Map<string, Resource[]>>();

/** Whether a partner (an officiant) works the whole of `span` and nothing it holds overlaps it (with its buffer). */
export function partnerFree(partner: Resource, span: Span, held: readonly Span[]): boolean {
  const date = localDate(span.start);
  const works = openingOn(partner.rules, date).hours.some(([from, until]) => instantOf(date, from) <= span.start && span.end <= instantOf(date, until));
  const needs = occupying(partner.rules, span);
  return works && !held.some((h) => h.start < needs.end && needs.start < h.end);
}

/** A course or session with seats: its occurrences are enrolled in (seats.ts), not claimed. */
export const hasSeats = (resource: Pick<Resource, 'rules'>) => resource.rules.capacity > 1;

/** Each occurrence's seats left and waiting list, from its seat row (none yet: every seat is free). */
function withSeats(days: DayAvailability[], rows: SeatRow[], capacity: number): DayAvailability[] {
  const at = new Map(rows.map((r) => [r.startsAt.getTime(), r]));
  return days.map((d) => ({
    ...d,
    slots: d.slots.map((s) => {
      const row = at.get(s.start.getTime());
      const left = row ? Math.max(0, row.capacity - row.taken) : capacity;
      const waiting = row?.waiting ?? 0;
      // A waiting list is never jumped: with people waiting, the next one waits too.
      const state = s.state === 'free' && (left === 0 || waiting > 0) ? 'full' : s.state;
      return { ...s, state, seats: { left: waiting > 0 ? 0 : left, waiting } };
    }),
  }));
}
