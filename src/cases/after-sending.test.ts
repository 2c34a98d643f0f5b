/**
 * The resident's case after sending (issue 8: items 1, 4, 11, 12, 13): the decision on the case page
 * and the follow page with its fields, letter text and appeal; the message form open for the period
 * the decision type gives (messagesOpenDays) and closed after it, with the reason, on the page and
 * in the database; the subject named on My cases, the heading, the drafts and every e-mail; the
 * supplement's deadline on the page and in the e-mail; confirmations announced (status region,
 * focus, title); e-mail in the municipality's name with its signature, and a withdrawal confirmed
 * by e-mail. Stored rows asserted: journal, outbox, the demo mailbox.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestApp, NORRBY, SODERA } from '../../test/helpers/app.ts';
import { signInResident, ANNA } from '../../test/helpers/sign-in.ts';
import { journey } from '../../test/helpers/journey.ts';
import { tenantScope } from '../kernel/db/index.ts';
import { loadTenants, TenantsFileError } from '../kernel/tenants.ts';
import { createOutboxWorker } from '../notify/index.ts';
import { newFollowLink } from '../follow/index.tsx';
import { actionOfKind, childSubject, createCase, namedSubject, residentApplicant, runAction, type NewParty } from './index.ts';
import type { CaseParty } from './parties.ts';

const t = await createTestApp({ now: '2026-11-23T10:00:00Z' });
after(() => t.close());
const { get, post } = journey(t);
const tdb = tenantScope(t.tdb.db, 'norrby');
const def = t.app.catalogue.service('norrby', 'forskola')!;
const anna = await signInResident(t, NORRBY, ANNA, 'sv');
const ELSA = { personalNumber: '202205109826', name: 'Elsa Andersson', birthDate: '2022-05-10' };
const OLLE = { personalNumber: '202401229816', name: 'Olle Andersson', birthDate: '2024-01-22' };

async function apply(child: typeof ELSA, email = 'anna@example.se', parties?: NewParty[]) {
  return tdb.transaction((tx) =>
    createCase(tx, {
      definition: def,
      parties: parties ?? [residentApplicant({ id: anna.residentId, personalNumber: ANNA.personalNumber, name: 'Anna Andersson' }), childSubject(child)],
      answers: { child: child.personalNumber, preschools: ['nby-ekbacken', 'nby-solrosen'], startDate: '2027-04-01', careHours: 'from15to30', specialNeeds: 'no', email },
      locale: 'sv',
      draftId: null,
      email,
      siteUrl: `http://${NORRBY}`,
      now: t.clock.now(),
    }),
  );
}

const notify = (email: string) => ({ email, siteUrl: `http://${NORRBY}` });

async function decide(caseId: string, decidedAt = t.clock.now()) {
  const c = (await import('./index.ts')).getCase;
  const current = (await c(tdb, caseId))!;
  const action = actionOfKind(def, current.status, 'decide')!;
  await runAction(
    tdb,
    def,
    caseId,
    action,
    { kind: 'staff', id: null },
    { decision: { type: 'offered', outcome: 'approved', values: { preschool: 'nby-ekbacken', startDate: '2027-04-01' }, decidedBy: 'test', decidedAt: decidedAt.toISOString() } },
    notify('anna@example.se'),
    t.clock.now(),
  );
}

async function mailsTo(address: string) {
  const { rows } = await tdb.query<{ payload: { to: string; subject: string; text: string; template?: string; locale?: string } }>("SELECT payload FROM outbox WHERE tenant_id = $1 AND kind = 'email' ORDER BY id", []);
  return rows.map((r) => r.payload).filter((p) => p.to === address);
}

async function messagesOf(caseId: string) {
  const { rows } = await tdb.query<{ payload: { body: string } }>("SELECT payload FROM journal WHERE tenant_id = $1 AND case_id = $2 AND kind = 'message' ORDER BY seq", [caseId]);
  return rows.map((r) => r.payload.body);
}

const mainOf = (html: string) => html.slice(html.indexOf('<main'), html.indexOf('</main>'));
const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)![1]!;

test('My cases and the case page name the subject; the receipt e-mail names it and leaves in the municipality’s name', async () => {
  const elsa = await apply(ELSA, 'anna.receipt@example.se');
  await apply(OLLE, 'anna.receipt@example.se');
  const list = (await get(anna, '/my/cases')).body;
  assert.match(list, /<th scope="col">Gäller<\/th>/);
  assert.match(list, /Barn: Elsa Andersson/);
  assert.match(list, /Barn: Olle Andersson/);
  assert.doesNotMatch(list, /202205109826/, 'never the child’s personal number');

  const page = (await get(anna, `/my/cases/${elsa.id}`)).body;
  assert.match(mainOf(page), new RegExp(`<h1[^>]*>Ansök om förskola för Elsa Andersson – ${elsa.reference}</h1>`));

  // The stored receipt: the subject line names the child, the text ends with what the case is.
  const [receipt] = (await mailsTo('anna.receipt@example.se')).filter((m) => m.subject.includes(elsa.reference));
  assert.ok(receipt);
  assert.match(receipt.subject, / – Elsa Andersson$/);
  assert.match(receipt.text, new RegExp(`Ärende: ${elsa.reference}\\nE-tjänst: Ansök om förskola\\nBarn: Elsa Andersson$`));
  assert.equal(receipt.locale, 'sv');

  // Sent: from Norrby kommun, signed with its contact details (tenants.yaml).
  await createOutboxWorker(t.app, { batchSize: 50 }).drain();
  const { rows } = await tdb.query<{ from_address: string; body: string; subject: string }>('SELECT from_address, body, subject FROM dev_mailbox WHERE tenant_id = $1 AND to_address = $2 ORDER BY subject', ['anna.receipt@example.se']);
  assert.equal(rows.length, 2);
  for (const r of rows) {
    assert.equal(r.from_address, 'Norrby kommun <no-reply@norrby.example>');
    assert.match(r.body, /\n-- \nNorrby kommun\nTelefon: 0123-45 67 00\nE-post: kontakt@norrby\.example\nAdress: Storgatan 1, 123 45 Norrby\n$/);
  }
  const mail = (await get(anna, `/dev/mailbox`)).body;
  const id = new RegExp(`href="/dev/mailbox/([0-9a-f-]{36})"`).exec(mail)![1]!;
  assert.match((await get(anna, `/dev/mailbox/${id}`)).body, /<dt>Från<\/dt><dd>Norrby kommun &lt;no-reply@norrby\.example><\/dd>/);
});

test('Söderå’s mail comes from Söderå kommun, never from Medborg', async () => {
  const sodera = tenantScope(t.tdb.db, 'sodera');
  const sdef = t.app.catalogue.service('sodera', 'forskola')!;
  await sodera.transaction((tx) =>
    createCase(tx, { definition: sdef, parties: [], answers: {}, locale: 'en', draftId: null, email: 'someone@example.se', siteUrl: `http://${SODERA}`, now: t.clock.now() }),
  );
  await createOutboxWorker(t.app, { batchSize: 50 }).drain();
  const { rows } = await sodera.query<{ from_address: string; body: string }>('SELECT from_address, body FROM dev_mailbox WHERE tenant_id = $1', []);
  assert.equal(rows.length, 1);
  assert.equal(rows[0]!.from_address, 'Söderå kommun <no-reply@sodera.example>');
  assert.doesNotMatch(rows[0]!.from_address, /Medborg|medborg\.localhost/);
  assert.match(rows[0]!.body, /\n-- \nSöderå Municipality\nPhone: 0987-65 43 00\nE-mail: info@sodera\.example\n/, 'the signature in the reader’s language');
});

test('the supplement’s deadline is on the page and in the e-mail', async () => {
  const c = await apply(ELSA, 'anna.supp@example.se');
  const action = actionOfKind(def, 'submitted', 'requestSupplement')!;
  await runAction(tdb, def, c.id, action, { kind: 'staff', id: null }, { text: 'Skicka intyget från BVC.' }, notify('anna.supp@example.se'), t.clock.now());
  const { rows } = await tdb.query<{ due_at: Date }>('SELECT due_at FROM cases WHERE tenant_id = $1 AND id = $2', [c.id]);
  const due = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', dateStyle: 'long' }).format(new Date(rows[0]!.due_at));
  assert.equal(due, '7 december 2026', 'fourteen days, the state’s deadline');
  const page = mainOf((await get(anna, `/my/cases/${c.id}`)).body);
  assert.match(page, /Skicka kompletteringen senast 7 december 2026\./);
  const mail = (await mailsTo('anna.supp@example.se')).find((m) => m.template === 'supplement')!;
  assert.match(mail.subject, /senast 7 december 2026 – Elsa Andersson$/);
  assert.match(mail.text, /senast 7 december 2026\./);
  assert.match(mail.text, /Barn: Elsa Andersson$/);
});

test('the decision is on the case page; messages stay open 14 days, then close with the reason', async () => {
  const start = t.clock.now();
  const c = await apply(ELSA, 'anna.decision@example.se');
  await decide(c.id);
  const decision = (await mailsTo('anna@example.se')).find((m) => m.template === 'decision' && m.subject.includes(c.reference))!;
  assert.match(decision.subject, /^Beslut i ärende .* – Elsa Andersson$/);

  let page = (await get(anna, `/my/cases/${c.id}`)).body;
  const main = mainOf(page);
  assert.match(main, /<section class="mb-panel mb-decision" aria-labelledby="decision-h" id="decision">/);
  assert.match(main, /<span class="ds-tag" data-color="success">Plats erbjuden<\/span>/);
  assert.match(main, /<dt>Förskola<\/dt>\s*<dd>Ekbackens förskola<\/dd>/);
  assert.match(main, /<dt>Startdatum<\/dt>\s*<dd>1 april 2027<\/dd>/);
  assert.match(main, /Elsa Andersson erbjuds en plats på Ekbackens förskola från och med 1 april 2027\./);
  assert.match(main, /<h3[^>]*>Laglighetsprövning<\/h3>/); // a placement is open to laglighetsprövning only (forskola.yaml)
  assert.match(main, /Du kan svara på beslutet i ett meddelande till och med 7 december 2026\./);
  assert.match(main, /<form method="post" action="\/my\/cases\/[^"]+\/messages">/);

  // A message within the period is taken, and the confirmation is announced.
  let r = await post(anna, `/my/cases/${c.id}/messages`, { body: 'Vi tackar ja till platsen.' }, page);
  assert.equal(r.statusCode, 303);
  assert.equal(r.headers.location, `/my/cases/${c.id}?done=message`);
  assert.deepEqual(await messagesOf(c.id), ['Vi tackar ja till platsen.']);
  page = (await get(anna, String(r.headers.location))).body;
  assert.match(titleOf(page), /^Ditt meddelande är skickat – Ansök om förskola för Elsa Andersson/);
  assert.match(page, /<div class="ds-alert mb-notice" data-color="success" role="status" aria-live="polite" aria-atomic="true" tabindex="-1" autofocus id="notice"><p class="ds-paragraph">Ditt meddelande är skickat\.<\/p><\/div>/);

  // At 23:00 on the last day (Stockholm) messages are still open; the next day they are not.
  // (Signed in again: a session ends after 20 idle minutes, and the clock moves on by days.)
  t.clock.set(new Date(start.getTime() + 14 * 86_400_000 + 12 * 3600_000));
  let later = await signInResident(t, NORRBY, ANNA, 'sv');
  assert.match(mainOf((await get(later, `/my/cases/${c.id}`)).body), /<form method="post" action="\/my\/cases\/[^"]+\/messages">/);
  t.clock.set(new Date(start.getTime() + 15 * 86_400_000));
  later = await signInResident(t, NORRBY, ANNA, 'sv');
  page = (await get(later, `/my/cases/${c.id}`)).body;
  assert.doesNotMatch(mainOf(page), /action="\/my\/cases\/[^"]+\/messages"/);
  assert.match(mainOf(page), /Det gick att skicka meddelanden om beslutet till och med 7 december 2026\. Nu är ärendet avslutat/);
  assert.match(mainOf(page), /0123-45 67 00/);
  r = await post(later, `/my/cases/${c.id}/messages`, { body: 'Sent för sent.' }, `/my/cases`);
  assert.equal(r.statusCode, 409);
  assert.deepEqual(await messagesOf(c.id), ['Vi tackar ja till platsen.'], 'nothing written after the period');
  t.clock.set(start);
});

test('a withdrawal is confirmed on the page (announced) and by e-mail naming the child', async () => {
  const c = await apply(OLLE, 'anna.withdraw@example.se');
  const action = actionOfKind(def, 'submitted', 'withdraw')!;
  const anna = await signInResident(t, NORRBY, ANNA, 'sv');
  const r = await post(anna, `/my/cases/${c.id}/actions/${action.id}`, {}, `/my/cases/${c.id}/actions/${action.id}`);
  assert.equal(r.statusCode, 303);
  const page = (await get(anna, String(r.headers.location))).body;
  assert.match(titleOf(page), /^Ansökan är återkallad – /);
  assert.match(page, /role="status"[^>]*><p class="ds-paragraph">Ansökan är återkallad\.<\/p>/);
  const mail = (await mailsTo('anna.withdraw@example.se')).find((m) => m.template === 'withdrawn')!;
  assert.ok(mail, 'a withdrawal e-mail');
  assert.equal(mail.subject, `Ärende ${c.reference} är återkallat – Olle Andersson`);
  assert.match(mail.text, /Du har återkallat din ansökan "Ansök om förskola"/);
  // A closed case without a decision period: no form, and the page says why.
  assert.match(mainOf(page), /Ärendet är avslutat, så det går inte att skicka meddelanden här\./);
});

test('the follow page shows the decision and takes a message within the period; hostile text is stored as text', async () => {
  const email = 'folk@example.se';
  const c = await apply(ELSA, email, [{ role: 'applicant', kind: 'email', email, emailVerifiedAt: t.clock.now().toISOString() }, childSubject(ELSA)]);
  const link = newFollowLink(c.id, t.clock.now());
  await tdb.query(link.statement.sql, link.statement.params);
  await decide(c.id);
  const visitor = { ...anna, jar: new (await import('../../test/helpers/app.ts')).CookieJar() };
  const page = (await get(visitor, `/follow/${link.token}`)).body;
  assert.match(mainOf(page), /Plats erbjuden/);
  assert.match(mainOf(page), /Ekbackens förskola/);
  assert.match(mainOf(page), /Barn: Elsa Andersson/);
  const hostile = '<script>alert(1)</script>\u0000 "quoted" & ‮reversed';
  const r = await post(visitor, `/follow/${link.token}/messages`, { body: hostile }, page);
  assert.equal(r.statusCode, 303);
  const [stored] = await messagesOf(c.id);
  assert.equal(stored, '<script>alert(1)</script> "quoted" & ‮reversed', 'stored as written, NUL removed');
  const after = (await get(visitor, String(r.headers.location))).body;
  assert.doesNotMatch(after, /<script>alert\(1\)/);
  assert.match(after, /&lt;script>alert\(1\)&lt;\/script>/);
  assert.match(after, /role="status"/);
  // Too long, and empty: refused with the answer kept, nothing stored.
  const long = await post(visitor, `/follow/${link.token}/messages`, { body: 'x'.repeat(4001) }, after);
  assert.equal(long.statusCode, 400);
  assert.equal((await messagesOf(c.id)).length, 1);
});

test('a subject is never named by personal number, nor a protected one to someone else', () => {
  const party = (p: Partial<CaseParty>) => ({ role: 'subject' as const, ...p });
  assert.deepEqual(namedSubject([party({ name: 'Elsa Andersson' })], def, 'sv'), { label: 'Barn', name: 'Elsa Andersson' });
  assert.equal(namedSubject([party({ name: '202205109826', personalNumber: '202205109826' })], def, 'sv'), undefined);
  const hidden = party({ name: 'Sigge Nord', personalNumber: '201904059837', details: { protected: true } });
  assert.equal(namedSubject([hidden], def, 'sv', { residentId: 'someone-else', personalNumber: '198001019999' }), undefined);
  assert.deepEqual(namedSubject([hidden], def, 'en', { personalNumber: '201904059837' }), { label: 'Child', name: 'Sigge Nord' });
});

test('the tenants file refuses a sender name that would break the header and a sender that is no address', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'medborg-tenants-'));
  try {
    const write = (mail: string) => {
      const file = path.join(dir, 'tenants.yaml');
      writeFileSync(
        file,
        `tenants:\n  - id: norrby\n    code: NBY\n    name: { sv: Norrby kommun, en: Norrby }\n    hosts: [norrby.localhost]\n    catalogue: catalogue/norrby\n    departments: [{ id: education, name: { sv: U, en: E } }]\n    contact: { email: a@b.se, phone: '1', address: x }\n    mail: ${mail}\n`,
      );
      return file;
    };
    assert.throws(() => loadTenants(write('{ fromName: "Evil <x@y.se>" }')), TenantsFileError);
    assert.throws(() => loadTenants(write('{ fromName: "Norrby\\r\\nBcc: x@y.se" }')), TenantsFileError);
    assert.throws(() => loadTenants(write('{ fromAddress: "not an address" }')), /mail\/fromAddress/);
    assert.throws(() => loadTenants(write('{ fromAddress: no-reply@norrby.localhost }'), { env: 'production', oidc: { issuer: 'https://idp.example' } }), /real mail domain/);
    assert.equal(loadTenants(write('{ fromName: Norrby kommun, fromAddress: no-reply@e.norrby.se }')).byId('norrby')!.mail!.fromAddress, 'no-reply@e.norrby.se');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
