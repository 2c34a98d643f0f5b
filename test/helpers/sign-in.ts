/**
 * Signs a resident in for HTTP tests that are about something else than sign-in: the resident row
 * and a real session are written to the test database, exactly what the e-ID callback writes.
 * The e-ID flow itself is tested over real HTTP in src/identity/eid/eid.test.ts.
 */
import { tenantScope } from '../../src/kernel/db/index.ts';
import { SessionStore } from '../../src/kernel/http/session.ts';
import { recordSignIn } from '../../src/identity/eid/residents-repository.ts';
import { SESSION_COOKIE } from '../../src/kernel/http/index.ts';
import { CookieJar, type TestApp } from './app.ts';

export interface SignedIn {
  residentId: string;
  jar: CookieJar;
  host: string;
}

export async function signInResident(t: TestApp, host: string, who: { personalNumber: string; givenName: string; familyName: string }, locale: 'sv' | 'en' = 'sv'): Promise<SignedIn> {
  const tenant = t.tenants.forHost(host)!;
  const tdb = tenantScope(t.tdb.db, tenant.id);
  const now = t.clock.now();
  const residentId = await recordSignIn(tdb, { ...who, locale }, now);
  const store = new SessionStore(t.config.sessionIdleMinutes * 60_000);
  const { token } = await store.create(tdb, { kind: 'resident', subjectId: residentId, locale, data: { displayName: `${who.givenName} ${who.familyName}` } }, now);
  const jar = new CookieJar();
  jar.cookies.set(SESSION_COOKIE, token);
  if (locale === 'en') jar.cookies.set('mb_lang', 'en');
  return { residentId, jar, host };
}

/** Test residents from the demo population register (Skatteverket test numbers). */
export const ANNA = { personalNumber: '198803149825', givenName: 'Anna', familyName: 'Andersson' };
/** Anna's children in the demo population register. */
export const ELSA = '202205109826';
export const OLLE = '202401229816';
/**
 * Other custodians of children young enough for pre-school. Pre-school and school choice refuse a
 * second open application for the same child (ADR 0022), so a test file that sends several keeps
 * one child per case that stays open.
 */
export const KARIN = { personalNumber: '198502209862', givenName: 'Karin', familyName: 'Holm' };
export const NILS = '202104039835';
export const ELLA = '202302119868';
export const VERA = '202506309885';
export const ERIK = { personalNumber: '199007029813', givenName: 'Erik', familyName: 'Berg' };
export const MAJA = '202309159842';
export const JONAS = { personalNumber: '198004129857', givenName: 'Jonas', familyName: 'Lund' };
export const INES = '202303039941';
/** The pre-school handler most tests sign in as. */
export const HANNA = { username: 'hanna', displayName: 'Hanna Handläggare', roles: ['handler'], departments: ['education'] };

/**
 * Creates a staff account (password and TOTP enrolled) and a staff session for it, as a completed
 * sign-in leaves them. Staff sign-in itself is tested in src/identity/staff.
 */
export async function signInStaff(
  t: TestApp,
  host: string,
  who: { username: string; displayName: string; roles: string[]; departments: string[] },
): Promise<SignedIn & { staffId: string }> {
  const tenant = t.tenants.forHost(host)!;
  const tdb = tenantScope(t.tdb.db, tenant.id);
  const now = t.clock.now();
  const { createStaffAccount } = await import('../../src/identity/staff/index.ts');
  const created = await createStaffAccount(tdb, {
    tenant,
    sessionSecret: t.config.sessionSecret,
    username: who.username,
    displayName: who.displayName,
    email: `${who.username}@${tenant.id}.example`,
    roles: who.roles,
    departments: who.departments,
    // Roles the tenant's service definitions declare (the delegation to decide) are grantable too.
    declaredRoles: t.app.catalogue.staffRoles(tenant.id),
    password: 'correct horse battery staple',
    totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
    now,
  });
  return staffSession(t, host, created.account.id, who.displayName);
}

/** A fresh staff session for an existing account (e.g. after the test clock moved past the idle timeout). */
export async function staffSession(t: TestApp, host: string, staffId: string, displayName: string): Promise<SignedIn & { staffId: string }> {
  const tenant = t.tenants.forHost(host)!;
  const store = new SessionStore(t.config.sessionIdleMinutes * 60_000);
  const { token } = await store.create(tenantScope(t.tdb.db, tenant.id), { kind: 'staff', subjectId: staffId, locale: 'sv', data: { displayName } }, t.clock.now());
  const jar = new CookieJar();
  jar.cookies.set(SESSION_COOKIE, token);
  return { residentId: '', staffId, jar, host };
}
