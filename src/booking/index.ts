/**
 * The booking engine (ADR 0038): bookable resources from the catalogue's registers, which times they
 * can be booked, and bookings that the database keeps from ever overlapping (claims.ts) or taking
 * more seats than there are (seats.ts). It names no service, resource or kind.
 */
import type { Catalogue } from '../catalogue/index.ts';
import type { ServiceDefinition } from '../catalogue/types.ts';
import type { TenantQueryable } from '../kernel/db/index.ts';
import { availability, resolveRules, type DayAvailability, type ResolvedRules } from './availability.ts';
import { heldBetween } from './claims.ts';
import { addDays, instantOf, mondayOf } from './time.ts';

export { availability, nearestFree, occupying, requestProblem, resolveRules, slotsOn, type DayAvailability, type RequestProblem, type ResolvedRules, type Slot, type SlotState, type Span } from './availability.ts';
export { book, bookingById, bookingTransaction, confirmPaid, endBooking, heldBetween, TimeTakenError, type Booking, type BookingStatus, type NewBooking, type PaidOutcome } from './claims.ts';
export { enrol, leave, seatsOf, setCapacity, type Enrolment } from './seats.ts';
export { addDays, instantOf, localDate, localTime, mondayOf, ZONE } from './time.ts';

/** A resource a service books: its register entry and its rules resolved over the service's. */
export interface Resource {
  /** What its claims are keyed by: the register and the entry ("sports-halls/nby-hallen"), shared by every service that books it. */
  id: string;
  entryId: string;
  name: string;
  kind: string;
  area?: string;
  address?: string;
  rules: ResolvedRules;
}

/** The bookable entries of the service's register, in file order. */
export function resourcesOf(catalogue: Catalogue, tenantId: string, def: Pick<ServiceDefinition, 'booking'>): Resource[] {
  if (!def.booking) return [];
  const { resources: register, rules } = def.booking;
  return (catalogue.register(tenantId, register) ?? []).flatMap((e) =>
    e.bookable ? [{ id: `${register}/${e.id}`, entryId: e.id, name: e.name, kind: e.bookable.kind, ...(e.area ? { area: e.area } : {}), ...(e.address ? { address: e.address } : {}), rules: resolveRules(rules, e.bookable) }] : [],
  );
}

/** A resource's week from the Monday of `date`: each day's slots and whether each can be booked at `now`. */
export async function weekOf(q: TenantQueryable, resource: Resource, date: string, now: Date): Promise<DayAvailability[]> {
  const monday = mondayOf(date);
  const dates = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  const held = await heldBetween(q, resource.id, instantOf(monday, '00:00'), instantOf(addDays(monday, 7), '00:00'));
  return availability(resource.rules, dates, held, now);
}
