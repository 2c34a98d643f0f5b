/**
 * A tenants file whose Norrby catalogue holds the shipped pre-school service with an extra step
 * that uses the expression language: a question shown by a multiple-choice answer (the legacy
 * syntax and JSON Logic), a date with a default and a cross-field rule, and computed values.
 * Tests set MEDBORG_TENANTS to it; Södera keeps the shipped catalogue.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { repoRoot } from './app.ts';

export const EXTRA_STEP = {
  id: 'extra',
  title: { sv: 'Tider', en: 'Times' },
  fields: [
    {
      id: 'careTimes',
      kind: 'multiChoice',
      required: false,
      label: { sv: 'När behövs omsorg?', en: 'When is care needed?' },
      choices: [
        { value: 'day', label: { sv: 'Dag', en: 'Day' } },
        { value: 'evening', label: { sv: 'Kväll', en: 'Evening' } },
        { value: 'night', label: { sv: 'Natt', en: 'Night' } },
      ],
    },
    // The legacy syntax: once shown by the browser and never required by the server.
    { id: 'eveningReason', kind: 'longText', when: { field: 'careTimes', in: ['evening', 'night'] }, label: { sv: 'Varför kväll eller natt?', en: 'Why evening or night?' } },
    // JSON Logic's own membership test on the list.
    { id: 'nightPlace', kind: 'text', when: { in: ['night', { var: 'careTimes' }] }, label: { sv: 'Var sover barnet?', en: 'Where does the child sleep?' } },
    {
      id: 'endDate',
      kind: 'date',
      required: false,
      default: { addYears: [{ var: 'startDate' }, 1] },
      label: { sv: 'Slutdatum', en: 'End date' },
    },
  ],
  rules: [
    {
      id: 'end-after-start',
      field: 'endDate',
      expression: { after: [{ var: 'endDate' }, { var: 'startDate' }] },
      message: { sv: 'Slutdatumet måste vara efter startdatumet', en: 'The end date must be after the start date' },
    },
  ],
};

export const COMPUTED = [
  { id: 'hoursGuess', expression: { if: [{ has: [{ var: 'careHours' }, 'over30'] }, 40, 20] }, label: { sv: 'Ungefärliga timmar per vecka', en: 'Approximate hours a week' } },
  { id: 'timesCount', expression: { count: { var: 'careTimes' } } },
  { id: 'reasonGiven', expression: { answered: { var: 'eveningReason' } } },
];

/** Writes the installation and returns the tenants file's path. */
export function expressionTenantsFile(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'medborg-expr-'));
  const catalogue = path.join(dir, 'norrby');
  mkdirSync(catalogue);
  cpSync(path.join(repoRoot, 'catalogue/norrby/registers'), path.join(catalogue, 'registers'), { recursive: true });
  const def = YAML.parse(readFileSync(path.join(repoRoot, 'catalogue/shared/forskola.yaml'), 'utf8'));
  const contact = def.form.steps.findIndex((s: { id: string }) => s.id === 'contact');
  def.form.steps.splice(contact, 0, EXTRA_STEP);
  def.computed = COMPUTED;
  writeFileSync(path.join(catalogue, 'forskola.yaml'), YAML.stringify(def));
  const tenants = YAML.parse(readFileSync(path.join(repoRoot, 'tenants.yaml'), 'utf8'));
  // Söderå keeps the shipped catalogue, which offers the shared definitions.
  tenants.sharedCatalogue = path.join(repoRoot, tenants.sharedCatalogue);
  for (const t of tenants.tenants) {
    t.catalogue = t.id === 'norrby' ? catalogue : path.join(repoRoot, t.catalogue);
    if (t.logo) t.logo = path.join(repoRoot, t.logo);
  }
  const file = path.join(dir, 'tenants.yaml');
  writeFileSync(file, YAML.stringify(tenants));
  return file;
}
