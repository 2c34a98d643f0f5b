/**
 * `catalogue check` on workflow actions (ADR 0014): kinds known, from/to states declared, deciding
 * actions with decision types, a referral with its reply, templates named and their placeholders
 * known, decision fields' constraints on the right kinds. The legacy transitions become actions.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { repoRoot } from '../../test/helpers/app.ts';
import { minimalService } from '../../test/helpers/fixtures.ts';
import { loadTenants } from '../kernel/tenants.ts';
import { actionsOf, readCatalogue, type Problem } from './index.ts';

const fixture = path.join(repoRoot, 'test/fixtures/flow');
const licence = readFileSync(path.join(fixture, 'catalogue/licence.yaml'), 'utf8');
const temps: string[] = [];
after(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests reshape the parsed YAML freely
function problemsOf(mutate: (d: any) => void): Problem[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'medborg-flow-'));
  temps.push(dir);
  cpSync(fixture, dir, { recursive: true });
  const d = YAML.parse(licence);
  mutate(d);
  writeFileSync(path.join(dir, 'catalogue/licence.yaml'), YAML.stringify(d));
  return readCatalogue(loadTenants(path.join(dir, 'tenants.yaml')), { baseDir: dir }).problems.filter((p) => p.file.endsWith('licence.yaml'));
}

const at = (problems: Problem[]) => problems.map((p) => `${p.path}: ${p.message}`);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const action = (d: any, id: string) => d.workflow.actions.find((a: { id: string }) => a.id === id);

test('the test definitions pass as they are', () => {
  assert.deepEqual(problemsOf(() => {}), []);
});

const cases: [string, (d: any) => void, RegExp][] = [ // eslint-disable-line @typescript-eslint/no-explicit-any
  ['an unknown kind', (d) => (action(d, 'take').kind = 'teleport'), /\/workflow\/actions\/0\/kind: must be equal to one of the allowed values/],
  ['a from state not declared', (d) => action(d, 'take').from.push('limbo'), /\/workflow\/actions\/0\/from\/1: names no declared state: "limbo"/],
  ['a to state not declared', (d) => (action(d, 'referPolice').to = 'limbo'), /\/workflow\/actions\/2\/to: names no declared state: "limbo"/],
  ['a final state left', (d) => action(d, 'take').from.push('granted'), /"granted" is a final state; no action may leave it/],
  ['an action id twice', (d) => (action(d, 'reassign').id = 'take'), /action id "take" is already used/],
  ['a decision type not declared', (d) => (action(d, 'propose').decisions = ['granted', 'nothing']), /\/workflow\/actions\/6\/decisions\/1: names no decision type: "nothing"/],
  ['a referral without its reply', (d) => delete action(d, 'referPolice').reply, /\/workflow\/actions\/2: must have required property 'reply'/],
  ['a reply that is no referralReply', (d) => (action(d, 'referPolice').reply = 'askMore'), /"askMore" is a requestSupplement action, not a referralReply/],
  ['a reply not taken where the referral leads', (d) => (action(d, 'policeReply').from = ['in_progress']), /"policeReply" cannot be taken in "at_police"/],
  ['a referralReply of no referral', (d) => (action(d, 'referPolice').reply = 'nothing'), /names no action: "nothing"/],
  ['an approval with nothing to approve', (d) => (action(d, 'approve').from = ['in_progress']), /approveDecision action must start where a proposeDecision action leads/],
  ['a template not defined', (d) => (action(d, 'referPolice').notify = [{ to: 'applicant', template: 'ghost' }]), /notify\/0\/template: names no template: "ghost"/],
  [
    'a template with an unknown placeholder',
    (d) => (d.templates = [{ id: 'ghost', subject: { sv: 'Hej {name}', en: 'Hi' }, body: { sv: 'x', en: 'x' } }]),
    /\/templates\/0\/subject\/sv: unknown placeholder \{name\}/,
  ],
  ['a supplement taken by staff', (d) => (action(d, 'sendMore').by = 'staff'), /a supplement action is taken by the applicant, not staff/],
  ['a date after a field that is not a date', (d) => (d.decisions[0].fields[1].after = 'fee'), /"fee" is a amount field, not a date/],
  ['min on a date', (d) => (d.decisions[0].fields[0].min = 3), /only a amount decision field takes "min"/],
  ['an unknown outcome', (d) => (d.decisions[0].outcome = 'maybe'), /\/decisions\/0\/outcome: must be equal to one of the allowed values/],
  ['an unknown matter', (d) => (d.matter = 'petition'), /\/matter: must be equal to one of the allowed values/],
  // ADR 0029: an action's text, and the appeal route of a decision type.
  ['a text on an assign', (d) => (action(d, 'take').text = { label: { sv: 'Text', en: 'Text' } }), /\/workflow\/actions\/0\/text: a assign action takes no text of the definition \(only transition, refer, close, requestSupplement do\)/],
  ['an optional text on a referral', (d) => (action(d, 'referPolice').text = { label: { sv: 'Vad som skickades', en: 'What was sent' }, required: false }), /\/workflow\/actions\/2\/text\/required: a refer action always takes a text; it cannot be optional/],
  ['a text on a transition the system takes', (d) => d.workflow.actions.push({ id: 'expire', kind: 'transition', by: 'system', from: ['in_progress'], to: 'withdrawn', text: { label: { sv: 'Text', en: 'Text' } } }), /\/workflow\/actions\/10\/text: only a handler writes an action's text; this action is taken by the system/],
  ['a text longer than the engine takes', (d) => (action(d, 'referPolice').text = { label: { sv: 'Text', en: 'Text' }, maxLength: 5000 }), /\/workflow\/actions\/2\/text\/maxLength: must be <= 4000/],
  ['a text without a label', (d) => (action(d, 'referPolice').text = { maxLength: 100 }), /\/workflow\/actions\/2\/text: must have required property 'label'/],
  ['an unknown appeal route', (d) => (d.decisions[0].appeal = { route: 'supreme-court' }), /\/decisions\/0\/appeal: must be false \(no appeal section\), a text \{ sv, en \}, or \{ route, authority\?, heading\?, text\? \} with route one of ordinary, legality, authority, none/],
  ['an appeal to an authority it does not name', (d) => (d.decisions[0].appeal = { route: 'authority' }), /\/decisions\/0\/appeal\/authority: the route "authority" names the authority the appeal goes to/],
  ['an authority on another route', (d) => (d.decisions[0].appeal = { route: 'legality', authority: { sv: 'länsstyrelsen', en: 'the county administrative board' } }), /\/decisions\/0\/appeal\/authority: only the route "authority" names an authority; this route is "legality"/],
  ['an unknown placeholder in an appeal text', (d) => (d.decisions[1].appeal = { route: 'none', text: { sv: 'Kan inte överklagas hos {authority}.', en: 'Cannot be appealed.' } }), /\/decisions\/1\/appeal\/text\/sv: unknown placeholder \{authority\} \(known: decider\)/],
  // ADR 0032: {decider} is the deciding committee, which the municipality must configure; a bare text is checked too.
  ['an unknown placeholder in a bare appeal text', (d) => (d.decisions[1].appeal = { sv: 'Skicka den till {nämnd}.', en: 'Send it to {committee}.' }), /\/decisions\/1\/appeal\/en: unknown placeholder \{committee\} \(known: decider\)/],
  [
    '{decider} where the municipality names no committee',
    (d) => {
      d.department = 'education';
      d.decisions[1].appeal = { route: 'authority', authority: { sv: 'länsstyrelsen', en: 'the county administrative board' }, text: { sv: 'Skicka överklagandet till {decider}.', en: 'Send the appeal to {decider}.' } };
    },
    /\/decisions\/1\/appeal\/text\/sv: \{decider\} names the deciding committee, but norrby has none for this service: give the service a "decider" \{ sv, en \}, or department "education" a committee in the tenants file/,
  ],
  ['no action that ends the case', (d) => (d.workflow.actions = d.workflow.actions.filter((a: { kind: string }) => a.kind !== 'approveDecision' && a.kind !== 'returnDecision')), /has no action that ends the case/],
];

for (const [name, mutate, expected] of cases) {
  test(`catalogue check refuses ${name}`, () => {
    const found = at(problemsOf(mutate));
    assert.ok(found.some((p) => expected.test(p)), `expected ${expected} in:\n${found.join('\n')}`);
  });
}

test("{decider} is accepted where the department has a committee or the service names its decider", () => {
  const appeal = { route: 'ordinary', heading: { sv: 'Överklaga till {decider}', en: 'Appeal to {decider}' }, text: { sv: 'Skicka den till {decider}.', en: 'Send it to {decider}.' } };
  assert.deepEqual(at(problemsOf((d) => (d.decisions[1].appeal = appeal))), [], 'city-services has a committee');
  const own = (d: { department: string; decider?: unknown; decisions: { appeal?: unknown }[] }) => {
    d.department = 'education';
    d.decider = { sv: 'överförmyndarnämnden', en: 'the Chief Guardian Committee' };
    d.decisions[1]!.appeal = appeal;
  };
  assert.deepEqual(at(problemsOf(own)), [], 'the service names its own decider');
});

test('legacy transitions become actions: ids are the verbs, a reassign where assign kept the state', () => {
  const def = minimalService();
  const actions = actionsOf(def);
  assert.deepEqual(
    actions.map((a) => [a.id, a.kind, a.from.join(','), a.to ?? '']),
    [
      ['assign', 'assign', 'submitted', 'in_progress'],
      ['reassign', 'assign', 'in_progress', ''],
      ['decide', 'decide', 'submitted,in_progress', 'decided'],
      ['withdraw', 'withdraw', 'submitted,in_progress', 'withdrawn'],
    ],
  );
  assert.equal(actionsOf(def), actions, 'normalised once per definition');
});
