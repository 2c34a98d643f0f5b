/**
 * Tenant isolation over HTTP. Tenant A (Norrby) gets real data: a resident with an open draft and
 * two cases (one decided, with a message, a note, a supplement with an attachment and decision
 * letters), staff accounts, and a demo e-mail. Then every route in the app's route table whose path
 * takes a parameter is called on tenant B's host (Söderå) with A's ids, signed in as B's resident
 * and as B's staff (with valid CSRF tokens of those sessions): 404, none of A's data in the body,
 * and nothing of A's changed. A route with a parameter that this file does not know fails the test,
 * so a new route cannot slip past it. A's ids in query strings (B's inbox filtered by A's staff, B's
 * audit log and its export searched for A's references) and in form bodies on B's own case (assigned
 * to A's staff, decided with A's pre-schools) are refused or find nothing, and change nothing.
 *
 * Also: every /staff route without a session or with a resident's session is refused and leaks
 * nothing. That a data-layer query without the tenant throws is tested in
 * src/kernel/db/db.test.ts ('a tenant-scoped query without the tenant throws'); here only the
 * transaction path, which that test does not reach.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, csrfFrom, CookieJar, NORRBY, SODERA } from './helpers/app.ts';
import { signInResident, signInStaff, ANNA, ELSA, OLLE, type SignedIn } from './helpers/sign-in.ts';
import { journey } from './helpers/journey.ts';
import { MissingTenantError, tenantScope } from '../src/kernel/db/index.ts';
import { insertMailboxMessage } from '../src/notify/dev-mailbox.repository.ts';
import { newFollowLink } from '../src/follow/index.tsx';
import { book, instantOf } from '../src/booking/index.ts';
import { renewFeed } from '../src/booking/feeds.ts';
import { attachRequestsToCase, insertRequests, lockSeason } from '../src/booking/seasons.ts';
import { insertRound } from '../src/allocation/index.ts';
import { offering, openVacancies } from '../src/queues/index.ts';

const t = await createTestApp({ demo: true, now: '2026-11-23T10:00:00Z' });
after(() => t.close());
const { get, post, postMultipart, startDraft, applyForPreschool } = journey(t);
const norrby = tenantScope(t.tdb.db, 'norrby');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

// ---- Tenant A's data -------------------------------------------------------------------------
const A_EMAIL = 'anna.norrby-isolation@example.se';
const MESSAGE = 'Meddelande från Anna om hämtning klockan sexton';
const NOTE = 'Intern anteckning om syskonförtur i Norrby';
const REQUEST = 'Skicka in arbetsgivarintyget från Norrbyverken';
const SUPPLEMENT = 'Här kommer intyget från Norrbyverken';
const FILENAME = 'norrbyverken-intyg.pdf';
const MAIL_SUBJECT = 'Hemligt ämne för Norrby-posten';

const anna = await signInResident(t, NORRBY, ANNA);
const handlerA = await signInStaff(t, NORRBY, { username: 'norrby-hanna', displayName: 'Hanna Norrbyhandläggare', roles: ['handler', 'admin', 'security_officer'], departments: ['education'] });
const clerkA = await signInStaff(t, NORRBY, { username: 'norrby-kalle', displayName: 'Kalle Norrbyadministratör', roles: ['handler'], departments: ['education'] });

const decided = await applyForPreschool(anna, ELSA, A_EMAIL);
const open = await applyForPreschool(anna, OLLE, A_EMAIL);
const openDraft = await startDraft(anna);
// A private follow link to one of A's cases (ADR 0015): B's host must not know it.
const followLink = newFollowLink(open.caseId, t.clock.now());
await norrby.query(followLink.statement.sql, [...followLink.statement.params]);
const followToken = followLink.token;
{
  let r = await post(anna, `/my/cases/${open.caseId}/messages`, { body: MESSAGE }, `/my/cases/${open.caseId}`);
  assert.equal(r.statusCode, 303);
  const page = (await get(handlerA, `/staff/cases/${decided.caseId}`)).body;
  for (const [action, form] of [
    ['assign', { assignee: handlerA.staffId }],
    ['notes', { body: NOTE }],
    ['supplement-request', { body: REQUEST }],
  ] as const) {
    r = await post(handlerA, `/staff/cases/${decided.caseId}/${action}`, form, page);
    assert.equal(r.statusCode, 303, `${action}: ${r.statusCode}`);
  }
  r = await postMultipart(anna, `/my/cases/${decided.caseId}/supplement`, { body: SUPPLEMENT }, [{ name: 'files', filename: FILENAME, type: 'application/pdf', data: PDF }], `/my/cases/${decided.caseId}`);
  assert.equal(r.statusCode, 303);
  const form = (await get(handlerA, `/staff/cases/${decided.caseId}/decide?type=offered`)).body;
  r = await post(handlerA, `/staff/cases/${decided.caseId}/decide`, { type: 'offered', preschool: 'nby-solrosen', startDate: '2027-04-01' }, form);
  assert.equal(r.statusCode, 303);
  // A new draft for Elsa, once her first application is decided (pre-school refuses a second open one, ADR 0022).
  r = await post(anna, `/apply/${openDraft}/child`, { child: ELSA }, `/apply/${openDraft}/child`);
  assert.equal(r.statusCode, 303);
  r = await post(handlerA, `/staff/cases/${open.caseId}/notes`, { body: NOTE }, `/staff/cases/${open.caseId}`);
  assert.equal(r.statusCode, 303);
}
const attachmentId = /\/attachments\/([0-9a-f-]{36})/.exec((await get(handlerA, `/staff/cases/${decided.caseId}`)).body)![1]!;
const documentIds = [...(await get(anna, `/my/cases/${decided.caseId}`)).body.matchAll(/\/documents\/([0-9a-f-]{36})\.pdf/g)].map((m) => m[1]!);
assert.ok(documentIds.length >= 1, 'the decision letter exists');
// A paid payment of A's case (no demo service charges a fee yet, so it is written as the payment flow writes it).
const paymentId = crypto.randomUUID();
await norrby.query(
  `INSERT INTO payments (tenant_id, id, purpose, purpose_id, case_id, payer_id, service_id, provider, provider_ref, amount_ore, currency, description, status, context, created_at, updated_at, paid_at)
   VALUES ($1, $2, 'draft', $3, $4, $5, 'forskola', 'demo', 'DEMO-isolation', 10000, 'SEK', '{"sv": "Avgift", "en": "Fee"}', 'paid', '{}', now(), now(), now())`,
  [paymentId, decided.draft, decided.caseId, anna.residentId],
);
// A staff block on one of A's bookable resources (a booking like any other, without a case), and a
// resident's secret calendar feed (issue 10): B's host must know neither.
const BLOCK_REASON = 'Norrbys blockering för isolationstestet';
const bookingResource = 'nby-hamnen-konstgras';
const blockSpan = { start: instantOf('2026-12-02', '16:00'), end: instantOf('2026-12-02', '18:00') };
const blockId = await norrby.transaction((tx) =>
  book(tx, { serviceId: 'boka-idrottshall', kind: 'block', status: 'booked', span: blockSpan, claims: [{ resourceId: `sports-facilities/${bookingResource}`, occupies: blockSpan }], details: { reason: BLOCK_REASON } }, t.clock.now()),
);
const feedToken = await renewFeed(norrby, anna.residentId, t.clock.now());
// A's application for seasonal times (ADR 0041), on an open case of A's, and the season's lock row.
const SEASON_A = 'autumn-2027';
await norrby.transaction(async (tx) => {
  await insertRequests(tx, { serviceId: 'sasongstider', seasonId: SEASON_A, draftId: openDraft, times: [{ resource: `sports-facilities/${bookingResource}`, weekday: 'tue', from: '18:00', to: '19:30' }], priority: 0, ownerId: anna.residentId, customerType: 'association', organisationNumber: '5566778899' }, t.clock.now());
  await attachRequestsToCase(tx, openDraft, open.caseId);
  await lockSeason(tx, 'sasongstider', SEASON_A);
});
// A's allocation round of its school choice (ADR 0044).
const roundA = (await insertRound(norrby, { id: crypto.randomUUID(), serviceId: 'skolval', staffId: crypto.randomUUID(), now: t.clock.now() }))!.id;
// A free place at one of A's pre-schools, offered at once to Olle's open application, the first toddler in line (ADR 0046).
const forskolaA = t.app.catalogue.service('norrby', 'forskola');
assert.ok(offering(forskolaA));
const vacancyA = (await openVacancies(t.app, norrby, forskolaA, { queue: 'nby-ekbacken', ageGroup: 'toddlers', startDate: '2027-01-15', count: 1, staffId: handlerA.staffId, siteUrl: `http://${NORRBY}`, now: t.clock.now() })).vacancies[0]!;
const offerA = (await norrby.query<{ id: string; case_id: string }>('SELECT id, case_id FROM queue_offers WHERE tenant_id = $1 AND vacancy_id = $2', [vacancyA])).rows[0]!;
assert.equal(offerA.case_id, open.caseId);
const mailId = crypto.randomUUID();
await insertMailboxMessage(norrby, { id: mailId, sentAt: t.clock.now(), to: A_EMAIL, subject: MAIL_SUBJECT, body: `${decided.reference} ${MESSAGE}` });

/** What must never show on tenant B: A's reference numbers, people, texts and files. */
const A_SECRETS = [
  decided.reference,
  open.reference,
  'Andersson',
  '198803149825',
  '19880314-9825',
  ELSA,
  OLLE,
  A_EMAIL,
  MESSAGE,
  NOTE,
  REQUEST,
  SUPPLEMENT,
  FILENAME,
  MAIL_SUBJECT,
  'Hanna Norrbyhandläggare',
  'Kalle Norrbyadministratör',
  'norrby-kalle',
  'Norrby kommun',
  'Ekbackens förskola',
  '%PDF',
  BLOCK_REASON,
  'BEGIN:VCALENDAR',
];

function assertNoLeak(body: string, secrets: string[], where: string): void {
  for (const s of secrets) assert.ok(!body.includes(s), `${where}: the body shows "${s}"`);
}

/** Every row tenant A has, table by table, to prove that nothing done on B changed any of it. */
const TABLES = ['residents', 'sessions', 'staff_accounts', 'staff_recovery_codes', 'staff_account_events', 'drafts', 'cases', 'journal', 'attachments', 'documents', 'audit_log', 'outbox', 'dev_mailbox', 'payments', 'payment_refunds', 'bookings', 'booking_claims', 'booking_feeds', 'season_requests', 'booking_seasons'];
async function snapshotA(except: string[] = []): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of TABLES.filter((x) => !except.includes(x))) {
    const { rows } = await norrby.query(`SELECT * FROM ${table} WHERE tenant_id = $1`);
    out[table] = rows.map((r) => JSON.stringify(r)).sort();
  }
  return out;
}

// ---- Tenant B's people ------------------------------------------------------------------------
const johan = await signInResident(t, SODERA, { personalNumber: '198708089837', givenName: 'Johan', familyName: 'Ek' });
// Every role B has: a refusal must come from the tenant, not from a missing role or department.
const staffB = await signInStaff(t, SODERA, { username: 'sodera-allt', displayName: 'Sara Söderå', roles: ['admin', 'handler', 'security_officer'], departments: ['education'] });

/** The CSRF token of who's session, read from the sign-out form every signed-in page has. */
async function tokenOf(who: SignedIn): Promise<string> {
  const r = await get(who, '/');
  assert.equal(r.statusCode, 200);
  return csrfFrom(r.body);
}

// ---- The route table ------------------------------------------------------------------------
// 'email': a person verified by e-mail code (ADR 0015), sent to /verify-email first.
type Audience = 'resident' | 'staff' | 'public' | 'email';
interface Coverage {
  /** The URLs to call, A's ids in place of the parameters. */
  urls: string[];
  audience: Audience;
  /** What B may answer when B's own data stands behind the value (catalogue ids are shared words). */
  ownData?: boolean;
}

/** Parameter values: A's ids. Names are per route family, since ":id" means different things. */
function valuesFor(url: string, param: string): string[] {
  switch (param) {
    case 'caseId':
      return [decided.caseId, open.caseId];
    case 'attachmentId':
      return [attachmentId];
    case 'docId':
      return documentIds;
    case 'draftId':
      return [openDraft, decided.draft];
    case 'stepId':
      return ['child', 'contact'];
    case 'serviceId':
      // A booking service's pages and feeds: A's booking service too (B does not offer it); a season's schedule: A's seasonal service.
      if (url.includes('/seasons/')) return ['sasongstider'];
      // An allocation round is opened for A's school choice (B does not offer it).
      if (url.startsWith('/staff/allocation/')) return ['skolval'];
      return url.includes('/book') ? ['forskola', 'boka-idrottshall'] : ['forskola'];
    case 'seasonId':
      return [SEASON_A];
    case 'segment':
      // A queue of A's pre-schools, and a service's one queue.
      return ['nby-solrosen', '_'];
    case 'roundId':
      return [roundA];
    case 'offerId':
      return [offerA.id];
    case 'vacancyId':
      return [vacancyA];
    case 'entryId':
      return [bookingResource];
    case 'bookingId':
      return [blockId];
    case 'actionId':
      // Workflow actions of the pre-school service (its legacy transitions, normalised): one the resident takes, one staff take.
      return url.startsWith('/my/') ? ['withdraw', 'supplementReceived'] : ['decide', 'requestSupplement'];
    case 'paymentId':
      return [paymentId];
    case 'provider':
      return ['demo'];
    case 'token':
      return url.startsWith('/calendar/') ? [feedToken] : [followToken];
    case 'id':
      if (url.startsWith('/staff/admin/accounts/')) return [handlerA.staffId, clerkA.staffId];
      if (url.startsWith('/dev/mailbox/')) return [mailId];
      if (url.startsWith('/services/')) return ['forskola'];
      break;
  }
  throw new Error(`No value of tenant A for :${param} in ${url}: add it to tenant-isolation.test.ts`);
}

/** Routes with a parameter that take no tenant data, each with the reason. */
const NOT_APPLICABLE: Record<string, string> = {
  'GET /assets/*': 'static, content-hashed assets shared by every tenant; no tenant data behind them',
  'GET /test-idp/*': 'the built-in test e-ID provider (demo only) is tenantless: it stands for the national e-ID',
  'POST /test-idp/*': 'the built-in test e-ID provider (demo only) is tenantless: it stands for the national e-ID',
  'OPTIONS /test-idp/*': 'the built-in test e-ID provider (demo only) is tenantless: it stands for the national e-ID',
  'GET /test-idp/interaction/:uid': 'a test e-ID login interaction, tenantless; its uid is bound to the browser cookie of the provider',
  'POST /test-idp/interaction/:uid/login': 'a test e-ID login interaction, tenantless; its uid is bound to the browser cookie of the provider',
  'POST /test-idp/interaction/:uid/abort': 'a test e-ID login interaction, tenantless; its uid is bound to the browser cookie of the provider',
  'GET /test-pay/:reference': 'the demo payment provider (demo only) is tenantless: it stands for an outside payment service',
  'POST /test-pay/:reference': 'the demo payment provider (demo only) is tenantless: it stands for an outside payment service',
  'POST /test-pay/:reference/callback': 'the demo payment provider (demo only) is tenantless: it stands for an outside payment service',
};

function audienceOf(url: string): Audience {
  if (url.startsWith('/staff')) return 'staff';
  if (url.startsWith('/follow/mine')) return 'email';
  if (url.startsWith('/my/') || url.startsWith('/apply/') || /^\/services\/[^/]+\/apply$/.test(url)) return 'resident';
  return 'public';
}

function coverageOf(url: string): Coverage {
  const params = [...url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
  let urls = [url];
  for (const p of params) urls = urls.flatMap((u) => valuesFor(url, p).map((v) => u.replace(`:${p}`, v)));
    // A booking service's public page is B's own only for a booking service B offers: for any other id (the
  // ids given here name application services) B answers 404, as for any page that is not its.
  const bookingPage = url.endsWith('/book') || url.includes('/book/') || url.includes('/seasons/') || url.startsWith('/staff/allocation/');
  // A queue is one of A's units (B's pre-schools are others): B answers 404.
  const queuePage = url.startsWith('/staff/queues/');
  return { urls, audience: audienceOf(url), ownData: !bookingPage && !queuePage && (params.some((p) => p === 'serviceId') || url === '/services/:id') };
}

const hasParam = (url: string) => /[:*]/.test(url);
const parameterised = t.app.routeTable.filter((r) => hasParam(r.url)).map((r) => `${r.method} ${r.url}`);
const staffRoutes = t.app.routeTable.filter((r) => r.url === '/staff' || r.url.startsWith('/staff/'));

/** A form that would do something on every POST route if the id were accepted. */
function hostileForm(csrf: string): Record<string, string> {
  return {
    _csrf: csrf,
    body: 'Skrivet från Söderå',
    assignee: staffB.staffId,
    type: 'offered',
    preschool: 'nby-ekbacken',
    startDate: '2027-04-01',
    child: ELSA,
    email: 'b@sodera.example',
    phone: '070-000 00 00',
    displayName: 'Övertagen',
    roles: 'admin',
    departments: 'education',
    password: 'Ett-helt-nytt-lösenord-2026',
  };
}

async function call(who: SignedIn | undefined, host: string, method: string, url: string, csrf: string | undefined) {
  const headers: Record<string, string> = { host };
  if (who) headers.cookie = who.jar.header();
  if (method === 'GET') return t.app.inject({ method: 'GET', url, headers });
  const form = hostileForm(csrf ?? '');
  if (url.endsWith('/supplement')) {
    const boundary = '----isolation';
    // Within the multipart limits (ten fields), so the route itself decides.
    const parts = Object.entries({ _csrf: form._csrf!, body: form.body! }).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
    const payload = Buffer.concat([
      Buffer.from(parts.join('')),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="b.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
      PDF,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return t.app.inject({ method: 'POST', url, headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
  }
  return t.app.inject({ method: 'POST', url, headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(form).toString() });
}

const isSignInRedirect = (r: { statusCode: number; headers: Record<string, unknown> }, audience: Audience) =>
  r.statusCode === 303 && (audience === 'staff' ? /^\/staff\/sign-in(\?|$)/ : audience === 'email' ? /^\/verify-email(\?|$)/ : /^\/sign-in(\?|$)/).test(String(r.headers.location));

test('the route table is read from the built app and has the routes that take ids', () => {
  for (const key of ['GET /my/cases/:caseId', 'GET /staff/cases/:caseId', 'POST /apply/:draftId/:stepId', 'GET /staff/admin/accounts/:id']) {
    assert.ok(parameterised.includes(key), `${key} is in the route table`);
  }
});

test("every route that takes an id answers tenant B with 404 for tenant A's ids, and leaks nothing", async () => {
  const before = await snapshotA();
  const callers = [
    { who: johan, kind: 'resident' as const, csrf: await tokenOf(johan) },
    { who: staffB, kind: 'staff' as const, csrf: await tokenOf(staffB) },
  ];
  const exercised = new Set<string>();
  for (const key of parameterised) {
    if (NOT_APPLICABLE[key]) continue;
    const [method, url] = key.split(' ') as [string, string];
    const cov = coverageOf(url);
    for (const target of cov.urls) {
      for (const c of callers) {
        const r = await call(c.who, SODERA, method, target, c.csrf);
        const where = `${c.kind} on B: ${method} ${target} (${key})`;
        assert.ok(r.statusCode < 500, `${where}: ${r.statusCode}`);
        assertNoLeak(r.body + JSON.stringify(r.headers), A_SECRETS, where);
        if (cov.ownData) {
          // A catalogue id names a service, not A's data: B answers with its own service (or asks to sign in).
          assert.ok([200, 303].includes(r.statusCode), `${where}: ${r.statusCode}`);
          if (r.statusCode === 303) assert.ok(!String(r.headers.location).includes('norrby'), where);
        } else if (cov.audience === 'public' || cov.audience === c.kind) {
          assert.equal(r.statusCode, 404, `${where}: ${r.statusCode} ${r.headers.location ?? ''}`);
          if (method === 'GET') assert.match(r.body, /<html lang="sv"/, `${where}: the translated 404 page`);
        } else {
          // The other audience's routes: the sign-in of that audience (or a refusal), never the data.
          assert.ok(isSignInRedirect(r, cov.audience) || [403, 404].includes(r.statusCode), `${where}: ${r.statusCode} ${r.headers.location ?? ''}`);
        }
      }
    }
    exercised.add(key);
  }
  // A catalogue id A does not have is simply not found on B.
  assert.equal((await call(johan, SODERA, 'GET', '/services/norrby-only', undefined)).statusCode, 404);

  // Coverage: every parameterised route was called or is listed as not applicable, with a reason.
  const listed = new Set([...exercised, ...Object.keys(NOT_APPLICABLE)]);
  assert.deepEqual([...listed].sort(), [...new Set(parameterised)].sort(), 'a route with a parameter is neither exercised nor listed as not applicable');
  assert.ok(exercised.size >= 25, `only ${exercised.size} routes exercised`);

  assert.deepEqual(await snapshotA(), before, "nothing of tenant A's changed");
  // B's tenant got none of A's ids either: no case, note or attachment was created on B.
  const { rows } = await tenantScope(t.tdb.db, 'sodera').query<{ n: number }>('SELECT count(*)::int AS n FROM cases WHERE tenant_id = $1');
  assert.equal(rows[0]!.n, 0);
});

test("A's own people reach A's data by the same URLs (the 404s above are isolation, not broken URLs)", async () => {
  for (const url of [`/my/cases/${decided.caseId}`, `/my/cases/${decided.caseId}/attachments/${attachmentId}`, `/my/cases/${decided.caseId}/documents/${documentIds[0]}.pdf`, `/apply/${openDraft}/child`, `/apply/${decided.draft}/confirmation`]) {
    assert.equal((await get(anna, url)).statusCode, 200, url);
  }
  for (const url of [`/staff/cases/${decided.caseId}`, `/staff/cases/${decided.caseId}/attachments/${attachmentId}`, `/staff/admin/accounts/${clerkA.staffId}`]) {
    assert.equal((await get(handlerA, url)).statusCode, 200, url);
  }
  assert.equal((await t.app.inject({ url: `/dev/mailbox/${mailId}`, headers: { host: NORRBY } })).statusCode, 200);
  for (const url of [`/calendar/${feedToken}.ics`, `/services/boka-idrottshall/book/${bookingResource}/calendar.ics`]) {
    assert.equal((await t.app.inject({ url, headers: { host: NORRBY } })).statusCode, 200, url);
  }
});

test('every /staff route without a staff session redirects to sign-in or is refused, and leaks nothing', async () => {
  const before = await snapshotA(['sessions']);
  // An anonymous session with a valid CSRF token, so POSTs reach the route and its own check.
  // A fresh one for each call: signing out ends the session it is given.
  async function anonymous(): Promise<[SignedIn, string]> {
    const anon: SignedIn = { residentId: '', jar: new CookieJar(), host: NORRBY };
    return [anon, csrfFrom((await get(anon, '/staff/sign-in')).body)];
  }
  const SIGN_IN_FLOW = /^\/staff\/sign-(in|out)(\/|$)/;
  let checked = 0;
  for (const { method, url } of staffRoutes) {
    const targets = hasParam(url) ? coverageOf(url).urls : [url];
    for (const target of targets) {
      for (const [who, csrf] of [[undefined, undefined], await anonymous()] as const) {
        const r = await call(who, NORRBY, method, target, csrf);
        const where = `${who ? 'anonymous session' : 'no cookie'}: ${method} ${target}`;
        assert.ok(r.statusCode < 500, `${where}: ${r.statusCode}`);
        assertNoLeak(r.body, A_SECRETS.filter((s) => s !== 'Norrby kommun'), where);
        if (SIGN_IN_FLOW.test(url)) {
          // The sign-in pages are public by design; with no pending sign-in they show nothing of anyone.
          // (404: sign-in through an identity provider, where the tenant has none of its own.)
          assert.ok([200, 303, 400, 401, 404, 419].includes(r.statusCode), `${where}: ${r.statusCode}`);
        } else if (!who && method === 'POST') {
          assert.equal(r.statusCode, 419, `${where}: no session, no CSRF token: the expired-form page`);
        } else {
          assert.ok(isSignInRedirect(r, 'staff') || [403, 404].includes(r.statusCode), `${where}: ${r.statusCode} ${r.headers.location ?? ''}`);
        }
        checked++;
      }
    }
  }
  assert.ok(checked > 40, `${checked} calls`);
  assert.deepEqual(await snapshotA(['sessions']), before, 'nothing was stored');
});

test("a resident's session cannot reach /staff routes, not even for the resident's own case", async () => {
  const before = await snapshotA(['sessions']);
  const csrf = await tokenOf(anna);
  let checked = 0;
  for (const { method, url } of staffRoutes) {
    // The sign-in flow is public, and signing out ends whatever session it is given.
    if (/^\/staff\/sign-(in|out)(\/|$)/.test(url)) continue;
    for (const target of hasParam(url) ? coverageOf(url).urls : [url]) {
      const r = await call(anna, NORRBY, method, target, csrf);
      const where = `resident: ${method} ${target}`;
      assert.ok(isSignInRedirect(r, 'staff') || [403, 404].includes(r.statusCode), `${where}: ${r.statusCode} ${r.headers.location ?? ''}`);
      assertNoLeak(r.body, [NOTE, 'Hanna Norrbyhandläggare', 'Kalle Norrbyadministratör', MAIL_SUBJECT, '%PDF'], where);
      checked++;
    }
  }
  assert.ok(checked > 25, `${checked} calls`);
  assert.deepEqual(await snapshotA(['sessions']), before, 'nothing was stored');
});

test('a tenant-scoped query without the tenant throws inside a transaction too', async () => {
  // The plain query path is tested in src/kernel/db/db.test.ts; this is the path actions use.
  await assert.rejects(norrby.transaction((tx) => tx.query('SELECT * FROM cases')), MissingTenantError);
  await assert.rejects(norrby.transaction((tx) => tx.query('SELECT * FROM cases WHERE id = $1', [decided.caseId])), MissingTenantError);
  const { rows } = await norrby.transaction((tx) => tx.query<{ n: number }>('SELECT count(*)::int AS n FROM cases WHERE tenant_id = $1'));
  assert.equal(rows[0]!.n, 2);
});

// ---- A's ids in query strings and form bodies, on B's own pages and cases -----------------------
const ALVA = '202212019901';

/** Johan applies on B for his child, with B's pre-schools; returns B's case. */
async function applyOnB(who: SignedIn): Promise<{ caseId: string; reference: string }> {
  const draft = await startDraft(who);
  const steps: [string, Record<string, string>][] = [
    ['child', { child: ALVA }],
    ['preschools', { 'preschools.0': 'sda-backsippan', 'preschools.1': 'sda-strandangen' }],
    ['start', { startDate: '2027-04-01', earlyReason: '' }],
    ['hours', { careHours: 'from15to30' }],
    ['needs', { specialNeeds: 'no', specialNeedsDescription: '' }],
    ['contact', { email: 'johan@sodera.example', phone: '' }],
  ];
  for (const [step, form] of steps) {
    const r = await post(who, `/apply/${draft}/${step}`, form, `/apply/${draft}/${step}`);
    assert.equal(r.statusCode, 303, `B ${step}: ${r.statusCode}`);
  }
  const r = await post(who, `/apply/${draft}/submit`, {}, `/apply/${draft}/check`);
  assert.equal(r.headers.location, `/apply/${draft}/confirmation`);
  const conf = (await get(who, `/apply/${draft}/confirmation`)).body;
  return { caseId: /\/my\/cases\/([0-9a-f-]{36})/.exec(conf)![1]!, reference: /[A-Z]{3}-\d{4}-\d{6}/.exec(conf)![0] };
}

test("A's ids in query strings and in form bodies on B's own cases: refused or ignored, nothing of A's shown or changed", async () => {
  const sodera = tenantScope(t.tdb.db, 'sodera');
  const caseB = await applyOnB(johan);
  // B's security officer has B's own audit entries to list: a view of B's case.
  assert.equal((await get(staffB, `/staff/cases/${caseB.caseId}`)).statusCode, 200);
  // References come from a sequence per tenant, so B's first case may carry the same words as A's:
  // the references of A's that B does not also have are A's alone.
  const aOnly = [decided.reference, open.reference].filter((r) => r !== caseB.reference);
  assert.ok(aOnly.length >= 1);
  const A_IDS = [decided.caseId, open.caseId, attachmentId, ...documentIds, openDraft, decided.draft, mailId, handlerA.staffId, clerkA.staffId];
  const secrets = [...A_SECRETS.filter((s) => ![decided.reference, open.reference].includes(s)), ...aOnly, ...A_IDS];
  const before = await snapshotA();
  const caseRowB = async () => (await sodera.query('SELECT status, assignee_id, decision, journal_seq, journal_head FROM cases WHERE tenant_id = $1 AND id = $2', [caseB.caseId])).rows[0];
  const rowBefore = await caseRowB();

  /**
   * The body without the places a page repeats the caller's own request: the language switch
   * (which links back to the URL asked for) and a search box showing what was searched for.
   */
  const withoutEcho = (body: string, searched: string) => body.replace(/href="\/language\?[^"]*"/g, '').split(`value="${searched}"`).join('');

  // Query strings, as B's staff (handler and security officer).
  for (const staffId of [handlerA.staffId, clerkA.staffId]) {
    for (const url of [`/staff/cases?assignee=${staffId}`, `/staff/cases?assignee=${staffId}&status=all`]) {
      const r = await get(staffB, url);
      assert.equal(r.statusCode, 200, url);
      assertNoLeak(withoutEcho(r.body, staffId), secrets, `B staff: GET ${url}`);
      // Nobody on B is assigned anything, let alone to A's staff: no case is listed.
      assert.ok(!r.body.includes(caseB.reference), `${url}: B's case listed under A's staff id`);
    }
  }
  for (const reference of [decided.reference, open.reference]) {
    let r = await get(staffB, `/staff/audit?case=${reference}`);
    assert.equal(r.statusCode, 200);
    assertNoLeak(withoutEcho(r.body, reference), secrets, `B staff: GET /staff/audit?case=${reference}`);
    r = await get(staffB, `/staff/audit.csv?case=${reference}&reason=x`);
    assert.equal(r.statusCode, 200);
    assert.match(String(r.headers['content-type']), /text\/csv/);
    assertNoLeak(r.body, secrets, `B staff: GET /staff/audit.csv?case=${reference}`);
    // A reference of A's alone finds nothing on B; one B shares finds B's own entries only.
    const rows = r.body.trim().split('\r\n').slice(1);
    if (aOnly.includes(reference)) assert.deepEqual(rows, [], `the CSV for ${reference} on B:\n${r.body}`);
    else assert.ok(rows.length > 0 && rows.every((l) => l.includes(`"${caseB.reference}"`) && l.includes(staffB.staffId)), r.body);
    // Without a reason: the form again, still nothing of A's.
    r = await get(staffB, `/staff/audit.csv?case=${reference}`);
    assert.equal(r.statusCode, 400);
    assertNoLeak(withoutEcho(r.body, reference), secrets, `B staff: GET /staff/audit.csv?case=${reference} (no reason)`);
  }

  // Form bodies on B's own case naming A's things: A's handler as assignee, A's pre-school in a decision.
  const page = (await get(staffB, `/staff/cases/${caseB.caseId}`)).body;
  for (const staffId of [handlerA.staffId, clerkA.staffId]) {
    const r = await post(staffB, `/staff/cases/${caseB.caseId}/assign`, { assignee: staffId }, page);
    assert.equal(r.statusCode, 400, `assign to A's ${staffId}: ${r.statusCode}`);
    assertNoLeak(withoutEcho(r.body, staffId), secrets, "assign B's case to A's staff");
  }
  const decideForm = (await get(staffB, `/staff/cases/${caseB.caseId}/decide?type=offered`)).body;
  for (const preschool of ['nby-ekbacken', 'nby-solrosen']) {
    const r = await post(staffB, `/staff/cases/${caseB.caseId}/decide`, { type: 'offered', preschool, startDate: '2027-04-01' }, decideForm);
    assert.equal(r.statusCode, 400, `decide with A's ${preschool}: ${r.statusCode}`);
    assertNoLeak(r.body, [...secrets, 'Förskolan Solrosen'], `decide B's case with A's ${preschool}`);
  }
  assert.deepEqual(await caseRowB(), rowBefore, "B's case did not change either");
  assert.deepEqual(await snapshotA(), before, "nothing of tenant A's changed");
});
