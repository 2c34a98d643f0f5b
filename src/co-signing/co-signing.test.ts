/**
 * Co-signing over HTTP (ADR 0016), with the real skolval definition from the shared catalogue:
 * the other custodian from the register is asked, answers on their case page, and exactly one
 * answer wins when approvals, rejections and the deadline job race; a protected identity is never
 * shown to the other custodian.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, NORRBY } from '../../test/helpers/app.ts';
import { signInResident, signInStaff, ANNA, ELSA, OLLE, type SignedIn } from '../../test/helpers/sign-in.ts';
import { journey } from '../../test/helpers/journey.ts';
import { tenantScope } from '../kernel/db/index.ts';
import { expireDueCoSigning } from './index.ts';

const t = await createTestApp();
after(() => t.close());
const { get, post, withdraw } = journey(t);
const tdb = tenantScope(t.tdb.db, 'norrby');
const siteUrl = () => 'https://norrby.localhost';

const MIKAEL = { personalNumber: '198606119819', givenName: 'Mikael', familyName: 'Andersson' };
const LOVA = { personalNumber: '198411129813', givenName: 'Lova', familyName: 'Nord' };
const PER = { personalNumber: '198209249823', givenName: 'Per', familyName: 'Nord' };
const SIGGE = '201904059837';

async function chooseSchool(who: SignedIn, child: string, email: string): Promise<{ caseId: string; reference: string; confirmation: string }> {
  const r0 = await get(who, '/services/skolval/apply');
  assert.equal(r0.statusCode, 303, r0.body.slice(0, 300));
  const draft = /^\/apply\/([0-9a-f-]{36})\//.exec(String(r0.headers.location))![1]!;
  const steps: [string, Record<string, string>][] = [
    ['child', { child }],
    ['schools', { 'schools.0': 'nby-hamnskolan', 'schools.1': 'nby-centrumskolan', sibling: 'no' }],
    ['extra', { motherTongue: '', specialNeeds: '' }],
    ['contact', { email }],
  ];
  for (const [step, form] of steps) {
    const r = await post(who, `/apply/${draft}/${step}`, form, `/apply/${draft}/${step}`);
    assert.equal(r.statusCode, 303, `${step}: ${r.statusCode} ${r.body.slice(0, 600)}`);
  }
  const r = await post(who, `/apply/${draft}/submit`, {}, `/apply/${draft}/check`);
  assert.equal(r.headers.location, `/apply/${draft}/confirmation`, `${r.statusCode} ${r.body.slice(0, 300)}`);
  const confirmation = (await get(who, `/apply/${draft}/confirmation`)).body;
  return { caseId: /\/my\/cases\/([0-9a-f-]{36})/.exec(confirmation)![1]!, reference: /[A-Z]{3}-\d{4}-\d{6}/.exec(confirmation)![0], confirmation };
}

const caseRow = async (id: string) => (await tdb.query<{ status: string }>('SELECT status FROM cases WHERE tenant_id = $1 AND id = $2', [id])).rows[0]!;
const coSigner = async (id: string) =>
  (await tdb.query<{ status: string; due_at: Date; status_reason: string | null; resident_id: string | null }>("SELECT status, due_at, status_reason, resident_id FROM case_parties WHERE tenant_id = $1 AND case_id = $2 AND role = 'co_applicant'", [id])).rows;
const journalKinds = async (id: string) => (await tdb.query<{ kind: string }>('SELECT kind FROM journal WHERE tenant_id = $1 AND case_id = $2 ORDER BY seq', [id])).rows.map((r) => r.kind);
const mails = async () => (await tdb.query<{ payload: { to: string; subject: string; text: string; template?: string } }>("SELECT payload FROM outbox WHERE tenant_id = $1 AND kind = 'email' ORDER BY id")).rows.map((r) => r.payload);
const answer = (who: SignedIn, caseId: string, form: Record<string, string>) => post(who, `/my/cases/${caseId}/co-sign`, form, `/my/cases/${caseId}`);

const anna = await signInResident(t, NORRBY, ANNA);
// One open school choice per child (ADR 0022): the first test's choice for Elsa stays open; the
// others choose for Olle, each ending in a final state (or withdrawn) before the next.

test('the other custodian from the register is asked; the applicant is told how to ask them; they approve and the case goes on', async () => {
  // Mikael has never signed in: the platform has no address for him, so Anna is told how to ask.
  const { caseId, reference, confirmation } = await chooseSchool(anna, ELSA, 'anna@example.se');
  assert.equal((await caseRow(caseId)).status, 'awaiting_cosign');
  const [pending] = await coSigner(caseId);
  assert.equal(pending!.status, 'pending');
  assert.equal(pending!.due_at.toISOString(), new Date(t.clock.now().getTime() + 14 * 86_400_000).toISOString());
  assert.match(confirmation, /Den andra vårdnadshavaren behöver godkänna senast/);
  assert.match(confirmation, /Mina ärenden/);
  assert.ok(!(await mails()).some((m) => m.template === 'cosign_request'), 'no address, no e-mail');

  // Anna is asked nothing and may not answer for Mikael; a stranger does not learn the case exists.
  const annaPage = await get(anna, `/my/cases/${caseId}`);
  assert.ok(!annaPage.body.includes('name="answer"'));
  assert.match(annaPage.body, /Väntar på svar/);
  assert.equal((await answer(anna, caseId, { answer: 'approve' })).statusCode, 403);
  const stranger = await signInResident(t, NORRBY, { personalNumber: '197911309842', givenName: 'Sara', familyName: 'Lind' });
  assert.equal((await get(stranger, `/my/cases/${caseId}`)).statusCode, 404);

  const mikael = await signInResident(t, NORRBY, MIKAEL);
  const list = await get(mikael, '/my/cases');
  assert.ok(list.body.includes(reference));
  assert.match(list.body, /Väntar på ditt godkännande/);
  const page = await get(mikael, `/my/cases/${caseId}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Godkänner du det här\?/);
  assert.match(page.body, /Hamnskolan/, 'the co-signer sees the answers');
  // No answer chosen: told so, nothing decided.
  const missing = await answer(mikael, caseId, { answer: '' });
  assert.equal(missing.headers.location, `/my/cases/${caseId}?cosign=missing#cosign`);
  assert.match((await get(mikael, String(missing.headers.location))).body, /Välj om du godkänner eller inte/);
  assert.equal((await caseRow(caseId)).status, 'awaiting_cosign');

  const r = await answer(mikael, caseId, { answer: 'approve', reason: '' });
  assert.equal(r.headers.location, `/my/cases/${caseId}?cosign=approved#cosign`);
  assert.equal((await caseRow(caseId)).status, 'submitted');
  const [done] = await coSigner(caseId);
  assert.equal(done!.status, 'approved');
  assert.equal(done!.resident_id, mikael.residentId);
  assert.deepEqual(await journalKinds(caseId), ['submitted', 'co_sign_requested', 'co_sign_approved']);
  const told = (await mails()).find((m) => m.template === 'cosign_approved');
  assert.equal(told?.to, 'anna@example.se');
  assert.ok(!told!.text.includes('Mikael'), 'e-mails name no one');
  // A second answer finds nothing pending.
  assert.equal((await answer(mikael, caseId, { answer: 'reject' })).headers.location, `/my/cases/${caseId}?cosign=closed#cosign`);
  // Both are parties and read the case; the history words the answer without a name.
  assert.match((await get(anna, `/my/cases/${caseId}`)).body, /Godkänd av den andra vårdnadshavaren/);

  // The handler sees who approved, and when.
  const handler = await signInStaff(t, NORRBY, { username: 'hugo', displayName: 'Hugo Handläggare', roles: ['handler'], departments: ['education'] });
  const staffPage = await get(handler, `/staff/cases/${caseId}`);
  assert.equal(staffPage.statusCode, 200);
  assert.match(staffPage.body, /Mikael Andersson/);
  assert.ok(staffPage.body.includes("Godkänt 23 november 2026 kl. 11:00"), "who approved and when");
});

test('a co-signer the platform has an address for is e-mailed; a rejection with a reason ends the case', async () => {
  await tdb.query("UPDATE residents SET email = 'mikael@example.se' WHERE tenant_id = $1 AND personal_number = $2", [MIKAEL.personalNumber]);
  const { caseId, confirmation } = await chooseSchool(anna, OLLE, 'anna@example.se');
  assert.match(confirmation, /Vi har skickat e-post till den andra vårdnadshavaren/);
  const request = (await mails()).find((m) => m.template === 'cosign_request' && m.text.includes(caseId));
  assert.equal(request?.to, 'mikael@example.se');
  assert.ok(!request!.text.includes('Anna'), 'the request names no one');
  const mikael = await signInResident(t, NORRBY, MIKAEL);
  const r = await answer(mikael, caseId, { answer: 'reject', reason: 'Vi har inte pratat klart om skolan.' });
  assert.equal(r.headers.location, `/my/cases/${caseId}?cosign=rejected#cosign`);
  assert.equal((await caseRow(caseId)).status, 'cosign_rejected');
  assert.equal((await coSigner(caseId))[0]!.status_reason, 'Vi har inte pratat klart om skolan.');
  assert.match((await get(anna, `/my/cases/${caseId}`)).body, /Vi har inte pratat klart om skolan\./);
  assert.ok((await mails()).some((m) => m.template === 'cosign_rejected' && m.to === 'anna@example.se'));
});

test('the deadline job expires an unanswered request once, and a late answer finds it closed', async () => {
  const { caseId } = await chooseSchool(anna, OLLE, 'anna@example.se');
  const versions = t.app.serviceVersions;
  assert.equal(await expireDueCoSigning(t.tdb.db, versions, t.clock.now(), siteUrl), 0, 'not yet due');
  const later = new Date(t.clock.now().getTime() + 15 * 86_400_000);
  assert.ok((await expireDueCoSigning(t.tdb.db, versions, later, siteUrl)) >= 1);
  assert.equal(await expireDueCoSigning(t.tdb.db, versions, later, siteUrl), 0, 'idempotent');
  assert.equal((await caseRow(caseId)).status, 'cosign_expired');
  assert.deepEqual(await journalKinds(caseId), ['submitted', 'co_sign_requested', 'co_sign_expired']);
  const mikael = await signInResident(t, NORRBY, MIKAEL);
  assert.equal((await answer(mikael, caseId, { answer: 'approve' })).headers.location, `/my/cases/${caseId}?cosign=closed#cosign`);
  assert.equal((await caseRow(caseId)).status, 'cosign_expired');
});

test('concurrent approvals, rejections and expiries: exactly one answer wins', async () => {
  const mikael = await signInResident(t, NORRBY, MIKAEL);
  for (let round = 0; round < 3; round++) {
    const { caseId } = await chooseSchool(anna, OLLE, 'anna@example.se');
    const token = (await get(mikael, `/my/cases/${caseId}`)).body;
    const later = new Date(t.clock.now().getTime() + 15 * 86_400_000);
    const results = await Promise.allSettled([
      ...Array.from({ length: 12 }, (_, i) => post(mikael, `/my/cases/${caseId}/co-sign`, { answer: i % 2 ? 'approve' : 'reject' }, token)),
      ...Array.from({ length: 4 }, () => expireDueCoSigning(t.tdb.db, t.app.serviceVersions, later, siteUrl)),
    ]);
    assert.ok(results.every((r) => r.status === 'fulfilled'), JSON.stringify(results.filter((r) => r.status === 'rejected')));
    const answers = (await journalKinds(caseId)).filter((k) => k.startsWith('co_sign_') && k !== 'co_sign_requested');
    assert.equal(answers.length, 1, `one answer, got ${answers.join(', ')}`);
    const [party] = await coSigner(caseId);
    assert.equal(`co_sign_${party!.status}`, answers[0]);
    const expected = { co_sign_approved: 'submitted', co_sign_rejected: 'cosign_rejected', co_sign_expired: 'cosign_expired' }[answers[0] as 'co_sign_approved'];
    assert.equal((await caseRow(caseId)).status, expected);
    // An approved choice stays open: Anna withdraws it, so the next round may choose for Olle again.
    if (expected === 'submitted') await withdraw(anna, caseId);
  }
});

test('a protected identity is never shown to the other custodian; the handler sees it, flagged', async () => {
  // Lova (protected) applies: Per sees the case, but not her name, number, address or e-mail.
  const lova = await signInResident(t, NORRBY, LOVA);
  const { caseId } = await chooseSchool(lova, SIGGE, 'lova.hemlig@example.se');
  const per = await signInResident(t, NORRBY, PER);
  const seen = [(await get(per, `/my/cases/${caseId}`)).body, (await get(per, '/my/cases')).body];
  assert.match(seen[0]!, /Godkänner du det här\?/);
  for (const body of seen) {
    for (const secret of ['Lova', LOVA.personalNumber, '19841112', 'Box 1001', 'lova.hemlig']) assert.ok(!body.includes(secret), `shown to the other custodian: ${secret}`);
  }
  assert.equal((await get(per, `/my/cases/${caseId}/receipt.pdf`)).statusCode, 403, 'the receipt is the applicant’s');
  await answer(per, caseId, { answer: 'approve' });
  const after = (await get(per, `/my/cases/${caseId}`)).body;
  for (const secret of ['Lova', LOVA.personalNumber, 'lova.hemlig']) assert.ok(!after.includes(secret), `shown after approval: ${secret}`);

  // Lova withdraws hers (one open school choice per child, ADR 0022); Per applies with Lova as the co-signer: her name stays out of his pages; the handler sees her, flagged.
  await withdraw(lova, caseId);
  const second = await chooseSchool(per, SIGGE, 'per@example.se');
  for (const body of [second.confirmation, (await get(per, `/my/cases/${second.caseId}`)).body]) {
    for (const secret of ['Lova', LOVA.personalNumber, 'Box 1001']) assert.ok(!body.includes(secret), `shown to the applicant: ${secret}`);
  }
  const handler = await signInStaff(t, NORRBY, { username: 'hedda', displayName: 'Hedda Handläggare', roles: ['handler'], departments: ['education'] });
  const staffPage = (await get(handler, `/staff/cases/${second.caseId}`)).body;
  assert.match(staffPage, /Lova Nord/);
  assert.match(staffPage, /Skyddad identitet/);
});
