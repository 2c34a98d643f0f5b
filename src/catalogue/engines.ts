/**
 * Which engines carry a service through a form: `apply` (an application) and `report` (a report: the
 * same form and case, read as an anmälan — the definition's `matter: report`). The forms engine
 * serves exactly these; the other engines bring pages of their own.
 */
import type { Engine, ServiceDefinition } from './types.ts';

export const FORM_ENGINES: readonly Engine[] = ['apply', 'report', 'book'];

export function hasForm(def: Pick<ServiceDefinition, 'engines'>): boolean {
  return def.engines.some((e) => FORM_ENGINES.includes(e));
}
