/**
 * The queue engine over HTTP (ADR 0043), on both databases: applications join a queue per choice
 * with the case, in the definition's order (priority group, queue date, distance, arrival); the
 * applicant sees each place and changes choices keeping the queue date; a case that ends leaves its
 * queues; staff see each queue in order. On PostgreSQL: concurrent changes and a withdrawal of one
 * case, and concurrent applications, never leave a queue with two at one place or a gap.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, NORRBY, SODERA } from '../../test/helpers/app.ts';
import { journey } from '../../test/helpers/journey.ts';
import { signInResident, signInStaff, ANNA, ELSA, ERIK, HANNA, INES, JONAS, KARIN, MAJA, NILS, type SignedIn } from '../../test/helpers/sign-in.ts';
import { testDialect } from '../../test/helpers/db.ts';
import { tenantScope } from '../kernel/db/index.ts';
import { distanceM, placesFor } from './order.ts';
import { compactQueueCounts, placesOfCase } from './queues.repository.ts';

const t = await createTestApp({ now: '2026-11-23T10:00:00Z' });
after(() => t.close());
const { get, post, startDraft, withdraw } = journey(t);
const tdb = tenantScope(t.tdb.db, 'norrby');

async function apply(who: SignedIn, child: string, choices: string[], opts: { specialNeeds?: boolean } = {}) {
  const draft = await startDraft(who);
  const form: Record<string, string> = {};
  choices.forEach((c, i) => (form[`preschools.${i}`] = c));
  const steps: [string, Record<string, string>][] = [
    ['child', { child }],
    ['preschools', form],
    ['start', { startDate: '2027-04-01', earlyReason: '' }],
    ['hours', { careHours: 'from15to30' }],
    ['needs', opts.specialNeeds ? { specialNeeds: 'yes', specialNeedsDescription: 'Stöd med språket.', _asked: 'specialNeedsDescription' } : { specialNeeds: 'no', specialNeedsDescription: '' }],
    ['contact', { email: `${child}@example.se`, phone: '070-123 45 67' }],
  ];
  for (const [step, f] of steps) {
    const pageR = await get(who, `/apply/${draft}/${step}`);
    assert.equal(pageR.statusCode, 200, `${step} page: ${pageR.statusCode} ${String(pageR.headers.location)}`);
    const r = await post(who, `/apply/${draft}/${step}`, f, pageR.body);
    assert.equal(r.statusCode, 303, `${step}: ${r.body.slice(0, 300)}`);
  }
  const check = await get(who, `/apply/${draft}/check`);
  assert.equal(check.statusCode, 200, `check: ${check.statusCode} ${String(check.headers.location)}`);
  const r = await post(who, `/apply/${draft}/submit`, {}, check.body);
  assert.equal(r.headers.location, `/apply/${draft}/confirmation`);
  const { rows } = await tdb.query<{ id: string }>('SELECT submitted_case_id AS id FROM drafts WHERE tenant_id = $1 AND id = $2', [draft]);
  return rows[0]!.id;
}

async function places(caseId: string) {
  const { rows } = await tdb.query<{ queue: string; rank: number; grp: number; queue_date: string }>(
    'SELECT queue, rank, grp, queue_date::text AS queue_date FROM queue_entries WHERE tenant_id = $1 AND case_id = $2 ORDER BY rank',
    [caseId],
  );
  return rows;
}

/** "Nummer 2 av 3" for each choice on the case page, in the page's order. */
function positionsOn(html: string): string[] {
  return [...html.matchAll(/<strong>(Nummer|Number) ([\d\s ]+) (av|of) ([\d\s ]+)<\/strong>/g)].map((m) => `${m[2]!.replace(/\D/g, '')}/${m[4]!.replace(/\D/g, '')}`);
}

let anna = await signInResident(t, NORRBY, ANNA);
let karin = await signInResident(t, NORRBY, KARIN);
let erik = await signInResident(t, NORRBY, ERIK);

// Anna first (Elsa: Ekbacken, Solrosen), then Karin (Nils: Solrosen, Ekbacken), then Erik's Maja with a
// need for special support (Solrosen): she goes first in the Solrosen queue whatever the order of arrival.
// Elsa and Nils applied the same day, so between them the shorter distance from home goes first.
const elsaCase = await apply(anna, ELSA, ['nby-ekbacken', 'nby-solrosen']);
const nilsCase = await apply(karin, NILS, ['nby-solrosen', 'nby-ekbacken']);
const majaCase = await apply(erik, MAJA, ['nby-solrosen'], { specialNeeds: true });

async function distanceTo(caseId: string, queue: string): Promise<number> {
  const { rows } = await tdb.query<{ d: number }>('SELECT distance_m AS d FROM queue_entries WHERE tenant_id = $1 AND case_id = $2 AND queue = $3', [caseId, queue]);
  return rows[0]!.d;
}
/** Elsa's and Nils's places where both queue: first is the one who lives closer. */
const elsaCloserTo = async (queue: string) => (await distanceTo(elsaCase, queue)) < (await distanceTo(nilsCase, queue));

test('a submitted application stands in one queue per choice, in the definition order, and the journal records it', async () => {
  assert.deepEqual((await places(elsaCase)).map((p) => [p.queue, p.rank, p.grp, p.queue_date]), [
    ['nby-ekbacken', 0, 1, '2026-11-23'],
    ['nby-solrosen', 1, 1, '2026-11-23'],
  ]);
  assert.deepEqual((await places(majaCase)).map((p) => [p.queue, p.grp]), [['nby-solrosen', 0]]);
  const { rows } = await tdb.query<{ payload: { queue: { date: string; places: { queue: string; group: number; distanceM?: number }[] } } }>(
    "SELECT payload FROM journal WHERE tenant_id = $1 AND case_id = $2 AND kind = 'submitted'",
    [elsaCase],
  );
  assert.equal(rows[0]!.payload.queue.date, '2026-11-23');
  assert.deepEqual(rows[0]!.payload.queue.places.map((p) => p.queue), ['nby-ekbacken', 'nby-solrosen']);
  // Anna's address has a position in the register, so the distance to each pre-school was measured.
  assert.ok(rows[0]!.payload.queue.places.every((p) => typeof p.distanceM === 'number' && p.distanceM > 0));
});

test('the applicant sees their place in each queue, with the number ahead and how the queue is ordered', async () => {
  const elsa = await get(anna, `/my/cases/${elsaCase}`);
  assert.equal(elsa.statusCode, 200);
  assert.match(elsa.body, /Din plats i kön/);
  // Ekbacken: Elsa and Nils by distance. Solrosen: Maja (special support) first, then Elsa and Nils by distance.
  const ek = (await elsaCloserTo('nby-ekbacken')) ? 1 : 2;
  const so = (await elsaCloserTo('nby-solrosen')) ? 2 : 3;
  assert.deepEqual(positionsOn(elsa.body), [`${ek}/2`, `${so}/3`]);
  assert.match(elsa.body, /Val 1: Ekbackens förskola/);
  assert.match(elsa.body, ek === 1 ? /Ingen står före/ : /1 står före/);
  assert.match(elsa.body, so === 2 ? /1 står före/ : /2 står före/);
  assert.match(elsa.body, /km hemifrån/);
  assert.match(elsa.body, /Kön ordnas efter förtur \(Barn i behov av särskilt stöd\) först, sedan ködatum, sedan avstånd hemifrån/);
  assert.match(elsa.body, /href="\/my\/cases\/[0-9a-f-]+\/queue-choices"/);
  assert.deepEqual(positionsOn((await get(karin, `/my/cases/${nilsCase}`)).body), [`${5 - so}/3`, `${3 - ek}/2`]);
  const maja = await get(erik, `/my/cases/${majaCase}`);
  assert.deepEqual(positionsOn(maja.body), ['1/3']);
  assert.match(maja.body, /Förtur: Barn i behov av särskilt stöd/);
  // In English too.
  const en = await signInResident(t, NORRBY, ANNA, 'en');
  const page = await get(en, `/my/cases/${elsaCase}`);
  assert.match(page.body, /Your place in the queue/);
  assert.deepEqual(positionsOn(page.body), [`${ek}/2`, `${so}/3`]);
  assert.match(page.body, /The queue is ordered by priority/);
});

test('nobody else reads or changes the places: another resident gets not found', async () => {
  for (const url of [`/my/cases/${elsaCase}/queue-choices`]) assert.equal((await get(karin, url)).statusCode, 404);
  const r = await post(karin, `/my/cases/${elsaCase}/queue-choices`, { 'preschools.0': 'nby-hamnen' }, `/my/cases/${nilsCase}/queue-choices`);
  assert.equal(r.statusCode, 404);
  assert.deepEqual((await places(elsaCase)).map((p) => p.queue), ['nby-ekbacken', 'nby-solrosen']);
  // Another municipality does not know the case.
  const sodera = await signInResident(t, SODERA, ANNA);
  assert.equal((await get(sodera, `/my/cases/${elsaCase}/queue-choices`)).statusCode, 404);
});

test('bad choices are refused with the reason, the posted choices kept and nothing changed', async () => {
  const page = (await get(anna, `/my/cases/${elsaCase}/queue-choices`)).body;
  assert.match(page, /<h1[^>]*>[^<]*Vilka vill du stå i kö till\?/);
  const cases: [Record<string, string | string[]>, RegExp][] = [
    [{ 'preschools.0': 'nby-hamnen', 'preschools.1': 'nby-hamnen' }, /Välj inte samma alternativ två gånger/],
    [{ 'preschools.0': '' }, /Välj minst ett alternativ/],
    [{ 'preschools.0': '<script>alert(1)</script>' }, /Välj bland alternativen i listan/],
    [{ 'preschools.0': "nby-hamnen' OR 1=1 --" }, /Välj bland alternativen i listan/],
    [{ 'preschools.0': '../../etc/passwd' }, /Välj bland alternativen i listan/],
    [{ 'preschools.0': ['nby-hamnen', 'nby-solrosen'] }, /Välj bland alternativen i listan/],
    [{ 'preschools.0': 'x'.repeat(100_000) }, /Välj bland alternativen i listan/],
  ];
  for (const [form, message] of cases) {
    const r = await post(anna, `/my/cases/${elsaCase}/queue-choices`, form, page);
    assert.equal(r.statusCode, 400, JSON.stringify(form));
    assert.match(r.body, message);
    assert.match(r.body, /Det finns ett problem/);
    assert.doesNotMatch(r.body, /<script>alert/);
  }
  // The duplicate's first choice is kept selected on the page it comes back to.
  const dup = await post(anna, `/my/cases/${elsaCase}/queue-choices`, { 'preschools.0': 'nby-hamnen', 'preschools.1': 'nby-hamnen' }, page);
  assert.match(dup.body, /<option value="nby-hamnen" selected/);
  assert.deepEqual((await places(elsaCase)).map((p) => p.queue), ['nby-ekbacken', 'nby-solrosen']);
});

test('changing choices keeps the queue date: a new choice is placed by it, ahead of later applications', async () => {
  // Jonas's Ines applies a week later for Hamnen.
  t.clock.set(new Date('2026-11-30T10:00:00Z'));
  // A week on: everyone signs in again.
  [anna, karin, erik] = await Promise.all([signInResident(t, NORRBY, ANNA), signInResident(t, NORRBY, KARIN), signInResident(t, NORRBY, ERIK)]);
  const jonas = await signInResident(t, NORRBY, JONAS);
  const inesCase = await apply(jonas, INES, ['nby-hamnen']);
  assert.deepEqual(positionsOn((await get(jonas, `/my/cases/${inesCase}`)).body), ['1/1']);
  // Anna now adds Hamnen first, keeps Ekbacken, drops Solrosen: Elsa goes ahead of Ines (older queue date).
  const page = (await get(anna, `/my/cases/${elsaCase}/queue-choices`)).body;
  const r = await post(anna, `/my/cases/${elsaCase}/queue-choices`, { 'preschools.0': 'nby-hamnen', 'preschools.1': 'nby-ekbacken', 'preschools.2': '' }, page);
  assert.equal(r.statusCode, 303);
  assert.equal(r.headers.location, `/my/cases/${elsaCase}?done=choices#notice`);
  assert.deepEqual((await places(elsaCase)).map((p) => [p.queue, p.rank, p.queue_date]), [
    ['nby-hamnen', 0, '2026-11-23'],
    ['nby-ekbacken', 1, '2026-11-23'],
  ]);
  const after = await get(anna, `/my/cases/${elsaCase}?done=choices`);
  assert.match(after.body, /Dina val är sparade/);
  assert.match(after.body, /role="status"/);
  assert.deepEqual(positionsOn(after.body), ['1/2', `${(await elsaCloserTo('nby-ekbacken')) ? 1 : 2}/2`]);
  assert.deepEqual(positionsOn((await get(jonas, `/my/cases/${inesCase}`)).body), ['2/2']);
  // Solrosen lost Elsa: Nils is right behind Maja.
  assert.equal(positionsOn((await get(karin, `/my/cases/${nilsCase}`)).body)[0], '2/2');
  // Journaled, and the applicant told by e-mail.
  const { rows } = await tdb.query<{ payload: { from: string[]; to: string[]; queueDate: string } }>("SELECT payload FROM journal WHERE tenant_id = $1 AND case_id = $2 AND kind = 'queue_choices_changed'", [elsaCase]);
  assert.deepEqual(rows.map((x) => [x.payload.from, x.payload.to, x.payload.queueDate]), [[['nby-ekbacken', 'nby-solrosen'], ['nby-hamnen', 'nby-ekbacken'], '2026-11-23']]);
  const mail = await tdb.query<{ n: number }>("SELECT count(*)::int AS n FROM outbox WHERE tenant_id = $1 AND payload->>'subject' LIKE 'Dina val är ändrade%'");
  assert.equal(mail.rows[0]!.n, 1);
  assert.match((await get(anna, `/my/cases/${elsaCase}`)).body, /Valen i kön ändrades/);
});

test('staff see each queue in its order; other departments may not', async () => {
  const hanna = await signInStaff(t, NORRBY, HANNA);
  const list = await get(hanna, '/staff/queues');
  assert.equal(list.statusCode, 200);
  assert.match(list.body, /Förskolan Solrosen/);
  const solrosen = await get(hanna, '/staff/queues/forskola/nby-solrosen');
  assert.equal(solrosen.statusCode, 200);
  const refs = [...solrosen.body.matchAll(/>(FSK-\d{4}-\d{6})</g)].map((m) => m[1]);
  const ref = async (id: string) => (await tdb.query<{ reference: string }>('SELECT reference FROM cases WHERE tenant_id = $1 AND id = $2', [id])).rows[0]!.reference;
  assert.deepEqual(refs, [await ref(majaCase), await ref(nilsCase)]);
  assert.match(solrosen.body, /Barn i behov av särskilt stöd/);
  assert.equal((await get(hanna, '/staff/queues/forskola/no-such-unit')).statusCode, 404);
  assert.equal((await get(hanna, '/staff/queues/no-such-service/_')).statusCode, 404);
  // The handler's case page names the place too.
  assert.match((await get(hanna, `/staff/cases/${nilsCase}`)).body, /Plats i kön/);
  const other = await signInStaff(t, NORRBY, { username: 'otto', displayName: 'Otto Other', roles: ['handler'], departments: ['technical'] });
  assert.equal((await get(other, '/staff/queues')).statusCode, 403);
  assert.equal((await get(other, '/staff/queues/forskola/nby-solrosen')).statusCode, 404);
  assert.equal((await get(anna, '/staff/queues')).statusCode, 303);
});

test('a case that ends leaves every queue it stood in, and the others move up', async () => {
  await withdraw(erik, majaCase);
  assert.deepEqual(await places(majaCase), []);
  assert.equal(positionsOn((await get(karin, `/my/cases/${nilsCase}`)).body)[0], '1/1');
  // A withdrawn case's choices cannot be changed: the page says why (409), nothing is written.
  const r = await get(erik, `/my/cases/${majaCase}/queue-choices`);
  assert.equal(r.statusCode, 409);
  assert.match(r.body, /står inte i någon kö/);
  assert.doesNotMatch((await get(erik, `/my/cases/${majaCase}`)).body, /Din plats i kön/);
});

test('summing the queue counts changes no position', async () => {
  const before = positionsOn((await get(karin, `/my/cases/${nilsCase}`)).body);
  const { rows: deltas } = await tdb.query<{ n: number }>('SELECT count(*)::int AS n FROM queue_counts WHERE tenant_id = $1', []);
  assert.ok(deltas[0]!.n > 0);
  await compactQueueCounts(t.tdb.db);
  await compactQueueCounts(t.tdb.db);
  const { rows: blocks } = await tdb.query<{ n: number; neg: number }>('SELECT count(*)::int AS n, count(*) FILTER (WHERE n <= 0)::int AS neg FROM queue_counts WHERE tenant_id = $1', []);
  assert.ok(blocks[0]!.n < deltas[0]!.n, `${blocks[0]!.n} blocks after compaction, ${deltas[0]!.n} deltas before`);
  assert.equal(blocks[0]!.neg, 0);
  assert.deepEqual(positionsOn((await get(karin, `/my/cases/${nilsCase}`)).body), before);
  // The blocks still add up to the places.
  const { rows } = await tdb.query<{ counted: number; places: number }>(
    "SELECT (SELECT coalesce(sum(n), 0)::int FROM queue_counts WHERE tenant_id = $1) AS counted, (SELECT count(*)::int FROM queue_entries WHERE tenant_id = $1) AS places",
  );
  assert.equal(rows[0]!.counted, rows[0]!.places);
  const { rows: spans } = await tdb.query<{ counted: number; neg: number }>(
    'SELECT coalesce(sum(n), 0)::int AS counted, count(*) FILTER (WHERE n <= 0)::int AS neg FROM queue_span_counts WHERE tenant_id = $1',
  );
  assert.deepEqual(spans[0], { counted: rows[0]!.places, neg: 0 }, 'the spans add up to the places too');
});

test('a position over months of queue dates and two groups is the count of those before it, before and after summing, after some leave', async () => {
  // Places written straight into one queue (the engine's SQL is what is tested): two priority groups,
  // queue dates over 200 days (spans of 32 days and the blocks inside them), distances, arrival.
  const service = 'span-check';
  const entries = Array.from({ length: 400 }, (_, i) => ({ caseId: `00000000-0000-7000-8000-${String(i).padStart(12, '0')}`, k1: i % 7 === 0 ? 0 : 1, k2: 20_000 + ((i * 37) % 200), k3: (i * 7919) % 5000, tie: i }));
  for (const e of entries) {
    await tdb.query(
      "INSERT INTO queue_entries (tenant_id, service_id, queue, case_id, rank, grp, queue_date, distance_m, tie, k1, k2, k3, joined_at) VALUES ($1, $2, 'q', $3::uuid, 0, $4::smallint, '2026-01-01', NULL, $5, $4::bigint, $6, $7, now())",
      [service, e.caseId, e.k1, e.tie, e.k2, e.k3],
    );
  }
  const naive = async (caseId: string) =>
    (await tdb.query<{ n: number }>(
      `SELECT count(*)::int + 1 AS n FROM queue_entries o, queue_entries e
        WHERE o.tenant_id = $1 AND e.tenant_id = $1 AND e.service_id = $2 AND e.case_id = $3 AND o.service_id = e.service_id AND o.queue = e.queue AND (o.k1, o.k2, o.k3, o.tie) < (e.k1, e.k2, e.k3, e.tie)`,
      [service, caseId],
    )).rows[0]!.n;
  const check = async (label: string) => {
    const standing = (await tdb.query<{ case_id: string }>('SELECT case_id FROM queue_entries WHERE tenant_id = $1 AND service_id = $2', [service])).rows.map((r) => r.case_id);
    for (const caseId of standing.filter((_, i) => i % 9 === 0)) {
      const [place] = await placesOfCase(tdb, caseId);
      assert.equal(place!.position, await naive(caseId), `${label}: ${caseId}`);
      assert.equal(place!.total, standing.length, label);
    }
  };
  await check('deltas only');
  await compactQueueCounts(t.tdb.db);
  await check('summed');
  await tdb.query("DELETE FROM queue_entries WHERE tenant_id = $1 AND service_id = $2 AND tie % 5 = 0", [service]);
  await check('after some left');
  await compactQueueCounts(t.tdb.db);
  await check('after some left, summed');
  await tdb.query('DELETE FROM queue_entries WHERE tenant_id = $1 AND service_id = $2', [service]);
  await compactQueueCounts(t.tdb.db);
});

test('distance is the great-circle distance, and unknown distances go last', () => {
  // Stockholm City Hall to Uppsala Cathedral: about 64 km.
  const d = distanceM({ lat: 59.3275, lon: 18.0543 }, { lat: 59.858, lon: 17.6339 });
  assert.ok(d > 62_000 && d < 66_000, String(d));
  const def = { queue: { choices: 'c', order: ['groups', 'queueDate', 'distance'] as ('groups' | 'queueDate' | 'distance')[], groups: [{ id: 'g', label: { sv: 'G', en: 'G' }, when: { '==': [{ var: '$choice.area' }, 'Hamnen'] } }] } };
  const entries = new Map([
    ['a', { id: 'a', name: 'A', area: 'Hamnen', position: { lat: 59.33, lon: 18.06 } }],
    ['b', { id: 'b', name: 'B', area: 'Centrum' }],
  ]);
  const [a, b] = placesFor(def, { answers: {}, choices: ['a', 'b'], entries: (id) => entries.get(id), home: { lat: 59.3275, lon: 18.0543 }, queueDate: '2026-11-23', today: '2026-11-23' });
  assert.equal(a!.group, 0);
  assert.equal(b!.group, 1);
  assert.ok(a!.distanceM! > 0 && a!.distanceM! < 1000);
  assert.equal(b!.distanceM, null);
  assert.deepEqual(b!.keys, [1, a!.keys[1], 2 ** 31 - 1]);
});

test('concurrent changes of choices and a withdrawal of one case: one outcome, whole, and the queue stays without gaps', { skip: testDialect !== 'postgres' && 'PGlite runs one transaction at a time' }, async () => {
  const caseId = nilsCase;
  const page = (await get(karin, `/my/cases/${caseId}/queue-choices`)).body;
  const sets = [['nby-hamnen'], ['nby-ugglan', 'nby-hamnen'], ['nby-fjallet'], ['nby-lingonet', 'nby-ugglan'], ['nby-myrstacken'], ['nby-hamnen', 'nby-fjallet', 'nby-ugglan']];
  const confirm = await get(karin, `/my/cases/${caseId}/withdraw`);
  const posts = [
    ...sets.flatMap((set) => [0, 1].map(() => post(karin, `/my/cases/${caseId}/queue-choices`, Object.fromEntries(set.map((q, i) => [`preschools.${i}`, q])), page))),
    post(karin, `/my/cases/${caseId}/withdraw`, {}, confirm.body),
  ];
  const results = await Promise.all(posts);
  for (const r of results) assert.ok([303, 200, 409].includes(r.statusCode), `${r.statusCode} ${r.body.slice(0, 200)}`);
  const left = await places(caseId);
  const { rows: status } = await tdb.query<{ status: string }>('SELECT status FROM cases WHERE tenant_id = $1 AND id = $2', [caseId]);
  // Withdrawn last (or first): no places; a change can never bring a withdrawn case back into a queue.
  assert.equal(status[0]!.status, 'withdrawn');
  assert.deepEqual(left, []);
  const changes = await tdb.query<{ n: number }>("SELECT count(*)::int AS n FROM journal WHERE tenant_id = $1 AND case_id = $2 AND kind = 'queue_choices_changed'", [caseId]);
  const accepted = results.slice(0, -1).filter((r) => r.statusCode === 303).length;
  assert.equal(changes.rows[0]!.n, accepted);
  // Every queue still counts 1..n with no two at one place.
  const { rows } = await tdb.query<{ queue: string; positions: number[] }>(
    `SELECT queue, array_agg(n ORDER BY n) AS positions FROM (
       SELECT queue, row_number() OVER (PARTITION BY queue ORDER BY k1, k2, k3, tie)::int AS n FROM queue_entries WHERE tenant_id = $1 AND service_id = 'forskola') x GROUP BY queue`,
  );
  for (const r of rows) assert.deepEqual(r.positions, r.positions.map((_, i) => i + 1));
});
