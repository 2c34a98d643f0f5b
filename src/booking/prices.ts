/**
 * What a booking costs: the resource's price for the kind of customer (ADR 0038), per hour and/or per
 * booking, in öre. A customer type without a price of its own pays the residents' price.
 */
import type { ActingFor } from '../forms/index.tsx';
import type { ServiceDefinition } from '../catalogue/types.ts';
import { ageOn } from '../forms/dates.ts';
import { birthDateOf } from '../integrations/population-register/index.ts';
import type { ResolvedRules, Span } from './availability.ts';

/** Who books, for the price: an organisation (an association, a company), a young resident, or a resident. */
export function customerTypeOf(actingFor: ActingFor | undefined, youth = false): string {
  if (actingFor && 'organisationNumber' in actingFor) return 'association';
  return youth ? 'youth' : 'resident';
}

/** The youth price's age limit when a service does not set one (`booking.youthUnder`): under 20, as Swedish leisure prices usually go. */
export const DEFAULT_YOUTH_UNDER = 20;

/**
 * Whether the resident signed in with this personal number books at the youth price: younger than
 * the service's `booking.youthUnder` today, by the e-ID's birth date (ADR 0030's ages). Without
 * e-ID nobody is: an age typed in is not proof.
 */
export function isYouth(def: Pick<ServiceDefinition, 'booking'>, personalNumber: string | undefined, today: string): boolean {
  if (!personalNumber) return false;
  return ageOn(birthDateOf(personalNumber), today) < (def.booking?.youthUnder ?? DEFAULT_YOUTH_UNDER);
}

export function priceOf(rules: Pick<ResolvedRules, 'prices'>, customerType: string, span: Span): number {
  const price = rules.prices[customerType] ?? rules.prices.resident;
  if (!price) return 0;
  const hours = (span.end.getTime() - span.start.getTime()) / 3_600_000;
  return Math.round(((price.perBooking ?? 0) + (price.perHour ?? 0) * hours) * 100);
}
