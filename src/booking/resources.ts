/** The resources a booking service books, and a resource's week of times. */
import type { Catalogue } from '../catalogue/index.ts';
import type { ServiceDefinition } from '../catalogue/types.ts';
import type { TenantQueryable } from '../kernel/db/index.ts';
import { availability, resolveRules, type DayAvailability, type ResolvedRules } from './availability.ts';
import { heldBetween } from './claims.ts';
import { addDays, instantOf, mondayOf } from './time.ts';

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
