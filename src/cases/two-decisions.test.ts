/**
 * ADR 0034 through HTTP on the shipped building permit (bygglovsansokan): a case decided twice — the
 * permit, then after the technical consultation the start notice — each decision with its own type,
 * letters, journal entry and appeal section, listed in order on both case pages; the permit's fee
 * invoiced in the decision's transaction exactly once however many times "send" is pressed at once,
 * its line in the letter (both languages) and on the pages, handed to the invoicing integration once;
 * and the permit's kind prefilled from what was applied for through the definition's mapping.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, NORRBY } from '../../test/helpers/app.ts';
import { signInResident, signInStaff, ANNA } from '../../test/helpers/sign-in.ts';
import { journey } from '../../test/helpers/journey.ts';
import { readPdf } from '../../test/helpers/pdf.ts';
import { tenantScope } from '../kernel/db/index.ts';
import { verifyArchive } from '../archive/index.ts';
import { csvInvoicingAdapter, handOverInvoices, recordDecisionInvoice } from '../payments/index.tsx';
import { createCase, getCase, residentApplicant } from './index.ts';

const t = await createTestApp({ now: '2026-11-23T10:00:00Z' });
after(() => t.close());
const { get, post } = journey(t);
const tdb = tenantScope(t.tdb.db, 'norrby');

const anna = await signInResident(t, NORRBY, ANNA, 'sv');
const bo = await signInStaff(t, NORRBY, { username: 'bo', displayName: 'Bo Bygglov', roles: ['handler', 'building_officer', 'building_inspector'], departments: ['building-and-environment'] });

async function submit(locale: 'sv' | 'en', projectKind = 'extension'): Promise<string> {
  const def = t.app.catalogue.service('norrby', 'bygglovsansokan')!;
  const answers = { propertyDesignation: 'Norrby Gärdet 1:12', projectKind, description: 'Ett uterum på 15 m²', controlOfficerName: 'Karin Kontroll', email: 'anna@example.se' };
  const c = await tdb.transaction((tx) => createCase(tx, { definition: def, parties: [residentApplicant({ id: anna.residentId })], answers, locale, draftId: null, email: 'anna@example.se', siteUrl: `http://${NORRBY}`, now: t.clock.now() }));
  return c.id;
}

const rows = async <T>(sql: string, params: unknown[]) => (await tdb.query<T>(sql, params)).rows;
const decided = (id: string) => rows<{ seq: number; payload: Record<string, unknown> }>("SELECT seq, payload FROM journal WHERE tenant_id = $1 AND case_id = $2 AND kind = 'decided' ORDER BY seq", [id]);
const invoices = (id: string) => rows<{ amount_ore: number; decision_type: string; decision_seq: number; handed_over_at: Date | null }>('SELECT amount_ore::int, decision_type, decision_seq, handed_over_at FROM invoices WHERE tenant_id = $1 AND case_id = $2', [id]);
const statusOf = async (id: string) => (await rows<{ status: string }>('SELECT status FROM cases WHERE tenant_id = $1 AND id = $2', [id]))[0]!.status;

const GRANT = { type: 'granted', permit: 'building', measure: 'Ett uterum på 15 m²', technicalConsultation: 'needed', conditions: '', fee: '12 500', step: 'send' };
const START = { type: 'start-notice', controlPlan: 'Enligt inlämnad kontrollplan', controlOfficer: 'Karin Kontroll', completionDocuments: '', step: 'send' };

async function toInvestigation(id: string) {
  const page = (await get(bo, `/staff/cases/${id}`)).body;
  assert.equal((await post(bo, `/staff/cases/${id}/actions/confirmComplete`, {}, page)).statusCode, 303);
}

test('a case decided twice: the permit (invoiced once, however many sends at once), the consultation, the start notice — both decisions listed in order', async () => {
  const id = await submit('sv');
  await toInvestigation(id);

  // The permit's kind comes from what was applied for (an extension needs a building permit), through the mapping.
  const form = (await get(bo, `/staff/cases/${id}/actions/grant?type=granted`)).body;
  assert.match(form, /<input[^>]*name="permit"[^>]*value="building"[^>]*checked|<input[^>]*checked[^>]*name="permit"[^>]*value="building"|<option value="building" selected>/);

  // Four sends of the same decision at once: one decision, one set of letters, one invoice.
  const sends = await Promise.all([0, 1, 2, 3].map(() => post(bo, `/staff/cases/${id}/actions/grant`, GRANT, form)));
  for (const r of sends) assert.equal(r.statusCode, 303, r.body.slice(0, 300));
  assert.equal(await statusOf(id), 'permit_granted');
  let entries = await decided(id);
  assert.equal(entries.length, 1, 'one decision');
  const charged = await invoices(id);
  assert.equal(charged.length, 1, 'one invoice');
  assert.deepEqual([charged[0]!.amount_ore, charged[0]!.decision_type, charged[0]!.decision_seq], [1_250_000, 'granted', entries[0]!.seq]);
  assert.deepEqual((entries[0]!.payload.invoice as { amountOre: number }).amountOre, 1_250_000, 'the decision entry records its invoice');

  // The technical consultation, then the start notice: a second decision on the same case, twice sent at once.
  const page = (await get(bo, `/staff/cases/${id}`)).body;
  assert.equal((await post(bo, `/staff/cases/${id}/actions/callTechnicalConsultation`, { body: 'Tisdag 12 januari kl. 10, stadshuset' }, page)).statusCode, 303);
  assert.equal(await statusOf(id), 'technical_consultation');
  const startForm = (await get(bo, `/staff/cases/${id}/actions/giveStartNotice?type=start-notice`)).body;
  assert.match(startForm, /name="controlOfficer"[^>]*value="Karin Kontroll"/, 'the control officer named in the application is prefilled');
  const again = await Promise.all([0, 1].map(() => post(bo, `/staff/cases/${id}/actions/giveStartNotice`, START, startForm)));
  for (const r of again) assert.equal(r.statusCode, 303);
  assert.equal(await statusOf(id), 'start_notice_given');
  entries = await decided(id);
  assert.deepEqual(entries.map((e) => e.payload.type), ['granted', 'start-notice'], 'two decisions, in order');
  assert.equal((await invoices(id)).length, 1, 'the start notice charges no fee: still one invoice');

  // Each decision has its own letter, recorded with it.
  const letterIds = entries.map((e) => (e.payload.letters as { id: string }[]).map((l) => l.id));
  assert.deepEqual(letterIds.map((l) => l.length), [1, 1]);
  const docs = await rows<{ id: string }>("SELECT id FROM documents WHERE tenant_id = $1 AND case_id = $2 AND kind = 'decision_letter' ORDER BY created_at", [id]);
  assert.deepEqual(docs.map((d) => d.id).sort(), letterIds.flat().sort());
  const permitPdf = await readPdf((await get(anna, `/my/cases/${id}/documents/${letterIds[0]![0]}.pdf`)).rawPayload);
  assert.match(permitPdf.text, /Avgift: 12\s500\skr faktureras separat\./);
  const startPdf = await readPdf((await get(anna, `/my/cases/${id}/documents/${letterIds[1]![0]}.pdf`)).rawPayload);
  assert.match(startPdf.text, /ger startbesked/);
  assert.doesNotMatch(startPdf.text, /Avgift/);
  assert.match(startPdf.text, /länsstyrelsen/);

  // The resident's page: both decisions in order, each with its appeal section and letter; the fee section.
  const mine = (await get(anna, `/my/cases/${id}`)).body;
  const permitAt = mine.indexOf('Beslut: Lov beviljas');
  const startAt = mine.indexOf('Beslut: Startbesked');
  assert.ok(permitAt > 0 && startAt > permitAt, 'the permit is listed before the start notice');
  assert.match(mine, /Avgift: 12\s500\skr faktureras separat\./);
  assert.equal(mine.match(/<h3[^>]*>\s*Hur man överklagar/g)?.length ?? mine.match(/Hur man överklagar/g)?.length, 2, 'an appeal section under each decision');
  assert.match(mine, /Avgift som faktureras/);
  assert.ok(mine.includes(`/my/cases/${id}/documents/${letterIds[0]![0]}.pdf`) && mine.includes(`/my/cases/${id}/documents/${letterIds[1]![0]}.pdf`));

  // The handler's page names each letter by its decision, in order.
  const staffPage = (await get(bo, `/staff/cases/${id}`)).body;
  const a = staffPage.indexOf('Beslutsbrev, Lov beviljas, på svenska');
  const b = staffPage.indexOf('Beslutsbrev, Startbesked, på svenska');
  assert.ok(a > 0 && b > a, 'the handler sees both letters, named by their decisions, in order');
  assert.match(staffPage, /Fakturan skickas separat/);

  const { problems } = await verifyArchive(t.tdb.db, ['norrby']);
  assert.deepEqual(problems, []);
});

test('the fee line in English; a refusal invoices too; the invoices are handed to the integration once, and a failed hand-over keeps them', async () => {
  const id = await submit('en', 'demolition');
  await toInvestigation(id);
  const form = (await get(bo, `/staff/cases/${id}/actions/refuse?type=refusal`)).body;
  // Demolition maps to a demolition permit.
  assert.match(form, /value="demolition"[^>]*checked|checked[^>]*value="demolition"|<option value="demolition" selected>/);
  assert.equal((await post(bo, `/staff/cases/${id}/actions/refuse`, { type: 'refusal', permit: 'demolition', reasons: 'The building is protected', fee: '4500', step: 'send' }, form)).statusCode, 303);
  const [entry] = await decided(id);
  const en = (entry!.payload.letters as { id: string; locale: string }[]).find((l) => l.locale === 'en')!;
  const pdf = await readPdf((await get(anna, `/my/cases/${id}/documents/${en.id}.pdf`)).rawPayload);
  assert.match(pdf.text, /Fee: SEK\s4,500 will be invoiced separately\./);

  // A failing integration: nothing is marked handed over.
  await assert.rejects(handOverInvoices(tdb, { id: 'broken', handOver: async () => Promise.reject(new Error('economy system down')) }, t.clock.now()));
  assert.ok((await invoices(id)).every((i) => i.handed_over_at === null));

  const files: { name: string; csv: string }[] = [];
  const adapter = csvInvoicingAdapter(async (name, csv) => void files.push({ name, csv }));
  const [first, second] = await Promise.all([handOverInvoices(tdb, adapter, t.clock.now()), handOverInvoices(tdb, adapter, t.clock.now())]);
  const total = await rows<{ n: number }>('SELECT count(*)::int AS n FROM invoices WHERE tenant_id = $1', []);
  assert.equal(first!.count + second!.count, total[0]!.n, 'every invoice handed over once between two runs at once');
  assert.equal((await handOverInvoices(tdb, adapter, t.clock.now())).count, 0, 'nothing is handed over twice');
  const csv = files.map((f) => f.csv).join('');
  assert.match(csv, /"refusal";"450000";"SEK"/);
  assert.ok((await invoices(id)).every((i) => i.handed_over_at !== null));
  assert.match((await get(anna, `/my/cases/${id}`)).body, /Skickad till fakturering/);
});

test('the database keeps one invoice per decision: recording the same decision again (a retry past the workflow) adds none', async () => {
  const id = await submit('sv');
  const def = t.app.catalogue.service('norrby', 'bygglovsansokan')!;
  const c = (await getCase(tdb, id))!;
  const decision = { type: 'granted', outcome: 'approved' as const, values: { fee: '900' }, decidedBy: bo.staffId, decidedAt: t.clock.now().toISOString() };
  const record = () => tdb.transaction((tx) => recordDecisionInvoice(tx, { c, def, decision, seq: 7, now: t.clock.now() }));
  assert.deepEqual(Object.keys((await record()) ?? {}), ['invoice']);
  assert.equal(await record(), undefined, 'the second record of the same decision writes nothing');
  assert.deepEqual((await invoices(id)).map((i) => i.amount_ore), [90_000]);
  // A type the fee does not name, or an amount of nothing, invoices nothing.
  assert.equal(await tdb.transaction((tx) => recordDecisionInvoice(tx, { c, def, decision: { ...decision, type: 'start-notice' }, seq: 8, now: t.clock.now() })), undefined);
  assert.equal(await tdb.transaction((tx) => recordDecisionInvoice(tx, { c, def, decision: { ...decision, values: { fee: '0' } }, seq: 9, now: t.clock.now() })), undefined);
});
