/**
 * Allocation rounds over HTTP (ADR 0044, 0045), on the demo catalogue's school choice (skolval) and
 * Norrby's schools: staff of the education department open a round, see the applications it takes,
 * freeze it (its snapshot, hash and seed the first entry of the round's own journal chain), preview
 * and publish it; the cases move on with their result, why and e-mail; the family reads it in
 * Swedish and English; the public page shows the hash and the seed and nothing personal. The frozen
 * inputs are not changed by later answers, register capacities or new applications. Other
 * departments get 403/404, another municipality 404; bad input is answered. `archive verify` checks
 * the round's chain, a round's chain altered is found. On PostgreSQL: ten freezes and ten
 * publications at once, exactly one of each.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, NORRBY, SODERA } from '../../test/helpers/app.ts';
import { testDialect } from '../../test/helpers/db.ts';
import { journey } from '../../test/helpers/journey.ts';
import { signInResident, signInStaff, ANNA, HANNA } from '../../test/helpers/sign-in.ts';
import { tenantScope } from '../kernel/db/index.ts';
import { createCase, residentApplicant, changeCase } from '../cases/index.ts';
import { verifyArchive, readChain } from '../archive/index.ts';
import { readFrozen, runSnapshot, snapshotHash, verifyRound } from './rounds.ts';
import { getRound } from './rounds.repository.ts';

const SERVICE = 'skolval';
const FJALL = 'nby-fjallskolan';
const CENTRUM = 'nby-centrumskolan';

const t = await createTestApp({ now: '2027-03-01T09:00:00Z' });
after(() => t.close());
const { get, post } = journey(t);
const norrby = tenantScope(t.tdb.db, 'norrby');
const rows = <T>(sql: string, params: unknown[] = []) => t.tdb.db.query(sql, params).then((x) => x.rows as T[]);
const def = t.app.catalogue.service('norrby', SERVICE)!;

const anna = await signInResident(t, NORRBY, ANNA);
const hanna = await signInStaff(t, NORRBY, HANNA);

/** A school choice sent and co-signed (in the state a round takes), Anna its applicant. */
async function application(schools: string[], extra: Record<string, unknown> = {}): Promise<{ id: string; reference: string }> {
  return norrby.transaction((tx) =>
    createCase(tx, {
      definition: def,
      parties: [residentApplicant({ id: anna.residentId, personalNumber: ANNA.personalNumber, name: 'Anna Andersson' })],
      answers: { schools, sibling: 'no', email: 'anna@example.se', ...extra },
      locale: 'sv',
      draftId: null,
      email: undefined,
      siteUrl: 'http://norrby.localhost',
      now: t.clock.now(),
      status: 'submitted',
    }),
  );
}

// Fjällskolan has 4 places and all twelve want it: the sibling first, then the lottery. Five would
// take Centrumskolan (8 places) next; six have no other choice.
const sibling = await application([FJALL], { sibling: 'yes', siblingSchool: FJALL });
const only: { id: string; reference: string }[] = [];
for (let i = 0; i < 6; i++) only.push(await application([FJALL]));
const two: { id: string; reference: string }[] = [];
for (let i = 0; i < 5; i++) two.push(await application([FJALL, CENTRUM]));
const all = [sibling, ...only, ...two];

let roundId = '';
const roundUrl = () => `/staff/allocation/rounds/${roundId}`;

test('only staff who may handle the service reach the rounds: another department 403, a resident to sign-in, another municipality 404', async () => {
  const other = await signInStaff(t, NORRBY, { username: 'kalle-alloc', displayName: 'Kalle Teknik', roles: ['handler'], departments: ['technical'] });
  assert.equal((await get(other, '/staff/allocation')).statusCode, 403);
  const asResident = await get(anna, '/staff/allocation');
  assert.ok([302, 303].includes(asResident.statusCode), String(asResident.statusCode));
  const list = await get(hanna, '/staff/allocation');
  assert.equal(list.statusCode, 200);
  assert.match(list.body, /Omgångar för Skolval till förskoleklass och grundskola/);
  // Another department's member may not open one either.
  const refused = await post(other, `/staff/allocation/${SERVICE}/rounds`, {}, (await get(other, '/staff')).body);
  assert.equal(refused.statusCode, 404);
  assert.equal((await rows('SELECT 1 FROM allocation_rounds')).length, 0);
});

test('staff open a round (one at a time), see the applications it takes with each choice\'s priority, and bad input is answered', async () => {
  const list = await get(hanna, '/staff/allocation');
  // Hanna handles more than one service with rounds: each service's button says which it starts a round for, so
  // they are told apart in page order and in a screen reader's list of buttons.
  const buttons = [...list.body.matchAll(/<button[^>]*>([\s\S]*?)<\/button>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim()).filter((b) => b.startsWith('Starta en ny omgång'));
  assert.ok(buttons.length >= 2, buttons.join(' | '));
  assert.equal(new Set(buttons).size, buttons.length, buttons.join(' | '));
  assert.ok(buttons.includes('Starta en ny omgång för Skolval till förskoleklass och grundskola'), buttons.join(' | '));
  assert.equal((await post(hanna, '/staff/allocation/no-such-service/rounds', {}, list.body)).statusCode, 404);
  const opened = await post(hanna, `/staff/allocation/${SERVICE}/rounds`, {}, list.body);
  assert.equal(opened.statusCode, 303, opened.body.slice(0, 300));
  roundId = /rounds\/([0-9a-f-]{36})\?done=opened$/.exec(String(opened.headers.location))![1]!;
  const again = await post(hanna, `/staff/allocation/${SERVICE}/rounds`, {}, list.body);
  assert.equal(again.statusCode, 409);
  assert.match(again.body, /Det finns redan en omgång som inte är publicerad/);
  // The error summary's link leads to something on the page (the service's heading: its button is gone while a round is open).
  const target = /class="ds-error-summary"[\s\S]*?href="#([^"]+)"/.exec(again.body)![1]!;
  assert.match(again.body, new RegExp(`id="${target}"`));
  const page = await get(hanna, `${roundUrl()}?done=opened`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Omgången är startad\./);
  assert.match(page.body, /Ansökningar omgången tar med just nu: 12/);
  assert.match(page.body, /Fjällskolan \(Syskon på skolan\)/);
  assert.match(page.body, /Centrumskolan \(Övriga sökande\)/);
  for (const bad of ['/staff/allocation/rounds/not-a-round', '/staff/allocation/rounds/00000000-0000-7000-8000-000000000000']) assert.equal((await get(hanna, bad)).statusCode, 404, bad);
  // Without the confirmation: asked for, with nothing frozen.
  const unconfirmed = await post(hanna, `${roundUrl()}/freeze`, {}, page.body);
  assert.equal(unconfirmed.statusCode, 400);
  assert.match(unconfirmed.body, /Kryssa i att du har kontrollerat ansökningarna/);
  const notYet = await post(hanna, `${roundUrl()}/publish`, { reviewed: 'yes' }, page.body);
  assert.equal(notYet.statusCode, 409);
  assert.equal((await getRound(norrby, roundId))!.status, 'open');
  // The public page says nothing is frozen yet.
  const pub = await t.app.inject({ url: `/allocation/rounds/${roundId}`, headers: { host: NORRBY } });
  assert.match(pub.body, /Underlaget är inte låst än/);
});

test('another department and another municipality: the round is not found', async () => {
  // Culture and leisure handles the camp rounds, not the school choice's.
  const other = await signInStaff(t, NORRBY, { username: 'kalle-alloc2', displayName: 'Kalle Kultur', roles: ['handler'], departments: ['culture-and-leisure'] });
  assert.equal((await get(other, roundUrl())).statusCode, 404);
  const sodera = await signInStaff(t, SODERA, { username: 'sara-sodera', displayName: 'Sara Söderå', roles: ['handler'], departments: ['education'] });
  assert.equal((await get(sodera, roundUrl())).statusCode, 404);
  assert.equal((await get(sodera, '/staff/allocation')).statusCode, 403, 'Söderå offers no allocation service');
  assert.equal((await t.app.inject({ url: `/allocation/rounds/${roundId}`, headers: { host: SODERA } })).statusCode, 404);
});

test('the freeze: one transaction writes the snapshot, its hash and a fresh seed as the first entry of the round\'s chain; a second freeze is refused', async () => {
  const page = await get(hanna, roundUrl());
  const frozen = await post(hanna, `${roundUrl()}/freeze`, { reviewed: 'yes' }, page.body);
  assert.equal(frozen.statusCode, 303, frozen.body.slice(0, 400));
  const round = (await getRound(norrby, roundId))!;
  assert.equal(round.status, 'frozen');
  assert.match(round.seed!, /^[0-9a-f]{64}$/);
  assert.equal(round.applications, 12);
  const chain = await readChain(norrby, roundId);
  assert.deepEqual(chain.map((e) => e.kind), ['round_frozen']);
  const f = (await readFrozen(norrby, roundId))!;
  assert.equal(snapshotHash(f.snapshot), round.inputsHash);
  assert.equal(f.seed, round.seed);
  assert.deepEqual(f.snapshot.children.map((c) => c.id), all.map((c) => c.id).sort());
  assert.deepEqual(f.snapshot.children.find((c) => c.id === sibling.id)!.choices, [{ school: FJALL, group: 0 }]);
  assert.equal(f.snapshot.schools.find((s) => s.id === FJALL)!.capacity, 4);
  const shown = await get(hanna, `${roundUrl()}?done=frozen`);
  assert.match(shown.body, /Underlaget är låst och lottens frö är draget\./);
  assert.ok(shown.body.includes(round.inputsHash!) && shown.body.includes(round.seed!));
  assert.match(shown.body, /Förhandsgranskning av resultatet/);
  const again = await post(hanna, `${roundUrl()}/freeze`, { reviewed: 'yes' }, shown.body);
  assert.equal(again.statusCode, 409);
  assert.match(again.body, /Underlaget är redan låst/);
  assert.equal((await readChain(norrby, roundId)).length, 1);
  // The public page: the hash and the seed, no case and no name.
  const pub = await t.app.inject({ url: `/allocation/rounds/${roundId}`, headers: { host: NORRBY } });
  assert.equal(pub.statusCode, 200);
  assert.ok(pub.body.includes(round.inputsHash!) && pub.body.includes(round.seed!));
  assert.doesNotMatch(pub.body, /SKV-\d{4}|Anna|19880314/);
  const audit = await rows(`SELECT action FROM audit_log WHERE object_id = $1 ORDER BY at, action`, [roundId]);
  assert.deepEqual(audit.map((a) => (a as { action: string }).action).sort(), ['allocation.round.freeze', 'allocation.round.open']);
});

test('the frozen inputs stay as they were: later answers and new applications change neither the preview nor the result (registers are not read again either: publishing takes none)', async () => {
  const before = runSnapshot((await readFrozen(norrby, roundId))!.snapshot, (await getRound(norrby, roundId))!.seed!);
  await t.tdb.db.query(`UPDATE cases SET answers = jsonb_set(answers, '{schools}', '["${CENTRUM}"]') WHERE tenant_id = 'norrby' AND id = $1`, [only[0]!.id]);
  const late = await application([FJALL]);
  {
    const page = await get(hanna, roundUrl());
    assert.match(page.body, /12 ansökningar: \d+ fick plats, \d+ fick ingen plats\./);
    const after_ = runSnapshot((await readFrozen(norrby, roundId))!.snapshot, (await getRound(norrby, roundId))!.seed!);
    assert.deepEqual(after_, before);
    assert.equal(after_.schools.find((s) => s.id === FJALL)!.admitted, 4);
    // Publishing reads the frozen snapshot too; the late application is not in the round.
    const published = await post(hanna, `${roundUrl()}/publish`, { reviewed: 'yes' }, page.body);
    assert.equal(published.statusCode, 303, published.body.slice(0, 400));
  }
  const [lateRow] = await rows<{ status: string }>('SELECT status FROM cases WHERE id = $1', [late.id]);
  assert.equal(lateRow!.status, 'submitted');
  assert.equal((await rows(`SELECT 1 FROM journal WHERE case_id = $1 AND kind = 'allocation_result'`, [late.id])).length, 0);
  await changeCase(norrby, late.id, t.clock.now(), () => ({ patch: { status: 'withdrawn' }, journal: [{ kind: 'withdrawn', actorKind: 'resident', actorId: anna.residentId, payload: {} }] }));
});

test('publication: every case moved with its result, why and e-mail in one transaction; the result hash on the round\'s chain; a second publication refused', async () => {
  const round = (await getRound(norrby, roundId))!;
  assert.equal(round.status, 'published');
  const chain = await readChain(norrby, roundId);
  assert.deepEqual(chain.map((e) => e.kind), ['round_frozen', 'round_published']);
  assert.equal((chain[1]!.payload as { resultHash: string }).resultHash, round.resultHash);
  const states = await rows<{ id: string; status: string }>(`SELECT id, status FROM cases WHERE id = ANY($1::uuid[])`, [all.map((c) => c.id)]);
  const status = new Map(states.map((s) => [s.id, s.status]));
  assert.equal(status.get(sibling.id), 'placed');
  for (const c of two) assert.equal(status.get(c.id), 'placed', 'each with two choices got one');
  const nowhere = only.filter((c) => status.get(c.id) === 'in_progress');
  assert.equal(only.filter((c) => status.get(c.id) === 'placed').length + nowhere.length, 6);
  assert.equal(round.summary!.placed + round.summary!.notPlaced, 12);
  assert.equal(round.summary!.notPlaced, nowhere.length);
  assert.ok(nowhere.length >= 1 && nowhere.length <= 6);
  const results = await rows<{ case_id: string; payload: { school: { id: string } | null; rank: number | null; above: unknown[] } }>(`SELECT case_id, payload FROM journal WHERE kind = 'allocation_result' AND case_id = ANY($1::uuid[])`, [all.map((c) => c.id)]);
  assert.equal(results.length, 12);
  const fjallCount = results.filter((r) => r.payload.school?.id === FJALL).length;
  assert.equal(fjallCount, 4);
  const mails = await rows<{ payload: { to: string; subject: string; text: string } }>(`SELECT payload FROM outbox WHERE payload->>'subject' LIKE 'Resultat av fördelningen%'`);
  assert.equal(mails.length, 12);
  assert.ok(mails.every((m) => m.payload.to === 'anna@example.se'));
  assert.ok(mails.some((m) => /ingen plats på något av de val ni gjorde/.test(m.payload.text) && /Antagningsenheten erbjuder barnet en plats/.test(m.payload.text)));
  const page = await get(hanna, roundUrl());
  const again = await post(hanna, `${roundUrl()}/publish`, { reviewed: 'yes' }, page.body);
  assert.equal(again.statusCode, 409);
  assert.equal((await rows(`SELECT 1 FROM journal WHERE kind = 'allocation_result'`)).length, 12);
  assert.equal((await rows(`SELECT 1 FROM audit_log WHERE action = 'allocation.round.publish'`)).length, 1);
  const report = await verifyArchive(t.tdb.db, ['norrby', 'sodera']);
  assert.deepEqual(report.problems, []);
  assert.ok(report.chains >= 1);
  assert.deepEqual((await verifyRound(norrby, round)).ok, true);
});

test('the family reads the result and why on the case page, in Swedish and English', async () => {
  const states = await rows<{ id: string; status: string }>(`SELECT id, status FROM cases WHERE id = ANY($1::uuid[])`, [only.map((c) => c.id)]);
  const none = states.find((s) => s.status === 'in_progress')!.id;
  const page = await get(anna, `/my/cases/${none}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Resultat av fördelningen/);
  assert.match(page.body, /Ingen plats på något av de val ni gjorde\./);
  assert.match(page.body, /Varför ingen plats\?/);
  assert.match(page.body, /Så här gick det på de val ni gjorde:/);
  const why = /Fjällskolan<\/strong>: den sista som fick plats hade förtur ”(Syskon på skolan|Övriga sökande)” och lottnummer (\d+)\. Ni hade förtur ”Övriga sökande” och lottnummer (\d+)\./.exec(page.body);
  assert.ok(why, page.body.slice(page.body.indexOf('allocation-h'), page.body.indexOf('allocation-h') + 1500));
  assert.ok(Number(why[3]) > Number(why[2]), 'a lower lottery number went first');
  assert.match(page.body, /Antagningsenheten erbjuder barnet en plats på en skola med lediga platser/);
  const placed = await get(anna, `/my/cases/${sibling.id}`);
  assert.match(placed.body, /Plats: Fjällskolan<\/strong><\/p><p class="ds-paragraph">Det var ert val nummer 1\./);
  assert.doesNotMatch(placed.body, /Varför inte ett högre val\?/);
  // Placed at its second choice: why not the first, said of the choices ranked higher.
  const [second] = await rows<{ case_id: string }>(`SELECT case_id FROM journal WHERE kind = 'allocation_result' AND payload->'school'->>'id' = $1 AND case_id = ANY($2::uuid[])`, [CENTRUM, two.map((c) => c.id)]);
  const lower = await get(anna, `/my/cases/${second!.case_id}`);
  assert.match(lower.body, /Plats: Centrumskolan<\/strong><\/p><p class="ds-paragraph">Det var ert val nummer 2\./);
  assert.match(lower.body, /Varför inte ett högre val\?/);
  assert.match(lower.body, /Så här gick det på de val ni rangordnade högre:/);
  assert.match(lower.body, /Fjällskolan<\/strong>: den sista som fick plats hade förtur/);
  const en = await signInResident(t, NORRBY, ANNA, 'en');
  const english = await get(en, `/my/cases/${none}`);
  assert.match(english.body, /Result of the allocation/);
  assert.match(english.body, /Why no place\?/);
  assert.match(english.body, /Fjällskolan<\/strong>: the last person admitted had priority &quot;(Sibling at the school|Other applicants)&quot; and lottery number \d+\. You had priority &quot;Other applicants&quot; and lottery number \d+\./);
  // Staff see it on the handler's page too.
  assert.match((await get(hanna, `/staff/cases/${none}`)).body, /Resultat av fördelningen/);
});

test('a round\'s chain altered is found by archive verify, and a tampered snapshot by the round\'s own check', async () => {
  const round = (await getRound(norrby, roundId))!;
  const [first] = await readChain(norrby, roundId);
  const snapshot = structuredClone((first!.payload as { snapshot: { schools: { id: string; capacity: number }[] } }).snapshot);
  snapshot.schools.find((s) => s.id === FJALL)!.capacity = 5;
  await t.tdb.db.query(`UPDATE journal SET payload = jsonb_set(payload, '{snapshot}', $2::jsonb) WHERE tenant_id = 'norrby' AND case_id = $1 AND seq = 1`, [roundId, JSON.stringify(snapshot)]);
  try {
    const report = await verifyArchive(t.tdb.db, ['norrby']);
    assert.ok(report.problems.some((p) => p.chain === 'allocation_round' && p.caseId === roundId && p.seq === 1 && /altered/.test(p.problem)), JSON.stringify(report.problems));
    const check = await verifyRound(norrby, round);
    assert.equal(check.ok, false);
    assert.ok(check.lines.some((l) => /MISMATCH inputs hash/.test(l)), check.lines.join('\n'));
  } finally {
    await t.tdb.db.query(`UPDATE journal SET payload = $2::jsonb WHERE tenant_id = 'norrby' AND case_id = $1 AND seq = 1`, [roundId, JSON.stringify(first!.payload)]);
  }
  assert.deepEqual((await verifyArchive(t.tdb.db, ['norrby'])).problems, []);
});

test('PostgreSQL: ten members of staff freeze a round at once, then ten publish it — exactly one of each', { skip: testDialect !== 'postgres' && 'races need real concurrency (PostgreSQL)' }, async () => {
  const fresh: { id: string; reference: string }[] = [];
  for (let i = 0; i < 6; i++) fresh.push(await application([FJALL, CENTRUM]));
  const list = await get(hanna, '/staff/allocation');
  const opened = await post(hanna, `/staff/allocation/${SERVICE}/rounds`, {}, list.body);
  assert.equal(opened.statusCode, 303);
  const id = /rounds\/([0-9a-f-]{36})/.exec(String(opened.headers.location))![1]!;
  const url = `/staff/allocation/rounds/${id}`;
  const staff = await Promise.all(Array.from({ length: 10 }, (_, i) => signInStaff(t, NORRBY, { username: `race-${i}`, displayName: `Race ${i}`, roles: ['handler'], departments: ['education'] })));
  let pages = await Promise.all(staff.map((s) => get(s, url)));
  const freezes = await Promise.all(staff.map((s, i) => post(s, `${url}/freeze`, { reviewed: 'yes' }, pages[i]!.body)));
  assert.deepEqual(freezes.map((r) => r.statusCode).sort(), [303, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
  assert.equal((await readChain(norrby, id)).length, 1);
  pages = await Promise.all(staff.map((s) => get(s, url)));
  const publishes = await Promise.all(staff.map((s, i) => post(s, `${url}/publish`, { reviewed: 'yes' }, pages[i]!.body)));
  assert.deepEqual(publishes.map((r) => r.statusCode).sort(), [303, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
  assert.deepEqual((await readChain(norrby, id)).map((e) => e.kind), ['round_frozen', 'round_published']);
  const results = await rows<{ case_id: string; n: string }>(`SELECT case_id, count(*) AS n FROM journal WHERE kind = 'allocation_result' AND case_id = ANY($1::uuid[]) GROUP BY case_id`, [fresh.map((c) => c.id)]);
  assert.equal(results.length, 6);
  assert.ok(results.every((r) => Number(r.n) === 1));
  assert.deepEqual((await verifyArchive(t.tdb.db, ['norrby'])).problems, []);
});
