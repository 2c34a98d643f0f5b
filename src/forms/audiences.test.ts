/**
 * Audiences beyond e-ID (ADR 0015), over HTTP on a real database: a report sent without signing
 * in, its private follow link, e-mail verification (limit, expiry), and a resident applying for
 * an organisation they may sign for.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, csrfFrom, CookieJar, NORRBY, SODERA } from '../../test/helpers/app.ts';
import { signInResident, signInStaff, ANNA, type SignedIn } from '../../test/helpers/sign-in.ts';
import { tenantsFileWithCatalogue } from '../../test/helpers/test-catalogue.ts';
import { repoRoot } from '../../test/helpers/app.ts';
import { tenantScope } from '../kernel/db/index.ts';
import { checkCode, createCode, MAX_CODE_ATTEMPTS } from '../identity/email/index.tsx';
import path from 'node:path';

const t = await createTestApp({ now: '2026-11-23T10:00:00Z', env: { MEDBORG_TENANTS: tenantsFileWithCatalogue(path.join(repoRoot, 'test/fixtures/catalogue-audiences')) } });
after(() => t.close());
const norrby = tenantScope(t.tdb.db, 'norrby');

interface Browser {
  jar: CookieJar;
  host: string;
}
const browser = (host = NORRBY): Browser => ({ jar: new CookieJar(), host });

async function get(who: Browser | SignedIn, url: string) {
  const r = await t.app.inject({ url, headers: { host: who.host, cookie: who.jar.header() } });
  who.jar.store(r.headers['set-cookie']);
  return r;
}

async function post(who: Browser | SignedIn, url: string, form: Record<string, string>, page: string) {
  const body = new URLSearchParams({ ...form, _csrf: csrfFrom(page) });
  const r = await t.app.inject({ method: 'POST', url, headers: { host: who.host, cookie: who.jar.header(), 'content-type': 'application/x-www-form-urlencoded' }, payload: body.toString() });
  who.jar.store(r.headers['set-cookie']);
  return r;
}

/** Starts the tip without signing in, answers it, and returns the draft id. */
async function answerTip(b: Browser, text: string, email = ''): Promise<string> {
  const start = await get(b, '/services/tip/apply');
  assert.equal(start.statusCode, 303);
  const m = /^\/apply\/([0-9a-f-]{36})\/what$/.exec(String(start.headers.location));
  assert.ok(m, `no sign-in asked: ${start.headers.location}`);
  const step = await get(b, `/apply/${m[1]}/what`);
  assert.equal(step.statusCode, 200);
  const saved = await post(b, `/apply/${m[1]}/what`, { what: text, email }, step.body);
  assert.equal(saved.headers.location, `/apply/${m[1]}/check`);
  return m[1]!;
}

async function submit(b: Browser, draft: string): Promise<{ caseId: string; reference: string; followUrl: string | undefined; confirmation: string }> {
  const check = await get(b, `/apply/${draft}/check`);
  assert.equal(check.statusCode, 200);
  const sent = await post(b, `/apply/${draft}/submit`, {}, check.body);
  assert.equal(sent.headers.location, `/apply/${draft}/confirmation`);
  const confirmation = (await get(b, `/apply/${draft}/confirmation`)).body;
  const { rows } = await norrby.query<{ id: string; reference: string }>('SELECT id, reference FROM cases WHERE tenant_id = $1 AND draft_id = $2', [draft]);
  const followUrl = /href="(\/follow\/[A-Za-z0-9_-]+)"/.exec(confirmation)?.[1];
  return { caseId: rows[0]!.id, reference: rows[0]!.reference, followUrl, confirmation };
}

/** The latest mail to the address whose subject matches (the test clock stands still: several share a time). */
async function latestMail(to: string, subject: RegExp = /./): Promise<{ subject: string; text: string }> {
  const { rows } = await norrby.query<{ payload: { to: string; subject: string; text: string } }>("SELECT payload FROM outbox WHERE tenant_id = $1 AND kind = 'email' AND payload->>'to' = $2 ORDER BY created_at DESC, id DESC", [to]);
  const mail = rows.map((r) => r.payload).find((p) => subject.test(p.subject));
  assert.ok(mail, `no mail to ${to} about ${subject}`);
  return mail;
}

async function verifyEmail(b: Browser, email: string, back: string) {
  const form = await get(b, `/verify-email?back=${encodeURIComponent(back)}`);
  assert.equal(form.statusCode, 200);
  const sent = await post(b, '/verify-email', { email, back }, form.body);
  assert.equal(sent.headers.location, '/verify-email/code');
  const code = /\b(\d{6})\b/.exec((await latestMail(email, /kod|code/i)).text)![1]!;
  const page = await get(b, '/verify-email/code');
  const before = b.jar.cookies.get('mb_sid');
  const done = await post(b, '/verify-email/code', { code }, page.body);
  assert.equal(done.statusCode, 303);
  assert.equal(done.headers.location, back);
  assert.notEqual(b.jar.cookies.get('mb_sid'), before, 'a new session token once the address is proven');
}

test('anyone: a report is sent without signing in; no applicant party; the private follow link shows it', async () => {
  const b = browser();
  // An address typed in the form but never verified is not written to: nobody can make us mail a stranger.
  const draft = await answerTip(b, 'A bench is broken in the park.', 'stranger@example.se');
  // Check your answers offers to verify an address, since the definition makes contact optional.
  const check = await get(b, `/apply/${draft}/check`);
  assert.match(check.body, /\/verify-email\?back=/);
  const { caseId, reference, followUrl, confirmation } = await submit(b, draft);
  assert.ok(followUrl, 'the confirmation shows the follow link');
  assert.match(confirmation, new RegExp(reference));
  const { rows: parties } = await norrby.query('SELECT role, kind FROM case_parties WHERE tenant_id = $1 AND case_id = $2', [caseId]);
  assert.deepEqual(parties, [], 'an anonymous report has no party');
  const { rows: mails } = await norrby.query("SELECT 1 FROM outbox WHERE tenant_id = $1 AND payload->>'to' = 'stranger@example.se'");
  assert.equal(mails.length, 0);
  // The token is 256 bits; only its hash is stored.
  const token = followUrl!.split('/').pop()!;
  assert.equal(Buffer.from(token, 'base64url').length, 32);
  const { rows: links } = await norrby.query<{ token_hash: string }>('SELECT token_hash FROM follow_links WHERE tenant_id = $1 AND case_id = $2', [caseId]);
  assert.equal(links.length, 1);
  assert.notEqual(links[0]!.token_hash, token);
  assert.ok(!JSON.stringify(links).includes(token));
  // Anyone holding the link (another browser, no session) sees the case, in either language.
  const stranger = browser();
  const page = await get(stranger, followUrl!);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, new RegExp(`Ditt ärende ${reference}`));
  assert.match(page.body, /Inkommen/);
  assert.equal(page.headers['referrer-policy'], 'no-referrer');
  assert.equal(page.headers['cache-control'], 'no-store');
  stranger.jar.cookies.set('mb_lang', 'en');
  assert.match((await get(stranger, followUrl!)).body, new RegExp(`Your case ${reference}`));
  // A message through the link reaches the case's journal.
  const sent = await post(stranger, `${followUrl}/messages`, { body: 'The bench is by the pond.' }, page.body);
  assert.equal(sent.statusCode, 303);
  const after = await get(stranger, String(sent.headers.location));
  assert.match(after.body, /The bench is by the pond\./);
  const empty = await post(stranger, `${followUrl}/messages`, { body: '  ' }, after.body);
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /Enter a message/);
});

test('a follow link opens its own case only: a guess, a changed character or another municipality is 404', async () => {
  const a = browser();
  const b = browser();
  const first = await submit(a, await answerTip(a, 'First secret tip.'));
  const second = await submit(b, await answerTip(b, 'Second secret tip.'));
  const pageA = await get(browser(), first.followUrl!);
  assert.match(pageA.body, new RegExp(first.reference));
  assert.doesNotMatch(pageA.body, new RegExp(second.reference));
  assert.doesNotMatch(pageA.body, /Second secret tip/);
  const token = first.followUrl!.split('/').pop()!;
  const flipped = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
  for (const url of [`/follow/${flipped}`, '/follow/' + 'A'.repeat(43), '/follow/short', `/follow/${token}x`, `/follow/${encodeURIComponent("' OR 1=1 --")}`]) {
    assert.equal((await get(browser(), url)).statusCode, 404, url);
  }
  assert.equal((await get(browser(SODERA), first.followUrl!)).statusCode, 404, 'another tenant does not know the link');
  // Another person's draft is not reachable from a fresh session.
  const draft = (await norrby.query<{ draft_id: string }>('SELECT draft_id FROM cases WHERE tenant_id = $1 AND id = $2', [first.caseId])).rows[0]!.draft_id;
  const other = await get(browser(), `/apply/${draft}/confirmation`);
  assert.equal(other.statusCode, 303);
  assert.match(String(other.headers.location), /^\/sign-in/);
});

test('e-mail: a verified address makes an email party and gets the receipt with the follow link; a typed one alone gets nothing', async () => {
  const b = browser();
  const draft = await answerTip(b, 'Litter by the school.');
  await verifyEmail(b, 'tipper@example.se', `/apply/${draft}/check`);
  const check = await get(b, `/apply/${draft}/check`);
  assert.match(check.body, /tipper@example\.se/);
  const { caseId, reference, followUrl } = await submit(b, draft);
  const { rows } = await norrby.query<{ role: string; kind: string; email: string; verified: boolean }>(
    'SELECT role, kind, email, email_verified_at IS NOT NULL AS verified FROM case_parties WHERE tenant_id = $1 AND case_id = $2',
    [caseId],
  );
  assert.deepEqual(rows, [{ role: 'applicant', kind: 'email', email: 'tipper@example.se', verified: true }]);
  const mail = await latestMail('tipper@example.se', new RegExp(reference));
  assert.ok(mail.text.includes(`http://norrby.localhost${followUrl}`), mail.text);

  // Coming back later by e-mail code (a new browser): the cases of that address, and only those.
  const later = browser();
  const ask = await get(later, '/follow/mine');
  assert.match(String(ask.headers.location), /^\/verify-email\?back=%2Ffollow%2Fmine/);
  await verifyEmail(later, 'TIPPER@example.se', '/follow/mine');
  const mine = await get(later, '/follow/mine');
  assert.equal(mine.statusCode, 200);
  assert.match(mine.body, new RegExp(`/follow/mine/${caseId}`));
  const own = await get(later, `/follow/mine/${caseId}`);
  assert.equal(own.statusCode, 200);
  assert.match(own.body, /Litter by the school|Inkommen/);
  const sent = await post(later, `/follow/mine/${caseId}/messages`, { body: 'Still there.' }, own.body);
  assert.equal(sent.statusCode, 303);
  // Someone else's case, by its id, is not found for this address.
  const stranger = browser();
  const other = await submit(stranger, await answerTip(stranger, 'Not yours.'));
  assert.equal((await get(later, `/follow/mine/${other.caseId}`)).statusCode, 404);
  assert.doesNotMatch((await get(later, '/follow/mine')).body, new RegExp(other.reference));
});

test('audience email: the address is verified before the first question, and required before sending', async () => {
  const b = browser();
  const start = await get(b, '/services/mailonly/apply');
  assert.equal(start.statusCode, 303);
  assert.match(String(start.headers.location), /^\/verify-email\?back=/);
  await verifyEmail(b, 'mailer@example.se', '/services/mailonly/apply');
  const again = await get(b, '/services/mailonly/apply');
  assert.match(String(again.headers.location), /^\/apply\/[0-9a-f-]{36}\/what$/);
});

test('e-mail code: wrong codes say how many attempts are left, then the code is spent; errors are translated', async () => {
  const b = browser();
  b.jar.cookies.set('mb_lang', 'en');
  const form = await get(b, '/verify-email?back=/');
  const bad = await post(b, '/verify-email', { email: 'not-an-address', back: '/' }, form.body);
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /Enter an e-mail address in the correct format/);
  assert.match(bad.body, /value="not-an-address"/, 'the answer is kept');
  await post(b, '/verify-email', { email: 'guesser@example.se', back: '/' }, bad.body);
  let page = (await get(b, '/verify-email/code')).body;
  const code = /\b(\d{6})\b/.exec((await latestMail('guesser@example.se', /kod|code/i)).text)![1]!;
  const wrong = code === '000000' ? '111111' : '000000';
  for (let left = MAX_CODE_ATTEMPTS - 1; left >= 1; left--) {
    const r = await post(b, '/verify-email/code', { code: wrong }, page);
    assert.equal(r.statusCode, 400);
    assert.match(r.body, new RegExp(`You have ${left} attempts left`));
    page = r.body;
  }
  await post(b, '/verify-email/code', { code: wrong }, page);
  const spent = await post(b, '/verify-email/code', { code }, page);
  assert.equal(spent.statusCode, 400);
  assert.match(spent.body, /too many times/);
});

test('e-mail code: counted in the database before the check, so concurrent guesses compare at most the limit', async () => {
  const { id, code } = await createCode(norrby, 'race@example.se', t.clock.now());
  const wrong = code === '999999' ? '888888' : '999999';
  const results = await Promise.all(Array.from({ length: 25 }, () => checkCode(norrby, id, wrong, t.clock.now())));
  assert.equal(results.filter((r) => !r.ok && r.reason === 'wrong').length, MAX_CODE_ATTEMPTS);
  assert.equal(results.filter((r) => !r.ok && r.reason === 'exhausted').length, 25 - MAX_CODE_ATTEMPTS);
  const { rows } = await norrby.query<{ attempts: number }>('SELECT attempts FROM email_codes WHERE tenant_id = $1 AND id = $2', [id]);
  assert.equal(rows[0]!.attempts, MAX_CODE_ATTEMPTS);
  assert.deepEqual(await checkCode(norrby, id, code, t.clock.now()), { ok: false, reason: 'exhausted' }, 'even the right code is refused now');
  // A right code is used once, even when sent twice at the same time.
  const fresh = await createCode(norrby, 'race@example.se', t.clock.now());
  const twice = await Promise.all([checkCode(norrby, fresh.id, fresh.code, t.clock.now()), checkCode(norrby, fresh.id, fresh.code, t.clock.now())]);
  assert.equal(twice.filter((r) => r.ok).length, 1);
});

test('e-mail code: expires after 15 minutes', async () => {
  const now = t.clock.now();
  const { id, code } = await createCode(norrby, 'late@example.se', now);
  assert.deepEqual(await checkCode(norrby, id, code, new Date(now.getTime() + 15 * 60_000 + 1)), { ok: false, reason: 'expired' });
  const b = browser();
  const form = await get(b, '/verify-email?back=/');
  await post(b, '/verify-email', { email: 'late@example.se', back: '/' }, form.body);
  const page = (await get(b, '/verify-email/code')).body;
  const mailed = /\b(\d{6})\b/.exec((await latestMail('late@example.se', /kod|code/i)).text)![1]!;
  t.clock.set(new Date(now.getTime() + 16 * 60_000));
  try {
    const r = await post(b, '/verify-email/code', { code: mailed }, page);
    assert.equal(r.statusCode, 400);
    assert.match(r.body, /Koden har slutat gälla/);
  } finally {
    t.clock.set(now);
  }
});

const SARA = { personalNumber: '197911309842', givenName: 'Sara', familyName: 'Lind' };

test('representative: the signatory chooses the company, which becomes the applicant; she reads the case, another resident does not', async () => {
  const sara = await signInResident(t, NORRBY, SARA);
  const start = await get(sara, '/services/licence/apply');
  assert.equal(start.headers.location, '/services/licence/organisation');
  const choose = await get(sara, '/services/licence/organisation');
  assert.equal(choose.statusCode, 200);
  assert.match(choose.body, /Norrby Krog &amp; Kök AB/);
  const picked = await post(sara, '/services/licence/organisation', { organisation: '5566778899' }, choose.body);
  const m = /^\/apply\/([0-9a-f-]{36})\/venue$/.exec(String(picked.headers.location));
  assert.ok(m, String(picked.headers.location));
  const step = await get(sara, `/apply/${m[1]}/venue`);
  await post(sara, `/apply/${m[1]}/venue`, { venue: 'Krogen' }, step.body);
  const check = await get(sara, `/apply/${m[1]}/check`);
  assert.match(check.body, /Du skickar det här för Norrby Krog &amp; Kök AB \(556677-8899\)\./, 'check your answers says whom she sends it for');
  const sent = await post(sara, `/apply/${m[1]}/submit`, {}, check.body);
  assert.equal(sent.headers.location, `/apply/${m[1]}/confirmation`);
  const { rows: cases } = await norrby.query<{ id: string }>('SELECT id FROM cases WHERE tenant_id = $1 AND draft_id = $2', [m[1]]);
  const caseId = cases[0]!.id;
  const { rows: parties } = await norrby.query<{ role: string; kind: string; organisation_number: string | null; name: string; acting: boolean }>(
    `SELECT p.role, p.kind, p.organisation_number, p.name, p.acting_for = o.id AS acting
       FROM case_parties p LEFT JOIN case_parties o ON o.tenant_id = p.tenant_id AND o.case_id = p.case_id AND o.role = 'applicant'
      WHERE p.tenant_id = $1 AND p.case_id = $2 ORDER BY p.role`,
    [caseId],
  );
  assert.deepEqual(parties, [
    { role: 'applicant', kind: 'organisation', organisation_number: '5566778899', name: 'Norrby Krog & Kök AB', acting: null },
    { role: 'representative', kind: 'resident', organisation_number: null, name: 'Sara Lind', acting: true },
  ]);
  const page = await get(sara, `/my/cases/${caseId}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Skriv ett meddelande/, 'the representative acts as the applicant');
  assert.match((await get(sara, '/my/cases')).body, new RegExp(caseId));
  const anna = await signInResident(t, NORRBY, ANNA);
  assert.equal((await get(anna, `/my/cases/${caseId}`)).statusCode, 404);
});

test('representative: a number typed by hand is checked — format, existence, signatory right', async () => {
  const anna = await signInResident(t, NORRBY, ANNA);
  const choose = await get(anna, '/services/licence/organisation');
  assert.equal(choose.statusCode, 200);
  assert.match(choose.body, /Vi hittar inget företag/);
  const cases: [string, number, RegExp][] = [
    ['', 400, /Välj vilken organisation/],
    ['5566778898', 400, /Organisationsnumret stämmer inte/],
    ['12345', 400, /Organisationsnumret stämmer inte/],
    ['5560000001', 400, /Vi hittar ingen organisation med nummer 556000-0001/],
    ['556677-8899', 403, /Du har inte rätt att teckna Norrby Krog &amp; Kök AB/],
  ];
  for (const [typed, status, message] of cases) {
    const r = await post(anna, '/services/licence/organisation', typed ? { organisation: 'other', organisationNumber: typed } : {}, choose.body);
    assert.equal(r.statusCode, status, typed);
    assert.match(r.body, message, typed);
    if (typed) assert.match(r.body, new RegExp(`value="${typed}"`), 'the answer is kept');
  }
  const { rows } = await norrby.query("SELECT 1 FROM drafts WHERE tenant_id = $1 AND service_id = 'licence' AND acting_for IS NOT NULL AND owner_id = (SELECT id FROM residents WHERE tenant_id = $1 AND personal_number = $2)", [ANNA.personalNumber]);
  assert.equal(rows.length, 0);
});

test("a handler's message reaches only a verified address, with a link to read the case after a new code", async () => {
  const handler = await signInStaff(t, NORRBY, { username: 'aud-handler', displayName: 'Hedda Handläggare', roles: ['handler'], departments: ['city-services'] });
  const typedOnly = browser();
  const unverified = await submit(typedOnly, await answerTip(typedOnly, 'Graffiti on the bridge.', 'typed-only@example.se'));
  const verifiedBrowser = browser();
  const draft = await answerTip(verifiedBrowser, 'Graffiti on the school.');
  await verifyEmail(verifiedBrowser, 'checked@example.se', `/apply/${draft}/check`);
  const verified = await submit(verifiedBrowser, draft);
  for (const c of [unverified, verified]) {
    const page = await get(handler, `/staff/cases/${c.caseId}`);
    assert.equal(page.statusCode, 200);
    const r = await post(handler, `/staff/cases/${c.caseId}/messages`, { body: 'We will clean it this week.' }, page.body);
    assert.equal(r.statusCode, 303);
  }
  const { rows: stray } = await norrby.query("SELECT 1 FROM outbox WHERE tenant_id = $1 AND payload->>'to' = 'typed-only@example.se'");
  assert.equal(stray.length, 0, 'an address typed but never verified gets nothing');
  const { rows } = await norrby.query<{ text: string }>("SELECT payload->>'text' AS text FROM outbox WHERE tenant_id = $1 AND payload->>'to' = 'checked@example.se'");
  assert.equal(rows.length, 3, 'the code, the receipt and the message');
  assert.ok(rows.some((r) => r.text.includes(`http://norrby.localhost/follow/mine/${verified.caseId}`)), rows.map((r) => r.text).join('\n---\n'));
});
