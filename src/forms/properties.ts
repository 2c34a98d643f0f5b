/**
 * What the property register says for a form with a property field (ADR 0035): the properties the
 * applicant owns a share of — or, applying for an organisation, the organisation's — and the
 * properties whose designations the answers name, looked up one by one. Only a designation in the
 * register's format is ever sent to the register (forms/kinds/property.tsx reads it), and only for
 * a service with such a field. The register that cannot answer gives its translated 503.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Field } from '../catalogue/types.ts';
import { designationKey, parseDesignation, type Property } from '../integrations/registers/index.ts';
import type { Applicant } from './applicant.ts';
import type { Answers } from './conditions.ts';
import { isActingForPerson, type ActingFor } from './drafts.repository.ts';
import { kindOf, type PropertyOption } from './kinds/index.ts';
import { partOf } from './kinds/shared.tsx';

const optionOf = (p: Property, owner: string | undefined): PropertyOption => ({
  designation: p.designation,
  address: `${p.address.street}, ${p.address.postalCode} ${p.address.city}`,
  owned: owner !== undefined && p.owners.some((o) => o.personalNumber === owner || o.organisationNumber === owner),
});

/** The designations the answers give to the service's property questions, in the register's form. */
function designationsIn(fields: Iterable<Field>, answers: readonly Answers[]): string[] {
  const out = new Set<string>();
  for (const f of fields) {
    if (kindOf(f).needsProperties?.(f as never) !== true) continue;
    for (const a of answers) {
      const parsed = parseDesignation(partOf(a[f.id], 'designation'));
      if (parsed) out.add(parsed);
    }
  }
  return [...out];
}

/**
 * The applicant's properties and those the answers name that the register knows. `known`: what this
 * request was already told (the register is then asked only about designations new to it).
 */
export async function propertiesFor(
  app: FastifyInstance,
  req: FastifyRequest,
  applicant: Applicant,
  actingFor: ActingFor | undefined,
  fields: Iterable<Field>,
  answers: readonly Answers[],
  known?: readonly PropertyOption[],
): Promise<PropertyOption[]> {
  const register = app.registers.property;
  // Whose properties are offered: the organisation's, or the represented person's (ADR 0033), else the applicant's own.
  const owner = actingFor ? (isActingForPerson(actingFor) ? actingFor.personalNumber : actingFor.organisationNumber) : applicant.resident?.personalNumber;
  const own = known ? [...known] : owner ? (await register.ownedBy(req.tenant.id, owner)).map((p) => optionOf(p, owner)) : [];
  const seen = new Set(own.map((p) => designationKey(p.designation)));
  const named = designationsIn(fields, answers).filter((d) => !seen.has(designationKey(d)));
  const found = await Promise.all(named.map((d) => register.property(req.tenant.id, d)));
  return [...own, ...found.flatMap((p) => (p ? [optionOf(p, owner)] : []))];
}
