/** The case from both sides: resident and handler, through HTTP, with the journal verified at the end. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, NORRBY, SODERA } from '../../test/helpers/app.ts';
import { signInResident, signInStaff, staffSession, ANNA, HANNA } from '../../test/helpers/sign-in.ts';
import { journey } from '../../test/helpers/journey.ts';
import { readPdf } from '../../test/helpers/pdf.ts';
import { tenantScope } from '../kernel/db/index.ts';
import { verifyArchive } from '../archive/index.ts';
import { readdirSync } from 'node:fs';

const filesUnder = (dir: string): string[] => {
  try {
    return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[]).filter((d) => d.isFile()).map((d) => `${d.parentPath}/${d.name}`).sort();
  } catch {
    return [];
  }
};

const t = await createTestApp({ now: '2026-11-23T10:00:00Z' });
after(() => t.close());
const { get, post, postMultipart, applyForPreschool, withdraw } = journey(t);
const tdb = tenantScope(t.tdb.db, 'norrby');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

const anna = await signInResident(t, NORRBY, ANNA, 'en');
const handler = await signInStaff(t, NORRBY, HANNA);
const otherDept = await signInStaff(t, NORRBY, { username: 'stina', displayName: 'Stina Stadsmiljö', roles: ['handler'], departments: ['city-services'] });
const officer = await signInStaff(t, NORRBY, { username: 'sam', displayName: 'Sam Säkerhet', roles: ['security_officer'], departments: [] });

test('from application to decision, on both sides', async () => {
  const { caseId, reference } = await applyForPreschool(anna, '202205109826', 'anna@example.se');

  // The inbox shows it; filters narrow it.
  let r = await get(handler, '/staff/cases');
  assert.equal(r.statusCode, 200);
  assert.ok(r.body.includes(reference));
  r = await get(handler, '/staff/cases?assignee=me');
  assert.ok(!r.body.includes(reference), 'not assigned to me yet');
  r = await get(handler, '/staff/cases?assignee=none&status=submitted');
  assert.ok(r.body.includes(reference));

  // Another department's handler cannot see or touch it.
  assert.ok(!(await get(otherDept, '/staff/cases')).body.includes(reference));
  assert.equal((await get(otherDept, `/staff/cases/${caseId}`)).statusCode, 404);

  // Opening the case is audit-logged.
  const page = await get(handler, `/staff/cases/${caseId}`);
  assert.equal(page.statusCode, 200);
  assert.ok(page.body.includes('Elsa Andersson') && page.body.includes('19880314-9825'));
  const { rows: audit } = await tdb.query<{ action: string }>('SELECT action FROM audit_log WHERE tenant_id = $1 AND case_id = $2 AND staff_id = $3', [caseId, handler.staffId]);
  assert.ok(audit.some((a) => a.action === 'case.view'));

  r = await post(handler, `/staff/cases/${caseId}/assign`, { assignee: handler.staffId }, page.body);
  assert.equal(r.statusCode, 303);
  r = await post(handler, `/staff/cases/${caseId}/assign`, { assignee: otherDept.staffId }, page.body);
  assert.equal(r.statusCode, 400, 'only handlers of the department can be assigned');
  r = await post(handler, `/staff/cases/${caseId}/notes`, { body: 'Syskonförtur? Kontrollera.' }, page.body);
  assert.equal(r.statusCode, 303);
  r = await post(handler, `/staff/cases/${caseId}/notes`, { body: '   ' }, page.body);
  assert.equal(r.statusCode, 400);
  r = await post(handler, `/staff/cases/${caseId}/supplement-request`, { body: 'Skicka intyg om arbetstid.' }, page.body);
  assert.equal(r.statusCode, 303);

  // The resident sees the request but not the internal note.
  const mine = await get(anna, `/my/cases/${caseId}`);
  assert.ok(mine.body.includes('Skicka intyg om arbetstid.'));
  assert.ok(!mine.body.includes('Syskonförtur'), 'internal notes are not shown to the resident');
  assert.match(mine.body, /Waiting for more information from you/);
  // Staff read the same state in their own words: the applicant, not "you", is to send something.
  const waiting = await get(handler, `/staff/cases/${caseId}`);
  assert.match(waiting.body, /Väntar på komplettering från sökande/);
  assert.doesNotMatch(waiting.body, /från dig/);
  assert.match((await get(handler, '/staff/cases')).body, /<option value="forskola:awaiting_supplement"[^>]*>Väntar på komplettering från sökande( \(Ansök om förskola\))?</);

  // A file that only claims to be a PDF is refused with a translated error; the text is kept.
  r = await postMultipart(anna, `/my/cases/${caseId}/supplement`, { body: 'Här är intyget.' }, [{ name: 'files', filename: 'intyg.pdf', type: 'application/pdf', data: Buffer.from('MZ not a pdf') }], mine.body);
  assert.equal(r.statusCode, 400);
  assert.match(r.body, /must be a PDF, PNG or JPEG/);
  assert.match(r.body, /Här är intyget\./);
  r = await postMultipart(anna, `/my/cases/${caseId}/supplement`, { body: 'Här är intyget.' }, [{ name: 'files', filename: '../../etc/intyg.pdf', type: 'text/plain', data: PDF }], mine.body);
  assert.equal(r.statusCode, 303);

  const afterSupplement = await get(handler, `/staff/cases/${caseId}`);
  assert.match(afterSupplement.body, /Under handläggning/);
  const fileId = /\/attachments\/([0-9a-f-]{36})/.exec(afterSupplement.body)![1]!;
  const file = await get(handler, `/staff/cases/${caseId}/attachments/${fileId}`);
  assert.equal(file.statusCode, 200);
  assert.equal(file.headers['content-type'], 'application/pdf');
  assert.match(String(file.headers['content-disposition']), /filename\*=UTF-8''intyg\.pdf/);

  // Decide from the template: a pre-school that is not in the register is refused (any that is may be offered).
  const form = await get(handler, `/staff/cases/${caseId}/decide?type=offered`);
  assert.equal(form.statusCode, 200);
  r = await post(handler, `/staff/cases/${caseId}/decide`, { type: 'offered', preschool: 'sod-nowhere', startDate: '2027-04-01' }, form.body);
  assert.equal(r.statusCode, 400);
  assert.match(r.body, /Välj förskola i listan/);
  r = await post(handler, `/staff/cases/${caseId}/decide`, { type: 'offered', preschool: 'nby-solrosen', startDate: '2027-04-01' }, form.body);
  assert.equal(r.statusCode, 303);

  const decided = await get(anna, `/my/cases/${caseId}`);
  assert.match(decided.body, /Decided/);
  const letters = [...decided.body.matchAll(/\/my\/cases\/[0-9a-f-]{36}\/documents\/([0-9a-f-]{36})\.pdf" hreflang="(sv|en)"/g)].map((m) => ({ id: m[1]!, lang: m[2]! }));
  assert.deepEqual(letters.map((l) => l.lang).sort(), ['en', 'sv'], 'Swedish is always kept, plus the resident’s language');
  for (const l of letters) {
    const pdf = await get(anna, `/my/cases/${caseId}/documents/${l.id}.pdf`);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    const facts = await readPdf(pdf.rawPayload);
    assert.equal(facts.lang, l.lang === 'sv' ? 'sv-SE' : 'en-GB');
    // Addressed as a posted letter would be, from the population register.
    for (const s of [reference, 'Elsa Andersson', 'Förskolan Solrosen', 'Anna Andersson', 'Storgatan 12', '123 45 Norrby']) assert.ok(facts.text.includes(s), `${l.lang} letter lacks ${s}`);
  }
  // Decided: no withdrawal, no supplement form.
  assert.ok(!decided.body.includes(`/my/cases/${caseId}/withdraw`));
  r = await post(anna, `/my/cases/${caseId}/withdraw`, {}, decided.body);
  assert.equal(r.statusCode, 409);
  // A supplement nobody asked for any more is refused, and its file does not stay in the store.
  const blobsBefore = filesUnder(t.config.blobDir);
  r = await postMultipart(anna, `/my/cases/${caseId}/supplement`, { body: 'Ett intyg till.' }, [{ name: 'files', filename: 'intyg2.pdf', type: 'application/pdf', data: PDF }], decided.body);
  assert.equal(r.statusCode, 409);
  assert.deepEqual(filesUnder(t.config.blobDir), blobsBefore, 'no stray file in the blob store');

  // E-mails queued: received, supplement request, decision.
  const { rows: mail } = await tdb.query<{ payload: { to: string; subject: string } }>("SELECT payload FROM outbox WHERE tenant_id = $1 AND kind = 'email' ORDER BY created_at");
  const subjects = mail.filter((m) => m.payload.to === 'anna@example.se').map((m) => m.payload.subject);
  assert.ok(subjects.some((s) => s.includes('received')) && subjects.some((s) => s.includes('more information')) && subjects.some((s) => s.includes('Decision')), subjects.join(' | '));

  // The receipt, in the resident's language, names the case.
  const receipt = await get(anna, `/my/cases/${caseId}/receipt.pdf`);
  const facts = await readPdf(receipt.rawPayload);
  assert.ok(facts.text.includes(reference) && facts.text.includes('Elsa Andersson'));

  // The security officer sees who read what, and can export it.
  const log = await get(officer, `/staff/audit?case=${reference}`);
  assert.equal(log.statusCode, 200);
  assert.ok(log.body.includes('Hanna Handläggare'));
  // An export without a reason is refused with a translated error; with one, the reason is logged.
  const refused = await get(officer, `/staff/audit.csv?case=${reference}&reason=%20%20`);
  assert.equal(refused.statusCode, 400);
  assert.match(refused.body, /Skriv skälet till exporten/);
  assert.match(refused.body, /href="#f-reason"/);
  const csv = await get(officer, `/staff/audit.csv?case=${reference}&reason=${encodeURIComponent('Registerutdrag <b>2026-17</b>')}`);
  assert.match(String(csv.headers['content-type']), /text\/csv/);
  assert.ok(csv.body.includes('case.view') && csv.body.includes('attachment.view'));
  const { rows: exports } = await tdb.query<{ reason: string }>("SELECT reason FROM audit_log WHERE tenant_id = $1 AND action = 'audit.export'");
  assert.deepEqual(exports.map((e) => e.reason), ['Registerutdrag <b>2026-17</b>'], 'one export logged, with its reason; the refused one is not');
  const after = await get(officer, `/staff/audit`);
  assert.match(after.body, /Registerutdrag &lt;b(&gt;|>)2026-17&lt;\/b/, 'the reason is shown, escaped');
  assert.ok(!after.body.includes('<b>2026-17'), 'no markup from the reason');
  assert.equal((await get(handler, '/staff/audit')).statusCode, 403);

  const report = await verifyArchive(t.tdb.db, ['norrby', 'sodera']);
  assert.deepEqual(report.problems, []);
});

test('the resident can withdraw before a decision and message the handler', async () => {
  const { caseId } = await applyForPreschool(anna, '202401229816');
  const page = await get(anna, `/my/cases/${caseId}`);
  let r = await post(anna, `/my/cases/${caseId}/messages`, { body: '' }, page.body);
  assert.equal(r.statusCode, 400);
  assert.match(r.body, /Enter a message/);
  r = await post(anna, `/my/cases/${caseId}/messages`, { body: 'Går det att börja en vecka senare?' }, page.body);
  assert.equal(r.statusCode, 303);
  assert.ok((await get(handler, `/staff/cases/${caseId}`)).body.includes('Går det att börja en vecka senare?'));
  const confirm = await get(anna, `/my/cases/${caseId}/withdraw`);
  assert.equal(confirm.statusCode, 200);
  r = await post(anna, `/my/cases/${caseId}/withdraw`, {}, confirm.body);
  assert.equal(r.headers.location, `/my/cases/${caseId}?done=withdrawn`);
  assert.match((await get(anna, `/my/cases/${caseId}`)).body, /Withdrawn/);
});

test("cases are nobody else's: another resident, another tenant, anonymous", async () => {
  const { caseId } = await applyForPreschool(anna, '202205109826');
  const karin = await signInResident(t, NORRBY, { personalNumber: '198502209862', givenName: 'Karin', familyName: 'Holm' });
  for (const url of [`/my/cases/${caseId}`, `/my/cases/${caseId}/receipt.pdf`, `/my/cases/${caseId}/withdraw`]) {
    assert.equal((await get(karin, url)).statusCode, 404, url);
  }
  const soderaHandler = await signInStaff(t, SODERA, { username: 'hanna', displayName: 'Hanna i Söderå', roles: ['handler'], departments: ['education'] });
  const r = await get(soderaHandler, `/staff/cases/${caseId}`);
  assert.equal(r.statusCode, 404);
  assert.ok(!r.body.includes('Elsa'));
  const anon = await t.app.inject({ url: `/staff/cases/${caseId}`, headers: { host: NORRBY } });
  assert.equal(anon.statusCode, 303);
  assert.match(String(anon.headers.location), /^\/staff\/sign-in/);
});

test('the inbox pages by key and flags overdue cases', async () => {
  // More cases than a page holds, for one child: a second open application for a child is refused
  // (ADR 0022), so each is withdrawn before the next; the last stays open to become overdue.
  for (let i = 0; i < 27; i++) {
    const { caseId } = await applyForPreschool(anna, '202401229816');
    if (i < 26) await withdraw(anna, caseId);
  }
  const first = await get(handler, '/staff/cases?status=all');
  const next = /href="(\/staff\/cases\?[^"]*after=[^"]+)"/.exec(first.body)?.[1]?.replace(/&amp;/g, '&');
  assert.ok(next, 'a next-page link');
  const second = await get(handler, next!);
  const refs = (html: string) => new Set([...html.matchAll(/>(FSK-\d{4}-\d{6})</g)].map((m) => m[1]));
  const a = refs(first.body);
  const b = refs(second.body);
  assert.equal(a.size, 25);
  assert.ok(b.size > 0);
  for (const x of b) assert.ok(!a.has(x), 'pages do not overlap');
  t.clock.set('2026-12-10T10:00:00Z');
  const later = await staffSession(t, NORRBY, handler.staffId, 'Hanna Handläggare');
  const overdue = await get(later, '/staff/cases?overdue=1');
  assert.match(overdue.body, /Försenad/);
  t.clock.set('2026-11-23T10:00:00Z');
});
