import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { repoRoot } from '../../test/helpers/app.ts';
import { createTestDatabase } from '../../test/helpers/db.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from '../kernel/config.ts';
import { loadTenants } from '../kernel/tenants.ts';
import { CatalogueError, entryName, formatProblem, loadCatalogue, readCatalogue, type Problem } from './index.ts';
import { readAsTree } from './loader.ts';

const shippedText = readFileSync(path.join(repoRoot, 'catalogue/shared/forskola.yaml'), 'utf8');
const registerText = readFileSync(path.join(repoRoot, 'catalogue/norrby/registers/preschools.yaml'), 'utf8');
const FILE = 'catalogue/testby/forskola.yaml';

const temps: string[] = [];
after(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A temporary installation: a tenants file with one tenant, its register, and the given service files. */
function installation(files: Record<string, string>, shared?: Record<string, string>): { dir: string; tenantsFile: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'medborg-catalogue-'));
  temps.push(dir);
  const tenantsFile = path.join(dir, 'tenants.yaml');
  writeFileSync(
    tenantsFile,
    YAML.stringify({
      ...(shared ? { sharedCatalogue: 'catalogue/shared' } : {}),
      tenants: [
        {
          id: 'testby',
          code: 'TBY',
          name: { sv: 'Testby kommun', en: 'Testby Municipality' },
          hosts: ['testby.localhost'],
          catalogue: 'catalogue/testby',
          departments: [
            { id: 'education', name: { sv: 'Skolförvaltningen', en: 'School Department' } },
            { id: 'environment', name: { sv: 'Miljöförvaltningen', en: 'Environment Department' } },
          ],
          contact: { email: 'a@testby.example', phone: '1', address: 'Gatan 1' },
        },
      ],
    }),
  );
  mkdirSync(path.join(dir, 'catalogue/testby/registers'), { recursive: true });
  writeFileSync(path.join(dir, 'catalogue/testby/registers/preschools.yaml'), registerText);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, 'catalogue/testby', name), text);
  if (shared) {
    mkdirSync(path.join(dir, 'catalogue/shared'));
    for (const [name, text] of Object.entries(shared)) writeFileSync(path.join(dir, 'catalogue/shared', name), text);
  }
  return { dir, tenantsFile };
}

function problemsOf(files: Record<string, string>): Problem[] {
  const { dir, tenantsFile } = installation(files);
  return readCatalogue(loadTenants(tenantsFile), { baseDir: dir }).problems;
}

/** The shipped pre-school definition, changed by mutate, as YAML. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests reshape the parsed YAML freely
function definition(mutate: (d: any) => void): string {
  const d = YAML.parse(shippedText);
  mutate(d);
  return YAML.stringify(d);
}

test('the shipped catalogue validates for both tenants', () => {
  const tenants = loadTenants(path.join(repoRoot, 'tenants.yaml'));
  const catalogue = loadCatalogue(tenants, { baseDir: repoRoot });
  for (const tenant of ['norrby', 'sodera']) {
    const services = catalogue.services(tenant);
    assert.ok(services.length >= 1, tenant);
    const forskola = catalogue.service(tenant, 'forskola');
    assert.ok(forskola, `${tenant} has forskola`);
    assert.equal(forskola.tenant, tenant);
    assert.equal(forskola.source, `catalogue/shared/forskola.yaml with catalogue/${tenant}/services.yaml/services/forskola`);
    assert.equal(forskola.skl, 1);
    assert.equal(forskola.needs.length, 3, 'three needs (a comma inside a flow mapping once split one in two)');
    const register = catalogue.register(tenant, 'preschools');
    assert.ok(register && register.length >= 4);
    assert.deepEqual(catalogue.registerEntry(tenant, 'preschools', register[0]!.id), register[0]);
    assert.equal(catalogue.registerEntry(tenant, 'preschools', 'nope'), undefined);
    assert.equal(catalogue.registerInfo(tenant, 'preschools')?.title.en, 'Pre-schools');
  }
  assert.equal(catalogue.service('norrby', 'nope'), undefined);
  assert.deepEqual(catalogue.services('nowhere'), []);
  assert.equal(catalogue.register('norrby', 'nope'), undefined);
  // Each tenant gets its own register and its own department names.
  assert.notDeepEqual(catalogue.register('norrby', 'preschools'), catalogue.register('sodera', 'preschools'));
  assert.notEqual(tenants.byId('norrby')!.departments[0]!.name.sv, tenants.byId('sodera')!.departments[0]!.name.sv);
  assert.notEqual(catalogue.service('norrby', 'forskola')!.decidedBy.sv, catalogue.service('sodera', 'forskola')!.decidedBy.sv);
});

test('the fast YAML reader gives, for every file of the shipped catalogue, what the document parser gives', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? files(full) : /\.ya?ml$/.test(name) ? [full] : [];
    });
  const all = files(path.join(repoRoot, 'catalogue'));
  assert.ok(all.length > 50, `the catalogue's files: ${all.length}`);
  for (const file of all) {
    const text = readFileSync(file, 'utf8');
    const fast = readAsTree(text);
    // A file that reuses a part by an alias is the document parser's (arsrakning's fee and appeal).
    if (fast === undefined) assert.match(text, /^\s*(-\s+|[\w"]+:\s+)\*\w+/m, `${file} is read by the fast reader`);
    else assert.deepEqual(fast, YAML.parseDocument(text, { uniqueKeys: true }).toJS({ maxAliasCount: 100 }), file);
  }
});

test('the fast YAML reader leaves to the document parser what only it reads safely or explains', () => {
  // The core schema, as `yaml` reads it: dates stay strings, yes/no/on stay words, no merge keys.
  assert.deepEqual(readAsTree('a: 2026-01-31\nb: yes\nc: on\nd: 0o17\n"<<": {x: 1}\n'), { a: '2026-01-31', b: 'yes', c: 'on', d: 15, '<<': { x: 1 } });
  // An alias to a scalar is a copy; an alias to a collection would be walked once per path.
  assert.deepEqual(readAsTree('a: &x hello\nb: *x\n'), { a: 'hello', b: 'hello' });
  assert.equal(readAsTree('a: &x [1, 2]\nb: *x\n'), undefined);
  assert.equal(readAsTree('a: 1\na: 2\n'), undefined, 'a duplicate key');
  assert.equal(readAsTree('a: [1\n'), undefined, 'a syntax error');
  assert.equal(readAsTree('a: 1\n---\nb: 2\n'), undefined, 'two documents');
  assert.equal(readAsTree(''), undefined, 'an empty file');
  assert.equal(readAsTree('# nothing yet\n'), undefined, 'a file of comments');
  // And what the document parser makes of them reaches the author as before, with lines.
  const laughs = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`)].join('\n');
  const problems = problemsOf({ 'forskola.yaml': laughs });
  assert.ok(problems.some((p) => p.file === FILE && /invalid YAML: .*alias/i.test(p.message)), JSON.stringify(problems));
  const dup = problemsOf({ 'forskola.yaml': 'id: forskola\nid: again\n' });
  assert.ok(dup.some((p) => p.file === FILE && p.line === 2 && /invalid YAML/.test(p.message)), JSON.stringify(dup));
});

test('loaded definitions are frozen and services() hands out a fresh array', () => {
  const catalogue = loadCatalogue(loadTenants(path.join(repoRoot, 'tenants.yaml')));
  const def = catalogue.service('norrby', 'forskola')!;
  assert.throws(() => {
    (def.title as { sv: string }).sv = 'changed';
  }, TypeError);
  assert.throws(() => def.form.steps.push(def.form.steps[0]!), TypeError);
  const list = catalogue.services('norrby');
  list.length = 0;
  assert.ok(catalogue.services('norrby').length >= 1);
});

test('services are sorted by Swedish title, then id', () => {
  const second = definition((d) => {
    d.id = 'annan';
    d.title = { sv: 'Ändra förskoleplats', en: 'Change pre-school place' };
    d.reference.prefix = 'AFS';
  });
  const first = definition((d) => {
    d.id = 'borja';
    d.title = { sv: 'Börja i förskolan', en: 'Starting pre-school' };
    d.reference.prefix = 'BFS';
  });
  const { dir, tenantsFile } = installation({ 'a.yaml': second, 'b.yaml': shippedText, 'c.yaml': first });
  const catalogue = loadCatalogue(loadTenants(tenantsFile), { baseDir: dir });
  // Swedish collation: Ä sorts after A–Z.
  assert.deepEqual(
    catalogue.services('testby').map((s) => s.id),
    ['forskola', 'borja', 'annan'],
  );
});

interface BrokenCase {
  name: string;
  text: string;
  path: string | undefined;
  reason: RegExp;
  file?: string;
  line?: number;
}

const shippedLine = (needle: string) => shippedText.split('\n').findIndex((l) => l.includes(needle)) + 1;

const broken: BrokenCase[] = [
  {
    name: 'unknown field kind (with the line in the original file)',
    text: shippedText.replace('kind: date', 'kind: calendar'),
    path: '/form/steps/2/fields/0/kind',
    reason: /^must be equal to one of the allowed values: text, longText, .*child.*group$/,
    line: shippedLine('kind: date'),
  },
  {
    name: 'missing English text',
    text: definition((d) => delete d.summary.en),
    path: '/summary',
    reason: /must have required property 'en'/,
  },
  {
    name: 'blank Swedish text',
    text: definition((d) => (d.needs[0].sv = '   ')),
    path: '/needs/0/sv',
    reason: /must not be blank/,
  },
  {
    name: 'unknown department',
    text: definition((d) => (d.department = 'parks')),
    path: '/department',
    reason: /"parks" is not a department of testby \(departments: education, environment\)/,
  },
  {
    name: 'a `when` naming a missing field',
    text: definition((d) => (d.form.steps[4].fields[1].when.field = 'specialNeedz')),
    path: '/form/steps/4/fields/1/when/field',
    reason: /names no field of this service: "specialNeedz"/,
  },
  {
    name: 'a `when` deep inside all/not naming a missing field',
    text: definition((d) => (d.form.steps[4].fields[1].when = { all: [{ field: 'specialNeeds', answered: true }, { not: { field: 'ghost', equals: 1 } }] })),
    path: '/form/steps/4/fields/1/when/all/1/not/field',
    reason: /names no field of this service: "ghost"/,
  },
  {
    name: 'a `when` naming a field asked later',
    text: definition((d) => (d.form.steps[2].fields[1].when = { field: 'careHours', answered: true })),
    path: '/form/steps/2/fields/1/when/field',
    reason: /"careHours" comes after this field/,
  },
  {
    name: 'a yes/no answer compared with a value it never has',
    text: definition((d) => (d.form.steps[4].fields[1].when = { field: 'specialNeeds', equals: true })),
    path: '/form/steps/4/fields/1/when/equals',
    reason: /"specialNeeds" can never be true \(its values: yes, no\)/,
  },
  {
    name: 'a condition with two comparisons',
    text: definition((d) => (d.form.steps[4].fields[1].when = { field: 'specialNeeds', equals: 'yes', answered: true })),
    path: '/form/steps/4/fields/1/when',
    reason: /must be one condition: \{field, equals \| notEquals/,
  },
  {
    name: 'duplicate field id',
    text: definition((d) => (d.form.steps[5].fields[1].id = 'email')),
    path: '/form/steps/5/fields/1/id',
    reason: /field id "email" is already used at \/form\/steps\/5\/fields\/0/,
  },
  {
    name: 'field id that is not lower camelCase',
    text: definition((d) => (d.form.steps[5].fields[1].id = 'phone-number')),
    path: '/form/steps/5/fields/1/id',
    reason: /must match pattern/,
  },
  {
    name: 'a transition to an undeclared state',
    text: definition((d) => (d.workflow.transitions[1].to = 'limbo')),
    path: '/workflow/transitions/1/to',
    reason: /names no declared state: "limbo" \(states: submitted, in_progress, awaiting_supplement, decided, withdrawn, placed, offer_declined\)/,
  },
  {
    name: 'a transition out of a final state',
    text: definition((d) => d.workflow.transitions[0].from.push('decided')),
    path: '/workflow/transitions/0/from/1',
    reason: /"decided" is a final state/,
  },
  {
    name: 'an undeclared initial state',
    text: definition((d) => (d.workflow.initial = 'new')),
    path: '/workflow/initial',
    reason: /names no declared state: "new"/,
  },
  {
    name: 'earlierAllowedWith naming a missing field',
    text: definition((d) => (d.form.steps[2].fields[0].earlierAllowedWith = 'why')),
    path: '/form/steps/2/fields/0/earlierAllowedWith',
    reason: /names no field of this service: "why"/,
  },
  {
    name: 'a weekly schedule over midnight with a latest end of the same day',
    text: definition((d) => d.form.steps[5].fields.push({ id: 'openingHours', kind: 'weeklySchedule', label: { sv: 'Öppettider', en: 'Opening hours' }, overnight: true, latest: '23:00' })),
    path: '/form/steps/5/fields/2/latest',
    reason: /cannot be used with overnight/,
  },
  {
    name: 'a decision `from` naming a missing field',
    text: definition((d) => (d.decisions[0].fields[0].from = 'schools')),
    path: '/decisions/0/fields/0/from',
    reason: /names no field of this service: "schools"/,
  },
  {
    name: 'a decision field prefilled from a missing answer (ADR 0027)',
    text: definition((d) => (d.decisions[0].fields[0].prefill = { answer: 'startDatum' })),
    path: '/decisions/0/fields/0/prefill/answer',
    reason: /names no field of this service: "startDatum"/,
  },
  // ADR 0034: a prefill mapped from an answer's options; a fee invoiced on a decision.
  {
    name: 'a mapped prefill whose key is no option of the answer (ADR 0034)',
    text: definition((d) => (d.decisions[1].fields[0].prefill = { answer: 'specialNeeds', map: { maybe: 'Stöd' } })),
    path: '/decisions/1/fields/0/prefill/map/maybe',
    reason: /"maybe" is no option of "specialNeeds" \(options: yes, no\)/,
  },
  {
    name: 'a mapped prefill from an answer without options (ADR 0034)',
    text: definition((d) => (d.decisions[1].fields[0].prefill = { answer: 'startDate', map: { '2027-01-01': 'x' } })),
    path: '/decisions/1/fields/0/prefill/map',
    reason: /only an answer with options \(choice, multiChoice, yesNo\) is mapped/,
  },
  {
    name: 'a mapped prefill filling a date decision field (ADR 0034)',
    text: definition((d) => (d.decisions[0].fields[1].prefill = { answer: 'specialNeeds', map: { yes: '2027-01-01' } })),
    path: '/decisions/0/fields/1/prefill/map',
    reason: /fills a choice, text or longText decision field, not a date field/,
  },
  {
    name: 'a mapped prefill giving a value the choice decision field does not offer (ADR 0034)',
    text: definition((d) =>
      d.decisions[1].fields.push({
        id: 'ground',
        kind: 'choice',
        label: { sv: 'Grund', en: 'Ground' },
        choices: [{ value: 'a', label: { sv: 'A', en: 'A' } }, { value: 'b', label: { sv: 'B', en: 'B' } }],
        prefill: { answer: 'specialNeeds', map: { yes: 'c' } },
      }),
    ),
    path: '/decisions/1/fields/1/prefill/map/yes',
    reason: /"c" is no option of the decision field "ground" \(options: a, b\)/,
  },
  {
    name: 'a fee invoiced on a decision type the service does not have (ADR 0034)',
    text: definition((d) => (d.fee = { invoice: { when: ['granted'], amount: 500 }, currency: 'SEK', description: { sv: 'Avgift', en: 'Fee' } })),
    path: '/fee/invoice/when/0',
    reason: /names no decision type: "granted" \(decision types: offered, rejected\)/,
  },
  {
    name: 'a fee invoiced from a decision field the type lacks (ADR 0034)',
    text: definition((d) => (d.fee = { invoice: { when: ['rejected'], amount: { field: 'fee' } }, currency: 'SEK', description: { sv: 'Avgift', en: 'Fee' } })),
    path: '/fee/invoice/amount/field',
    reason: /the decision type "rejected" has no field "fee"/,
  },
  {
    name: 'a fee invoiced from a decision field that is no amount (ADR 0034)',
    text: definition((d) => (d.fee = { invoice: { when: ['rejected'], amount: { field: 'reasons' } }, currency: 'SEK', description: { sv: 'Avgift', en: 'Fee' } })),
    path: '/fee/invoice/amount/field',
    reason: /"reasons" of the decision type "rejected" is a longText field, not an amount/,
  },
  {
    name: 'a decision field marking choices on a field that is not a unit choice (ADR 0027)',
    text: definition((d) => Object.assign(d.decisions[0].fields[0], { kind: 'registerEntry', register: 'preschools', marks: 'startDate', from: undefined })),
    path: '/decisions/0/fields/0/marks',
    reason: /"startDate" is not a choice from the register "preschools"/,
  },
  {
    name: 'a rankedChoice naming a missing register',
    text: definition((d) => (d.form.steps[1].fields[0].register = 'schools')),
    path: '/form/steps/1/fields/0/register',
    reason: /names no register of testby: "schools" \(registers: preschools\)/,
  },
  {
    name: 'no decision types',
    text: definition((d) => (d.decisions = [])),
    path: '/decisions',
    // A definition may have none (a report closed without a decision, ADR 0020), but not one whose workflow decides.
    reason: /the workflow decides, so it needs at least one decision type/,
  },
  {
    name: 'a reference prefix that is not 2–5 capital letters',
    text: definition((d) => (d.reference.prefix = 'Fsk')),
    path: '/reference/prefix',
    reason: /must match pattern "\^\[A-Z\]\{2,5\}\$"/,
  },
  {
    name: 'an error message for an error the engine does not have',
    text: definition((d) => (d.form.steps[2].fields[0].errors = { tooSoon: { sv: 'För tidigt', en: 'Too soon' } })),
    path: '/form/steps/2/fields/0/errors/tooSoon',
    reason: /is not an allowed property here \(allowed: required, format, tooEarly, tooLate, tooLong, tooFew, tooMany/,
  },
  {
    name: 'an error message in one language only',
    text: definition((d) => (d.form.steps[2].fields[0].errors = { required: { sv: 'Ange datum' } })),
    path: '/form/steps/2/fields/0/errors/required',
    reason: /must have required property 'en'/,
  },
  {
    name: 'an error message with an unknown placeholder',
    text: definition((d) => (d.form.steps[2].fields[0].errors = { tooLate: { sv: 'Senast {datum}', en: 'By {date}' } })),
    path: '/form/steps/2/fields/0/errors/tooLate/sv',
    reason: /unknown placeholder \{datum\} \(known: label, min, max, date/,
  },
  {
    name: 'a letter with an unknown placeholder',
    text: definition((d) => (d.decisions[1].letter.en = 'Rejected. Reasons: {reason}')),
    path: '/decisions/1/letter/en',
    reason: /unknown placeholder \{reason\}/,
  },
  // Representation (ADR 0033): who may apply for someone they represent.
  {
    name: 'a representation kind the register does not know',
    text: definition((d) => (d.representation = { kinds: ['godman', 'custodian'] })),
    path: '/representation/kinds/1',
    reason: /must be equal to one of the allowed values: godman, forvaltare, fullmakt/,
  },
  {
    name: 'a representation kind named twice',
    text: definition((d) => (d.representation = { kinds: ['fullmakt', 'fullmakt'] })),
    path: '/representation/kinds',
    reason: /must NOT have duplicate items/,
  },
  {
    name: 'representation for an audience without e-ID',
    text: definition((d) => {
      d.audience = ['anyone'];
      d.representation = { kinds: ['godman'] };
    }),
    path: '/representation',
    reason: /a representative signs in with e-ID, but the audience \(anyone\) has no "eid"/,
  },
  // Ages (ADR 0030): the applicant's from the e-ID, a child field's from the register.
  {
    name: 'an applicant age whose minimum is above its maximum',
    text: definition((d) => (d.applicantAge = { min: 19, max: 15 })),
    path: '/applicantAge',
    reason: /min 19 is greater than max 15: nobody could apply/,
  },
  {
    name: 'an applicant age for an audience without e-ID',
    text: definition((d) => {
      d.audience = ['anyone'];
      d.applicantAge = { min: 16 };
    }),
    path: '/applicantAge',
    reason: /the age comes from the e-ID, but the audience lets people apply without one \(anyone\)/,
  },
  {
    name: 'an applicant age counted by something else than day or year',
    text: definition((d) => (d.applicantAge = { min: 16, by: 'week' })),
    path: '/applicantAge/by',
    reason: /must be equal to one of the allowed values: day, year/,
  },
  {
    name: 'an applicant age without a bound',
    text: definition((d) => (d.applicantAge = { by: 'year' })),
    path: '/applicantAge',
    reason: /must have required property 'min'|must have required property 'max'|must match a schema in anyOf/,
  },
  {
    name: 'an applicant age that is not a whole number',
    text: definition((d) => (d.applicantAge = { min: 15.5 })),
    path: '/applicantAge/min',
    reason: /must be integer/,
  },
  {
    name: 'a child field whose minimum age is above its maximum',
    text: definition((d) => (d.form.steps[0].fields[0].minAgeYears = 6)),
    path: '/form/steps/0/fields/0/minAgeYears',
    reason: /6 is greater than maxAgeYears 5: no child could be chosen/,
  },
  {
    name: 'a child field counting ages by something else than day or year',
    text: definition((d) => (d.form.steps[0].fields[0].ageBy = 'month')),
    path: '/form/steps/0/fields/0/ageBy',
    reason: /must be equal to one of the allowed values: day, year/,
  },
  {
    name: 'an expression reading a fact of the applicant that does not exist',
    text: definition((d) => (d.form.steps[4].fields[1].when = { '<': [{ var: '$applicant.height' }, 180] })),
    path: '/form/steps/4/fields/1/when',
    reason: /reads "\$applicant.height", but the applicant's facts are \$applicant.birthDate, \$applicant.age, \$applicant.ageThisYear/,
  },
  {
    name: "an expression reading the applicant's age where people apply without e-ID",
    text: definition((d) => {
      d.audience = ['custodian', 'email'];
      d.form.steps[4].fields[1].when = { '<': [{ var: '$applicant.age' }, 18] };
    }),
    path: '/form/steps/4/fields/1/when',
    reason: /reads "\$applicant.age", which comes from the e-ID, but the audience lets people apply without one \(email\)/,
  },
  {
    name: 'a misspelt property',
    text: definition((d) => (d.form.steps[0].fields[0].hints = d.form.steps[0].fields[0].hint)),
    path: '/form/steps/0/fields/0/hints',
    reason: /is not an allowed property here \(allowed: id, kind, label, hint, errorName, errors, required, when, default, prefill, example, minAgeYears, maxAgeYears, ageBy\)/,
  },
  {
    name: 'a property the loader adds',
    text: definition((d) => (d.tenant = 'norrby')),
    path: '/tenant',
    reason: /is not an allowed property here/,
  },
  {
    name: 'malformed YAML (names the file and line)',
    text: 'id: forskola\nskl: 1\ntitle: { sv: Ansök, en: Apply\nengines: [apply]\n',
    path: undefined,
    reason: /^invalid YAML: /,
    line: 4,
  },
  // --- field kinds (eng-kinds) ---
  {
    name: 'a register choice naming a register the municipality does not have',
    text: definition((d) => d.form.steps[3].fields.push({ id: 'school', kind: 'registerChoice', register: 'schools', label: { sv: 'Skola', en: 'School' } })),
    path: '/form/steps/3/fields/1/register',
    reason: /names no register of testby: "schools"/,
  },
  {
    name: 'a group inside a group',
    text: definition((d) =>
      d.form.steps[3].fields.push({
        id: 'people',
        kind: 'group',
        itemLabel: { sv: 'Person', en: 'Person' },
        label: { sv: 'Personer', en: 'People' },
        fields: [{ id: 'inner', kind: 'group', itemLabel: { sv: 'X', en: 'X' }, label: { sv: 'X', en: 'X' }, fields: [{ id: 'name', kind: 'text', label: { sv: 'Namn', en: 'Name' } }] }],
      }),
    ),
    path: '/form/steps/3/fields/1/fields/0/kind',
    reason: /a repeating group cannot contain another group/,
  },
  {
    name: "a group's sub-field condition naming a sub-field after it",
    text: definition((d) =>
      d.form.steps[3].fields.push({
        id: 'people',
        kind: 'group',
        itemLabel: { sv: 'Person', en: 'Person' },
        label: { sv: 'Personer', en: 'People' },
        fields: [
          { id: 'where', kind: 'text', when: { field: 'livesHere', equals: 'no' }, label: { sv: 'Var', en: 'Where' } },
          { id: 'livesHere', kind: 'yesNo', label: { sv: 'Bor här', en: 'Lives here' } },
        ],
      }),
    ),
    path: '/form/steps/3/fields/1/fields/0/when',
    reason: /"livesHere" is neither a field before this group nor a sub-field before this one/,
  },
  {
    name: 'a service both an application and a report',
    text: definition((d) => (d.engines = ['apply', 'report'])),
    path: '/engines',
    reason: /an application \(apply\) or a report \(report\), not both/,
  },
  {
    name: 'a report service whose matter is not report',
    text: definition((d) => (d.engines = ['report'])),
    path: '/matter',
    reason: /a report service says matter: report/,
  },
  {
    name: 'a matter of report on an application',
    text: definition((d) => (d.matter = 'report')),
    path: '/engines',
    reason: /a service whose matter is report has the engine report, not apply/,
  },
  {
    name: 'a number whose minimum is above its maximum',
    text: definition((d) => d.form.steps[3].fields.push({ id: 'hours', kind: 'number', min: 10, max: 5, label: { sv: 'Timmar', en: 'Hours' } })),
    path: '/form/steps/3/fields/1/max',
    reason: /must not be less than min \(10\)/,
  },
  {
    name: "an option of another kind (a money field's unit)",
    text: definition((d) => d.form.steps[3].fields.push({ id: 'fee', kind: 'money', unit: { sv: 'kr', en: 'SEK' }, label: { sv: 'Avgift', en: 'Fee' } })),
    path: '/form/steps/3/fields/1/unit',
    reason: /is not an allowed property here/,
  },
  // --- end field kinds ---
  {
    name: 'a duplicate key',
    text: 'id: forskola\nid: other\n',
    path: undefined,
    reason: /^invalid YAML: Map keys must be unique/,
    line: 2,
  },
  {
    name: 'an empty file',
    text: '# nothing yet\n',
    path: undefined,
    reason: /the file is empty/,
  },
];

for (const c of broken) {
  test(`a broken definition is reported with file, path and reason: ${c.name}`, () => {
    const problems = problemsOf({ 'forskola.yaml': c.text });
    const found = problems.find((p) => p.path === c.path && c.reason.test(p.message));
    assert.ok(found, `expected ${c.path}: ${c.reason} among:\n${problems.map(formatProblem).join('\n')}`);
    assert.equal(found.file, c.file ?? FILE);
    if (c.line !== undefined) assert.equal(found.line, c.line);
    const line = formatProblem(found);
    if (c.path !== undefined) assert.ok(line.startsWith(`${FILE}: ${c.path}: `), line);
    else if (c.line !== undefined) assert.match(line, new RegExp(`^${FILE}: line ${c.line}, column \\d+: invalid YAML`));
  });
}

test('one error lists every problem of every file, one per line', () => {
  const { dir, tenantsFile } = installation({
    'a.yaml': definition((d) => {
      d.department = 'parks';
      d.form.steps[2].fields[0].kind = 'calendar';
      d.workflow.transitions[0].to = 'limbo';
    }),
    'b.yaml': 'id: [unclosed\n',
  });
  let error: unknown;
  try {
    loadCatalogue(loadTenants(tenantsFile), { baseDir: dir });
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof CatalogueError);
  const lines = error.message.split('\n');
  assert.match(lines[0]!, /^The service catalogue has \d+ problems:$/);
  assert.equal(lines.length - 1, error.problems.length);
  assert.ok(lines.some((l) => l.includes('catalogue/testby/a.yaml: /form/steps/2/fields/0/kind: must be equal to one of the allowed values')));
  assert.ok(lines.some((l) => /catalogue\/testby\/b\.yaml: line \d+, column \d+: invalid YAML/.test(l)));
  // The schema stops a file before the cross-reference checks: those run on valid shapes only.
  assert.ok(!lines.some((l) => l.includes('/department')), 'no semantic checks on a schema-invalid file');
});

test('two files defining the same service id or the same reference prefix', () => {
  const other = definition((d) => (d.title.sv = 'Ansök om förskola igen'));
  const problems = problemsOf({ 'a.yaml': shippedText, 'b.yaml': other });
  const messages = problems.map(formatProblem);
  assert.ok(messages.includes('catalogue/testby/b.yaml: /id: service id "forskola" is already defined in catalogue/testby/a.yaml (line 1)'), messages.join('\n'));
  assert.ok(messages.some((m) => m.startsWith('catalogue/testby/b.yaml: /reference/prefix: prefix "FSK" is already used by catalogue/testby/a.yaml')));
});

test('a broken register is reported, and a service naming it is not blamed twice', () => {
  const { dir, tenantsFile } = installation({ 'forskola.yaml': shippedText });
  writeFileSync(path.join(dir, 'catalogue/testby/registers/preschools.yaml'), 'id: preschools\ntitle: { sv: Förskolor }\nentries: []\n');
  writeFileSync(path.join(dir, 'catalogue/testby/registers/extra.yml'), 'id: extra\n');
  const messages = readCatalogue(loadTenants(tenantsFile), { baseDir: dir }).problems.map(formatProblem);
  assert.ok(messages.includes("catalogue/testby/registers/preschools.yaml: /title: must have required property 'en' (line 2)"), messages.join('\n'));
  assert.ok(messages.includes('catalogue/testby/registers/preschools.yaml: /entries: must NOT have fewer than 1 items (line 3)'), messages.join('\n'));
  assert.ok(messages.includes('catalogue/testby/registers/extra.yml: only *.yaml files are read: rename it to end in .yaml'), messages.join('\n'));
  assert.ok(!messages.some((m) => m.includes('/register:')), messages.join('\n'));
});

test('a missing catalogue folder is a problem, not an empty catalogue', () => {
  const { dir, tenantsFile } = installation({});
  rmSync(path.join(dir, 'catalogue/testby'), { recursive: true });
  const problems = readCatalogue(loadTenants(tenantsFile), { baseDir: dir }).problems;
  assert.deepEqual(problems.map(formatProblem), ['catalogue/testby: the catalogue folder of tenant testby does not exist (see "catalogue" in the tenants file)']);
});

test('buildApp stops with the catalogue error when a definition is bad', async () => {
  const { tenantsFile } = installation({ 'forskola.yaml': definition((d) => (d.form.steps[2].fields[0].kind = 'calendar')) });
  const config = loadConfig({ MEDBORG_ENV: 'test', MEDBORG_TENANTS: tenantsFile }, repoRoot);
  const tdb = await createTestDatabase();
  try {
    await assert.rejects(
      buildApp({ config, db: tdb.db, tenants: loadTenants(tenantsFile), demo: false }),
      (e: unknown) => e instanceof CatalogueError && /forskola\.yaml: \/form\/steps\/2\/fields\/0\/kind: must be equal to one of the allowed values/.test(e.message),
    );
  } finally {
    await tdb.drop();
  }
});

// --- The shared catalogue and overrides (ADR 0010) ---

const SHARED = 'catalogue/shared/forskola.yaml';
const OVERRIDES = 'catalogue/testby/services.yaml';

function sharedProblems(overrides: unknown, sharedText = shippedText, own: Record<string, string> = {}): string[] {
  const { dir, tenantsFile } = installation({ 'services.yaml': YAML.stringify(overrides), ...own }, { 'forskola.yaml': sharedText });
  return readCatalogue(loadTenants(tenantsFile), { baseDir: dir }).problems.map(formatProblem);
}

test('a municipality offers a shared service with its override, and keeps a service of its own', () => {
  const own = definition((d) => {
    d.id = 'egen';
    d.reference.prefix = 'EGN';
  });
  const overrides = {
    services: {
      forskola: {
        version: 3,
        decidedBy: { sv: 'Testbys placeringsenhet' },
        department: 'environment',
        workflow: { states: [{ id: 'in_progress', label: { en: 'Being handled in Testby' } }] },
        form: { steps: [{ id: 'extra', title: { sv: 'Extra', en: 'Extra' }, fields: [{ id: 'note', kind: 'longText', label: { sv: 'Anteckning', en: 'Note' }, required: false }], $after: 'child' }] },
      },
    },
  };
  const { dir, tenantsFile } = installation({ 'services.yaml': YAML.stringify(overrides), 'egen.yaml': own }, { 'forskola.yaml': shippedText });
  const catalogue = loadCatalogue(loadTenants(tenantsFile), { baseDir: dir });
  const shared = YAML.parse(shippedText);
  const def = catalogue.service('testby', 'forskola')!;
  assert.equal(def.version, 3);
  assert.deepEqual(def.decidedBy, { sv: 'Testbys placeringsenhet', en: shared.decidedBy.en });
  assert.equal(def.department, 'environment');
  const inProgress = def.workflow.states.find((s) => s.id === 'in_progress')!;
  assert.equal(inProgress.label.en, 'Being handled in Testby');
  assert.equal(inProgress.label.sv, shared.workflow.states.find((s: { id: string }) => s.id === 'in_progress').label.sv);
  const steps = def.form.steps.map((s) => s.id);
  assert.equal(steps.length, shared.form.steps.length + 1);
  assert.equal(steps[steps.indexOf('child') + 1], 'extra');
  assert.equal(def.source, `${SHARED} with ${OVERRIDES}/services/forskola`);
  assert.equal(catalogue.service('testby', 'egen')?.source, 'catalogue/testby/egen.yaml');
  // Only what services.yaml lists is offered.
  const none = installation({ 'services.yaml': 'services: {}\n' }, { 'forskola.yaml': shippedText });
  assert.deepEqual(loadCatalogue(loadTenants(none.tenantsFile)).services('testby'), []);
});

test('hostile overrides: a service that does not exist, a path that does not exist, a removal of nothing', () => {
  const problems = sharedProblems({
    services: {
      nope: {},
      forskola: { decidedByy: { sv: 'x', en: 'y' }, workflow: { states: [{ id: 'limbo', $remove: true }] } },
    },
  });
  assert.deepEqual(problems, [
    `${OVERRIDES}: /services/nope: names no shared service: "nope" (shared services in catalogue/shared: forskola) (line 2)`,
    `${OVERRIDES}: /services/forskola/workflow/states/0: removes "limbo", which the shared definition does not have at /workflow/states (line 9)`,
  ]);
  // A key the schema does not know is reported where the author wrote it.
  const typo = sharedProblems({ services: { forskola: { decidedByy: { sv: 'x', en: 'y' } } } });
  assert.equal(typo.length, 1, typo.join('\n'));
  assert.match(typo[0]!, /^catalogue\/testby\/services\.yaml: \/services\/forskola\/decidedByy: is not an allowed property here \(allowed: id, engines, .*decidedBy, .*\) \(line 4\)$/);
});

test('an override that makes the definition invalid is reported in the file to edit, with the shared file named', () => {
  // Removing a state the shared transitions name: the transitions are the shared file's, as Testby offers it.
  const problems = sharedProblems({ services: { forskola: { workflow: { states: [{ id: 'in_progress', $remove: true }] } } } });
  const shared = YAML.parse(shippedText);
  const t = shared.workflow.transitions.findIndex((tr: { to: string }) => tr.to === 'in_progress');
  assert.ok(
    problems.some((p) => p.startsWith(`${SHARED}: /workflow/transitions/${t}/to: names no declared state: "in_progress"`) && p.includes('(as testby offers it)')),
    problems.join('\n'),
  );
  assert.ok(problems.every((p) => p.startsWith(SHARED) || p.startsWith(OVERRIDES)), problems.join('\n'));
  // A value the schema refuses is the override's line, with the shared value it replaced.
  const prefix = sharedProblems({ services: { forskola: { reference: { prefix: 'bad' } } } });
  assert.deepEqual(prefix, [
    `${OVERRIDES}: /services/forskola/reference/prefix: must match pattern "^[A-Z]{2,5}$" (overriding ${SHARED}: /reference/prefix) (line 4)`,
  ]);
});

test('a problem in the shared definition itself names the shared file and its line', () => {
  const sharedText = shippedText.replace('department: education', 'department: parks');
  const problems = sharedProblems({ services: { forskola: null } }, sharedText);
  const line = sharedText.split('\n').findIndex((l) => l.includes('department: parks')) + 1;
  assert.deepEqual(problems, [`${SHARED}: /department: "parks" is not a department of testby (departments: education, environment) (as testby offers it) (line ${line})`]);
});

test('services.yaml must be a map of overrides; a local copy of an offered service clashes; no shared folder configured', () => {
  assert.deepEqual(sharedProblems({ services: ['forskola'] }), [
    `${OVERRIDES}: /: must be a map "services:" from each offered shared service id to its override (or nothing to offer it unchanged) (line 1)`,
  ]);
  assert.deepEqual(sharedProblems({ services: { forskola: { id: 'other' } } }), [
    `${OVERRIDES}: /services/forskola/id: the service id is the key above; an override cannot rename a shared service (line 3)`,
  ]);
  const clash = sharedProblems({ services: { forskola: null } }, shippedText, { 'forskola.yaml': shippedText });
  assert.ok(clash.some((p) => p.startsWith(`${SHARED}: /id: service id "forskola" is already defined in catalogue/testby/forskola.yaml`)), clash.join('\n'));
  const { dir, tenantsFile } = installation({ 'services.yaml': 'services: { forskola: }\n' });
  assert.deepEqual(readCatalogue(loadTenants(tenantsFile), { baseDir: dir }).problems.map(formatProblem), [
    `${OVERRIDES}: offers shared services, but the tenants file names no shared catalogue folder ("sharedCatalogue")`,
  ]);
});

test('a workflow state that cannot be reached, or cannot reach a final state, is refused', () => {
  const problems = problemsOf({
    'forskola.yaml': definition((d) => {
      // An offer's answer moves any open state to a final one (ADR 0046): without offers (and the states
      // only they lead to), a trap is a trap.
      const offers = d.queue.offers;
      delete d.queue.offers;
      d.workflow.states = d.workflow.states.filter((s: { id: string }) => s.id !== offers.acceptedState && s.id !== offers.leftState);
      d.workflow.states.push({ id: 'orphan', label: { sv: 'Föräldralös', en: 'Orphan' } });
      d.workflow.states.push({ id: 'trap', label: { sv: 'Fälla', en: 'Trap' } });
      d.workflow.transitions.push({ from: [d.workflow.initial], to: 'trap', action: 'start' });
    }),
  }).map(formatProblem);
  const n = YAML.parse(shippedText).workflow.states.length - 2;
  assert.ok(problems.some((p) => p.startsWith(`${FILE}: /workflow/states/${n}/id: state "orphan" cannot be reached from the initial state`)), problems.join('\n'));
  assert.ok(problems.some((p) => p.startsWith(`${FILE}: /workflow/states/${n + 1}/id: no final state can be reached from state "trap"`)), problems.join('\n'));
  assert.equal(problems.length, 2, problems.join('\n'));
});

// --- Link services (issue 9): an external system delivers them; the municipality sets the address. ---
const linkText = readFileSync(path.join(repoRoot, 'catalogue/shared/bibliotek-lan.yaml'), 'utf8');

function linkProblems(overrides: unknown, sharedLink = linkText): string[] {
  const { dir, tenantsFile } = installation({ 'services.yaml': YAML.stringify(overrides) }, { 'forskola.yaml': shippedText, 'bibliotek-lan.yaml': sharedLink });
  return readCatalogue(loadTenants(tenantsFile), { baseDir: dir }).problems.map(formatProblem);
}

test('a link service is listed with the address the municipality sets, and is no case service', () => {
  const overrides = { services: { forskola: null, 'bibliotek-lan': { department: 'education', link: { url: 'https://bibliotek.testby.example/' } } } };
  const { dir, tenantsFile } = installation({ 'services.yaml': YAML.stringify(overrides) }, { 'forskola.yaml': shippedText, 'bibliotek-lan.yaml': linkText });
  const catalogue = loadCatalogue(loadTenants(tenantsFile), { baseDir: dir });
  const link = catalogue.linkService('testby', 'bibliotek-lan')!;
  assert.equal(link.link.url, 'https://bibliotek.testby.example/');
  assert.equal(link.link.provider.sv, YAML.parse(linkText).link.provider.sv, 'the shared provider is kept under the override');
  assert.deepEqual(link.engines, ['link']);
  assert.equal(link.source, `catalogue/shared/bibliotek-lan.yaml with ${OVERRIDES}/services/bibliotek-lan`);
  assert.equal(catalogue.service('testby', 'bibliotek-lan'), undefined, 'no form, no cases: not among the case services');
  assert.deepEqual(catalogue.services('testby').map((s) => s.id), ['forskola']);
  assert.deepEqual(catalogue.listed('testby').map((s) => s.id), ['forskola', 'bibliotek-lan'].sort((a, b) => new Intl.Collator('sv').compare(catalogue.listed('testby').find((s) => s.id === a)!.title.sv, catalogue.listed('testby').find((s) => s.id === b)!.title.sv)));
  assert.throws(() => {
    (link.link as { url: string }).url = 'https://evil.example/';
  }, TypeError);
});

test('catalogue check: a link service without an address, with another engine, with a form or a plain-http address', () => {
  assert.deepEqual(linkProblems({ services: { 'bibliotek-lan': { department: 'education' } } }), [
    `${OVERRIDES}: /services/bibliotek-lan: a link service needs the address of the system that delivers it: set link.url (https://…) where testby offers it (line 3)`,
  ]);
  assert.deepEqual(linkProblems({ services: { 'bibliotek-lan': null } }), [
    `${OVERRIDES}: /services/bibliotek-lan: a link service needs the address of the system that delivers it: set link.url (https://…) where testby offers it (line 2)`,
  ]);
  const withForm = YAML.stringify({ ...YAML.parse(linkText), engines: ['apply', 'link'], form: { steps: [] } });
  const problems = linkProblems({ services: { 'bibliotek-lan': { department: 'education', link: { url: 'http://bibliotek.testby.example/' } } } }, withForm);
  assert.ok(problems.some((p) => p.includes('/engines: a link service has the engine link and no other')), problems.join('\n'));
  assert.ok(problems.some((p) => /\/form: .*not an allowed property/.test(p) || /\/: .*form/.test(p)), problems.join('\n'));
  assert.ok(problems.some((p) => p.includes('/link/url: must be an https address')), problems.join('\n'));
  // A link service may not take a case service's id.
  const clash = YAML.stringify({ ...YAML.parse(linkText), id: 'forskola', department: 'education', link: { url: 'https://x.example/', provider: { sv: 'a', en: 'b' } } });
  const { dir, tenantsFile } = installation({ 'services.yaml': YAML.stringify({ services: { forskola: null } }), 'egen.yaml': clash }, { 'forskola.yaml': shippedText });
  const clashes = readCatalogue(loadTenants(tenantsFile), { baseDir: dir }).problems.map(formatProblem);
  assert.ok(clashes.some((p) => p.includes('service id "forskola" is already defined')), clashes.join('\n'));
});

test("a register entry's name is one for both languages or one in each; code reads the Swedish, pages the person's", () => {
  const { dir, tenantsFile } = installation({
    'registers/courses.yaml': YAML.stringify({
      id: 'courses',
      title: { sv: 'Kurser', en: 'Courses' },
      entries: [
        { id: 'simskola', name: { sv: 'Simskola – måndagar', en: 'Swimming school – Mondays' } },
        { id: 'piano', name: 'Piano' },
      ],
    }),
  });
  const catalogue = loadCatalogue(loadTenants(tenantsFile), { baseDir: dir });
  const [simskola, piano] = catalogue.register('testby', 'courses') ?? [];
  assert.equal(simskola?.name, 'Simskola – måndagar');
  assert.deepEqual(simskola?.names, { sv: 'Simskola – måndagar', en: 'Swimming school – Mondays' });
  assert.equal(entryName(simskola!, 'en'), 'Swimming school – Mondays');
  assert.equal(entryName(simskola!, 'sv'), 'Simskola – måndagar');
  assert.equal(entryName(piano!, 'en'), 'Piano');
  assert.equal(piano?.names, undefined);
  // Both languages or none: a name in one only, or blank, is refused where it is written.
  for (const name of [{ sv: 'Bara svenska' }, { sv: 'Kurs', en: ' ' }, '']) {
    const bad = installation({ 'registers/courses.yaml': YAML.stringify({ id: 'courses', title: { sv: 'Kurser', en: 'Courses' }, entries: [{ id: 'x', name }] }) });
    const problems = readCatalogue(loadTenants(bad.tenantsFile), { baseDir: bad.dir }).problems;
    assert.ok(problems.some((p) => p.file.endsWith('registers/courses.yaml') && /entries\/0\/name/.test(p.path ?? '')), JSON.stringify(problems));
  }
});
