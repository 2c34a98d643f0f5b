/**
 * Staff accounts: sign-in with a password and a TOTP second factor (or a one-time recovery code),
 * the staff home page, and administration of accounts on the web and from the command line.
 * Other modules use requireStaff to protect their staff pages, and seeding uses
 * createStaffAccount.
 */
import type { TenantScope } from '../../kernel/db/index.ts';
import type { Tenant } from '../../kernel/tenants.ts';
import { createAccount, type CreatedStaffAccount, type NewStaffAccount } from './accounts.ts';
import { StaffSecrets } from './secrets.ts';
import type { Actor } from './types.ts';

export { staffPlugin, type StaffPluginOptions } from './plugin.ts';
export type { StaffHomeSection } from './home-routes.tsx';
export { requireStaff, type StaffRequirement } from './require-staff.ts';
import type { DeclaredRole } from './roles.ts';
export { knownRoles, roleNamer, roleNames, type DeclaredRole } from './roles.ts';
export { STAFF_SESSION_SUBJECT } from './repository.ts';
export { STAFF_ROLES, isStaffRole, type StaffRole, type StaffMember, type StaffAccount, type StaffAccountEvent, type Actor } from './types.ts';
export { listTenantEvents as listStaffAccountEvents } from './repository.ts';
export { describeEvent as describeStaffEvent } from './views/admin-pages.tsx';
export type { NewStaffAccount, CreatedStaffAccount } from './accounts.ts';
export { StaffInputError, StaffNotFoundError, type Issue } from './validation.ts';
export { totpCode } from './totp.ts';
export { addStaffCommands, type StaffCliDeps } from './cli.ts';

export interface CreateStaffAccountOptions extends NewStaffAccount {
  /** The roles the tenant's service definitions declare (catalogue's staffRoles), grantable too. */
  declaredRoles?: readonly DeclaredRole[];
  /** The tenant the account belongs to; must be the tenant tdb is scoped to. */
  tenant: Tenant;
  /** config.sessionSecret: the TOTP secret and recovery codes are protected under keys derived from it. */
  sessionSecret: string;
  /** Who is creating it (default: the system, e.g. `seed demo`). */
  actor?: Actor;
  /** When (default: now). */
  now?: Date;
}

/**
 * Creates a staff account directly, for `seed demo` and tests. With `totpSecret` (base32) the
 * account is enrolled at once, so a demo can document the codes; recovery codes are then returned
 * once. Without `password` a strong one is generated and returned once. Throws StaffInputError
 * (duplicate username, unknown role or department, weak password) listing every problem.
 */
export async function createStaffAccount(tdb: TenantScope, options: CreateStaffAccountOptions): Promise<CreatedStaffAccount> {
  const { tenant, sessionSecret, actor, now, declaredRoles, ...input } = options;
  if (tdb.tenantId !== tenant.id) throw new Error(`createStaffAccount: tdb is scoped to ${tdb.tenantId}, not ${tenant.id}`);
  const at = now ?? new Date();
  return createAccount(
    {
      tdb,
      tenant,
      secrets: new StaffSecrets(sessionSecret),
      now: () => at,
      // Creating an account ends no sessions (a new account has none).
      endSessions: async () => undefined,
      declaredRoles: declaredRoles ?? [],
    },
    input,
    actor ?? { id: null, label: 'system' },
  );
}
