/**
 * `catalogue check` on the parts of ADR 0020: routing rules name departments of the municipality
 * and teams the service declares, their expressions read fields of the service; a case-reference
 * field names services the municipality offers and states they have. Each problem names the file.
 * And the routing itself: first rule that holds, else the service's department.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { readCatalogue, formatProblem } from './loader.ts';
import { loadTenants } from '../kernel/tenants.ts';
import { repoRoot } from '../../test/helpers/app.ts';
import { routeOf } from '../cases/index.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'medborg-routing-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('routing and case references are checked against the municipality and the services', () => {
  for (const p of ['catalogue', 'branding']) cpSync(path.join(repoRoot, p), path.join(dir, p), { recursive: true });
  writeFileSync(path.join(dir, 'tenants.yaml'), readFileSync(path.join(repoRoot, 'tenants.yaml')));
  const file = path.join(dir, 'catalogue/norrby/services.yaml');
  const overrides = YAML.parse(readFileSync(file, 'utf8'));
  overrides.services.felanmalan = {
    routing: [
      { id: 'lighting', department: 'harbour' },
      { id: 'parks', team: 'gardeners' },
      { id: 'extra', when: { '==': [{ var: 'colour' }, 'red'] }, department: 'education' },
    ],
  };
  overrides.services['andrad-omsorgstid'] = { form: { steps: [{ id: 'placement', fields: [{ id: 'placement', services: ['forskola', 'bibliotek'], states: ['decided', 'archived'] }] }] } };
  writeFileSync(file, YAML.stringify(overrides));
  const { problems } = readCatalogue(loadTenants(path.join(dir, 'tenants.yaml')), { baseDir: dir });
  const lines = problems.map(formatProblem).join('\n');
  assert.match(lines, /routing\/0\/department: "harbour" is not a department of norrby \(departments: education, city-services, technical(, [a-z-]+)*\)/);
  assert.match(lines, /routing\/1\/team: names no role of this service: "gardeners"/);
  assert.match(lines, /routing\/2\/when: reads "colour", which names no field of this service/);
  assert.match(lines, /fields\/0\/services\/1: names no service norrby offers: "bibliotek"/);
  assert.match(lines, /fields\/0\/states\/1: names no state of forskola, bibliotek: "archived"/);
  assert.doesNotMatch(lines, /sodera/, 'Söderå is not affected');
});

test('the first rule that holds routes the case; none: the service’s own department, no team', () => {
  const def = {
    department: 'city-services',
    routing: [
      { id: 'urgent-light', when: { and: [{ '==': [{ var: 'category' }, 'lighting'] }, { '==': [{ var: 'urgent' }, 'yes'] }] }, department: 'technical', team: 'on_call' },
      { id: 'light', when: { '==': [{ var: 'category' }, 'lighting'] }, department: 'technical' },
      { id: 'big', when: { '>': [{ var: '$computed.cost' }, 1000] }, team: 'budget' },
    ],
  };
  const now = new Date('2026-11-23T10:00:00Z');
  assert.deepEqual(routeOf(def, { category: 'lighting', urgent: 'yes' }, now), { department: 'technical', team: 'on_call', rule: 'urgent-light' });
  assert.deepEqual(routeOf(def, { category: 'lighting', urgent: 'no' }, now), { department: 'technical', team: null, rule: 'light' });
  assert.deepEqual(routeOf(def, { category: 'pothole', $computed: { cost: 5000 } } as never, now), { department: 'city-services', team: 'budget', rule: 'big' });
  assert.deepEqual(routeOf(def, { category: 'pothole' }, now), { department: 'city-services', team: null, rule: null });
  assert.deepEqual(routeOf({ department: 'education' }, {}, now), { department: 'education', team: null, rule: null });
});
