/**
 * Staff administration: create accounts, change their details, roles and departments, disable and
 * enable them, reset passwords and second factors. The web pages and the command line both call
 * these; every change appends a history row in the same transaction, and every change that should
 * throw someone out ends their sessions in that transaction too.
 */
import type { TenantQueryable, TenantScope } from '../../kernel/db/index.ts';
import { uuidv7 } from '../../kernel/ids.ts';
import type { Tenant } from '../../kernel/tenants.ts';
import * as repo from './repository.ts';
import { generatePassword, generateRecoveryCode, hashPassword, type StaffSecrets } from './secrets.ts';
import { generateTotpSecret, isTotpSecret } from './totp.ts';
import type { Actor, StaffAccount, StaffOidcIdentity } from './types.ts';
import {
  cleanDepartments,
  cleanRoles,
  normaliseUsername,
  StaffInputError,
  StaffNotFoundError,
  validateDepartments,
  validateDisplayName,
  validateEmail,
  validatePassword,
  validateRoles,
  validateUsername,
  type Issue,
} from './validation.ts';

import type { DeclaredRole } from './roles.ts';

export const RECOVERY_CODE_COUNT = 10;

/** What the staff functions need: the tenant's data, its configuration, keys, time, sessions. */
export interface StaffContext {
  tdb: TenantScope;
  tenant: Tenant;
  secrets: StaffSecrets;
  now(): Date;
  /** Ends every session of an account, inside the transaction of the change that demands it. */
  endSessions(q: TenantQueryable, staffId: string): Promise<void>;
  /** The roles the tenant's service definitions declare, grantable beside the built-in ones. */
  declaredRoles?: readonly DeclaredRole[] | undefined;
}

export interface NewStaffAccount {
  username: string;
  displayName: string;
  email: string;
  roles: readonly string[];
  departments: readonly string[];
  /** Omitted or empty: a password is generated and returned once. */
  password?: string | undefined;
  /** A known base32 TOTP secret, enrolled at once (demo staff whose codes are documented). */
  totpSecret?: string | undefined;
  /** True when someone other than the owner chose the password: they must change it at sign-in. */
  mustChangePassword?: boolean | undefined;
}

export interface CreatedStaffAccount {
  account: StaffAccount;
  /** The generated password, when none was given; shown once, never stored in clear. */
  generatedPassword: string | undefined;
  /** Recovery codes, when a TOTP secret was given; shown once. */
  recoveryCodes: string[];
}

function fail(issues: Issue[]): void {
  if (issues.length) throw new StaffInputError(issues);
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';
}

/** Creates an account; throws StaffInputError listing every problem with the input. */
export async function createAccount(ctx: StaffContext, input: NewStaffAccount, actor: Actor): Promise<CreatedStaffAccount> {
  const username = normaliseUsername(input.username);
  const displayName = input.displayName.trim();
  const email = input.email.trim();
  const password = input.password ?? '';
  const totpSecret = input.totpSecret?.trim().toUpperCase();
  const issues = [
    ...validateUsername(username),
    ...validateDisplayName(displayName),
    ...validateEmail(email),
    ...validateRoles(input.roles, ctx.declaredRoles ?? []),
    ...validateDepartments(ctx.tenant, input.departments),
    ...(password ? validatePassword(password, username) : []),
    ...(totpSecret !== undefined && !isTotpSecret(totpSecret) ? [{ field: 'totpSecret', key: 'staff.error.totpSecretFormat' }] : []),
  ];
  if (!issues.some((i) => i.field === 'username') && (await repo.findAccountByUsername(ctx.tdb, username))) {
    issues.unshift({ field: 'username', key: 'staff.error.usernameTaken' });
  }
  fail(issues);

  const id = uuidv7();
  const now = ctx.now();
  const generatedPassword = password ? undefined : generatePassword();
  const passwordHash = await hashPassword(password || generatedPassword!);
  const recoveryCodes = totpSecret ? Array.from({ length: RECOVERY_CODE_COUNT }, generateRecoveryCode) : [];
  try {
    await ctx.tdb.transaction(async (tx) => {
      await repo.insertAccount(tx, {
        id,
        username,
        displayName,
        email,
        roles: cleanRoles(input.roles, ctx.declaredRoles ?? []),
        departments: cleanDepartments(ctx.tenant, input.departments),
        passwordHash,
        passwordMustChange: input.mustChangePassword ?? false,
        totpSecret: totpSecret ? ctx.secrets.encryptTotpSecret(ctx.tenant.id, id, totpSecret) : null,
        totpEnrolledAt: totpSecret ? now : null,
        createdAt: now,
      });
      if (recoveryCodes.length) {
        await repo.replaceRecoveryCodes(tx, id, recoveryCodes.map((c) => ctx.secrets.hashRecoveryCode(ctx.tenant.id, id, c)), now);
      }
      await repo.appendEvent(tx, {
        staffId: id,
        actor,
        action: 'created',
        details: { username, roles: cleanRoles(input.roles, ctx.declaredRoles ?? []), departments: cleanDepartments(ctx.tenant, input.departments) },
        at: now,
      });
    });
  } catch (err) {
    // Two administrators creating the same username at once: the unique key decides.
    if (isUniqueViolation(err)) throw new StaffInputError([{ field: 'username', key: 'staff.error.usernameTaken' }]);
    throw err;
  }
  const account = await repo.findAccountById(ctx.tdb, id);
  return { account: account!, generatedPassword, recoveryCodes };
}

export async function getAccount(ctx: StaffContext, id: string): Promise<StaffAccount> {
  const account = await repo.findAccountById(ctx.tdb, id);
  if (!account) throw new StaffNotFoundError(`with id ${id}`);
  return account;
}

export async function getAccountByUsername(ctx: StaffContext, username: string): Promise<StaffAccount> {
  const account = await repo.findAccountByUsername(ctx.tdb, normaliseUsername(username));
  if (!account) throw new StaffNotFoundError(`"${username}" in ${ctx.tenant.id}`);
  return account;
}

export interface AccountChanges {
  displayName?: string;
  email?: string;
  roles?: readonly string[];
  departments?: readonly string[];
}

/**
 * Changes an account's name, e-mail, roles or departments (only what is given). Nobody changes
 * their own roles (separation of duties: an administrator who could grant themselves the security
 * officer's role would review their own actions; and nobody locks the last door by accident):
 * another administrator or the command line does it. Returns false when nothing changed.
 */
export async function updateAccount(ctx: StaffContext, id: string, changes: AccountChanges, actor: Actor): Promise<boolean> {
  const before = await getAccount(ctx, id);
  const displayName = changes.displayName?.trim() ?? before.displayName;
  const email = changes.email?.trim() ?? before.email;
  const issues = [
    ...(changes.displayName !== undefined ? validateDisplayName(displayName) : []),
    ...(changes.email !== undefined ? validateEmail(email) : []),
    ...(changes.roles ? validateRoles(changes.roles, ctx.declaredRoles ?? []) : []),
    ...(changes.departments ? validateDepartments(ctx.tenant, changes.departments) : []),
  ];
  const roles = changes.roles ? cleanRoles(changes.roles, ctx.declaredRoles ?? []) : before.roles;
  const departments = changes.departments ? cleanDepartments(ctx.tenant, changes.departments) : before.departments;
  if (actor.id === id && roles.join() !== before.roles.join()) {
    issues.push({ field: 'roles', key: 'staff.error.ownRoles' });
  }
  fail(issues);

  const details: Record<string, unknown> = {};
  if (displayName !== before.displayName) details.displayName = { from: before.displayName, to: displayName };
  if (email !== before.email) details.email = { from: before.email, to: email };
  if (roles.join() !== before.roles.join()) details.roles = { from: before.roles, to: roles };
  if (departments.join() !== before.departments.join()) details.departments = { from: before.departments, to: departments };
  if (Object.keys(details).length === 0) return false;
  await ctx.tdb.transaction(async (tx) => {
    await repo.updateProfile(tx, id, { displayName, email, roles, departments });
    await repo.appendEvent(tx, { staffId: id, actor, action: 'updated', details, at: ctx.now() });
  });
  return true;
}

/**
 * Disables an account (its sessions end at once) or enables it again. Nobody can disable
 * themselves. Returns false when it already was so.
 */
export async function setAccountDisabled(ctx: StaffContext, id: string, disabled: boolean, actor: Actor): Promise<boolean> {
  const account = await getAccount(ctx, id);
  if (disabled && actor.id === id) throw new StaffInputError([{ field: 'account-actions', key: 'staff.error.disableSelf' }]);
  if (disabled === (account.disabledAt !== null)) return false;
  const now = ctx.now();
  await ctx.tdb.transaction(async (tx) => {
    await repo.setDisabledAt(tx, id, disabled ? now : null);
    if (disabled) await ctx.endSessions(tx, id);
    await repo.appendEvent(tx, { staffId: id, actor, action: disabled ? 'disabled' : 'enabled', at: now });
  });
  return true;
}

/** Forgets the account's TOTP secret and recovery codes: they enrol again at next sign-in. */
export async function resetTotp(ctx: StaffContext, id: string, actor: Actor): Promise<void> {
  await getAccount(ctx, id);
  await ctx.tdb.transaction(async (tx) => {
    await repo.clearTotp(tx, id);
    await ctx.endSessions(tx, id);
    await repo.appendEvent(tx, { staffId: id, actor, action: 'totp_reset', at: ctx.now() });
  });
}

export interface TotpEnrolment {
  /** The base32 secret, in clear: shown once to whoever hands it to the owner. */
  secret: string;
  /** Fresh recovery codes (the old ones belonged to the old secret); shown once. */
  recoveryCodes: string[];
}

/**
 * An administrator enrols a new TOTP secret for an account (generated, or a given base32 one for
 * demo and test accounts): it is usable at once, the old secret and recovery codes stop working,
 * and the owner's sessions end. Throws StaffInputError for a malformed secret.
 */
export async function enrolTotp(ctx: StaffContext, id: string, givenSecret: string | undefined, actor: Actor): Promise<TotpEnrolment> {
  await getAccount(ctx, id);
  const secret = givenSecret?.trim().toUpperCase() ?? generateTotpSecret();
  if (!isTotpSecret(secret)) fail([{ field: 'totpSecret', key: 'staff.error.totpSecretFormat' }]);
  const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, generateRecoveryCode);
  const now = ctx.now();
  await ctx.tdb.transaction(async (tx) => {
    await repo.setEnrolledTotp(tx, id, ctx.secrets.encryptTotpSecret(ctx.tenant.id, id, secret), now);
    await repo.replaceRecoveryCodes(tx, id, recoveryCodes.map((c) => ctx.secrets.hashRecoveryCode(ctx.tenant.id, id, c)), now);
    await ctx.endSessions(tx, id);
    await repo.appendEvent(tx, { staffId: id, actor, action: 'totp_enrolled', details: { byAdministrator: true }, at: now });
  });
  return { secret, recoveryCodes };
}

/**
 * Sets a new password chosen by an administrator (or generated, and returned once). The owner
 * must change it at next sign-in, and their sessions end.
 */
export async function resetPassword(ctx: StaffContext, id: string, password: string | undefined, actor: Actor): Promise<string | undefined> {
  const account = await getAccount(ctx, id);
  if (password) fail(validatePassword(password, account.username));
  const generated = password ? undefined : generatePassword();
  const hash = await hashPassword(password || generated!);
  const now = ctx.now();
  await ctx.tdb.transaction(async (tx) => {
    await repo.setPassword(tx, id, hash, now, true);
    await ctx.endSessions(tx, id);
    await repo.appendEvent(tx, { staffId: id, actor, action: 'password_reset', at: now });
  });
  return generated;
}

/** The most characters of an identity provider's subject (OIDC Core: at most 255 ASCII characters). */
const OIDC_SUBJECT_MAX = 255;

/** The tenant's own staff identity provider, or a StaffInputError when it has none. */
function staffIssuer(ctx: StaffContext): string {
  const issuer = ctx.tenant.staffOidc?.issuer;
  if (!issuer) fail([{ field: 'oidcSubject', key: 'staff.error.oidcNotConfigured' }]);
  return issuer!;
}

/** The account's identity at the tenant's own identity provider, when it has one and the account is bound. */
export async function getOidcIdentity(ctx: StaffContext, id: string): Promise<StaffOidcIdentity | undefined> {
  const issuer = ctx.tenant.staffOidc?.issuer;
  return issuer ? repo.findOidcIdentity(ctx.tdb, id, issuer) : undefined;
}

/**
 * Binds an account to an identity (the `sub` claim) at the tenant's own identity provider: from
 * then on, that identity signs in as this account at this tenant, and nowhere else. Only an
 * administrator or the command line binds; sign-in never does. Throws StaffInputError when the
 * tenant has no provider, the subject is empty or too long, the account is bound already (unbind
 * first, so a replacement is two visible events), or the subject belongs to another account.
 */
export async function bindOidcIdentity(ctx: StaffContext, id: string, rawSubject: string, actor: Actor): Promise<StaffOidcIdentity> {
  const issuer = staffIssuer(ctx);
  await getAccount(ctx, id);
  // The subject is compared exactly (OIDC Core 2: case-sensitive); only surrounding space from a paste is dropped.
  const subject = rawSubject.trim();
  if (!subject) fail([{ field: 'oidcSubject', key: 'staff.error.oidcSubjectRequired' }]);
  if (subject.length > OIDC_SUBJECT_MAX || /[\u0000-\u001f\u007f]/.test(subject)) {
    fail([{ field: 'oidcSubject', key: 'staff.error.oidcSubjectFormat', vars: { max: OIDC_SUBJECT_MAX } }]);
  }
  if (await repo.findOidcIdentity(ctx.tdb, id, issuer)) fail([{ field: 'oidcSubject', key: 'staff.error.oidcAlreadyBound' }]);
  if (await repo.findAccountByOidcIdentity(ctx.tdb, issuer, subject)) fail([{ field: 'oidcSubject', key: 'staff.error.oidcSubjectTaken' }]);
  const now = ctx.now();
  try {
    await ctx.tdb.transaction(async (tx) => {
      await repo.insertOidcIdentity(tx, id, issuer, subject, now);
      await repo.appendEvent(tx, { staffId: id, actor, action: 'oidc_bound', details: { issuer, subject }, at: now });
    });
  } catch (err) {
    // Two administrators binding at once: the keys decide.
    if (isUniqueViolation(err)) fail([{ field: 'oidcSubject', key: 'staff.error.oidcSubjectTaken' }]);
    throw err;
  }
  return { issuer, subject, createdAt: now };
}

/**
 * Removes the account's binding to the tenant's identity provider, and ends its sessions (a
 * wrongly bound identity may be signed in right now). Returns false when it was not bound.
 */
export async function unbindOidcIdentity(ctx: StaffContext, id: string, actor: Actor): Promise<boolean> {
  const issuer = staffIssuer(ctx);
  await getAccount(ctx, id);
  return ctx.tdb.transaction(async (tx) => {
    const subject = await repo.deleteOidcIdentity(tx, id, issuer);
    if (subject === undefined) return false;
    await ctx.endSessions(tx, id);
    await repo.appendEvent(tx, { staffId: id, actor, action: 'oidc_unbound', details: { issuer, subject }, at: ctx.now() });
    return true;
  });
}

/** Every account of the tenant in username order, page by page (the CLI's list). */
export async function* allAccounts(ctx: StaffContext, pageSize = 200): AsyncGenerator<StaffAccount> {
  let after: string | undefined;
  for (;;) {
    const page = await repo.listAccounts(ctx.tdb, { after, limit: pageSize });
    yield* page.accounts;
    if (!page.next) return;
    after = page.next;
  }
}
