/**
 * Input rules for staff accounts, shared by the web forms and the command line. A problem is an
 * Issue: the field it belongs to and a message key, so the web shows it translated beside the
 * field and the CLI prints it in English.
 */
import type { Vars } from '../../kernel/i18n/index.ts';
import type { Tenant } from '../../kernel/tenants.ts';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './secrets.ts';
import { knownRoles, type DeclaredRole } from './roles.ts';

export interface Issue {
  field: string;
  key: string;
  vars?: Vars;
}

/** Bad input: one or more issues, each naming its field. */
export class StaffInputError extends Error {
  constructor(readonly issues: Issue[]) {
    super(`Invalid staff account input: ${issues.map((i) => `${i.field}: ${i.key}`).join('; ')}`);
    this.name = 'StaffInputError';
  }
}

export class StaffNotFoundError extends Error {
  constructor(what: string) {
    super(`No staff account ${what}`);
    this.name = 'StaffNotFoundError';
  }
}

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,62}$/;
const EMAIL_PATTERN = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:"]+$/;

/** Usernames compare without case or surrounding spaces. */
export function normaliseUsername(raw: string): string {
  return raw.trim().toLowerCase();
}

export function validateUsername(username: string): Issue[] {
  if (!username) return [{ field: 'username', key: 'staff.error.usernameRequired' }];
  if (!USERNAME_PATTERN.test(username)) return [{ field: 'username', key: 'staff.error.usernameFormat' }];
  return [];
}

export function validateDisplayName(name: string): Issue[] {
  if (!name) return [{ field: 'displayName', key: 'staff.error.displayNameRequired' }];
  if (name.length > 200) return [{ field: 'displayName', key: 'staff.error.displayNameTooLong' }];
  return [];
}

export function validateEmail(email: string): Issue[] {
  if (!email) return [{ field: 'email', key: 'staff.error.emailRequired' }];
  if (email.length > 254 || !EMAIL_PATTERN.test(email)) return [{ field: 'email', key: 'staff.error.emailFormat' }];
  return [];
}

/** Roles must be the tenant's: built in, or declared by one of its service definitions. */
export function validateRoles(roles: readonly string[], declared: readonly DeclaredRole[]): Issue[] {
  const known = new Set(knownRoles(declared));
  const unknown = roles.filter((r) => !known.has(r));
  return unknown.map((role) => ({ field: 'roles', key: 'staff.error.unknownRole', vars: { role } }));
}

export function validateDepartments(tenant: Tenant, departments: readonly string[]): Issue[] {
  const known = new Set(tenant.departments.map((d) => d.id));
  return departments
    .filter((d) => !known.has(d))
    .map((department) => ({ field: 'departments', key: 'staff.error.unknownDepartment', vars: { department, known: [...known].join(', ') } }));
}

/** The password policy: long enough to resist guessing, not the username. */
export function validatePassword(password: string, username: string, field = 'password'): Issue[] {
  const length = [...password].length;
  if (length === 0) return [{ field, key: 'staff.error.passwordRequired' }];
  if (length < PASSWORD_MIN_LENGTH) return [{ field, key: 'staff.error.passwordTooShort', vars: { min: PASSWORD_MIN_LENGTH } }];
  if (length > PASSWORD_MAX_LENGTH) return [{ field, key: 'staff.error.passwordTooLong', vars: { max: PASSWORD_MAX_LENGTH } }];
  if (username && password.toLowerCase().includes(username.toLowerCase())) return [{ field, key: 'staff.error.passwordContainsUsername' }];
  return [];
}

/** Roles in a stable order, without duplicates. */
export function cleanRoles(roles: readonly string[], declared: readonly DeclaredRole[]): string[] {
  const known = new Set(knownRoles(declared));
  return [...new Set(roles)].filter((r) => known.has(r)).sort();
}

/** Departments in the tenant's order, without duplicates. */
export function cleanDepartments(tenant: Tenant, departments: readonly string[]): string[] {
  const wanted = new Set(departments);
  return tenant.departments.map((d) => d.id).filter((id) => wanted.has(id));
}
