/**
 * A resident with a co-ordination number (samordningsnummer: the day of birth + 60) signs in through
 * the test e-ID provider and applies for a service, all over HTTP against the real database
 * (ADR 0035): the e-ID's claim, the resident row, the session and the case all carry the number.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { CookieJar, NORRBY } from '../../../test/helpers/app.ts';
import { fillAndSubmit } from '../../../test/generated/harness.ts';
import { AUDIENCE_DRIVERS } from '../../../test/generated/audiences.ts';
import { listeningApp, signIn } from './testing/flows.ts';

const MATEO = '199204729819';

test('a resident with a co-ordination number signs in with the test e-ID and sends an application', async () => {
  const app = await listeningApp();
  after(() => app.close());
  const b = app.browser();
  const login = await b.go(`${app.origin(NORRBY)}/sign-in?back=${encodeURIComponent('/my/profile')}`);
  assert.match(login.body, /Mateo Silva/, 'the test provider offers the resident');
  assert.match(login.body, /19920472-9819/, 'with the co-ordination number as written');

  const page = await signIn(b, app.origin(NORRBY), 'Mateo Silva');
  assert.equal(page.status, 200);
  assert.match(page.body, /Inloggad som Mateo Silva/);
  assert.match(page.body, /19920472-\*\*\*\*/, 'the profile shows the number masked');
  const { rows } = await app.tdb.db.query<{ id: string }>("SELECT id FROM residents WHERE tenant_id = 'norrby' AND personal_number = $1", [MATEO]);
  assert.equal(rows.length, 1, 'one resident row with the co-ordination number');

  // The same browser session applies: the harness fills every page from the definition's examples.
  const jar = new CookieJar();
  jar.cookies.set('mb_sid', b.cookie(NORRBY, 'mb_sid')!);
  const who = { residentId: rows[0]!.id, jar, host: NORRBY };
  const def = app.app.catalogue.service('norrby', 'e-faktura')!;
  const eid = AUDIENCE_DRIVERS.find((d) => d.audiences.includes('eid'))!;
  const sent = await fillAndSubmit({ t: app, tenant: 'norrby', host: NORRBY, def }, eid, { who, label: 'Mateo (co-ordination number)', personalNumber: MATEO }, { checkInvalid: undefined, locale: 'sv' });
  const parties = await app.tdb.db.query<{ personal_number: string; role: string }>("SELECT personal_number, role FROM case_parties WHERE tenant_id = 'norrby' AND case_id = $1", [sent.caseId]);
  assert.deepEqual(
    parties.rows.map((p) => [p.role, p.personal_number]),
    [['applicant', MATEO]],
    'the case is his',
  );
  assert.equal((await b.go(`${app.origin(NORRBY)}/my/cases/${sent.caseId}`)).status, 200, 'he reads it in his browser');
});
