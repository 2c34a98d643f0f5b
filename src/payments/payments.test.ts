/**
 * Fees and payments through HTTP with the demo provider: succeed; fail then succeed (answers kept);
 * cancel; a late callback after the return; a double callback; concurrent callbacks; a forged
 * callback; refunds in part, the rest, and more than paid refused. Stored rows are asserted.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, csrfFrom, NORRBY } from '../../test/helpers/app.ts';
import { signInResident, signInStaff, ANNA, type SignedIn } from '../../test/helpers/sign-in.ts';
import { ENGINE_CATALOGUE, tenantsFileWithCatalogue } from '../../test/helpers/test-catalogue.ts';
import { readPdf } from '../../test/helpers/pdf.ts';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { buildApp } from '../app.ts';
import { loadCatalogue } from '../catalogue/index.ts';
import { loadTenants } from '../kernel/tenants.ts';
import { loadConfig } from '../kernel/config.ts';
import { DemoPaymentProvider, feeAmountOre, formatAmount, parseKronor, SIGNATURE_HEADER, type Choice } from './index.tsx';

const tenantsFile = tenantsFileWithCatalogue(ENGINE_CATALOGUE);
const t = await createTestApp({ env: { MEDBORG_TENANTS: tenantsFile }});
after(() => t.close());
const provider = t.app.payments.provider as DemoPaymentProvider;
const db = t.tdb.db;

async function get(who: SignedIn, url: string) {
  const r = await t.app.inject({ url, headers: { host: who.host, cookie: who.jar.header() } });
  who.jar.store(r.headers['set-cookie']);
  return r;
}
async function post(who: SignedIn, url: string, form: Record<string, string>, page: string) {
  const r = await t.app.inject({
    method: 'POST',
    url,
    headers: { host: who.host, cookie: who.jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ ...form, _csrf: csrfFrom(page) }).toString(),
  });
  who.jar.store(r.headers['set-cookie']);
  return r;
}
const pathOf = (url: string) => {
  const u = new URL(url, 'http://norrby.localhost');
  return u.pathname + u.search;
};

/** A filled-in permit application; returns the draft id. */
async function fillIn(who: SignedIn, size: 'small' | 'large' = 'large'): Promise<string> {
  // Each application starts afresh: an earlier test's unpaid draft would otherwise be resumed.
  await db.query(`DELETE FROM drafts WHERE tenant_id = 'norrby' AND owner_id = $1 AND submitted_case_id IS NULL`, [who.residentId]);
  const start = await get(who, '/services/permit/apply');
  assert.equal(start.statusCode, 303, start.body.slice(0, 200));
  const step = String(start.headers.location);
  const saved = await post(who, step, { eventName: 'Sommarfest i parken', size, email: 'anna@example.se' }, (await get(who, step)).body);
  assert.equal(saved.statusCode, 303);
  assert.match(String(saved.headers.location), /\/check$/);
  return step.split('/')[2]!;
}

/** Sends "check your answers" and follows to the provider; returns the provider's reference. */
async function submit(who: SignedIn, draftId: string): Promise<string> {
  const check = await get(who, `/apply/${draftId}/check`);
  assert.equal(check.statusCode, 200);
  const r = await post(who, `/apply/${draftId}/submit`, {}, check.body);
  assert.equal(r.statusCode, 303, r.body.slice(0, 300));
  const m = /\/test-pay\/(DEMO-[0-9a-f-]+)$/.exec(String(r.headers.location));
  assert.ok(m, `sent to the provider, not ${r.headers.location}`);
  return m[1]!;
}

/** The payer's choice on the provider's page; returns where the browser is sent back to. */
async function pay(reference: string, choice: Choice): Promise<string> {
  const page = await t.app.inject({ url: `/test-pay/${reference}`, headers: { host: NORRBY } });
  assert.equal(page.statusCode, 200);
  const r = await t.app.inject({ method: 'POST', url: `/test-pay/${reference}`, headers: { host: NORRBY, 'content-type': 'application/x-www-form-urlencoded' }, payload: `choice=${choice}` });
  assert.equal(r.statusCode, 303);
  return pathOf(String(r.headers.location));
}

async function back(who: SignedIn, returnPath: string): Promise<string> {
  const r = await get(who, returnPath);
  assert.equal(r.statusCode, 303, r.body.slice(0, 300));
  return String(r.headers.location);
}

async function paymentsOf(draftId: string) {
  const { rows } = await db.query<{ id: string; status: string; amount_ore: number; case_id: string | null; refunded_ore: number; provider_ref: string }>(
    `SELECT id, status, amount_ore, case_id, refunded_ore, provider_ref FROM payments WHERE tenant_id = 'norrby' AND purpose_id = $1 ORDER BY created_at, id`,
    [draftId],
  );
  return rows;
}
async function casesOf(draftId: string) {
  const { rows } = await db.query<{ id: string; reference: string; answers: Record<string, unknown> }>(`SELECT id, reference, answers FROM cases WHERE tenant_id = 'norrby' AND draft_id = $1`, [draftId]);
  return rows;
}
async function journalOf(caseId: string) {
  const { rows } = await db.query<{ kind: string; payload: Record<string, unknown> }>(`SELECT kind, payload FROM journal WHERE tenant_id = 'norrby' AND case_id = $1 ORDER BY seq`, [caseId]);
  return rows;
}

test('the fee: a number or a JSON Logic expression over the answers, in öre; amounts as people write them', () => {
  assert.equal(feeAmountOre({ amount: 250, currency: 'SEK', description: { sv: 'a', en: 'a' } }, {}), 25_000);
  const fee = { amount: { if: [{ '==': [{ var: 'size' }, 'large'] }, 1500, 500] }, currency: 'SEK' as const, description: { sv: 'a', en: 'a' } };
  assert.equal(feeAmountOre(fee, { size: 'large' }), 150_000);
  assert.equal(feeAmountOre(fee, { size: 'small' }), 50_000);
  assert.equal(feeAmountOre({ ...fee, amount: { '*': [{ var: 'tables' }, 12.5] } }, { tables: '3' }), 3750);
  assert.throws(() => feeAmountOre({ ...fee, amount: { var: 'nothing' } }, {}), /not an amount/);
  assert.throws(() => feeAmountOre({ ...fee, amount: { '-': [0, 5] } }, {}), /not an amount/);
  assert.equal(formatAmount(150_000, 'sv'), '1\u00a0500\u00a0kr');
  assert.equal(formatAmount(12_550, 'en'), 'SEK\u00a0125.50');
  assert.equal(formatAmount(1_250_000, 'en'), 'SEK\u00a012,500');
  assert.equal(parseKronor('150'), 15_000);
  assert.equal(parseKronor('1 234,5 kr'), 123_450);
  assert.equal(parseKronor('-5'), undefined);
  // Thousands as people write them (ADR 0030); a mark used both ways is refused.
  assert.equal(parseKronor('12,345'), 1_234_500);
  assert.equal(parseKronor('12\u00a0500 kr'), 1_250_000);
  assert.equal(parseKronor('12.500,50'), 1_250_050);
  assert.equal(parseKronor('12,3,45'), undefined);
  assert.equal(parseKronor('12,345.6.7'), undefined);
});

test('pay and succeed: the callback creates the case once, the return finds it; the case page and receipt show the payment', async () => {
  const anna = await signInResident(t, NORRBY, ANNA);
  const draftId = await fillIn(anna);
  const check = await get(anna, `/apply/${draftId}/check`);
  assert.match(check.body, /1\u00a0500\u00a0kr/);
  assert.match(check.body, /Gå vidare till betalning/);
  const ref = await submit(anna, draftId);
  assert.deepEqual(await casesOf(draftId), [], 'no case before the payment');
  assert.deepEqual((await paymentsOf(draftId)).map((p) => [p.status, p.amount_ore, p.provider_ref]), [['created', 150_000, ref]]);
  const returnPath = await pay(ref, 'succeed');
  const cases = await casesOf(draftId);
  assert.equal(cases.length, 1, 'the callback (sent before the browser returns) created the case');
  assert.equal(await back(anna, returnPath), `/apply/${draftId}/confirmation`);
  assert.equal((await casesOf(draftId)).length, 1);
  const [payment] = await paymentsOf(draftId);
  assert.deepEqual([payment!.status, payment!.case_id], ['paid', cases[0]!.id]);
  const { rows: drafts } = await db.query<{ submitted_case_id: string }>(`SELECT submitted_case_id FROM drafts WHERE tenant_id = 'norrby' AND id = $1`, [draftId]);
  assert.equal(drafts[0]!.submitted_case_id, cases[0]!.id);
  const journal = await journalOf(cases[0]!.id);
  assert.deepEqual(journal.map((j) => j.kind), ['submitted']);
  assert.deepEqual(journal[0]!.payload.payment, { id: payment!.id, amountOre: 150_000, currency: 'SEK', providerRef: ref });
  assert.equal((cases[0]!.answers as { size: string }).size, 'large');
  const confirmation = await get(anna, `/apply/${draftId}/confirmation`);
  assert.match(confirmation.body, new RegExp(cases[0]!.reference));
  const casePage = await get(anna, `/my/cases/${cases[0]!.id}`);
  assert.match(casePage.body, /Betalning/);
  assert.match(casePage.body, /1\u00a0500\u00a0kr/);
  assert.ok(casePage.body.includes(ref), 'the payment reference is on the case page');
  const receipt = await get(anna, `/my/cases/${cases[0]!.id}/receipt.pdf`);
  const pdf = await readPdf(receipt.rawPayload);
  assert.match(pdf.text, /Betalning/);
  assert.match(pdf.text, /1\s500\skr/);
  assert.ok(pdf.text.replace(/\s/g, '').includes(ref.replace(/\s/g, '')), 'the payment reference is on the receipt');
});

test('a failed payment returns to check your answers with the answers kept; paying again succeeds', async () => {
  const anna = await signInResident(t, NORRBY, ANNA);
  const draftId = await fillIn(anna);
  const first = await submit(anna, draftId);
  const to = await back(anna, await pay(first, 'fail'));
  assert.equal(to, `/apply/${draftId}/check?payment=failed`);
  const check = await get(anna, to);
  assert.equal(check.statusCode, 200);
  assert.match(check.body, /Betalningen gick inte igenom/);
  assert.match(check.body, /Sommarfest i parken/, 'the answers are kept');
  assert.deepEqual(await casesOf(draftId), []);
  assert.deepEqual((await paymentsOf(draftId)).map((p) => p.status), ['failed']);
  const second = await submit(anna, draftId);
  assert.notEqual(second, first);
  assert.equal(await back(anna, await pay(second, 'succeed')), `/apply/${draftId}/confirmation`);
  assert.equal((await casesOf(draftId)).length, 1);
  assert.deepEqual((await paymentsOf(draftId)).map((p) => p.status).sort(), ['failed', 'paid']);
});

test('a cancelled payment returns to check your answers with its own message; nothing is created', async () => {
  const anna = await signInResident(t, NORRBY, ANNA, 'en');
  const draftId = await fillIn(anna, 'small');
  const ref = await submit(anna, draftId);
  assert.equal(provider.payment(ref)?.amountOre, 50_000);
  const to = await back(anna, await pay(ref, 'cancel'));
  assert.equal(to, `/apply/${draftId}/check?payment=cancelled`);
  const check = await get(anna, to);
  assert.match(check.body, /You cancelled the payment/);
  assert.match(check.body, /SEK\u00a0500/);
  assert.deepEqual(await casesOf(draftId), []);
  assert.deepEqual((await paymentsOf(draftId)).map((p) => p.status), ['cancelled']);
});

test('a late callback after the return, and a double callback, change nothing more', async () => {
  const anna = await signInResident(t, NORRBY, ANNA);
  const late = await fillIn(anna);
  const lateRef = await submit(anna, late);
  const returnPath = await pay(lateRef, 'succeedLate');
  assert.deepEqual(await casesOf(late), [], 'no callback yet');
  assert.equal(await back(anna, returnPath), `/apply/${late}/confirmation`, 'the return asks the provider and creates the case');
  const [created] = await casesOf(late);
  await provider.sendCallback(lateRef);
  await provider.sendCallback(lateRef);
  assert.deepEqual((await casesOf(late)).map((c) => c.id), [created!.id]);
  assert.deepEqual((await journalOf(created!.id)).map((j) => j.kind), ['submitted']);
  // Twice at once from the provider's page, then the return.
  const twice = await fillIn(anna);
  const twiceRef = await submit(anna, twice);
  assert.equal(await back(anna, await pay(twiceRef, 'succeedTwice')), `/apply/${twice}/confirmation`);
  assert.equal((await casesOf(twice)).length, 1);
  assert.deepEqual((await paymentsOf(twice)).map((p) => p.status), ['paid']);
});

test('concurrent callbacks and returns give one paid payment and one case (decided in the database)', async () => {
  const anna = await signInResident(t, NORRBY, ANNA);
  const draftId = await fillIn(anna);
  const ref = await submit(anna, draftId);
  const returnPath = await pay(ref, 'succeedLate');
  const results = await Promise.all([
    ...Array.from({ length: 6 }, () => provider.sendCallback(ref)),
    ...Array.from({ length: 3 }, () => t.app.inject({ url: returnPath, headers: { host: NORRBY, cookie: anna.jar.header() } })),
  ]);
  for (const r of results) if (r) assert.equal(r.statusCode, 303);
  const cases = await casesOf(draftId);
  assert.equal(cases.length, 1);
  const payments = await paymentsOf(draftId);
  assert.deepEqual(payments.map((p) => [p.status, p.case_id]), [['paid', cases[0]!.id]]);
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM journal WHERE tenant_id = 'norrby' AND case_id = $1`, [cases[0]!.id]);
  assert.equal(rows[0]!.n, 1);
});

test('a forged callback is refused, and a replayed authentic one only makes us ask the provider again', async () => {
  const anna = await signInResident(t, NORRBY, ANNA);
  const draftId = await fillIn(anna);
  const ref = await submit(anna, draftId);
  const callback = (body: unknown, signature: string) =>
    t.app.inject({ method: 'POST', url: '/payments/callback/demo', headers: { host: NORRBY, 'content-type': 'application/json', [SIGNATURE_HEADER]: signature }, payload: JSON.stringify(body) });
  const sentAt = new Date().toISOString();
  assert.equal((await callback({ reference: ref, sentAt, status: 'paid' }, 'forged')).statusCode, 404);
  assert.equal((await callback({ reference: ref, sentAt }, provider.sign(ref, '2020-01-01T00:00:00.000Z'))).statusCode, 404, 'a signature for other content');
  assert.equal((await callback({ reference: 'DEMO-unknown', sentAt }, provider.sign('DEMO-unknown', sentAt))).statusCode, 404);
  // Authentic (a replay of a real callback), but the payer has not paid: nothing changes.
  assert.equal((await callback({ reference: ref, sentAt }, provider.sign(ref, sentAt))).statusCode, 204);
  assert.deepEqual((await paymentsOf(draftId)).map((p) => p.status), ['created']);
  assert.deepEqual(await casesOf(draftId), []);
  // Another tenant's host cannot settle Norrby's payment either.
  const other = await t.app.inject({ method: 'POST', url: '/payments/callback/demo', headers: { host: 'sodera.localhost', 'content-type': 'application/json', [SIGNATURE_HEADER]: provider.sign(ref, sentAt) }, payload: JSON.stringify({ reference: ref, sentAt }) });
  assert.equal(other.statusCode, 404);
});

test('a handler refunds part, then the rest; more than paid is refused; each refund is in the case journal', async () => {
  const anna = await signInResident(t, NORRBY, ANNA);
  const draftId = await fillIn(anna);
  await back(anna, await pay(await submit(anna, draftId), 'succeed'));
  const [c] = await casesOf(draftId);
  const [payment] = await paymentsOf(draftId);
  const staff = await signInStaff(t, NORRBY, { username: 'hanna', displayName: 'Hanna Handläggare', roles: ['handler'], departments: ['city-services'] });
  const refund = async (amount: string) => {
    const page = await get(staff, `/staff/cases/${c!.id}`);
    assert.equal(page.statusCode, 200);
    return post(staff, `/staff/cases/${c!.id}/payments/${payment!.id}/refund`, { amount }, page.body);
  };
  const page = await get(staff, `/staff/cases/${c!.id}`);
  assert.match(page.body, /Återbetala/);
  assert.equal((await refund('500')).statusCode, 303);
  assert.equal((await paymentsOf(draftId))[0]!.refunded_ore, 50_000);
  assert.equal(provider.payment(payment!.provider_ref)?.refundedOre, 50_000);
  const tooMuch = await refund('1000,01');
  assert.equal(tooMuch.statusCode, 409);
  assert.match(tooMuch.body, /Återbetalningen gick inte att göra/);
  assert.equal((await paymentsOf(draftId))[0]!.refunded_ore, 50_000, 'refused: nothing reserved');
  const rest = await refund('1000');
  assert.equal(rest.statusCode, 303);
  assert.match((await get(staff, String(rest.headers.location))).body, /Återbetalningen är gjord/);
  assert.equal((await paymentsOf(draftId))[0]!.refunded_ore, 150_000);
  assert.equal((await refund('1')).statusCode, 409, 'nothing is left');
  const invalid = await refund('abc');
  assert.match(String(invalid.headers.location), /refund=invalid/);
  const { rows: refunds } = await db.query<{ amount_ore: number; status: string }>(`SELECT amount_ore, status FROM payment_refunds WHERE tenant_id = 'norrby' AND payment_id = $1 ORDER BY created_at, id`, [payment!.id]);
  // Same clock in the test: order by amount.
  assert.deepEqual(refunds.map((r) => [r.amount_ore, r.status]).sort((x, y) => Number(x[0]) - Number(y[0])), [[50_000, 'done'], [100_000, 'done']]);
  const journal = await journalOf(c!.id);
  assert.deepEqual(journal.map((j) => j.kind), ['submitted', 'payment_refunded', 'payment_refunded']);
  assert.deepEqual(journal.slice(1).map((j) => [j.payload.amountOre, j.payload.refundedOre]), [[50_000, 50_000], [100_000, 150_000]]);
  const after = await get(staff, `/staff/cases/${c!.id}`);
  assert.match(after.body, /Återbetalt/);
  assert.doesNotMatch(after.body, /Belopp att återbetala/, 'no refund form when nothing is left');
  // The resident cannot refund.
  const r = await t.app.inject({ method: 'POST', url: `/staff/cases/${c!.id}/payments/${payment!.id}/refund`, headers: { host: NORRBY, cookie: anna.jar.header(), 'content-type': 'application/x-www-form-urlencoded' }, payload: 'amount=1' });
  assert.notEqual(r.statusCode, 303);
});

test('the demo provider holds, captures and releases (for bookings)', async () => {
  const p = new DemoPaymentProvider('secret');
  const base = { tenantId: 'norrby', currency: 'SEK' as const, description: 'x', locale: 'sv' as const, returnUrl: 'http://norrby.localhost/r', callbackUrl: 'http://norrby.localhost/c', hold: true };
  const a = await p.create({ ...base, paymentId: 'a', amountOre: 10_000 });
  p.choose(a.reference, 'succeedLate');
  assert.equal((await p.status('norrby', a.reference)).status, 'authorised');
  await p.capture('norrby', a.reference, 8_000);
  assert.deepEqual(await p.status('norrby', a.reference), { status: 'paid', amountOre: 8_000, refundedOre: 0 });
  const b = await p.create({ ...base, paymentId: 'b', amountOre: 10_000 });
  p.choose(b.reference, 'succeedLate');
  await p.release('norrby', b.reference);
  assert.equal((await p.status('norrby', b.reference)).status, 'released');
  await assert.rejects(p.capture('norrby', b.reference));
});

test('with no payment provider configured, a service with a fee answers with the translated 503 and keeps the answers', async () => {
  const none = await createTestApp({ env: { MEDBORG_TENANTS: tenantsFile, PAYMENT_PROVIDER: 'none' } });
  after(() => none.close());
  assert.equal(loadConfig({ PAYMENT_PROVIDER: 'none' }).paymentProvider, 'none');
  const anna = await signInResident(none, NORRBY, ANNA);
  const g = async (url: string) => {
    const r = await none.app.inject({ url, headers: { host: NORRBY, cookie: anna.jar.header() } });
    anna.jar.store(r.headers['set-cookie']);
    return r;
  };
  const start = await g('/services/permit/apply');
  const step = String(start.headers.location);
  const page = await g(step);
  const form = (body: string, extra: Record<string, string>) => new URLSearchParams({ ...extra, _csrf: csrfFrom(body) }).toString();
  const headers = { host: NORRBY, cookie: anna.jar.header(), 'content-type': 'application/x-www-form-urlencoded' };
  await none.app.inject({ method: 'POST', url: step, headers, payload: form(page.body, { eventName: 'Fest', size: 'small', email: 'a@example.se' }) });
  const draftId = step.split('/')[2]!;
  const check = await g(`/apply/${draftId}/check`);
  const r = await none.app.inject({ method: 'POST', url: `/apply/${draftId}/submit`, headers, payload: form(check.body, {}) });
  assert.equal(r.statusCode, 503);
  assert.match(r.body, /Betalningen går inte att göra just nu/);
  const { rows } = await none.tdb.db.query<{ answers: { eventName: string }; submitted_case_id: string | null }>(`SELECT answers, submitted_case_id FROM drafts WHERE tenant_id = 'norrby' AND id = $1`, [draftId]);
  assert.deepEqual([rows[0]!.answers.eventName, rows[0]!.submitted_case_id], ['Fest', null]);
});

test('a draft paid after the service moved on to a new version becomes a case of the version its answers were checked against', async () => {
  const anna = await signInResident(t, NORRBY, ANNA);
  const draftId = await fillIn(anna);
  const ref = await submit(anna, draftId);
  // While the payer is at the provider, a node with version 2 of the service (one more state) takes the callback.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'medborg-paid-version-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(ENGINE_CATALOGUE, dir, { recursive: true });
  const permitFile = path.join(dir, 'norrby/permit.yaml');
  const permit = YAML.parse(readFileSync(permitFile, 'utf8')) as { version?: number; workflow: { states: { id: string }[] } };
  permit.version = 2;
  permit.workflow.states.push({ id: 'paused', label: { sv: 'Vilande', en: 'Paused' } } as { id: string });
  (permit.workflow as unknown as { transitions: unknown[] }).transitions.push({ from: ['submitted'], to: 'paused', action: 'start' }, { from: ['paused'], to: 'decided', action: 'decide' });
  writeFileSync(permitFile, YAML.stringify(permit));
  const tenants = loadTenants(tenantsFileWithCatalogue(dir));
  const ownDeliver = provider.deliver;
  const v2 = await buildApp({ config: t.config, db, tenants, catalogue: loadCatalogue(tenants), demo: true, clock: t.clock, paymentProvider: provider });
  try {
    await v2.ready();
    provider.choose(ref, 'succeedLate');
    await provider.sendCallback(ref); // delivered to the version-2 node, which mounted the provider last
    const { rows } = await db.query<{ service_version: number }>(`SELECT service_version FROM cases WHERE tenant_id = 'norrby' AND draft_id = $1`, [draftId]);
    assert.deepEqual(rows.map((r) => r.service_version), [1]);
    const versions = await db.query<{ version: number }>(`SELECT version FROM service_versions WHERE tenant_id = 'norrby' AND service_id = 'permit' ORDER BY version`);
    assert.deepEqual(versions.rows.map((r) => r.version), [1, 2], 'the second node did run version 2');
  } finally {
    await v2.close();
    provider.deliver = ownDeliver;
  }
});
