/** The appeal section of a decision letter and case page by route (ADR 0029): defaults, the definition's own words, legacy forms. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appealSection } from './index.ts';

test('each route has its heading and text in both languages; {authority} is filled in', () => {
  assert.deepEqual(appealSection({}, 'sv')?.heading, 'Hur man överklagar', 'absent: the ordinary route');
  assert.match(appealSection({}, 'sv')!.text, /^Du kan överklaga beslutet hos förvaltningsrätten\./);
  assert.equal(appealSection({}, 'en')?.heading, 'How to appeal');
  assert.equal(appealSection({ appeal: { route: 'legality' } }, 'sv')?.heading, 'Laglighetsprövning');
  assert.match(appealSection({ appeal: { route: 'legality' } }, 'sv')!.text, /13 kap\. kommunallagen/);
  assert.match(appealSection({ appeal: { route: 'legality' } }, 'en')!.text, /chapter 13 of the Local Government Act/);
  const county = { appeal: { route: 'authority' as const, authority: { sv: 'länsstyrelsen', en: 'the county administrative board' } } };
  assert.match(appealSection(county, 'sv')!.text, /^Du kan överklaga beslutet hos länsstyrelsen\..*vidare till länsstyrelsen\.$/);
  assert.match(appealSection(county, 'en')!.text, /^You can appeal the decision to the county administrative board\./);
  assert.doesNotMatch(appealSection(county, 'sv')!.text, /\{authority\}/);
  assert.deepEqual(appealSection({ appeal: { route: 'none' } }, 'sv')?.heading, 'Beslutet kan inte överklagas');
  assert.deepEqual(appealSection({ appeal: { route: 'none' } }, 'en')?.heading, 'This decision cannot be appealed');
});

test("the definition's own heading and text replace the route's; a bare text keeps the ordinary heading; false is no section", () => {
  const own = appealSection({ appeal: { route: 'authority', authority: { sv: 'Transportstyrelsen', en: 'the Transport Agency' }, heading: { sv: 'Överklaga till {authority}', en: 'Appeal to {authority}' }, text: { sv: 'Skriv till {authority}.', en: 'Write to {authority}.' } } }, 'en');
  assert.deepEqual(own, { route: 'authority', heading: 'Appeal to the Transport Agency', text: 'Write to the Transport Agency.' });
  assert.deepEqual(appealSection({ appeal: { sv: 'Egen text.', en: 'Own text.' } }, 'sv'), { route: 'ordinary', heading: 'Hur man överklagar', text: 'Egen text.' });
  assert.deepEqual(appealSection({ appeal: { route: 'none', text: { sv: 'Kan inte överklagas.', en: 'Cannot be appealed.' } } }, 'sv'), { route: 'none', heading: 'Beslutet kan inte överklagas', text: 'Kan inte överklagas.' });
  assert.equal(appealSection({ appeal: false }, 'sv'), undefined);
});
