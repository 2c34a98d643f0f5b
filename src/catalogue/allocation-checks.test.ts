/**
 * A definition's `allocation:` section at load (ADR 0044): the shipped school choice loads with it,
 * and every mistake is refused naming the file and the JSON path — a choices question that is not a
 * ranked choice, a register entry without a capacity, merit that is not a bounded number, states
 * that do not exist or are final, a `$choice` fact that does not exist, `$choice` outside a priority.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { repoRoot } from '../../test/helpers/app.ts';
import { loadTenants } from '../kernel/tenants.ts';
import { formatProblem, loadCatalogue, readCatalogue } from './index.ts';

const temps: string[] = [];
after(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests reshape the parsed YAML freely
function install(file: string, mutate: (d: any) => void, registers: (dir: string) => void = () => undefined) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'medborg-alloc-load-'));
  temps.push(dir);
  const tenants = YAML.parse(readFileSync(path.join(repoRoot, 'tenants.yaml'), 'utf8'));
  tenants.tenants = tenants.tenants.filter((t: { id: string }) => t.id === 'norrby');
  tenants.tenants[0].catalogue = 'catalogue/norrby';
  delete tenants.tenants[0].logo;
  delete tenants.sharedCatalogue;
  writeFileSync(path.join(dir, 'tenants.yaml'), YAML.stringify(tenants));
  mkdirSync(path.join(dir, 'catalogue/norrby'), { recursive: true });
  cpSync(path.join(repoRoot, 'catalogue/norrby/registers'), path.join(dir, 'catalogue/norrby/registers'), { recursive: true });
  registers(path.join(dir, 'catalogue/norrby/registers'));
  const def = YAML.parse(readFileSync(path.join(repoRoot, `catalogue/shared/${file}.yaml`), 'utf8'));
  mutate(def);
  writeFileSync(path.join(dir, `catalogue/norrby/${file}.yaml`), YAML.stringify(def));
  return { dir, tenants: loadTenants(path.join(dir, 'tenants.yaml')) };
}

const problems = (file: string, mutate: Parameters<typeof install>[1], registers?: Parameters<typeof install>[2]) => {
  const { dir, tenants } = install(file, mutate, registers);
  return readCatalogue(tenants, { baseDir: dir }).problems.map(formatProblem);
};

test('the shipped school choice and upper-secondary admission load with their allocation sections', () => {
  for (const file of ['skolval', 'gymnasieval', 'sommarjobb', 'lagerverksamhet']) {
    const { dir, tenants } = install(file, () => undefined);
    const def = loadCatalogue(tenants, { baseDir: dir }).service('norrby', file)!;
    assert.ok(def.allocation, file);
    assert.ok(def.engines.includes('allocate'), file);
  }
});

const cases: { name: string; file?: string; mutate: Parameters<typeof install>[1]; registers?: Parameters<typeof install>[2]; expect: RegExp }[] = [
  { name: 'choices that are not a ranked choice', mutate: (d) => (d.allocation.choices = 'sibling'), expect: /skolval\.yaml: \/allocation\/choices: "sibling" is a yesNo question, not a rankedChoice/ },
  { name: 'choices that name no question', mutate: (d) => (d.allocation.choices = 'nothing'), expect: /\/allocation\/choices: "nothing" is not a question of the form/ },
  {
    name: 'a register entry without a capacity',
    mutate: () => undefined,
    registers: (dir) => {
      const f = path.join(dir, 'schools.yaml');
      writeFileSync(f, readFileSync(f, 'utf8').replace('capacity: 8, ', ''));
    },
    expect: /\/allocation\/choices: the register "schools" has entries without a capacity, which a round cannot fill: nby-centrumskolan/,
  },
  { name: 'a state that does not exist', mutate: (d) => (d.allocation.placedState = 'nowhere'), expect: /\/allocation\/placedState: "nowhere" is not a state of the workflow/ },
  { name: 'a final state to take from', mutate: (d) => (d.allocation.from = ['decided']), expect: /\/allocation\/from\/0: "decided" is a final state/ },
  { name: 'a result state the round takes from', mutate: (d) => (d.allocation.notPlacedState = 'submitted'), expect: /\/allocation\/notPlacedState: "submitted" is a state the round takes applications from/ },
  { name: 'an unknown fact of the chosen entry', mutate: (d) => (d.allocation.priorities[0].when = { '==': [{ var: '$choice.colour' }, 'red'] }), expect: /\/allocation\/priorities\/0\/when: reads "\$choice\.colour", but the chosen entry's facts are \$choice\.id/ },
  { name: 'an answer that does not exist', mutate: (d) => (d.allocation.priorities[0].when = { '==': [{ var: 'brother' }, 'yes'] }), expect: /\/allocation\/priorities\/0\/when: reads "brother", which names no field/ },
  { name: '$choice outside a priority', mutate: (d) => (d.form.steps[2].fields[0].when = { '==': [{ var: '$choice.id' }, 'x'] }), expect: /reads "\$choice\.id", but only an allocation's priorities and a queue's groups have a chosen entry/ },
  { name: 'a priority id given twice', mutate: (d) => d.allocation.priorities.push(structuredClone(d.allocation.priorities[0])), expect: /\/allocation\/priorities\/1\/id: "sibling" is given twice/ },
  { name: 'without the engine', mutate: (d) => (d.engines = ['apply']), expect: /\/engines: a service with an allocation section has the engine allocate/ },
  { name: 'merit that is not a number', file: 'gymnasieval', mutate: (d) => (d.allocation.merit.field = 'currentSchool'), expect: /gymnasieval\.yaml: \/allocation\/merit\/field: "currentSchool" is a text question, not a number/ },
  { name: 'merit beyond what the engine ranks', file: 'gymnasieval', mutate: (d) => (d.form.steps[0].fields.find((f: { id: string }) => f.id === 'meritValue').max = 500), expect: /"meritValue" must say min and max within 0–409\.5/ },
  { name: 'a missing what-next text', mutate: (d) => delete d.allocation.whatNext, expect: /\/allocation: must have required property 'whatNext'/ },
];

for (const c of cases) {
  test(`refused: ${c.name}`, () => {
    const found = problems(c.file ?? 'skolval', c.mutate, c.registers);
    assert.ok(found.some((p) => c.expect.test(p)), found.join('\n'));
  });
}
