/**
 * Workflow actions as data (ADR 0014), on test-only definitions (test/fixtures/flow): a referral
 * and its reply, a report closed without a decision, a decision proposed, returned, proposed again
 * and approved, a typed decision with a validity period, and the matter's word in e-mails. After
 * each action: the new state, the journal entry (kind, action id, from, to), the outbox row (to
 * whom, which template), and that a handler of another department and a resident who is not a
 * party are refused.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp } from '../../test/helpers/app.ts';
import { signInResident, signInStaff, ANNA, type SignedIn } from '../../test/helpers/sign-in.ts';
import { journey } from '../../test/helpers/journey.ts';
import { readPdf } from '../../test/helpers/pdf.ts';
import { tenantScope } from '../kernel/db/index.ts';
import { verifyArchive } from '../archive/index.ts';
import { createCase, residentApplicant } from './index.ts';

const HOST = 'norrby.localhost';
const t = await createTestApp({ env: { MEDBORG_TENANTS: 'test/fixtures/flow/tenants.yaml' }, now: '2026-11-23T10:00:00Z' });
after(() => t.close());
const { get, post, postMultipart } = journey(t);
const tdb = tenantScope(t.tdb.db, 'norrby');
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

const anna = await signInResident(t, HOST, ANNA, 'sv');
const bertil = await signInResident(t, HOST, { personalNumber: '197001019876', givenName: 'Bertil', familyName: 'Berg' }, 'sv');
const handler = await signInStaff(t, HOST, { username: 'hugo', displayName: 'Hugo Handläggare', roles: ['handler'], departments: ['city-services'] });
const decider = await signInStaff(t, HOST, { username: 'dora', displayName: 'Dora Delegat', roles: ['handler'], departments: ['city-services'] });
const otherDept = await signInStaff(t, HOST, { username: 'ebba', displayName: 'Ebba Utbildning', roles: ['handler'], departments: ['education'] });

async function submit(serviceId: string, who: SignedIn, answers: Record<string, string>): Promise<{ id: string; reference: string }> {
  const def = t.app.catalogue.service('norrby', serviceId)!;
  return tdb.transaction((tx) => createCase(tx, { definition: def, parties: [residentApplicant({ id: who.residentId })], answers, locale: 'sv', draftId: null, email: answers.email, siteUrl: `http://${HOST}`, now: t.clock.now() }));
}

async function caseRow(id: string) {
  const { rows } = await tdb.query<{ status: string; assignee_id: string | null; decision: Record<string, unknown> | null; due_at: Date | null }>('SELECT status, assignee_id, decision, due_at FROM cases WHERE tenant_id = $1 AND id = $2', [id]);
  return rows[0]!;
}

async function lastEntry(id: string) {
  const { rows } = await tdb.query<{ kind: string; actor_id: string | null; payload: Record<string, unknown> }>('SELECT kind, actor_id, payload FROM journal WHERE tenant_id = $1 AND case_id = $2 ORDER BY seq DESC LIMIT 1', [id]);
  return rows[0]!;
}

async function mailTo(address: string) {
  const { rows } = await tdb.query<{ payload: { to: string; subject: string; text: string; party?: string; template?: string } }>("SELECT payload FROM outbox WHERE tenant_id = $1 AND kind = 'email' ORDER BY id", []);
  return rows.map((r) => r.payload).filter((p) => p.to === address);
}

/** The action's form is refused to a handler of another department and to a resident who is no party; the case is unchanged. */
async function refusedToOthers(caseId: string, actionId: string, page: string) {
  const before = await caseRow(caseId);
  const r = await post(otherDept, `/staff/cases/${caseId}/actions/${actionId}`, { body: 'x' }, '/staff');
  assert.equal(r.statusCode, 404, 'another department’s handler does not find the case');
  const mine = await post(bertil, `/my/cases/${caseId}/actions/withdraw`, {}, '/my/cases');
  assert.equal(mine.statusCode, 404, 'a resident who is not a party does not find the case');
  assert.ok(page.length > 0);
  assert.deepEqual(await caseRow(caseId), before);
}

test('refer to the police, wait, record the reply with its file; each step journalled and told', async () => {
  const { id } = await submit('test-licence', anna, { businessName: 'Krogen AB', email: 'anna@example.se' });
  let page = (await get(handler, `/staff/cases/${id}`)).body;
  assert.match(page, new RegExp(`action="/staff/cases/${id}/actions/take"`));
  assert.doesNotMatch(page, /actions\/referPolice/, 'no referral before the case is taken');

  let r = await post(handler, `/staff/cases/${id}/actions/take`, { assignee: handler.staffId }, page);
  assert.equal(r.statusCode, 303);
  assert.equal((await caseRow(id)).status, 'in_progress');
  assert.equal((await caseRow(id)).assignee_id, handler.staffId);
  let entry = await lastEntry(id);
  assert.equal(entry.kind, 'assigned');
  assert.deepEqual([entry.payload.action, entry.payload.actionKind, entry.payload.from, entry.payload.to, entry.payload.assignee], ['take', 'assign', 'submitted', 'in_progress', handler.staffId]);

  page = (await get(handler, `/staff/cases/${id}`)).body;
  assert.match(page, />Skicka på remiss till Polismyndigheten</);
  // An empty referral is refused, nothing changes.
  r = await post(handler, `/staff/cases/${id}/actions/referPolice`, { body: '  ' }, page);
  assert.equal(r.statusCode, 400);
  assert.match(r.body, /href="#f-referPolice"/);
  assert.equal((await caseRow(id)).status, 'in_progress');
  await refusedToOthers(id, 'referPolice', page);

  r = await post(handler, `/staff/cases/${id}/actions/referPolice`, { body: 'Yttrande om sökandens lämplighet.' }, page);
  assert.equal(r.statusCode, 303);
  assert.equal(r.headers.location, `/staff/cases/${id}?done=referred`);
  const row = await caseRow(id);
  assert.equal(row.status, 'at_police');
  assert.equal(new Date(row.due_at!).toISOString(), '2026-12-14T10:00:00.000Z', 'the deadline of the referral state (21 days)');
  entry = await lastEntry(id);
  assert.equal(entry.kind, 'referred');
  assert.equal(entry.actor_id, handler.staffId);
  assert.deepEqual(entry.payload, { action: 'referPolice', actionKind: 'refer', from: 'in_progress', to: 'at_police', body: 'Yttrande om sökandens lämplighet.', party: { sv: 'Polismyndigheten', en: 'the Swedish Police Authority' } });
  const told = (await mailTo('anna@example.se')).filter((m) => m.template === 'referred');
  assert.equal(told.length, 1);
  assert.equal(told[0]!.party, 'applicant');
  assert.match(told[0]!.text, /på remiss till Polismyndigheten/);

  // The resident reads the definition's wording, not what was asked of the police.
  const mine = (await get(anna, `/my/cases/${id}`)).body;
  assert.match(mine, /Remitterad till polisen/);
  assert.doesNotMatch(mine, /sökandens lämplighet/);

  // The reply: a text and a file, on the same action route (multipart).
  page = (await get(handler, `/staff/cases/${id}`)).body;
  assert.match(page, />Registrera polisens svar</);
  r = await postMultipart(handler, `/staff/cases/${id}/actions/policeReply`, { body: 'Polisen har inget att invända.' }, [{ name: 'files', filename: 'yttrande.png', type: 'image/png', data: PNG }], page);
  assert.equal(r.statusCode, 303, r.body.slice(0, 500));
  assert.equal((await caseRow(id)).status, 'in_progress');
  entry = await lastEntry(id);
  assert.equal(entry.kind, 'referral_replied');
  assert.deepEqual([entry.payload.action, entry.payload.actionKind, entry.payload.from, entry.payload.to, entry.payload.body], ['policeReply', 'referralReply', 'at_police', 'in_progress', 'Polisen har inget att invända.']);
  const files = entry.payload.attachments as { id: string; filename: string }[];
  assert.equal(files.length, 1);
  const { rows: att } = await tdb.query<{ n: number }>('SELECT count(*)::int AS n FROM attachments WHERE tenant_id = $1 AND case_id = $2 AND id = $3', [id, files[0]!.id]);
  assert.equal(att[0]!.n, 1, 'the file’s row is written with the reply');
  const staffPage = (await get(handler, `/staff/cases/${id}`)).body;
  assert.match(staffPage, /Polisen har inget att invända\./);
  assert.doesNotMatch((await get(anna, `/my/cases/${id}`)).body, /inget att invända/);
  assert.deepEqual((await verifyArchive(t.tdb.db, ['norrby'])).problems, []);
});

test('propose → return → propose → approve; a validity period must end after it starts; nobody approves their own proposal', async () => {
  const { id } = await submit('test-licence', anna, { businessName: 'Krogen AB', email: 'anna@example.se' });
  await post(handler, `/staff/cases/${id}/actions/take`, { assignee: handler.staffId }, `/staff/cases/${id}`);
  const form = (await get(handler, `/staff/cases/${id}/actions/propose?type=granted`)).body;
  assert.match(form, /Gäller till/);

  // End before start: refused with the field's message, the values kept.
  let r = await post(handler, `/staff/cases/${id}/actions/propose`, { type: 'granted', validFrom: '2027-01-01', validTo: '2026-12-31', fee: '1500' }, form);
  assert.equal(r.statusCode, 400);
  assert.match(r.body, /Gäller till måste vara efter gäller från/);
  assert.match(r.body, /href="#f-validTo"/);
  assert.match(r.body, /value="2026-12-31"/);
  assert.match(r.body, /value="1500"/);
  r = await post(handler, `/staff/cases/${id}/actions/propose`, { type: 'granted', validFrom: '2027-01-01', validTo: '2027-12-31', fee: '-5' }, form);
  assert.equal(r.statusCode, 400);
  assert.match(r.body, /Avgift måste vara ett belopp i hela kronor/);
  assert.equal((await caseRow(id)).status, 'in_progress');

  r = await post(handler, `/staff/cases/${id}/actions/propose`, { type: 'granted', validFrom: '2027-01-01', validTo: '2027-06-30', fee: '1500' }, form);
  assert.equal(r.statusCode, 303);
  assert.equal(r.headers.location, `/staff/cases/${id}?done=proposed`);
  assert.equal((await caseRow(id)).status, 'proposed');
  assert.equal((await caseRow(id)).decision, null, 'a proposal is not a decision');
  let entry = await lastEntry(id);
  assert.equal(entry.kind, 'decision_proposed');
  assert.deepEqual([entry.payload.action, entry.payload.actionKind, entry.payload.from, entry.payload.to, entry.payload.proposedBy], ['propose', 'proposeDecision', 'in_progress', 'proposed', handler.staffId]);
  assert.doesNotMatch((await get(anna, `/my/cases/${id}`)).body, /Beslutsförslag/, 'the resident does not see a proposal');

  // The proposer cannot approve it.
  let page = (await get(handler, `/staff/cases/${id}`)).body;
  assert.match(page, /Beslutsförslag: Tillstånd beviljas/);
  r = await post(handler, `/staff/cases/${id}/actions/approve`, {}, page);
  assert.equal(r.statusCode, 403);
  assert.equal((await caseRow(id)).status, 'proposed');
  await refusedToOthers(id, 'approve', page);

  // The decider sends it back with a comment.
  page = (await get(decider, `/staff/cases/${id}`)).body;
  r = await post(decider, `/staff/cases/${id}/actions/sendBack`, { body: 'Avgiften ska vara 2 000 kronor.' }, page);
  assert.equal(r.statusCode, 303);
  assert.equal((await caseRow(id)).status, 'in_progress');
  entry = await lastEntry(id);
  assert.equal(entry.kind, 'decision_returned');
  assert.deepEqual([entry.payload.action, entry.payload.from, entry.payload.to, entry.payload.body, entry.actor_id], ['sendBack', 'proposed', 'in_progress', 'Avgiften ska vara 2 000 kronor.', decider.staffId]);
  // The form to propose again starts from the proposal sent back.
  const again = (await get(handler, `/staff/cases/${id}/actions/propose?type=granted`)).body;
  assert.match(again, /id="f-validTo" name="validTo" type="text" value="2027-06-30"/);
  assert.match(again, /id="f-fee" name="fee" type="text" value="1500"/);

  r = await post(handler, `/staff/cases/${id}/actions/propose`, { type: 'granted', validFrom: '2027-01-01', validTo: '2027-06-30', fee: '2000' }, form);
  assert.equal(r.statusCode, 303);
  page = (await get(decider, `/staff/cases/${id}`)).body;
  r = await post(decider, `/staff/cases/${id}/actions/approve`, {}, page);
  assert.equal(r.statusCode, 303);
  assert.equal(r.headers.location, `/staff/cases/${id}?done=decided`);
  const row = await caseRow(id);
  assert.equal(row.status, 'granted');
  assert.equal(row.due_at, null);
  assert.deepEqual([row.decision!.type, row.decision!.outcome, row.decision!.decidedBy, row.decision!.proposedBy], ['granted', 'approved', decider.staffId, handler.staffId]);
  assert.deepEqual(row.decision!.values, { validFrom: '2027-01-01', validTo: '2027-06-30', fee: '2000' }, 'the second proposal, not the first');
  entry = await lastEntry(id);
  assert.equal(entry.kind, 'decided');
  assert.deepEqual([entry.payload.action, entry.payload.actionKind, entry.payload.from, entry.payload.to], ['approve', 'approveDecision', 'proposed', 'granted']);
  const decisionMail = (await mailTo('anna@example.se')).filter((m) => m.template === 'decision');
  assert.equal(decisionMail.length, 1);

  // The letter carries the decision type's own appeal text.
  const { rows: docs } = await tdb.query<{ id: string }>("SELECT id FROM documents WHERE tenant_id = $1 AND case_id = $2 AND kind = 'decision_letter'", [id]);
  assert.equal(docs.length, 1);
  const pdf = await get(anna, `/my/cases/${id}/documents/${docs[0]!.id}.pdf`);
  const text = (await readPdf(pdf.rawPayload)).text.replace(/\s+/g, ' ');
  assert.match(text, /Tillståndet beviljas från 1 januari 2027 till 30 juni 2027\. Avgift: 2\s000 kronor\./);
  assert.match(text, /förvaltningsrätten inom tre veckor/);
  assert.deepEqual((await verifyArchive(t.tdb.db, ['norrby'])).problems, []);
});

test('a proposal gets the same check before it is proposed: the form, "check and send", then the proposal', async () => {
  const { id, reference } = await submit('test-licence', anna, { businessName: 'Krogen AB', email: 'anna@example.se' });
  await post(handler, `/staff/cases/${id}/actions/take`, { assignee: handler.staffId }, `/staff/cases/${id}`);
  const form = (await get(handler, `/staff/cases/${id}/actions/propose?type=granted`)).body;
  let r = await post(handler, `/staff/cases/${id}/actions/propose`, { type: 'granted', validFrom: '2027-01-01', validTo: '2027-06-30', fee: '1500', step: 'check' }, form);
  assert.equal(r.statusCode, 303);
  assert.equal(r.headers.location, `/staff/cases/${id}/actions/propose/check`);
  assert.equal((await caseRow(id)).status, 'in_progress', 'nothing is proposed yet');
  const check = await get(handler, String(r.headers.location));
  assert.match(check.body, new RegExp(`Kontrollera och skicka beslutsförslaget – ${reference}`));
  assert.match(check.body, /Förslaget går först till den som har delegation att besluta/);
  assert.match(check.body, /Tillståndet beviljas från 1 januari 2027 till 30 juni 2027\. Avgift: 1\s500 kronor\./);
  assert.match(check.body, />Skicka beslutsförslaget för godkännande</);
  r = await post(handler, `/staff/cases/${id}/actions/propose`, { type: 'granted', validFrom: '2027-01-01', validTo: '2027-06-30', fee: '1500', step: 'send' }, check.body);
  assert.equal(r.headers.location, `/staff/cases/${id}?done=proposed`);
  assert.equal((await caseRow(id)).status, 'proposed');
  assert.equal((await lastEntry(id)).kind, 'decision_proposed');
});

test('a report is closed without a decision; the reporter is told with the definition’s template, in the words of a report', async () => {
  const { id, reference } = await submit('test-fault', anna, { description: 'Trasig gatlykta på Storgatan.', email: 'rapport@example.se' });
  const received = await mailTo('rapport@example.se');
  assert.equal(received.length, 1);
  assert.match(received[0]!.subject, /Vi har tagit emot din anmälan/);
  assert.match(received[0]!.text, /tagit emot din anmälan/);
  assert.doesNotMatch(received[0]!.text, /ansökan/);

  let page = (await get(handler, `/staff/cases/${id}`)).body;
  assert.match(page, />Planera åtgärd</);
  let r = await post(handler, `/staff/cases/${id}/actions/plan`, {}, page);
  assert.equal(r.statusCode, 303);
  assert.equal((await caseRow(id)).status, 'planned');
  let entry = await lastEntry(id);
  assert.equal(entry.kind, 'status_changed');
  assert.deepEqual(entry.payload, { action: 'plan', actionKind: 'transition', from: 'reported', to: 'planned' });
  // The same action again (a double click) changes nothing and shows the case.
  r = await post(handler, `/staff/cases/${id}/actions/plan`, {}, page);
  assert.equal(r.statusCode, 303);
  assert.equal(r.headers.location, `/staff/cases/${id}`);

  page = (await get(handler, `/staff/cases/${id}`)).body;
  assert.match(page, />Markera som åtgärdad</);
  await refusedToOthers(id, 'markFixed', page);
  r = await post(handler, `/staff/cases/${id}/actions/markFixed`, { body: 'Lyktan är lagad.' }, page);
  assert.equal(r.statusCode, 303);
  const row = await caseRow(id);
  assert.equal(row.status, 'fixed');
  assert.equal(row.decision, null, 'closed without a decision');
  entry = await lastEntry(id);
  assert.equal(entry.kind, 'closed');
  assert.deepEqual(entry.payload, { action: 'markFixed', actionKind: 'close', from: 'planned', to: 'fixed', body: 'Lyktan är lagad.' });
  const fixed = (await mailTo('rapport@example.se')).filter((m) => m.template === 'fixed');
  assert.equal(fixed.length, 1);
  assert.equal(fixed[0]!.party, 'applicant');
  assert.equal(fixed[0]!.subject, `Felet är åtgärdat (${reference})`);
  assert.match(fixed[0]!.text, /Tack för anmälan\. Lyktan är lagad\./);
  const mine = (await get(anna, `/my/cases/${id}`)).body;
  assert.match(mine, /Ärendet är avslutat/);
  assert.match(mine, /Anmälan skickad/, 'the history speaks of a report, not an application');
  assert.doesNotMatch(mine, /Ansökan skickad/);
  assert.match(mine, /Lyktan är lagad\./);
  // A closed case offers no action any more.
  assert.doesNotMatch((await get(handler, `/staff/cases/${id}`)).body, /\/actions\//);
});

test('the applicant’s actions run on the resident’s action route; a staff action is not found there, nor an applicant action on the staff route', async () => {
  const { id } = await submit('test-licence', anna, { businessName: 'Krogen AB', email: 'anna@example.se' });
  const page = (await get(anna, `/my/cases/${id}`)).body;
  assert.match(page, new RegExp(`href="/my/cases/${id}/actions/withdraw"`));
  assert.equal((await post(anna, `/my/cases/${id}/actions/take`, {}, page)).statusCode, 404);
  assert.equal((await post(handler, `/staff/cases/${id}/actions/withdraw`, {}, `/staff/cases/${id}`)).statusCode, 404);
  const confirm = (await get(anna, `/my/cases/${id}/actions/withdraw`)).body;
  assert.match(confirm, /Vill du återkalla ansökan\?/);
  const r = await post(anna, `/my/cases/${id}/actions/withdraw`, {}, confirm);
  assert.equal(r.statusCode, 303);
  assert.equal((await caseRow(id)).status, 'withdrawn');
  const entry = await lastEntry(id);
  assert.equal(entry.kind, 'withdrawn');
  assert.deepEqual(entry.payload, { action: 'withdraw', actionKind: 'withdraw', from: 'submitted', to: 'withdrawn' });
});
