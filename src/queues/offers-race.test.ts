/**
 * Offers under concurrency (issue 11, ADR 0046), on PostgreSQL with two server processes: rounds in
 * which every open offer is either declined over HTTP — spread over both processes — or lapses by
 * the offers job running several times at once, while each freed place is passed on. After each
 * round: no place has two open offers, no application two, and those holding offers are exactly
 * the first in line (nobody skipped). Then several acceptances of one offer at once: one wins.
 * PostgreSQL only: PGlite runs one transaction at a time and its folder belongs to one process.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServerProcess, type RunningServer } from '../../bench/lib/servers.ts';
import { createTestApp, csrfFrom, NORRBY, type TestApp } from '../../test/helpers/app.ts';
import { testDialect } from '../../test/helpers/db.ts';
import { HANNA, signInResident, signInStaff, type SignedIn } from '../../test/helpers/sign-in.ts';
import { syntheticPersonalNumber } from '../../test/helpers/test-people.ts';
import { childSubject, createCase, residentApplicant } from '../cases/index.ts';
import { prepareCompanions } from '../forms/index.tsx';
import { tenantScope, type TenantScope } from '../kernel/db/index.ts';
import { offering, openVacancies, runOffers } from './offers.ts';
import { queueCompanion } from './places.ts';

const skip = testDialect === 'postgres' ? false : 'the race needs PostgreSQL: PGlite runs one transaction at a time, and its folder belongs to one process';
const UNIT = 'nby-myrstacken';
const APPLICATIONS = 40;
const PLACES = 8;
const ROUNDS = 3;

let t: TestApp | undefined;
let tdb: TenantScope;
let servers: RunningServer[] = [];
let dataDir: string | undefined;
const people = new Map<string, SignedIn>();

before(async () => {
  if (skip) return;
  // Real time: the server processes keep it, and the offers' deadlines follow it.
  t = await createTestApp({ now: new Date().toISOString() });
  tdb = tenantScope(t.tdb.db, 'norrby');
  dataDir = mkdtempSync(path.join(tmpdir(), 'medborg-offers-race-'));
  const env = { DATABASE_URL: t.tdb.url!, DATABASE_POOL_SIZE: '10', DATABASE_CONNECT_TIMEOUT_MS: '15000', MEDBORG_ENV: 'test', LOG_LEVEL: 'silent', MEDBORG_DATA_DIR: dataDir, SESSION_SECRET: t.config.sessionSecret };
  servers = await Promise.all([0, 1].map(() => startServerProcess('medborg', env)));

  // Forty applications for one pre-school, one after the other (the same day: in order of arrival).
  const def = t.app.catalogue.service('norrby', 'forskola')!;
  const queue = queueCompanion({ catalogue: t.app.catalogue, populationRegister: { lookup: async () => undefined } });
  for (let i = 0; i < APPLICATIONS; i++) {
    const pn = syntheticPersonalNumber(20_000 + i);
    const who = await signInResident(t, NORRBY, { personalNumber: pn, givenName: 'Förälder', familyName: `Nr ${i}` });
    const answers = { child: syntheticPersonalNumber(30_000 + i), preschools: [UNIT], startDate: '2027-04-01', careHours: 'from15to30', specialNeeds: 'no' };
    const now = new Date();
    const created = await tdb.transaction(async (tx) => {
      const joins = await prepareCompanions([queue], tx, { definition: def, answers, homePersonalNumber: pn, now });
      return createCase(tx, {
        definition: def,
        parties: [residentApplicant({ id: who.residentId, personalNumber: pn, name: `Förälder Nr ${i}` }), childSubject({ personalNumber: answers.child, name: `Barn ${i}`, birthDate: '2022-06-01' })],
        answers,
        locale: 'sv',
        draftId: null,
        email: undefined,
        siteUrl: `http://${NORRBY}`,
        now,
        record: joins.record,
        alsoWrite: (made) => joins.writes(made),
      });
    });
    people.set(created.id, who);
  }
});

after(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await t?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function inLine(): Promise<string[]> {
  const { rows } = await tdb.query<{ case_id: string }>('SELECT case_id FROM queue_entries WHERE tenant_id = $1 AND service_id = $2 AND queue = $3 ORDER BY k1, k2, k3, tie', ['forskola', UNIT]);
  return rows.map((r) => r.case_id);
}

async function openOffers(): Promise<{ id: string; case_id: string; vacancy_id: string }[]> {
  const { rows } = await tdb.query<{ id: string; case_id: string; vacancy_id: string }>("SELECT id, case_id, vacancy_id FROM queue_offers WHERE tenant_id = $1 AND queue = $2 AND status = 'open'", [UNIT]);
  return rows;
}

/** The answer page's CSRF token for the applicant (read in-process; the session is the database's, so valid in every process). */
async function tokenFor(caseId: string, offerId: string): Promise<string> {
  const r = await t!.app.inject({ url: `/my/cases/${caseId}/offers/${offerId}`, headers: { host: NORRBY, cookie: people.get(caseId)!.jar.header() } });
  assert.equal(r.statusCode, 200, `answer page of ${caseId}: ${r.statusCode}`);
  return csrfFrom(r.body);
}

async function answer(port: number, caseId: string, offerId: string, csrf: string, value: 'accept' | 'decline'): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/my/cases/${caseId}/offers/${offerId}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { host: NORRBY, cookie: people.get(caseId)!.jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, answer: value }).toString(),
  });
  await res.arrayBuffer();
  return res.status;
}

/** Every open place has one open offer, no application two, and the holders are the first in line. */
async function assertFairAndSingle(openPlaces: number) {
  const offers = await openOffers();
  assert.equal(new Set(offers.map((o) => o.vacancy_id)).size, offers.length, 'no place has two open offers');
  assert.equal(new Set(offers.map((o) => o.case_id)).size, offers.length, 'no application holds two open offers');
  assert.equal(offers.length, openPlaces, 'every open place is being offered');
  const line = await inLine();
  assert.deepEqual(new Set(offers.map((o) => o.case_id)), new Set(line.slice(0, offers.length)), 'those holding offers are the first in line: nobody skipped');
}

test(`declines over two server processes and lapses by the job at once, ${ROUNDS} rounds: never two offers for a place, never anyone skipped`, { skip, timeout: 300_000 }, async () => {
  const def = t!.app.catalogue.service('norrby', 'forskola')!;
  assert.ok(offering(def));
  const hanna = await signInStaff(t!, NORRBY, HANNA);
  const opened = await openVacancies(t!.app, tdb, def, { queue: UNIT, ageGroup: 'older', startDate: '2027-01-15', count: PLACES, staffId: hanna.staffId, siteUrl: `http://${NORRBY}`, now: new Date() });
  assert.equal(opened.offered, PLACES);
  await assertFairAndSingle(PLACES);
  const gone = new Set<string>();

  for (let round = 0; round < ROUNDS; round++) {
    const offers = await openOffers();
    // Half of them lapse (their deadline moved to the past), half are declined.
    const lapsing = offers.filter((_, i) => i % 2 === 0);
    const declining = offers.filter((_, i) => i % 2 === 1);
    await tdb.query("UPDATE queue_offers SET reply_by = now() - interval '1 second' WHERE tenant_id = $1 AND id = ANY($2::uuid[])", [lapsing.map((o) => o.id)]);
    const tokens = await Promise.all(declining.map((o) => tokenFor(o.case_id, o.id)));
    const now = new Date();
    const [statuses] = await Promise.all([
      Promise.all(declining.map((o, i) => answer(servers[i % servers.length]!.port, o.case_id, o.id, tokens[i]!, 'decline'))),
      // The job on several nodes at once (the scheduler's lock would let one run; the SQL must hold without it).
      ...[0, 1, 2].map(() => runOffers(t!.app, t!.tdb.db, now, () => `http://${NORRBY}`)),
    ]);
    assert.deepEqual(statuses, declining.map(() => 303), 'each decline is taken');
    for (const o of offers) gone.add(o.case_id);
    // Whatever a pass-on left undone (none should be), the job's next run does.
    await runOffers(t!.app, t!.tdb.db, new Date(), () => `http://${NORRBY}`);
    await assertFairAndSingle(PLACES);
    const line = await inLine();
    for (const id of gone) assert.ok(!line.includes(id), 'who declined, or let the offer lapse, left the queue');
  }
  const { rows } = await tdb.query<{ n: number }>("SELECT count(*)::int AS n FROM queue_offers WHERE tenant_id = $1 AND queue = $2 AND status IN ('said_no', 'expired')", [UNIT]);
  assert.equal(rows[0]!.n, PLACES * ROUNDS, 'every offer of every round was answered or lapsed exactly once');
});

test('the same offer accepted six times at once over two processes: one acceptance, one place filled', { skip, timeout: 120_000 }, async () => {
  const [offer] = await openOffers();
  assert.ok(offer);
  const csrf = await tokenFor(offer.case_id, offer.id);
  const statuses = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => answer(servers[i % servers.length]!.port, offer.case_id, offer.id, csrf, 'accept')));
  assert.equal(statuses.filter((s) => s === 303).length, 1, `statuses ${statuses.join(', ')}`);
  assert.equal(statuses.filter((s) => s === 409).length, 5);
  const { rows } = await tdb.query<{ status: string; filled: string | null }>('SELECT v.status, v.filled_by_case AS filled FROM queue_vacancies v WHERE v.tenant_id = $1 AND v.id = $2', [offer.vacancy_id]);
  assert.deepEqual(rows[0], { status: 'filled', filled: offer.case_id });
  const j = await tdb.query<{ n: number }>("SELECT count(*)::int AS n FROM journal WHERE tenant_id = $1 AND case_id = $2 AND kind = 'queue_offer_accepted'", [offer.case_id]);
  assert.equal(j.rows[0]!.n, 1, 'one acceptance in the journal');
});
