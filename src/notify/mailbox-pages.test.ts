import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, NORRBY, SODERA, type TestApp } from '../../test/helpers/app.ts';
import { testDialect } from '../../test/helpers/db.ts';
import { tenantScope } from '../kernel/db/index.ts';
import { createOutboxWorker, enqueue, type EmailMessage } from './index.ts';

let demo: TestApp;
let plain: TestApp;
before(async () => {
  demo = await createTestApp({ demo: true });
  plain = await createTestApp({ demo: false });
});
after(async () => {
  await demo?.close();
  await plain?.close();
});

async function send(app: TestApp, tenant: string, payload: EmailMessage): Promise<string> {
  const id = await tenantScope(app.tdb.db, tenant).transaction((tx) => enqueue(tx, { kind: 'email', payload }, app.clock.now()));
  await createOutboxWorker(app.app).runOnce();
  return id;
}

const get = (app: TestApp, url: string, host = NORRBY, lang = 'sv') => app.app.inject({ method: 'GET', url, headers: { host, 'accept-language': lang } });

test(`/dev/mailbox is 404 when demo mode is off (${testDialect})`, async () => {
  // Mail still goes to the dev mailbox in development and tests without SMTP, but nobody can browse it.
  const id = await send(plain, 'norrby', { to: 'a@example.se', subject: 'Hemligt', text: 'x' });
  assert.equal(plain.app.mailTransport.name, 'dev-mailbox');
  for (const url of ['/dev/mailbox', `/dev/mailbox/${id}`]) {
    const res = await get(plain, url);
    assert.equal(res.statusCode, 404, url);
    assert.doesNotMatch(res.body, /Hemligt/);
  }
});

test("in demo mode /dev/mailbox lists the tenant's mail newest first, in Swedish and English", async () => {
  const first = await send(demo, 'norrby', { to: 'asa@example.se', subject: 'Vi har tagit emot din ansökan', text: 'Hej' });
  demo.clock.set('2026-11-23T10:05:00Z');
  const second = await send(demo, 'norrby', { to: 'bo@example.se', subject: 'Beslut i ärende NBY-2026-000001', text: 'Hej' });
  const sv = await get(demo, '/dev/mailbox');
  assert.equal(sv.statusCode, 200);
  assert.match(sv.body, /<html lang="sv"/);
  assert.match(sv.body, /<h1[^>]*>Testbrevlåda<\/h1>/);
  const a = sv.body.indexOf(`/dev/mailbox/${second}`);
  const b = sv.body.indexOf(`/dev/mailbox/${first}`);
  assert.ok(a > 0 && b > a, 'newest first');
  assert.match(sv.body, /Beslut i ärende NBY-2026-000001/);
  assert.match(sv.body, /bo@example\.se/);
  assert.match(sv.body, /<time datetime="2026-11-23T10:05:00.000Z">23 november 2026 (kl\. )?11:05<\/time>/);
  assert.doesNotMatch(sv.body, /<script>|style="/);

  const en = await get(demo, '/dev/mailbox', NORRBY, 'en');
  assert.match(en.body, /<html lang="en"/);
  assert.match(en.body, /<h1[^>]*>Test mailbox<\/h1>/);
  assert.match(en.body, /<th scope="col">Subject<\/th>/);
});

test("a tenant sees only its own mail: norrby's message is not visible on sodera.localhost", async () => {
  const norrbyId = await send(demo, 'norrby', { to: 'norrbybo@example.se', subject: 'Till Norrbyinvånaren', text: 'Norrbys hemliga brev' });
  const soderaId = await send(demo, 'sodera', { to: 'soderabo@example.se', subject: 'Till Söderåinvånaren', text: 'Söderås brev' });
  const list = await get(demo, '/dev/mailbox', SODERA);
  assert.equal(list.statusCode, 200);
  assert.match(list.body, /Till Söderåinvånaren/);
  assert.doesNotMatch(list.body, /Norrbyinvånaren|norrbybo@|NBY-2026|Vi har tagit emot/);
  const other = await get(demo, `/dev/mailbox/${norrbyId}`, SODERA);
  assert.equal(other.statusCode, 404);
  assert.doesNotMatch(other.body, /Norrbys hemliga brev|norrbybo@/);
  const own = await get(demo, `/dev/mailbox/${soderaId}`, SODERA);
  assert.equal(own.statusCode, 200);
  assert.match(own.body, /Söderås brev/);
  const norrbyList = await get(demo, '/dev/mailbox', NORRBY);
  assert.doesNotMatch(norrbyList.body, /Söderåinvånaren/);
});

test('the message page keeps line breaks, escapes the body and links only to this site', async () => {
  const text = [
    'Hej Åsa!',
    'Ditt ärende har fått ett beslut.',
    '',
    'Läs det här: http://norrby.localhost/my/cases/0193a0c2-0000-7000-8000-000000000001.',
    'Inte här: https://evil.example/phish och inte <script>alert(1)</script>',
  ].join('\n');
  const id = await send(demo, 'norrby', { to: 'asa@example.se', subject: 'Beslut <b>fett</b>', text });
  const res = await get(demo, `/dev/mailbox/${id}`);
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /<h1[^>]*>Beslut &lt;b>fett&lt;\/b><\/h1>/);
  assert.match(res.body, /<p class="ds-paragraph">Hej Åsa!<br\/>Ditt ärende har fått ett beslut\.<br\/><br\/>Läs det här: <a /);
  assert.match(res.body, /<a class="ds-link" href="http:\/\/norrby\.localhost\/my\/cases\/0193a0c2-0000-7000-8000-000000000001">http:\/\/norrby\.localhost\/my\/cases\/0193a0c2-0000-7000-8000-000000000001<\/a>\./);
  assert.doesNotMatch(res.body, /href="https:\/\/evil/);
  assert.match(res.body, /https:\/\/evil\.example\/phish/);
  assert.match(res.body, /&lt;script>alert\(1\)&lt;\/script>/);
  assert.doesNotMatch(res.body, /<script>alert/);
  assert.match(res.body, /Länkar som går till andra webbplatser visas som text/);
  assert.match(res.body, /asa@example\.se/);
  assert.match(res.body, /href="\/dev\/mailbox"/);

  // Seen from another host of a tenant the same link is not on "this site" any more.
  const sodera = await send(demo, 'sodera', { to: 'x@example.se', subject: 'Länk', text: 'http://norrby.localhost/my/cases/1' });
  const elsewhere = await get(demo, `/dev/mailbox/${sodera}`, SODERA);
  assert.doesNotMatch(elsewhere.body, /href="http:\/\/norrby/);
});

test('unknown or malformed ids are 404; the list pages by key', async () => {
  assert.equal((await get(demo, '/dev/mailbox/not-a-uuid')).statusCode, 404);
  assert.equal((await get(demo, '/dev/mailbox/0193a0c2-0000-7000-8000-000000000001')).statusCode, 404);
  const db = tenantScope(demo.tdb.db, 'sodera');
  await db.query('DELETE FROM dev_mailbox WHERE tenant_id = $1');
  for (let i = 0; i < 52; i++) {
    demo.clock.set(new Date(Date.UTC(2026, 10, 24, 8, i)));
    await enqueue(db, { kind: 'email', payload: { to: 'p@example.se', subject: `Meddelande nummer ${i}`, text: '.' } }, demo.clock.now());
  }
  await createOutboxWorker(demo.app, { batchSize: 20 }).drain();
  const page1 = await get(demo, '/dev/mailbox', SODERA);
  assert.equal((page1.body.match(/Meddelande nummer/g) ?? []).length, 50);
  const older = page1.body.match(/href="(\/dev\/mailbox\?before=[0-9a-f-]+)"/);
  assert.ok(older, 'a link to older messages');
  const page2 = await get(demo, older[1]!, SODERA);
  assert.equal((page2.body.match(/Meddelande nummer/g) ?? []).length, 2);
  assert.doesNotMatch(page2.body, /before=/);
  assert.match(page2.body, /Till de nyaste meddelandena/);
});
