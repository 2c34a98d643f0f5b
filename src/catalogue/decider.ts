/**
 * Who decides a service's cases, as appeal texts say it mid-sentence with {decider} (ADR 0032): the
 * service's own `decider` where it names one (a committee outside its department, such as
 * överförmyndarnämnden), else the committee of its department in this municipality (tenants file).
 * Undefined when neither is configured: `catalogue check` refuses {decider} then.
 */
import type { Localised, Tenant } from '../kernel/tenants.ts';
import type { ServiceDefinition } from './types.ts';

export function decidingBody(def: Pick<ServiceDefinition, 'decider' | 'department'>, tenant: Pick<Tenant, 'departments'>): Localised | undefined {
  return def.decider ?? tenant.departments.find((d) => d.id === def.department)?.committee;
}
