/** HTTP helpers for tests that walk a journey through app.inject with a signed-in person's cookies. */
import assert from 'node:assert/strict';
import { csrfFrom, type TestApp } from './app.ts';
import type { SignedIn } from './sign-in.ts';

export function journey(t: TestApp) {
  async function get(who: SignedIn, url: string) {
    const r = await t.app.inject({ url, headers: { host: who.host, cookie: who.jar.header() } });
    who.jar.store(r.headers['set-cookie']);
    return r;
  }

  /** Posts a form with the CSRF token taken from `tokenPage` (a URL to GET, or HTML already fetched). */
  async function post(who: SignedIn, url: string, form: Record<string, string | string[]>, tokenPage: string) {
    const html = tokenPage.startsWith('/') ? (await get(who, tokenPage)).body : tokenPage;
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...form, _csrf: csrfFrom(html) })) for (const x of [v].flat()) body.append(k, x);
    const r = await t.app.inject({ method: 'POST', url, headers: { host: who.host, cookie: who.jar.header(), 'content-type': 'application/x-www-form-urlencoded' }, payload: body.toString() });
    who.jar.store(r.headers['set-cookie']);
    return r;
  }

  /** Posts multipart/form-data (fields and files) with the CSRF token from tokenPage. */
  async function postMultipart(who: SignedIn, url: string, fields: Record<string, string | string[]>, files: { name: string; filename: string; type: string; data: Buffer }[], tokenPage: string) {
    const html = tokenPage.startsWith('/') ? (await get(who, tokenPage)).body : tokenPage;
    const boundary = `----medborg${Math.random().toString(16).slice(2)}`;
    const parts: Buffer[] = [];
    for (const [k, v] of Object.entries({ _csrf: csrfFrom(html), ...fields })) {
      for (const x of [v].flat()) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${x}\r\n`));
    }
    for (const f of files) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.name}"; filename="${f.filename}"\r\nContent-Type: ${f.type}\r\n\r\n`), f.data, Buffer.from('\r\n'));
    }
    parts.push(Buffer.from(`--${boundary}--\r\n`));
    const r = await t.app.inject({ method: 'POST', url, headers: { host: who.host, cookie: who.jar.header(), 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: Buffer.concat(parts) });
    who.jar.store(r.headers['set-cookie']);
    return r;
  }

  async function startDraft(who: SignedIn): Promise<string> {
    const r = await get(who, '/services/forskola/apply');
    assert.equal(r.statusCode, 303);
    const m = /^\/apply\/([0-9a-f-]{36})\/child$/.exec(String(r.headers.location));
    assert.ok(m, `unexpected redirect ${r.headers.location}`);
    return m[1]!;
  }

  /** Fills every step of the pre-school application with valid answers and sends it; returns the case id. */
  async function applyForPreschool(who: SignedIn, child: string, email = 'applicant@example.se', preschools = ['nby-ekbacken', 'nby-solrosen']): Promise<{ draft: string; caseId: string; reference: string }> {
    const draft = await startDraft(who);
    const steps: [string, Record<string, string>][] = [
      ['child', { child }],
      ['preschools', Object.fromEntries(preschools.map((p, i) => [`preschools.${i}`, p]))],
      ['start', { startDate: '2027-04-01', earlyReason: '' }],
      ['hours', { careHours: 'from15to30' }],
      ['needs', { specialNeeds: 'no', specialNeedsDescription: '' }],
      ['contact', { email, phone: '070-123 45 67' }],
    ];
    for (const [step, form] of steps) {
      const r = await post(who, `/apply/${draft}/${step}`, form, `/apply/${draft}/${step}`);
      assert.equal(r.statusCode, 303, `${step}: ${r.statusCode} ${r.body.slice(0, 400)}`);
    }
    const r = await post(who, `/apply/${draft}/submit`, {}, `/apply/${draft}/check`);
    assert.equal(r.headers.location, `/apply/${draft}/confirmation`);
    const conf = await get(who, `/apply/${draft}/confirmation`);
    const caseId = /\/my\/cases\/([0-9a-f-]{36})/.exec(conf.body)![1]!;
    const reference = /[A-Z]{3}-\d{4}-\d{6}/.exec(conf.body)![0];
    return { draft, caseId, reference };
  }

  /** The applicant withdraws an open case from its page, as a resident does (the case reaches a final state). */
  async function withdraw(who: SignedIn, caseId: string): Promise<void> {
    const confirm = await get(who, `/my/cases/${caseId}/withdraw`);
    assert.equal(confirm.statusCode, 200, `withdraw ${caseId}: ${confirm.statusCode}`);
    const r = await post(who, `/my/cases/${caseId}/withdraw`, {}, confirm.body);
    assert.equal(r.headers.location, `/my/cases/${caseId}?done=withdrawn`);
  }

  return { get, post, postMultipart, startDraft, applyForPreschool, withdraw };
}
