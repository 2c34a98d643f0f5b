/**
 * Every action the code writes to the audit log has a label in Swedish and English, and the security
 * officer's log renders each one (HTTP, both databases): an action written without its label once made
 * the page fail after a season had been allocated (booking.season.allocate). A row with an action no
 * longer written is shown by its name.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, NORRBY } from '../../test/helpers/app.ts';
import { signInStaff, HANNA } from '../../test/helpers/sign-in.ts';
import { journey } from '../../test/helpers/journey.ts';
import { tenantScope } from '../kernel/db/index.ts';
import { hasMessage, translate } from '../kernel/i18n/index.ts';
import { AUDIT_ACTIONS, recordAudit } from './index.ts';

const t = await createTestApp({ now: '2027-03-01T09:00:00Z' });
after(() => t.close());
const { get } = journey(t);
const tdb = tenantScope(t.tdb.db, 'norrby');
const officer = await signInStaff(t, NORRBY, { username: 'sam', displayName: 'Sam Säkerhet', roles: ['security_officer'], departments: [] });
const hanna = await signInStaff(t, NORRBY, HANNA);

const html = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

test('every audit action the code writes has a label in both languages', () => {
  const missing = AUDIT_ACTIONS.filter((a) => !hasMessage(`audit.action.${a}`));
  assert.deepEqual(missing, []);
});

test("the security officer's log renders every action with its label, in Swedish and English", async () => {
  for (const [i, action] of AUDIT_ACTIONS.entries()) {
    await recordAudit(tdb, { staffId: hanna.staffId, action, objectType: 'audit_log', objectId: `test-${i}` }, new Date(Date.UTC(2027, 1, 1, 9, i)));
  }
  const sv = await get(officer, '/staff/audit');
  assert.equal(sv.statusCode, 200, sv.body.slice(0, 500));
  const en = await signInStaff(t, NORRBY, { username: 'sam-en', displayName: 'Sam Security', roles: ['security_officer'], departments: [] });
  en.jar.cookies.set('mb_lang', 'en');
  const english = await get(en, '/staff/audit');
  assert.equal(english.statusCode, 200, english.body.slice(0, 500));
  assert.match(english.body, /<html lang="en"/);
  for (const action of AUDIT_ACTIONS) {
    const label = { sv: translate('sv', `audit.action.${action}`), en: translate('en', `audit.action.${action}`) };
    assert.ok(label.sv !== label.en, `${action}: a label in each language`);
    assert.ok(sv.body.includes(`<td>${html(label.sv)}</td>`), `${action}: "${label.sv}" on the Swedish page`);
    assert.ok(english.body.includes(`<td>${html(label.en)}</td>`), `${action}: "${label.en}" on the English page`);
  }
  // A row whose action the code no longer writes (an older release's) is shown by its name, and the log still renders.
  await t.tdb.db.query(
    `INSERT INTO audit_log (tenant_id, id, at, staff_id, action, object_type, object_id) VALUES ('norrby', '01a40000-0000-7000-8000-000000000001', $1, $2, 'retired.action', 'audit_log', 'x')`,
    [new Date('2027-02-02T09:00:00Z'), hanna.staffId],
  );
  const again = await get(officer, '/staff/audit');
  assert.equal(again.statusCode, 200);
  assert.ok(again.body.includes('<td>retired.action</td>'));
});
