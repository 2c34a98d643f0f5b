/**
 * A member of staff signed in for a journey without walking the sign-in (the staff journeys walk
 * it): the account made if missing, a session for it, and its cookie and language in the browser.
 */
import { LANG_COOKIE, SESSION_COOKIE } from '../../src/kernel/http/index.ts';
import { staffSession } from '../helpers/sign-in.ts';
import type { Journey, TestServer } from './harness.ts';
import { NORRBY } from './harness.ts';

export async function asStaff(server: TestServer, j: Journey, who: { username: string; displayName: string }, locale: 'sv' | 'en'): Promise<void> {
  const db = server.tdb.db;
  const { rows } = await db.query<{ id: string }>("SELECT id FROM staff_accounts WHERE tenant_id = 'norrby' AND username = $1", [who.username]);
  let staffId = rows[0]?.id;
  if (!staffId) {
    const { createStaffAccount } = await import('../../src/identity/staff/index.ts');
    const { tenantScope } = await import('../../src/kernel/db/index.ts');
    const created = await createStaffAccount(tenantScope(db, 'norrby'), {
      tenant: server.tenants.forHost(NORRBY)!,
      sessionSecret: server.config.sessionSecret,
      username: who.username,
      displayName: who.displayName,
      email: `${who.username}@norrby.example`,
      roles: ['handler'],
      departments: ['education'],
      declaredRoles: server.app.catalogue.staffRoles('norrby'),
      password: 'correct horse battery staple',
      totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
      now: server.clock.now(),
    });
    staffId = created.account.id;
  }
  const session = await staffSession(server, `${NORRBY}:${server.port}`, staffId, who.displayName);
  const url = j.url('/');
  await j.context.addCookies([
    { name: SESSION_COOKIE, value: session.jar.cookies.get(SESSION_COOKIE)!, url },
    { name: LANG_COOKIE, value: locale, url },
  ]);
}
