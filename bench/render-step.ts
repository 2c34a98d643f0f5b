/**
 * `node --import tsx bench/render-step.ts [--ms 3000] [--rounds 6]` — the step page's render alone, in
 * process: the serving licence's premises step (or the largest step of the demo catalogue) with a
 * valid answer to every field, rendered to a document as the route does, with its fields from their
 * compiled templates (forms/template.ts) and rendered in full, the two alternated in one process.
 * Prints one JSON line: microseconds per page of each, per round, and their medians.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadTenants } from '../src/kernel/tenants.ts';
import { loadCatalogue } from '../src/catalogue/index.ts';
import { translator } from '../src/kernel/i18n/index.ts';
import { renderDocument } from '../src/kernel/html/render.ts';
import { StepPage } from '../src/forms/views.tsx';
import { readStepAnswers } from '../src/forms/answers.ts';
import { setCompiledFields } from '../src/forms/template.ts';
import { chooseStep, validAnswer } from './lib/forms-plan.ts';

const { values } = parseArgs({ options: { ms: { type: 'string', default: '3000' }, rounds: { type: 'string', default: '6' } } });
const root = path.resolve(import.meta.dirname, '..');
const tenants = loadTenants(path.join(root, 'tenants.yaml'));
const catalogue = loadCatalogue(tenants);
const plan = chooseStep(catalogue, tenants.all.map((t) => t.id), {});
const tenant = tenants.all.find((t) => t.id === plan.tenant)!;
const definition = plan.service;
const step = plan.step;
const today = new Date().toISOString().slice(0, 10);
const exampleContext = { today, children: [], register: (id: string) => catalogue.register(tenant.id, id) };
const posted = validAnswer(definition, step, exampleContext);
const answers = readStepAnswers(step, posted);
const ctx = {
  tenant,
  locale: 'sv' as const,
  t: translator('sv'),
  path: `/apply/0190d5a0-0000-7000-8000-000000000000/${step.id}`,
  csrfToken: 'x'.repeat(32),
  user: { kind: 'resident' as const, name: 'Anna Andersson' },
  demo: false,
  assets: { css: '/assets/app.css', js: '/assets/enhance.js', theme: '/assets/theme.css', icon: '/assets/icon.svg' },
  sessionSecondsLeft: 1800,
};
const page = () =>
  renderDocument(
    StepPage({
      ctx,
      definition,
      draftId: '0190d5a0-0000-7000-8000-000000000000',
      step,
      stepNumber: 2,
      stepCount: 5,
      fields: step.fields.map((f) => ({ field: f, conditionalOnPage: !!f.when })),
      answers,
      errors: [],
      backHref: '/apply/x/applicant',
      returnToCheck: false,
      register: exampleContext.register,
      children: [],
      today,
      draftRetentionDays: 30,
    }),
  );

function measure(compiled: boolean): number {
  setCompiledFields(compiled);
  const until = performance.now() + Number(values.ms);
  let n = 0;
  const start = performance.now();
  while (performance.now() < until) {
    for (let i = 0; i < 50; i++) page();
    n += 50;
  }
  return ((performance.now() - start) * 1000) / n;
}

setCompiledFields(true);
const a = page();
setCompiledFields(false);
if (page() !== a) throw new Error('the compiled page differs from the full render');
const rounds: { compiled: number; full: number }[] = [];
for (let r = 0; r < Number(values.rounds); r++) rounds.push({ full: measure(false), compiled: measure(true) });
const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
console.log(
  JSON.stringify({
    benchmark: 'render-step',
    step: `${plan.tenant}/${definition.id}/${step.id}`,
    page_bytes: Buffer.byteLength(a),
    us_per_page_full: median(rounds.map((x) => x.full)),
    us_per_page_compiled: median(rounds.map((x) => x.compiled)),
    rounds: rounds.map((x) => ({ full: Math.round(x.full * 10) / 10, compiled: Math.round(x.compiled * 10) / 10 })),
  }),
);
