/**
 * What a booking costs: the resource's price for the kind of customer (ADR 0038), per hour and/or per
 * booking, in öre. A customer type without a price of its own pays the residents' price.
 */
import type { ActingFor } from '../forms/index.tsx';
import type { ResolvedRules, Span } from './availability.ts';

/** Who books, for the price: an organisation (an association, a company) or a resident. */
export function customerTypeOf(actingFor: ActingFor | undefined): string {
  return actingFor && 'organisationNumber' in actingFor ? 'association' : 'resident';
}

export function priceOf(rules: Pick<ResolvedRules, 'prices'>, customerType: string, span: Span): number {
  const price = rules.prices[customerType] ?? rules.prices.resident;
  if (!price) return 0;
  const hours = (span.end.getTime() - span.start.getTime()) / 3_600_000;
  return Math.round(((price.perBooking ?? 0) + (price.perHour ?? 0) * hours) * 100);
}
