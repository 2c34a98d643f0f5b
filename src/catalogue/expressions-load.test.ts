/** Expressions in definitions at load (ADR 0009): refused with file and JSON path, legacy normalised. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { repoRoot } from '../../test/helpers/app.ts';
import { EXTRA_STEP, COMPUTED } from '../../test/helpers/expression-catalogue.ts';
import { loadTenants } from '../kernel/tenants.ts';
import { formatProblem, loadCatalogue, readCatalogue } from './index.ts';

const shipped = readFileSync(path.join(repoRoot, 'catalogue/shared/forskola.yaml'), 'utf8');
const temps: string[] = [];
after(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests reshape the parsed YAML freely
function install(mutate: (d: any) => void) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'medborg-expr-load-'));
  temps.push(dir);
  const tenants = YAML.parse(readFileSync(path.join(repoRoot, 'tenants.yaml'), 'utf8'));
  tenants.tenants = tenants.tenants.filter((t: { id: string }) => t.id === 'norrby');
  tenants.tenants[0].catalogue = 'catalogue/norrby';
  delete tenants.tenants[0].logo;
  // Norrby's folder holds the service whole: no shared catalogue here.
  delete tenants.sharedCatalogue;
  writeFileSync(path.join(dir, 'tenants.yaml'), YAML.stringify(tenants));
  mkdirSync(path.join(dir, 'catalogue/norrby'), { recursive: true });
  cpSync(path.join(repoRoot, 'catalogue/norrby/registers'), path.join(dir, 'catalogue/norrby/registers'), { recursive: true });
  const def = YAML.parse(shipped);
  def.form.steps.splice(5, 0, structuredClone(EXTRA_STEP));
  def.computed = structuredClone(COMPUTED);
  mutate(def);
  writeFileSync(path.join(dir, 'catalogue/norrby/forskola.yaml'), YAML.stringify(def));
  return { dir, tenants: loadTenants(path.join(dir, 'tenants.yaml')) };
}

function problems(mutate: Parameters<typeof install>[0]): string[] {
  const { dir, tenants } = install(mutate);
  return readCatalogue(tenants, { baseDir: dir }).problems.map(formatProblem);
}

const extra = 5;
const at = (f: number) => `/form/steps/${extra}/fields/${f}`;

test('a definition using every expression option loads, with legacy conditions in JSON Logic', () => {
  const { dir, tenants } = install(() => {});
  const def = loadCatalogue(tenants, { baseDir: dir }).service('norrby', 'forskola')!;
  const fields = def.form.steps.flatMap((s) => s.fields);
  assert.deepEqual(fields.find((f) => f.id === 'specialNeedsDescription')!.when, { has: [{ var: 'specialNeeds' }, 'yes'] });
  assert.deepEqual(fields.find((f) => f.id === 'earlyReason')!.when, { before: [{ var: 'startDate' }, { addMonths: [{ today: [] }, 4] }] });
  assert.deepEqual(fields.find((f) => f.id === 'nightPlace')!.when, { in: ['night', { var: 'careTimes' }] });
  assert.equal(def.computed?.length, 3);
});

const cases: { name: string; mutate: Parameters<typeof install>[0]; expect: RegExp }[] = [
  {
    name: 'an unknown operation',
    mutate: (d) => (d.form.steps[extra].fields[2].when = { and: [{ answered: { var: 'careTimes' } }, { sqrt: [4] }] }),
    expect: new RegExp(`forskola\\.yaml: ${at(2)}/when/and/1/sqrt: unknown operation "sqrt"`),
  },
  {
    name: 'a variable naming no field',
    mutate: (d) => (d.form.steps[extra].fields[2].when = { in: ['night', { var: 'careTime' }] }),
    expect: new RegExp(`${at(2)}/when: reads "careTime", which names no field of this service`),
  },
  {
    name: 'a condition reading a later field',
    mutate: (d) => (d.form.steps[extra].fields[0].when = { answered: { var: 'endDate' } }),
    expect: new RegExp(`${at(0)}/when: reads "endDate": "endDate" comes after this field`),
  },
  {
    name: 'a wrong number of arguments in a rule',
    mutate: (d) => (d.form.steps[extra].rules[0].expression = { after: [{ var: 'endDate' }] }),
    expect: new RegExp(`/form/steps/${extra}/rules/0/expression/after: "after" takes 2 arguments, not 1`),
  },
  {
    name: 'a rule shown at a field of another step',
    mutate: (d) => (d.form.steps[extra].rules[0].field = 'startDate'),
    expect: new RegExp(`/form/steps/${extra}/rules/0/field: must name a field of this step`),
  },
  {
    name: 'a rule reading a field of a later step',
    mutate: (d) => (d.form.steps[extra].rules[0].expression = { answered: { var: 'email' } }),
    expect: new RegExp(`/form/steps/${extra}/rules/0/expression: reads "email": "email" is not asked until a later step`),
  },
  {
    name: 'a computed value not declared',
    mutate: (d) => (d.form.steps[extra].fields[2].when = { '>': [{ var: '$computed.fee' }, 0] }),
    expect: new RegExp(`${at(2)}/when: reads "\\$computed.fee", but no computed value of that id is declared`),
  },
  {
    name: 'a computed value read before the answers it depends on',
    mutate: (d) => (d.form.steps[1].when = { '>': [{ var: '$computed.hoursGuess' }, 0] }),
    expect: /\/form\/steps\/1\/when: reads "\$computed.hoursGuess", which depends on "careHours"/,
  },
  {
    name: 'a default with an unknown operation',
    mutate: (d) => (d.form.steps[extra].fields[3].default = { now: [] }),
    expect: new RegExp(`${at(3)}/default/now: unknown operation "now"`),
  },
  {
    name: 'a computed value reading itself or a later one',
    mutate: (d) => (d.computed[0].expression = { var: '$computed.timesCount' }),
    expect: /\/computed\/0\/expression: reads "\$computed.timesCount", but no computed value of that id is declared before it/,
  },
  {
    name: 'a computed id twice',
    mutate: (d) => (d.computed[1].id = 'hoursGuess'),
    expect: /\/computed\/1\/id: computed value "hoursGuess" is already declared/,
  },
  {
    name: 'a legacy condition keeps its precise checks',
    mutate: (d) => (d.form.steps[extra].fields[1].when = { field: 'careTimes', in: ['evening', 'dusk'] }),
    expect: new RegExp(`${at(1)}/when/in/1: "careTimes" can never be "dusk"`),
  },
];

for (const c of cases) {
  test(`refused at load: ${c.name}`, () => {
    const found = problems(c.mutate);
    assert.ok(found.some((p) => c.expect.test(p)), `expected ${c.expect} among:\n${found.join('\n')}`);
  });
}
