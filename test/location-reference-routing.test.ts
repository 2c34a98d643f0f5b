/**
 * Issue 7 items 6 and 10 through HTTP (ADR 0020): the fault report (felanmalan) with its location
 * field and its routing by category to departments and teams, and the change of hours
 * (andrad-omsorgstid) that refers to an earlier, decided pre-school placement of the same resident,
 * linked both ways. The stored rows are asserted, not only the pages.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, csrfFrom, NORRBY, SODERA } from './helpers/app.ts';
import { signInResident, signInStaff, ANNA, type SignedIn } from './helpers/sign-in.ts';
import { tenantScope } from '../src/kernel/db/index.ts';
import { createCase, residentApplicant } from '../src/cases/index.ts';

const t = await createTestApp({ now: '2026-11-23T10:00:00Z' });
after(() => t.close());
const tdb = tenantScope(t.tdb.db, 'norrby');
const ANDERS = { personalNumber: '198606119819', givenName: 'Anders', familyName: 'Andersson' };

async function get(who: SignedIn, url: string) {
  const r = await t.app.inject({ url, headers: { host: who.host, cookie: who.jar.header() } });
  who.jar.store(r.headers['set-cookie']);
  return r;
}

async function post(who: SignedIn, url: string, form: Record<string, string>) {
  const page = await get(who, url.replace(/\/submit$/, '/check'));
  const body = new URLSearchParams({ ...form, _csrf: csrfFrom(page.body) });
  const r = await t.app.inject({ method: 'POST', url, headers: { host: who.host, cookie: who.jar.header(), 'content-type': 'application/x-www-form-urlencoded' }, payload: body.toString() });
  who.jar.store(r.headers['set-cookie']);
  return r;
}

async function start(who: SignedIn, service: string): Promise<string> {
  const r = await get(who, `/services/${service}/apply`);
  assert.equal(r.statusCode, 303, r.body.slice(0, 300));
  return /^\/apply\/([0-9a-f-]{36})\//.exec(String(r.headers.location))![1]!;
}

async function caseOfDraft(draft: string) {
  const { rows } = await tdb.query<{ id: string; reference: string; department: string; team: string | null; answers: Record<string, unknown> }>(
    'SELECT c.id, c.reference, c.department, c.team, c.answers FROM cases c JOIN drafts d ON d.tenant_id = c.tenant_id AND d.submitted_case_id = c.id WHERE c.tenant_id = $1 AND d.id = $2',
    [draft],
  );
  return rows[0]!;
}

async function submittedEntry(caseId: string) {
  const { rows } = await tdb.query<{ payload: Record<string, unknown> }>("SELECT payload FROM journal WHERE tenant_id = $1 AND case_id = $2 AND kind = 'submitted'", [caseId]);
  return rows[0]!.payload;
}

/** A fault report through every step; returns the draft. */
async function report(who: SignedIn, category: string, location: Record<string, string>) {
  const draft = await start(who, 'felanmalan');
  assert.equal((await post(who, `/apply/${draft}/what`, { category })).statusCode, 303);
  const where = await post(who, `/apply/${draft}/fault-place`, { 'location.address': '', 'location.description': '', 'location.lat': '', 'location.lng': '', ...location });
  assert.equal(where.statusCode, 303, where.body.slice(0, 2000));
  assert.equal((await post(who, `/apply/${draft}/fault-details`, { description: 'Lampan är släckt', urgent: 'no' })).statusCode, 303);
  assert.equal((await post(who, `/apply/${draft}/contact`, { email: 'anna@example.se' })).statusCode, 303);
  return draft;
}

test('the location field: an address or a description is enough; coordinates are checked against the municipality', async () => {
  const anna = await signInResident(t, NORRBY, ANNA);
  const draft = await start(anna, 'felanmalan');
  await post(anna, `/apply/${draft}/what`, { category: 'lighting' });
  const page = await get(anna, `/apply/${draft}/fault-place`);
  assert.equal(page.statusCode, 200);
  // The question is the page's heading; the address input is there without JavaScript, and no map without tiles.
  assert.match(page.body, /<h1[^>]*>Var är felet\?<\/h1>/);
  assert.match(page.body, /name="location.address"/);
  assert.match(page.body, /name="location.lat"/);

  const blank = { 'location.address': '', 'location.description': '', 'location.lat': '', 'location.lng': '' };
  let r = await post(anna, `/apply/${draft}/fault-place`, blank);
  assert.equal(r.statusCode, 400);
  // The fault report words this error itself (its definition's `errors.required`, ADR 0026).
  assert.match(r.body, /Ange var felet är – en adress, en beskrivning av platsen eller en punkt på kartan/);
  assert.match(r.body, /href="#f-location"/);

  // Coordinates in Söderå are outside Norrby: refused, with what to do, and what was typed kept.
  r = await post(anna, `/apply/${draft}/fault-place`, { ...blank, 'location.lat': '55,5', 'location.lng': '13,2' });
  assert.equal(r.statusCode, 400);
  assert.match(r.body, /Platsen ligger utanför kommunen/);
  assert.match(r.body, /href="#f-location-lat"/);
  assert.match(r.body, /value="55,5"/);

  r = await post(anna, `/apply/${draft}/fault-place`, { ...blank, 'location.lat': '62,39' });
  assert.equal(r.statusCode, 400);
  assert.match(r.body, /Fyll i longitud/);
  r = await post(anna, `/apply/${draft}/fault-place`, { ...blank, 'location.lat': 'norr', 'location.lng': '17,3' });
  assert.match(r.body, /Latitud ska vara ett tal/);

  // A description alone is enough; coordinates inside are stored as numbers.
  r = await post(anna, `/apply/${draft}/fault-place`, { ...blank, 'location.description': 'Vid busshållplatsen', 'location.lat': '62,3908', 'location.lng': '17.3069' });
  assert.equal(r.statusCode, 303);
  const { rows } = await tdb.query<{ answers: { location: unknown } }>('SELECT answers FROM drafts WHERE tenant_id = $1 AND id = $2', [draft]);
  assert.deepEqual(rows[0]!.answers.location, { address: '', description: 'Vid busshållplatsen', lat: 62.3908, lng: 17.3069 });

  // Check your answers shows the place in words and the coordinates with a decimal comma.
  await post(anna, `/apply/${draft}/fault-details`, { description: 'Släckt', urgent: 'yes' });
  await post(anna, `/apply/${draft}/contact`, { email: '' });
  const check = await get(anna, `/apply/${draft}/check`);
  assert.match(check.body, /Vid busshållplatsen/);
  assert.match(check.body, /Koordinater: 62,3908, 17,3069/);
});

test('Söderå offers the same report with its own area and texts', async () => {
  const eva = await signInResident(t, SODERA, { personalNumber: '199007029813', givenName: 'Eva', familyName: 'Berg' });
  const draft = await start(eva, 'felanmalan');
  const service = await get(eva, '/services/felanmalan');
  assert.match(service.body, /Felanmälan – gator, parker och gatljus/);
  await post(eva, `/apply/${draft}/what`, { category: 'pothole' });
  const r = await post(eva, `/apply/${draft}/fault-place`, { 'location.address': '', 'location.description': '', 'location.lat': '55,5', 'location.lng': '13,2' });
  assert.equal(r.statusCode, 303, 'a place in Söderå is inside Söderå');
});

test('routing: the first rule that holds chooses department and team, journaled; the inbox shows it and only that department sees it', async () => {
  const anna = await signInResident(t, NORRBY, ANNA);
  const lighting = await report(anna, 'lighting', { 'location.address': 'Storgatan 12' });
  assert.equal((await post(anna, `/apply/${lighting}/submit`, {})).statusCode, 303);
  const pothole = await report(anna, 'pothole', { 'location.address': 'Kyrkvägen 3' });
  await post(anna, `/apply/${pothole}/submit`, {});
  const other = await report(anna, 'other', { 'location.address': 'Torget' });
  await post(anna, `/apply/${other}/submit`, {});

  const [l, p, o] = [await caseOfDraft(lighting), await caseOfDraft(pothole), await caseOfDraft(other)];
  assert.deepEqual([l.department, l.team], ['technical', 'lighting_team']);
  assert.deepEqual([p.department, p.team], ['city-services', 'streets_team']);
  assert.deepEqual([o.department, o.team], ['city-services', null]);
  assert.deepEqual((await submittedEntry(l.id)).routing, { department: 'technical', team: 'lighting_team', rule: 'lighting' });
  assert.deepEqual((await submittedEntry(o.id)).routing, { department: 'city-services', team: null, rule: null });

  // Policy reads the case's department: the technical department's handler sees the lighting report only.
  const tech = await signInStaff(t, NORRBY, { username: 'tekla', displayName: 'Tekla Teknik', roles: ['handler'], departments: ['technical'] });
  const inbox = await get(tech, '/staff/cases');
  assert.equal(inbox.statusCode, 200);
  assert.match(inbox.body, new RegExp(l.reference));
  assert.doesNotMatch(inbox.body, new RegExp(p.reference));
  assert.match(inbox.body, /Tekniska förvaltningen – Belysningsgruppen/);
  assert.equal((await get(tech, `/staff/cases/${p.id}`)).statusCode, 404);
  assert.equal((await get(tech, `/staff/cases/${l.id}`)).statusCode, 200);

  const streets = await signInStaff(t, NORRBY, { username: 'gata', displayName: 'Gustav Gata', roles: ['handler'], departments: ['city-services'] });
  const their = await get(streets, '/staff/cases');
  assert.match(their.body, new RegExp(p.reference));
  assert.match(their.body, /Stadsmiljöförvaltningen – Gatugruppen/);
  assert.doesNotMatch(their.body, new RegExp(l.reference));
  assert.equal((await get(streets, `/staff/cases/${l.id}`)).statusCode, 404);

  // A role that does not handle the service (the security officer) sees nothing in the technical department either.
  const officer = await signInStaff(t, NORRBY, { username: 'sakra', displayName: 'Säkra Sara', roles: ['security_officer'], departments: ['technical'] });
  assert.equal((await get(officer, `/staff/cases/${l.id}`)).statusCode, 404);
});

test('a case reference: only the resident’s own decided placements are offered and accepted; the cases are linked both ways', async () => {
  const anna = await signInResident(t, NORRBY, ANNA);
  const anders = await signInResident(t, NORRBY, ANDERS);
  const forskola = t.app.catalogue.service('norrby', 'forskola')!;
  const place = (who: SignedIn) =>
    tdb.transaction((tx) => createCase(tx, { definition: forskola, parties: [residentApplicant({ id: who.residentId })], answers: {}, locale: 'sv', draftId: null, email: undefined, siteUrl: `http://${NORRBY}`, now: t.clock.now() }));
  const decided = await place(anna);
  const open = await place(anna);
  const others = await place(anders);
  await tdb.query("UPDATE cases SET status = 'decided' WHERE tenant_id = $1 AND id = ANY($2::uuid[])", [[decided.id, others.id]]);

  const draft = await start(anna, 'andrad-omsorgstid');
  const page = await get(anna, `/apply/${draft}/placement`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, new RegExp(`value="${decided.reference}"`));
  assert.doesNotMatch(page.body, new RegExp(open.reference), 'an undecided placement is not offered');
  assert.doesNotMatch(page.body, new RegExp(others.reference), 'another resident’s placement is not offered');

  // A tampered reference (someone else's, an undecided one, nonsense) is refused.
  for (const bad of [others.reference, open.reference, "x' OR 1=1 --"]) {
    const r = await post(anna, `/apply/${draft}/placement`, { placement: bad });
    assert.equal(r.statusCode, 400, bad);
    assert.match(r.body, /Välj ett av dina ärenden i listan/);
  }
  assert.equal((await post(anna, `/apply/${draft}/placement`, { placement: decided.reference })).statusCode, 303);
  const schedule = { 'schedule.mon.from': '08:00', 'schedule.mon.to': '16:00', 'schedule.wed.from': '08:00', 'schedule.wed.to': '12:30', from: '2027-01-11' };
  let r = await post(anna, `/apply/${draft}/schedule`, schedule);
  assert.equal(r.statusCode, 303, r.body.slice(0, 3000));
  r = await post(anna, `/apply/${draft}/change-reason`, { changeReason: 'work' });
  assert.equal(r.statusCode, 303);
  const check = await get(anna, `/apply/${draft}/check`);
  assert.match(check.body, new RegExp(`${decided.reference}, Ansök om förskola`));
  assert.match(check.body, /12,5/, 'the weekly hours are computed');

  // The placement is withdrawn before submission: the reference is checked again and refused.
  await tdb.query("UPDATE cases SET status = 'withdrawn' WHERE tenant_id = $1 AND id = $2", [decided.id]);
  r = await post(anna, `/apply/${draft}/submit`, {});
  assert.equal(r.headers.location, `/apply/${draft}/placement?validate=1`);
  await tdb.query("UPDATE cases SET status = 'decided' WHERE tenant_id = $1 AND id = $2", [decided.id]);

  r = await post(anna, `/apply/${draft}/submit`, {});
  assert.equal(r.headers.location, `/apply/${draft}/confirmation`);
  const change = await caseOfDraft(draft);
  const { rows } = await tdb.query<{ case_id: string; linked_case_id: string; field_id: string; made_here: boolean }>(
    'SELECT case_id, linked_case_id, field_id, made_here FROM case_links WHERE tenant_id = $1 ORDER BY made_here DESC',
    [],
  );
  assert.deepEqual(rows, [
    { case_id: change.id, linked_case_id: decided.id, field_id: 'placement', made_here: true },
    { case_id: decided.id, linked_case_id: change.id, field_id: 'placement', made_here: false },
  ]);
  assert.deepEqual((await submittedEntry(change.id)).links, [{ caseId: decided.id, fieldId: 'placement' }]);

  // Both case pages show the link, for the resident and for the handler.
  const mine = await get(anna, `/my/cases/${change.id}`);
  assert.match(mine.body, /Kopplade ärenden/);
  assert.match(mine.body, new RegExp(`href="/my/cases/${decided.id}">${decided.reference}`));
  const earlier = await get(anna, `/my/cases/${decided.id}`);
  assert.match(earlier.body, new RegExp(`href="/my/cases/${change.id}">${change.reference}`));
  const handler = await signInStaff(t, NORRBY, { username: 'edda', displayName: 'Edda Utbildning', roles: ['handler'], departments: ['education'] });
  const staffPage = await get(handler, `/staff/cases/${change.id}`);
  assert.equal(staffPage.statusCode, 200);
  assert.match(staffPage.body, new RegExp(`href="/staff/cases/${decided.id}">${decided.reference}`));
  // Anders, a party to neither, reads neither case's links.
  assert.equal((await get(anders, `/my/cases/${change.id}`)).statusCode, 404);
});

test('without a tile server there is no map and no Leaflet; with one, Leaflet and the map script are served from our origin and the policy allows the tiles', async () => {
  const anna = await signInResident(t, NORRBY, ANNA);
  const draft = await start(anna, 'felanmalan');
  const plain = await get(anna, `/apply/${draft}/fault-place`);
  assert.doesNotMatch(plain.body, /leaflet|data-tiles/);

  const mapped = await createTestApp({ now: '2026-11-23T10:00:00Z', env: { MAP_TILE_URL: 'https://{s}.tiles.example/{z}/{x}/{y}.png', MAP_ATTRIBUTION: '© Kartbolaget' } });
  try {
    const who = await signInResident(mapped, NORRBY, ANNA);
    const r = await mapped.app.inject({ url: '/services/felanmalan/apply', headers: { host: NORRBY, cookie: who.jar.header() } });
    const page = await mapped.app.inject({ url: String(r.headers.location).replace(/\/[a-z]+$/, '/fault-place'), headers: { host: NORRBY, cookie: who.jar.header() } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /data-tiles="https:\/\/\{s\}.tiles.example\/\{z\}\/\{x\}\/\{y\}.png"/);
    assert.match(page.body, /data-bounds="62.2,17,62.6,17.7"/);
    // The inputs are still there: the map only fills them in.
    assert.match(page.body, /name="location.address"/);
    assert.match(String(page.headers['content-security-policy']), /img-src 'self' data: https:\/\/\*\.tiles\.example/);
    for (const url of [/src="(\/assets\/leaflet-1\.9\.4\/leaflet\.js)"/, /href="(\/assets\/leaflet-1\.9\.4\/leaflet\.css)"/, /src="(\/assets\/location-map\.[0-9a-f]{12}\.js)"/]) {
      const asset = await mapped.app.inject({ url: url.exec(page.body)![1]!, headers: { host: NORRBY } });
      assert.equal(asset.statusCode, 200);
      assert.match(String(asset.headers['content-type']), /text\/(javascript|css)/);
    }
    const icon = await mapped.app.inject({ url: '/assets/leaflet-1.9.4/images/marker-icon.png', headers: { host: NORRBY } });
    assert.equal(icon.headers['content-type'], 'image/png');
  } finally {
    await mapped.close();
  }
});

test('a report is closed without a decision by the department it was routed to, and the reporter is told it is fixed', async () => {
  const anna = await signInResident(t, NORRBY, ANNA);
  const draft = await report(anna, 'lighting', { 'location.address': 'Parkvägen 1' });
  await post(anna, `/apply/${draft}/submit`, {});
  const c = await caseOfDraft(draft);
  const tech = await signInStaff(t, NORRBY, { username: 'tore', displayName: 'Tore Teknik', roles: ['handler'], departments: ['technical'] });
  const page = await get(tech, `/staff/cases/${c.id}`);
  assert.match(page.body, /Parkvägen 1/, 'the handler sees the place');
  const token = csrfFrom(page.body);
  const r = await t.app.inject({
    method: 'POST',
    url: `/staff/cases/${c.id}/actions/fix`,
    headers: { host: NORRBY, cookie: tech.jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ body: 'Lampan är bytt.', _csrf: token }).toString(),
  });
  assert.equal(r.statusCode, 303, r.body.slice(0, 500));
  const { rows } = await tdb.query<{ status: string; decision: unknown }>('SELECT status, decision FROM cases WHERE tenant_id = $1 AND id = $2', [c.id]);
  assert.deepEqual(rows[0], { status: 'fixed', decision: null });
  const mail = await tdb.query<{ payload: { to: string; subject: string; text: string } }>("SELECT payload FROM outbox WHERE tenant_id = $1 AND kind = 'email'", []);
  const fixed = mail.rows.map((m) => m.payload).filter((m) => m.subject.includes(c.reference));
  const told = fixed.find((m) => m.subject === `Felanmälan ${c.reference}: åtgärdad`);
  assert.ok(told, `the reporter is told: ${fixed.map((m) => m.subject).join(' / ')}`);
  assert.equal(told.to, 'anna@example.se');
  assert.match(told.text, /Lampan är bytt\./);
});

test('ten submissions at once make one case and one link each way', async () => {
  const karin = await signInResident(t, NORRBY, { personalNumber: '198502209862', givenName: 'Karin', familyName: 'Holm' });
  const forskola = t.app.catalogue.service('norrby', 'forskola')!;
  const placement = await tdb.transaction((tx) =>
    createCase(tx, { definition: forskola, parties: [residentApplicant({ id: karin.residentId })], answers: {}, locale: 'sv', draftId: null, email: undefined, siteUrl: `http://${NORRBY}`, now: t.clock.now() }),
  );
  await tdb.query("UPDATE cases SET status = 'decided' WHERE tenant_id = $1 AND id = $2", [placement.id]);
  const draft = await start(karin, 'andrad-omsorgstid');
  await post(karin, `/apply/${draft}/placement`, { placement: placement.reference });
  await post(karin, `/apply/${draft}/schedule`, { 'schedule.tue.from': '07:00', 'schedule.tue.to': '15:00', from: '2027-02-01' });
  await post(karin, `/apply/${draft}/change-reason`, { changeReason: 'studies' });
  const token = csrfFrom((await get(karin, `/apply/${draft}/check`)).body);
  const sent = await Promise.all(
    Array.from({ length: 10 }, () =>
      t.app.inject({ method: 'POST', url: `/apply/${draft}/submit`, headers: { host: NORRBY, cookie: karin.jar.header(), 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${token}` }),
    ),
  );
  for (const r of sent) assert.equal(r.headers.location, `/apply/${draft}/confirmation`);
  const { rows } = await tdb.query<{ case_id: string; made_here: boolean }>('SELECT case_id, made_here FROM case_links WHERE tenant_id = $1 AND (case_id = $2 OR linked_case_id = $2)', [placement.id]);
  const change = await caseOfDraft(draft);
  assert.deepEqual(rows.map((r) => [r.case_id, r.made_here]).sort(), [[change.id, true], [placement.id, false]].sort());
});
