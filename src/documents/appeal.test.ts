/**
 * The appeal section of a decision letter and case page by route (ADR 0029): defaults, the
 * definition's own words, legacy forms; without `appeal`, the outcome decides; {decider} is the
 * municipality's deciding committee (ADR 0032).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { repoRoot } from '../../test/helpers/app.ts';
import { loadTenants } from '../kernel/tenants.ts';
import { decidingBody, loadCatalogue } from '../catalogue/index.ts';
import { appealSection } from './index.ts';
import { defaultAppeal } from './letters.ts';

test('each route has its heading and text in both languages; {authority} is filled in', () => {
  assert.deepEqual(appealSection({ appeal: { route: 'ordinary' }, outcome: 'approved' }, 'sv')?.heading, 'Hur man överklagar');
  assert.match(appealSection({ appeal: { route: 'ordinary' }, outcome: 'approved' }, 'sv')!.text, /^Du kan överklaga beslutet hos förvaltningsrätten\./);
  assert.equal(appealSection({ appeal: { route: 'ordinary' }, outcome: 'approved' }, 'en')?.heading, 'How to appeal');
  assert.equal(appealSection({ appeal: { route: 'legality' }, outcome: 'approved' }, 'sv')?.heading, 'Laglighetsprövning');
  assert.match(appealSection({ appeal: { route: 'legality' }, outcome: 'rejected' }, 'sv')!.text, /13 kap\. kommunallagen/);
  assert.match(appealSection({ appeal: { route: 'legality' }, outcome: 'rejected' }, 'en')!.text, /chapter 13 of the Local Government Act/);
  const county = { outcome: 'rejected' as const, appeal: { route: 'authority' as const, authority: { sv: 'länsstyrelsen', en: 'the county administrative board' } } };
  assert.match(appealSection(county, 'sv')!.text, /^Du kan överklaga beslutet hos länsstyrelsen\..*vidare till länsstyrelsen\.$/);
  assert.match(appealSection(county, 'en')!.text, /^You can appeal the decision to the county administrative board\./);
  assert.doesNotMatch(appealSection(county, 'sv')!.text, /\{authority\}/);
  assert.deepEqual(appealSection({ appeal: { route: 'none' }, outcome: 'approved' }, 'sv')?.heading, 'Beslutet kan inte överklagas');
  assert.deepEqual(appealSection({ appeal: { route: 'none' }, outcome: 'approved' }, 'en')?.heading, 'This decision cannot be appealed');
});

test("the definition's own heading and text replace the route's; a bare text keeps the ordinary heading; false is no section", () => {
  const own = appealSection({ outcome: 'approved', appeal: { route: 'authority', authority: { sv: 'Transportstyrelsen', en: 'the Transport Agency' }, heading: { sv: 'Överklaga till {authority}', en: 'Appeal to {authority}' }, text: { sv: 'Skriv till {authority}.', en: 'Write to {authority}.' } } }, 'en');
  assert.deepEqual(own, { route: 'authority', heading: 'Appeal to the Transport Agency', text: 'Write to the Transport Agency.' });
  assert.deepEqual(appealSection({ appeal: { sv: 'Egen text.', en: 'Own text.' }, outcome: 'approved' }, 'sv'), { route: 'ordinary', heading: 'Hur man överklagar', text: 'Egen text.' });
  assert.deepEqual(appealSection({ outcome: 'rejected', appeal: { route: 'none', text: { sv: 'Kan inte överklagas.', en: 'Cannot be appealed.' } } }, 'sv'), { route: 'none', heading: 'Beslutet kan inte överklagas', text: 'Kan inte överklagas.' });
  assert.equal(appealSection({ appeal: false, outcome: 'rejected' }, 'sv'), undefined);
});

test('without an appeal route, an approval has no section and every other outcome the ordinary one (förvaltningslagen 33 §)', () => {
  for (const l of ['sv', 'en'] as const) {
    assert.equal(appealSection({ outcome: 'approved' }, l), undefined, `approved, ${l}`);
    for (const outcome of ['rejected', 'partlyApproved', 'dismissed', 'none'] as const) {
      const section = appealSection({ outcome }, l);
      assert.equal(section?.route, 'ordinary', `${outcome}, ${l}`);
      assert.equal(section?.heading, l === 'sv' ? 'Hur man överklagar' : 'How to appeal');
    }
  }
  // An explicit appeal wins over the outcome, either way.
  assert.equal(appealSection({ outcome: 'approved', appeal: { route: 'ordinary' } }, 'sv')?.route, 'ordinary');
  assert.equal(appealSection({ outcome: 'approved', appeal: { sv: 'Egen text.', en: 'Own text.' } }, 'en')?.text, 'Own text.');
  assert.equal(appealSection({ outcome: 'rejected', appeal: false }, 'sv'), undefined);
  assert.equal(defaultAppeal('approved'), false);
  assert.deepEqual(defaultAppeal('partlyApproved'), { route: 'ordinary' });
});

test('{decider} is the deciding committee in the language asked; without one, "kommunen"', () => {
  const type = { outcome: 'rejected' as const, appeal: { route: 'authority' as const, authority: { sv: 'länsstyrelsen', en: 'the county administrative board' }, text: { sv: 'Överklaga hos {authority}. Skicka det till {decider}.', en: 'Appeal to {authority}. Send it to {decider}.' } } };
  const committee = { sv: 'miljö- och byggnämnden', en: 'the Environment and Building Committee' };
  assert.equal(appealSection(type, 'sv', committee)?.text, 'Överklaga hos länsstyrelsen. Skicka det till miljö- och byggnämnden.');
  assert.equal(appealSection(type, 'en', committee)?.text, 'Appeal to the county administrative board. Send it to the Environment and Building Committee.');
  assert.equal(appealSection({ outcome: 'rejected', appeal: { sv: 'Till {decider}.', en: 'To {decider}.' } }, 'sv', committee)?.text, 'Till miljö- och byggnämnden.', 'a bare text too');
  assert.equal(appealSection(type, 'sv')?.text, 'Överklaga hos länsstyrelsen. Skicka det till kommunen.');
  assert.equal(appealSection(type, 'en')?.text, 'Appeal to the county administrative board. Send it to the municipality.');
});

test("the demo catalogue: one shared building-permit text names each municipality's committee and county board", () => {
  const tenants = loadTenants(path.join(repoRoot, 'tenants.yaml'));
  const catalogue = loadCatalogue(tenants);
  const text = (tenant: string, l: 'sv' | 'en') => {
    const def = catalogue.service(tenant, 'bygglovsansokan')!;
    return appealSection(def.decisions.find((d) => d.id === 'refusal')!, l, decidingBody(def, tenants.byId(tenant)!))!.text;
  };
  assert.match(text('norrby', 'sv'), /^Beslutet kan överklagas hos länsstyrelsen\. Skicka överklagandet till bygg- och miljönämnden, /);
  assert.match(text('sodera', 'sv'), /^Beslutet kan överklagas hos Länsstyrelsen Skåne\. Skicka överklagandet till miljö- och byggnämnden, /);
  assert.match(text('sodera', 'en'), /^The decision can be appealed to the County Administrative Board of Skåne\. Send the appeal to the Environment and Building Committee, /);
});
