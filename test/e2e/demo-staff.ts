/**
 * Signing in as a demo member of staff in a journey (password, then the TOTP code of the account's
 * public demo secret at the server's clock), and reading an e-mail code from the outbox: the steps the
 * journeys that hand a case to a handler, or confirm an address, share.
 */
import assert from 'node:assert/strict';
import { totpCode } from '../../src/identity/staff/index.ts';
import { DEMO_PASSWORD, DEMO_STAFF } from '../../src/demo/accounts.ts';
import { exact, tr, type Journey, type TestServer } from './harness.ts';

/** Signs in as a Norrby demo account at /staff/sign-in; the server's clock moves on 30 s so the code is a fresh one. */
export async function staffSignIn(j: Journey, server: TestServer, username: string): Promise<void> {
  const t = tr(j.locale);
  const account = DEMO_STAFF.find((s) => s.tenant === 'norrby' && s.username === username)!;
  const button = (name: string) => j.page.getByRole('button', { name: exact(name) });
  await j.visit('/staff/sign-in');
  await j.page.getByLabel(t('staff.signIn.username'), { exact: true }).fill(username);
  await j.page.getByLabel(t('staff.signIn.password'), { exact: true }).fill(DEMO_PASSWORD);
  await j.navigate(() => button(t('staff.signIn.submit')).click(), 'staff one-time code');
  server.clock.advance(30_000);
  await j.page.getByLabel(t('staff.code.label'), { exact: true }).fill(totpCode(account.totpSecret, server.clock.now()));
  await j.navigate(() => button(t('staff.code.submit')).click(), 'staff home');
  assert.equal(new URL(j.page.url()).pathname, '/staff', `${username} is signed in`);
}

/** The code sent to the address, from the outbox (no outbox job runs in the journey's server). */
export async function outboxCode(server: TestServer, email: string): Promise<string> {
  const { rows } = await server.tdb.db.query<{ subject: string }>("SELECT payload->>'subject' AS subject FROM outbox WHERE tenant_id = 'norrby' AND payload->>'to' = $1 ORDER BY created_at DESC", [email]);
  const m = rows.map((r) => /\b(\d{6})\b/.exec(r.subject)).find((x) => x);
  if (!m) throw new Error(`no code for ${email} in the outbox`);
  return m[1]!;
}
