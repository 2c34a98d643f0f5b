/**
 * The audit log's filters (through HTTP, on both databases): by member of staff, by case reference in
 * any case, by days in Stockholm; paged by key with the filters kept; the export honours them; and
 * hostile filter values are refused with a message or ignored, never a 500.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, NORRBY } from '../../test/helpers/app.ts';
import { signInStaff, HANNA } from '../../test/helpers/sign-in.ts';
import { journey } from '../../test/helpers/journey.ts';
import { tenantScope } from '../kernel/db/index.ts';
import { createCase } from '../cases/index.ts';
import { recordAudit } from './index.ts';

const t = await createTestApp({ now: '2026-11-23T10:00:00Z' });
after(() => t.close());
const { get } = journey(t);
const tdb = tenantScope(t.tdb.db, 'norrby');
const forskola = t.app.catalogue.service('norrby', 'forskola')!;

const officer = await signInStaff(t, NORRBY, { username: 'sam', displayName: 'Sam Säkerhet', roles: ['security_officer'], departments: [] });
const hanna = await signInStaff(t, NORRBY, HANNA);
const olof = await signInStaff(t, NORRBY, { username: 'olof', displayName: 'Olof Handläggare', roles: ['handler'], departments: ['education'] });

const newCase = () => tdb.transaction((tx) => createCase(tx, { definition: forskola, parties: [], answers: {}, locale: 'sv', draftId: null, email: undefined, siteUrl: 'http://norrby.localhost', now: t.clock.now() }));
const one = await newCase();
const two = await newCase();

// Around Stockholm's midnight between 1 and 2 November (UTC+1): 22:59 and 23:00 UTC.
const reads: { staff: string; caseId: string; at: string }[] = [
  { staff: hanna.staffId, caseId: one.id, at: '2026-11-01T22:59:00.000Z' },
  { staff: hanna.staffId, caseId: one.id, at: '2026-11-01T23:00:00.000Z' },
  { staff: olof.staffId, caseId: one.id, at: '2026-11-02T09:00:00.000Z' },
  { staff: olof.staffId, caseId: two.id, at: '2026-11-03T09:00:00.000Z' },
  { staff: hanna.staffId, caseId: two.id, at: '2026-11-03T22:59:59.999Z' },
  { staff: hanna.staffId, caseId: two.id, at: '2026-11-03T23:00:00.000Z' },
];
for (const r of reads) await recordAudit(tdb, { staffId: r.staff, action: 'case.view', objectType: 'case', objectId: r.caseId, caseId: r.caseId }, new Date(r.at));

/** The log's rows on a page: time, who, case. */
const rows = (html: string) => [...html.matchAll(/<tr><td>([^<]+)<\/td><td>([^<]+)<\/td><td>[^<]*<\/td><td>([^<]*)<\/td>/g)].map((m) => `${m[2]} ${m[3]}`);

test('by member of staff, by reference in any case, by days in Stockholm: the rows, newest first', async () => {
  assert.deepEqual(rows((await get(officer, `/staff/audit?staff=${olof.staffId}`)).body), [`Olof Handläggare ${two.reference}`, `Olof Handläggare ${one.reference}`]);
  assert.deepEqual(rows((await get(officer, `/staff/audit?case=${one.reference.toLowerCase()}`)).body), [`Olof Handläggare ${one.reference}`, `Hanna Handläggare ${one.reference}`, `Hanna Handläggare ${one.reference}`]);
  // 2 November in Stockholm: from 23:00 UTC on the 1st to 23:00 UTC on the 2nd.
  const day = await get(officer, '/staff/audit?from=2026-11-02&to=2026-11-02');
  assert.deepEqual(rows(day.body), [`Olof Handläggare ${one.reference}`, `Hanna Handläggare ${one.reference}`]);
  // To and including the 3rd; from the 3rd.
  assert.deepEqual(rows((await get(officer, `/staff/audit?staff=${hanna.staffId}&from=2026-11-03&to=2026-11-03`)).body), [`Hanna Handläggare ${two.reference}`]);
  assert.deepEqual(rows((await get(officer, `/staff/audit?staff=${hanna.staffId}&case=${two.reference}&from=2026-11-04`)).body), [`Hanna Handläggare ${two.reference}`]);
  // The filters are kept in the form.
  assert.match(day.body, /name="from" type="text" value="2026-11-02"/);
  assert.match((await get(officer, `/staff/audit?staff=${olof.staffId}`)).body, new RegExp(`<option value="${olof.staffId}" selected`));
  // The export honours them, and logs itself with them.
  const csv = await get(officer, `/staff/audit.csv?staff=${olof.staffId}&from=2026-11-03&reason=Granskning`);
  assert.equal(csv.statusCode, 200);
  const lines = csv.body.trim().split('\r\n');
  assert.equal(lines.length, 2);
  assert.ok(lines[1]!.includes(two.reference) && lines[1]!.includes('Olof'));
});

test('paging by key keeps the filters; pages neither overlap nor leave a row out', async () => {
  for (let i = 0; i < 60; i++) await recordAudit(tdb, { staffId: olof.staffId, action: 'document.view', objectType: 'document', objectId: `d${i}`, caseId: two.id }, new Date(Date.UTC(2026, 10, 10, 8, i)));
  const first = await get(officer, `/staff/audit?staff=${olof.staffId}&case=${two.reference.toLowerCase()}`);
  const next = /href="([^"]+)" rel="next"/.exec(first.body)![1]!.replace(/&amp;/g, '&');
  assert.match(next, new RegExp(`^/staff/audit\\?staff=${olof.staffId}&case=${two.reference.toLowerCase()}&before=`));
  const second = await get(officer, next);
  assert.equal(rows(first.body).length, 50);
  assert.equal(rows(second.body).length, 11, 'the 60 documents and the one case read');
  assert.ok(!/rel="next"/.test(second.body));
  assert.match(second.body, /Första sidan/);
  const { rows: all } = await tdb.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE tenant_id = $1 AND staff_id = $2 AND case_id = $3', [olof.staffId, two.id]);
  assert.equal(all[0]!.n, 61);
});

test('hostile filters: a message at the field with what was typed kept, or no filter; never a 500', async () => {
  for (const [url, message] of [
    ['/staff/audit?from=2026-02-30', /Skriv datumet som ÅÅÅÅ-MM-DD/],
    ['/staff/audit?to=30/11/2026', /Skriv datumet som ÅÅÅÅ-MM-DD/],
    ['/staff/audit?from=2026-11-03&to=2026-11-02', /kan inte vara före/],
    [`/staff/audit?case=${'X'.repeat(5000)}`, /Referensen får vara högst 40 tecken/],
    ["/staff/audit?from='%20OR%201=1--", /Skriv datumet som ÅÅÅÅ-MM-DD/],
  ] as const) {
    const r = await get(officer, url);
    assert.equal(r.statusCode, 400, url);
    assert.match(r.body, message);
    assert.match(r.body, /aria-invalid="true"/);
  }
  assert.match((await get(officer, '/staff/audit?from=2026-02-30')).body, /value="2026-02-30"/);
  // An unknown or malformed member of staff is no filter (as an unknown option is).
  for (const staff of ["' OR 1=1 --", '00000000-0000-0000-0000-000000000000', 'x'.repeat(5000)]) {
    const r = await get(officer, `/staff/audit?staff=${encodeURIComponent(staff)}`);
    assert.equal(r.statusCode, 200);
    assert.ok(rows(r.body).length > 0);
  }
  // SQL and script in the reference: nothing matches, and it is shown as text.
  const script = await get(officer, `/staff/audit?case=${encodeURIComponent("<script>x</script>' OR '1'='1")}`);
  assert.equal(script.statusCode, 200);
  assert.deepEqual(rows(script.body), []);
  assert.ok(!script.body.includes('<script>x'));
  // A malformed cursor is the translated 400.
  for (const before of ['!!', 'A'.repeat(500), Buffer.from('2026-02-30T00:00:00.000Z|x').toString('base64url')]) {
    assert.equal((await get(officer, `/staff/audit?staff=${olof.staffId}&before=${encodeURIComponent(before)}`)).statusCode, 400, before);
  }
  // The export refuses bad filters too, before it logs anything.
  const { rows: before } = await tdb.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE tenant_id = $1 AND action = 'audit.export'");
  assert.equal((await get(officer, '/staff/audit.csv?from=nope&reason=x')).statusCode, 400);
  const { rows: afterRows } = await tdb.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE tenant_id = $1 AND action = 'audit.export'");
  assert.equal(afterRows[0]!.n, before[0]!.n);
});
