/**
 * Every new field kind through HTTP, on the test-only service that asks them all
 * (test/fixtures/field-kinds/alla-falt.yaml): hostile and invalid answers are refused with
 * translated messages linked to the right input while the other answers are kept; the address
 * starts from the population register; a repeating group's items are added and removed by plain
 * submit buttons (no JavaScript); check your answers lists every item; and the submitted case
 * stores each answer in its documented shape (docs/adr/0013-field-kinds.md).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, NORRBY } from './helpers/app.ts';
import { catalogueWithFieldKinds, FIELD_KINDS_SERVICE } from './helpers/field-kinds.ts';
import { signInResident, ANNA, ELSA } from './helpers/sign-in.ts';
import { journey } from './helpers/journey.ts';
import { tenantScope } from '../src/kernel/db/index.ts';
import { getCase } from '../src/cases/index.ts';
import { findDraft } from '../src/forms/drafts.repository.ts';

const t = await createTestApp({ now: '2026-11-23T10:00:00Z', catalogue: catalogueWithFieldKinds() });
after(() => t.close());
const { get, post } = journey(t);
const tdb = tenantScope(t.tdb.db, 'norrby');

test('every new kind: refused with the other answers kept, groups without JavaScript, stored in its documented shape', async () => {
  const anna = await signInResident(t, NORRBY, ANNA);
  const start = await get(anna, `/services/${FIELD_KINDS_SERVICE}/apply`);
  assert.equal(start.statusCode, 303);
  const draft = /^\/apply\/([0-9a-f-]{36})\/amounts$/.exec(String(start.headers.location))?.[1];
  assert.ok(draft, String(start.headers.location));
  const stored = async () => (await findDraft(tdb, draft, anna.residentId, t.clock.now()))!.answers;
  const step = (id: string) => `/apply/${draft}/${id}`;

  // Numbers: a script tag where a number belongs is refused and shown escaped; the valid amount is kept.
  let r = await post(anna, step('amounts'), { hours: '<script>alert(1)</script>', area: '', income: '25 000,50' }, step('amounts'));
  assert.equal(r.statusCode, 400);
  assert.match(r.body, /href="#f-hours"/);
  assert.match(r.body, /Arbetstid per vecka måste vara ett heltal/);
  assert.doesNotMatch(r.body, /<script>alert\(1\)<\/script>/);
  assert.equal((await stored()).income, 2_500_050, 'the valid amount is kept, in öre');
  assert.equal((await stored()).hours, '<script>alert(1)</script>', 'what was typed is kept as plain text to correct');
  // An array where one number belongs is refused and never stored over the answer.
  r = await post(anna, step('amounts'), { hours: ['1', '2'], income: '25 000,50' }, step('amounts'));
  assert.equal(r.statusCode, 400);
  assert.equal((await stored()).hours, '<script>alert(1)</script>');
  r = await post(anna, step('amounts'), { hours: '40', area: '12,5', income: '25 000,50' }, step('amounts'));
  assert.equal(r.statusCode, 303, r.body.slice(0, 400));

  // Dates and times: an end before its start points at the end, in English too.
  r = await post(anna, step('dates'), { happened: '2026-11-01', 'period.from': '2027-02-01', 'period.to': '2027-01-01', arrival: '7.30' }, step('dates'));
  assert.equal(r.statusCode, 400);
  assert.match(r.body, /href="#f-period-to"/);
  assert.match(r.body, /Sista dagen för period kan inte vara före första dagen/);
  assert.equal((await stored()).arrival, '07:30');
  r = await post(anna, step('dates'), { happened: '2026-11-01', 'period.from': '2027-01-01', 'period.to': '2027-02-01', arrival: '7.30' }, step('dates'));
  assert.equal(r.statusCode, 303, r.body.slice(0, 400));

  r = await post(anna, step('schedule'), { 'careTimes.mon.from': '7:30', 'careTimes.mon.to': '16:00', 'careTimes.tue.from': '', 'careTimes.tue.to': '', 'careTimes.wed.from': '08:00', 'careTimes.wed.to': '12:30' }, step('schedule'));
  assert.equal(r.statusCode, 303, r.body.slice(0, 400));

  // A register entry that is not in the register, SQL in a picker: refused.
  r = await post(anna, step('choices'), { preschool: "x'; DROP TABLE cases; --", person: ELSA }, step('choices'));
  assert.equal(r.statusCode, 400);
  assert.match(r.body, /href="#f-preschool"/);
  r = await post(anna, step('choices'), { preschool: 'nby-ekbacken', person: ELSA, contactWays: ['email'] }, step('choices'));
  assert.equal(r.statusCode, 303, (/<div[^>]*error-summary[\s\S]*?<\/div>/.exec(r.body) ?? [r.body.slice(0, 400)])[0]);

  // The address starts from the register (Anna lives at Storgatan 12), and may be changed.
  const identity = await get(anna, step('identity'));
  assert.match(identity.body, /value="Storgatan 12"/);
  assert.match(identity.body, /autocomplete="postal-code"/);
  r = await post(anna, step('identity'), { otherParent: '19121212-1213', employer: '556016-0680', 'address.street': 'Storgatan 12', 'address.postalCode': '1234', 'address.town': 'Norrby' }, identity.body);
  assert.equal(r.statusCode, 400);
  assert.match(r.body, /href="#f-otherParent"/);
  assert.match(r.body, /href="#f-address-postalCode"/);
  r = await post(anna, step('identity'), { otherParent: '191212121212', employer: '5560160680', 'address.street': 'Lillgatan 3', 'address.postalCode': '123 46', 'address.town': 'Norrby' }, step('identity'));
  assert.equal(r.statusCode, 303, r.body.slice(0, 400));

  // The repeating group: one item to start with; "Add another" saves it and shows a second.
  let page = await get(anna, step('people'));
  assert.match(page.body, /name="people\.0\.name"/);
  assert.doesNotMatch(page.body, /name="people\.1\.name"/);
  assert.doesNotMatch(page.body, /value="remove:people:0"/, 'the only item of a group of at least one cannot be removed');
  r = await post(anna, step('people'), { 'people.0.name': 'Bo Andersson', 'people.0.pnr': '19121212-1212', 'people.0.livesHere': 'yes', action: 'add:people' }, page.body);
  assert.equal(r.statusCode, 303);
  assert.equal(r.headers.location, `${step('people')}#f-people-1-name`);
  assert.deepEqual((await stored()).people, [{ name: 'Bo Andersson', pnr: '191212121212', livesHere: 'yes', where: '' }, {}]);
  page = await get(anna, step('people'));
  assert.match(page.body, /value="Bo Andersson"/);
  assert.match(page.body, /name="people\.1\.name"/);
  assert.match(page.body, /Ta bort person 2/);
  // The second item answered wrongly: its errors point at its own inputs and name it.
  r = await post(anna, step('people'), { 'people.0.name': 'Bo Andersson', 'people.0.pnr': '191212121212', 'people.0.livesHere': 'yes', 'people.1.name': 'Cia', 'people.1.pnr': '1', 'people.1.livesHere': 'no', 'people.1.where': '' }, page.body);
  assert.equal(r.statusCode, 400);
  assert.match(r.body, /href="#f-people-1-pnr"/);
  assert.match(r.body, /href="#f-people-1-where"/);
  assert.match(r.body, /personnummer \(person 2\)/);
  assert.match(r.body, /value="Bo Andersson"/, 'the first item is kept');
  // Remove the first: the second becomes the only one.
  r = await post(anna, step('people'), { 'people.0.name': 'Bo Andersson', 'people.0.pnr': '191212121212', 'people.0.livesHere': 'yes', 'people.1.name': 'Cia', 'people.1.pnr': '1', 'people.1.livesHere': 'no', 'people.1.where': '', action: 'remove:people:0' }, page.body);
  assert.equal(r.statusCode, 303);
  assert.deepEqual((await stored()).people, [{ name: 'Cia', pnr: '1', livesHere: 'no', where: '' }]);
  // A tampered action (a group that is not on the page, an absurd index) changes nothing.
  r = await post(anna, step('people'), { 'people.0.name': 'Cia', 'people.0.pnr': '1', 'people.0.livesHere': 'no', 'people.0.where': '', action: 'remove:people:999' }, step('people'));
  assert.equal(r.statusCode, 303);
  assert.equal(((await stored()).people as unknown[]).length, 1);
  r = await post(anna, step('people'), { 'people.0.name': 'Cia Berg', 'people.0.pnr': '19121212-1212', 'people.0.livesHere': 'no', 'people.0.where': 'Söderå', action: 'add:people' }, step('people'));
  r = await post(anna, step('people'), { 'people.0.name': 'Cia Berg', 'people.0.pnr': '19121212-1212', 'people.0.livesHere': 'no', 'people.0.where': 'Söderå', 'people.1.name': 'Dan Berg', 'people.1.pnr': '191212121212', 'people.1.livesHere': 'yes' }, step('people'));
  assert.equal(r.statusCode, 303, r.body.slice(0, 400));

  // The declaration must be ticked.
  r = await post(anna, step('consent'), {}, step('consent'));
  assert.equal(r.statusCode, 400);
  assert.match(r.body, /Kryssa i rutan för att bekräfta att uppgifterna stämmer/);
  r = await post(anna, step('consent'), { truth: 'yes' }, step('consent'));
  assert.equal(r.headers.location, `/apply/${draft}/check`);

  const check = await get(anna, `/apply/${draft}/check`);
  assert.equal(check.statusCode, 200);
  for (const shown of ['40 timmar', '25\u00a0000,50\u00a0kr', 'Måndag 07:30–16:00', 'Onsdag 08:00–12:30', 'Lillgatan 3\n123 46 Norrby', 'Person 1', 'Namn: Cia Berg', 'Person 2', 'Namn: Dan Berg', '556016-0680', '19121212-1212', 'Elsa Andersson']) {
    assert.ok(check.body.includes(shown), `check your answers shows ${JSON.stringify(shown)}`);
  }
  assert.doesNotMatch(check.body, /Inte besvarad.*Yta/s, 'the optional area was answered');

  r = await post(anna, `/apply/${draft}/submit`, {}, check.body);
  assert.equal(r.statusCode, 303);
  assert.equal(r.headers.location, `/apply/${draft}/confirmation`);
  const caseId = (await findDraft(tdb, draft, anna.residentId, t.clock.now()))?.submittedCaseId;
  assert.ok(caseId);
  const c = (await getCase(tdb, caseId))!;
  assert.deepEqual(c.answers, {
    hours: 40,
    area: 12.5,
    income: 2_500_050,
    happened: '2026-11-01',
    period: { from: '2027-01-01', to: '2027-02-01' },
    arrival: '07:30',
    careTimes: [
      { day: 'mon', from: '07:30', to: '16:00' },
      { day: 'wed', from: '08:00', to: '12:30' },
    ],
    preschool: 'nby-ekbacken',
    contactWays: ['email'],
    person: ELSA,
    otherParent: '191212121212',
    employer: '556016-0680',
    address: { street: 'Lillgatan 3', postalCode: '12346', town: 'Norrby' },
    people: [
      { name: 'Cia Berg', pnr: '191212121212', livesHere: 'no', where: 'Söderå' },
      { name: 'Dan Berg', pnr: '191212121212', livesHere: 'yes' },
    ],
    truth: 'yes',
  });

  // The resident's case page and the receipt read the answers as text, like check your answers.
  const mine = await get(anna, `/my/cases/${caseId}`);
  assert.equal(mine.statusCode, 200);
  assert.ok(mine.body.includes('Namn: Dan Berg'));
  const receipt = await get(anna, `/my/cases/${caseId}/receipt.pdf`);
  assert.equal(receipt.statusCode, 200);
});

test('the English pages are complete for every kind', async () => {
  const anna = await signInResident(t, NORRBY, { personalNumber: '198502209862', givenName: 'Karin', familyName: 'Holm' }, 'en');
  const start = await get(anna, `/services/${FIELD_KINDS_SERVICE}/apply`);
  const draft = /\/apply\/([0-9a-f-]{36})\//.exec(String(start.headers.location))![1]!;
  for (const id of ['amounts', 'dates', 'schedule', 'choices', 'identity', 'people', 'consent']) {
    const r = await post(anna, `/apply/${draft}/${id}`, {}, `/apply/${draft}/${id}`);
    assert.equal(r.statusCode, 400, id);
    assert.match(r.body, /There is a problem/);
    assert.doesNotMatch(r.body, /forms\.|\{label\}|\{day\}|Fyll i|Välj |Lägg till/, `${id} has Swedish or a key left`);
  }
});

test('amounts and numbers typed with thousands separators are read as meant; an ambiguous number is refused and kept as typed (ADR 0030)', async () => {
  const anna = await signInResident(t, NORRBY, ANNA);
  const start = await get(anna, `/services/${FIELD_KINDS_SERVICE}/apply`);
  const draft = /^\/apply\/([0-9a-f-]{36})\//.exec(String(start.headers.location))?.[1];
  assert.ok(draft, String(start.headers.location));
  const stored = async () => (await findDraft(tdb, draft, anna.residentId, t.clock.now()))!.answers;
  const step = `/apply/${draft}/amounts`;
  let r = await post(anna, step, { hours: '40', area: '1,500', income: '12,500' }, step);
  assert.equal(r.statusCode, 400);
  assert.match(r.body, /href="#f-area"/);
  assert.match(r.body, /kan läsas på två sätt\. Skriv tusental med mellanslag, till exempel 12 500, och decimaler med komma/);
  assert.equal((await stored()).area, '1,500', 'the ambiguous answer is kept as typed, to correct');
  assert.equal((await stored()).income, 1_250_000, '"12,500" kronor is twelve thousand five hundred, in öre');
  r = await post(anna, step, { hours: '40', area: '1\u00a0500,5', income: '12.500,50' }, step);
  assert.equal(r.statusCode, 303, r.body.slice(0, 400));
  assert.equal((await stored()).area, 1500.5);
  assert.equal((await stored()).income, 1_250_050);
  // Shown back grouped, as amounts are shown everywhere, and read back as the same amount.
  assert.match((await get(anna, step)).body, /value="12\u00a0500,50"/);
});
