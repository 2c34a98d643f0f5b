/**
 * Which roles a tenant's staff can hold (docs/adr/0011-parties-and-roles.md): the built-in three,
 * and the roles the tenant's service definitions declare (the delegation to decide a kind of case),
 * with the names those definitions give them. The catalogue supplies the declared ones; this module
 * only needs their ids and names.
 */
import { pick, type Locale, type Translate } from '../../kernel/i18n/index.ts';
import type { Localised } from '../../kernel/tenants.ts';
import { STAFF_ROLES } from './types.ts';

/** A role a service definition declares. */
export interface DeclaredRole {
  id: string;
  name: Localised;
}

/** Every role the tenant knows: built-in first, then the declared ones. */
export function knownRoles(declared: readonly DeclaredRole[]): string[] {
  return [...STAFF_ROLES, ...declared.map((r) => r.id).filter((id) => !(STAFF_ROLES as readonly string[]).includes(id))];
}

/**
 * How a role is named on a page: a built-in one by its translation, a declared one by its
 * definition's name; a role no definition declares any more (a service was removed) by its id.
 */
export function roleNamer(t: Translate, locale: Locale, declared: readonly DeclaredRole[]): (role: string) => string {
  const names = new Map(declared.map((r) => [r.id, pick(r.name, locale)]));
  return (role) => ((STAFF_ROLES as readonly string[]).includes(role) ? t(`staff.role.${role}`) : (names.get(role) ?? role));
}

/** A member of staff's roles by name, built-in ones first in their own order (the header says them). */
export function roleNames(t: Translate, locale: Locale, declared: readonly DeclaredRole[], roles: readonly string[]): string[] {
  const name = roleNamer(t, locale, declared);
  return knownRoles(declared)
    .filter((r) => roles.includes(r))
    .concat(roles.filter((r) => !knownRoles(declared).includes(r)))
    .map(name);
}
