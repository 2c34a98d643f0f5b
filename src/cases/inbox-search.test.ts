/**
 * The inbox's search, sort and paging by key (through HTTP, on both databases): which rows come back,
 * in which order, page after page; a protected identity's names neither shown nor found by name
 * except for the handler the case is assigned to; and hostile search, sort and cursor parameters.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, NORRBY } from '../../test/helpers/app.ts';
import { signInStaff, HANNA } from '../../test/helpers/sign-in.ts';
import { journey } from '../../test/helpers/journey.ts';
import { tenantScope } from '../kernel/db/index.ts';
import { createCase, childSubject, residentApplicant } from './index.ts';
import { encodeInboxCursor } from './inbox-sort.ts';

const t = await createTestApp({ now: '2026-11-23T10:00:00Z' });
after(() => t.close());
const { get } = journey(t);
const tdb = tenantScope(t.tdb.db, 'norrby');
const forskola = t.app.catalogue.service('norrby', 'forskola')!;

const handler = await signInStaff(t, NORRBY, HANNA);
const colleague = await signInStaff(t, NORRBY, { username: 'olof', displayName: 'Olof Kollega', roles: ['handler'], departments: ['education'] });
const otherDept = await signInStaff(t, NORRBY, { username: 'stina', displayName: 'Stina Stadsmiljö', roles: ['handler'], departments: ['city-services'] });

let n = 0;
/** A pre-school case with these people, received `day` days into November, due `due` days later (null: no due date). */
async function caseOf(applicant: string, child: string, day: number, due: number | null, status = 'submitted', protectedIdentity = false): Promise<string> {
  n += 1;
  const parties = [
    { ...residentApplicant({ id: crypto.randomUUID(), personalNumber: `19800101${String(1000 + n)}`, name: applicant }), ...(protectedIdentity ? { details: { protected: true } } : {}) },
    childSubject({ personalNumber: `20220101${String(2000 + n)}`, name: child, birthDate: '2022-01-01' }),
  ];
  const { reference } = await tdb.transaction((tx) => createCase(tx, { definition: forskola, parties, answers: {}, locale: 'sv', draftId: null, email: undefined, siteUrl: 'http://norrby.localhost', now: t.clock.now() }));
  const created = new Date(Date.UTC(2026, 10, day, 8, n));
  await tdb.query('UPDATE cases SET created_at = $2, due_at = $3, status = $4 WHERE tenant_id = $1 AND reference = $5', [
    created,
    due === null ? null : new Date(created.getTime() + due * 86_400_000),
    status,
    reference,
  ]);
  return reference;
}

const anna = await caseOf('Anna Andersson', 'Elsa Andersson', 3, 30);
const asa = await caseOf('Åsa Öberg', 'Sigge Öberg', 5, null, 'in_progress');
const erik = await caseOf('Erik Holm', 'Ella Holm', 4, 10);
const percent = await caseOf('Per 100% Lind', 'Vera Lind', 6, 20);
const lova = await caseOf('Lova Nord', 'Sigge Nord', 7, 15, 'submitted', true);

const refs = (html: string) => [...html.matchAll(/>([A-Z]{3}-\d{4}-\d{6})</g)].map((m) => m[1]!);
const unescape = (href: string) => href.replace(/&amp;/g, '&');

test('search finds by part of a reference or of a name, in any case, and only in the staff member\'s own cases', async () => {
  const byRef = await get(handler, `/staff/cases?status=all&q=${encodeURIComponent(erik.slice(-6).toLowerCase())}`);
  assert.deepEqual(refs(byRef.body), [erik]);
  assert.match(byRef.body, /value="\d{6}"/, 'the search is kept in its field');
  const lower = await get(handler, `/staff/cases?status=all&q=${encodeURIComponent(erik.toLowerCase())}`);
  assert.deepEqual(refs(lower.body), [erik], 'a reference in lower case');
  // Applicant, then subject; Swedish letters fold too; newest first.
  assert.deepEqual(refs((await get(handler, `/staff/cases?status=all&q=${encodeURIComponent('ÅSA ö')}`)).body), [asa]);
  assert.deepEqual(refs((await get(handler, `/staff/cases?status=all&q=sigge`)).body), [asa], 'Lova\'s protected case is not found by name');
  assert.deepEqual(refs((await get(handler, `/staff/cases?status=all&q=ANDERS`)).body), [anna]);
  assert.deepEqual(refs((await get(handler, `/staff/cases?status=all&q=holm`)).body), [erik]);
  // A search combines with the filters: Åsa's case is in progress.
  assert.deepEqual(refs((await get(handler, `/staff/cases?status=forskola:submitted&q=${encodeURIComponent('åsa')}`)).body), []);
  // % and _ are letters to search for, not patterns.
  assert.deepEqual(refs((await get(handler, `/staff/cases?status=all&q=${encodeURIComponent('100%')}`)).body), [percent]);
  assert.deepEqual(refs((await get(handler, `/staff/cases?status=all&q=${encodeURIComponent('%')}`)).body), [percent]);
  assert.deepEqual(refs((await get(handler, `/staff/cases?status=all&q=_`)).body), []);
  // Another department's handler finds none of them, by name or by reference.
  assert.deepEqual(refs((await get(otherDept, `/staff/cases?status=all&q=${encodeURIComponent(anna)}`)).body), []);
  assert.deepEqual(refs((await get(otherDept, `/staff/cases?status=all&q=anna`)).body), []);
});

test('a protected identity: listed as protected and found by reference only, except by the handler it is assigned to', async () => {
  const list = await get(handler, `/staff/cases?status=all&q=${encodeURIComponent(lova)}`);
  assert.deepEqual(refs(list.body), [lova]);
  assert.ok(!list.body.includes('Lova') && !list.body.includes('Sigge Nord'), 'no name of the protected case in the list');
  assert.match(list.body, /Skyddad identitet/);
  assert.deepEqual(refs((await get(handler, '/staff/cases?status=all&q=lova')).body), []);
  assert.deepEqual(refs((await get(handler, '/staff/cases?status=all&q=nord')).body), []);

  await tdb.query('UPDATE cases SET assignee_id = $2 WHERE tenant_id = $1 AND reference = $3', [handler.staffId, lova]);
  const mine = await get(handler, '/staff/cases?status=all&q=lova');
  assert.deepEqual(refs(mine.body), [lova], 'the assignee finds it by name');
  assert.ok(mine.body.includes('Lova Nord') && mine.body.includes('Sigge Nord'));
  assert.deepEqual(refs((await get(handler, '/staff/cases?status=all&q=sigge')).body), [lova, asa]);
  // A colleague in the same department still does not.
  assert.deepEqual(refs((await get(colleague, '/staff/cases?status=all&q=lova')).body), []);
  const theirs = await get(colleague, `/staff/cases?status=all&q=${encodeURIComponent(lova)}`);
  assert.ok(!theirs.body.includes('Lova'));
  await tdb.query('UPDATE cases SET assignee_id = NULL WHERE tenant_id = $1 AND reference = $2', [lova]);
});

test('each column sorts both ways, with aria-sort and links that keep the filters', async () => {
  const { rows } = await tdb.query<{ reference: string; created_at: Date; due_at: Date | null; status: string; id: string }>(
    "SELECT reference, created_at, due_at, status, id FROM cases WHERE tenant_id = $1 AND service_id = 'forskola'",
  );
  const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
  const byId = (a: { id: string }, b: { id: string }) => cmp(a.id, b.id);
  const ascending: Record<string, string[]> = {
    received: [...rows].sort((a, b) => cmp(a.created_at.getTime(), b.created_at.getTime()) || byId(a, b)).map((r) => r.reference),
    // No due date counts as due last.
    due: [...rows].sort((a, b) => cmp(a.due_at ? 0 : 1, b.due_at ? 0 : 1) || cmp(a.due_at?.getTime() ?? 0, b.due_at?.getTime() ?? 0) || byId(a, b)).map((r) => r.reference),
    reference: [...rows].sort((a, b) => cmp(a.reference, b.reference) || byId(a, b)).map((r) => r.reference),
    state: [...rows].sort((a, b) => cmp(a.status, b.status) || byId(a, b)).map((r) => r.reference),
  };
  assert.deepEqual(ascending.due!.slice(0, 4), [erik, lova, percent, anna]);
  assert.equal(ascending.due!.at(-1), asa);
  const heading: Record<string, string> = { received: 'Inkom', due: 'Ska vara klar', reference: 'Referens', state: 'Status' };
  for (const [key, order] of Object.entries(ascending)) {
    for (const dir of ['asc', 'desc'] as const) {
      const r = await get(handler, `/staff/cases?status=all&q=&sort=${key}&dir=${dir}`);
      assert.equal(r.statusCode, 200);
      assert.deepEqual(refs(r.body), dir === 'asc' ? order : [...order].reverse(), `${key} ${dir}`);
      const sorted = [...r.body.matchAll(/<th scope="col" aria-sort="(ascending|descending)"[^>]*><a [^>]*href="([^"]+)">([^<]+)</g)];
      assert.equal(sorted.length, 1, 'one column is sorted');
      assert.equal(sorted[0]![1], dir === 'asc' ? 'ascending' : 'descending');
      assert.equal(sorted[0]![3], heading[key]);
      // Its link turns the order round and keeps the filter.
      // (newest first is the inbox's own order, named by no parameter)
      const other = dir === 'asc' ? 'desc' : 'asc';
      assert.equal(unescape(sorted[0]![2]!), key === 'received' && other === 'desc' ? '/staff/cases?status=all' : `/staff/cases?status=all&sort=${key}&dir=${other}`);
    }
  }
  // The old column name is gone.
  assert.ok(!(await get(handler, '/staff/cases?status=all')).body.includes('>Senast<'));
  // An unknown order is the default (newest first), as an unknown filter is.
  assert.deepEqual(refs((await get(handler, '/staff/cases?status=all&sort=evil&dir=sideways')).body), [...ascending.received!].reverse());
});

test('paging by key in every order: pages in order, none twice, none left out', async () => {
  for (let i = 0; i < 26; i++) await caseOf(`Sökande ${i}`, `Barn ${i}`, 10 + (i % 12), i % 5 === 0 ? null : i % 7);
  const { rows } = await tdb.query<{ n: number }>("SELECT count(*)::int AS n FROM cases WHERE tenant_id = $1 AND service_id = 'forskola'");
  for (const key of ['received', 'due', 'reference', 'state']) {
    for (const dir of ['asc', 'desc']) {
      const first = await get(handler, `/staff/cases?status=all&sort=${key}&dir=${dir}`);
      const next = /href="([^"]*after=[^"]+)" rel="next"/.exec(first.body)?.[1];
      assert.ok(next, `${key} ${dir}: a next page`);
      assert.match(unescape(next!), key === 'received' && dir === 'desc' ? /^\/staff\/cases\?status=all&after=/ : new RegExp(`sort=${key}&dir=${dir}&after=`));
      const second = await get(handler, unescape(next!));
      assert.equal(second.statusCode, 200);
      const all = [...refs(first.body), ...refs(second.body)];
      assert.equal(refs(first.body).length, 25);
      assert.equal(new Set(all).size, all.length, `${key} ${dir}: no case twice`);
      assert.equal(all.length, rows[0]!.n, `${key} ${dir}: every case once`);
      const whole = (await tdb.query<{ reference: string }>(`SELECT reference FROM cases WHERE tenant_id = $1 AND service_id = 'forskola'`)).rows.length;
      assert.equal(whole, all.length);
      assert.match(second.body, /Första sidan/);
    }
  }
});

test('hostile search, order and cursor: refused or harmless, never a 500', async () => {
  // SQL in the search is text to look for.
  for (const q of ["' OR 1=1 --", "'); DROP TABLE cases; --", '\\', '%_%']) {
    const r = await get(handler, `/staff/cases?status=all&q=${encodeURIComponent(q)}`);
    assert.equal(r.statusCode, 200, q);
    assert.deepEqual(refs(r.body), [], q);
  }
  assert.equal((await tdb.query('SELECT 1 FROM cases WHERE tenant_id = $1 LIMIT 1')).rows.length, 1);
  // Script is shown as text, in the field.
  const script = await get(handler, `/staff/cases?q=${encodeURIComponent('<script>alert(1)</script>')}`);
  assert.equal(script.statusCode, 200);
  assert.ok(!script.body.includes('<script>alert(1)'));
  assert.match(script.body, /value="&lt;script>alert\(1\)&lt;\/script>"/);
  // Too long: said, kept (up to twice the limit), nothing searched.
  const huge = await get(handler, `/staff/cases?q=${'a'.repeat(10_000)}`);
  assert.equal(huge.statusCode, 400);
  assert.match(huge.body, /Sökningen får vara högst 100 tecken/);
  assert.match(huge.body, /aria-invalid="true"/);
  assert.match(huge.body, new RegExp(`name="q" type="search" value="a{200}"`));
  // Malformed cursors, a cursor of another order, a key of the wrong type: the translated 400.
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const id = '0190b3c4-0000-7000-8000-000000000000';
  const bad = [
    'not*base64',
    'A'.repeat(1000),
    Buffer.from('2026-01-01T00:00:00.000Z|' + id).toString('base64url'),
    b64(['received', '2026-02-30T00:00:00.000Z', id]),
    b64(['received', 'SELECT', id]),
    b64(['received', null, id]),
    b64(['reference', "x' OR '1'='1", id]),
    b64(['reference', 'FSK-2026-000001', 'not-a-uuid']),
    b64(['due', '2026-01-01T00:00:00.000Z', id, 'extra']),
    encodeInboxCursor({ sort: 'due', key: null, id }),
  ];
  for (const after of bad) {
    const r = await get(handler, `/staff/cases?status=all&after=${encodeURIComponent(after)}`);
    assert.equal(r.statusCode, 400, after);
    assert.match(r.body, /lang="sv"/);
  }
  // The same null-keyed cursor is fine where the order allows no due date.
  assert.equal((await get(handler, `/staff/cases?status=all&sort=due&dir=asc&after=${encodeInboxCursor({ sort: 'due', key: null, id })}`)).statusCode, 200);
  for (const url of ['/staff/cases?sort[]=due', '/staff/cases?q[]=a&q[]=b', '/staff/cases?dir=' + 'x'.repeat(5000)]) {
    const r = await get(handler, url);
    assert.ok([200, 400].includes(r.statusCode), `${url}: ${r.statusCode}`);
  }
});
