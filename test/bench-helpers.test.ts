/**
 * Smoke test of the benchmarks' own helpers (bench/lib): the benchmarks are not tests, but what
 * they pick, send and parse is checked here, so a figure does not rest on a broken parser.
 */
import { hasForm } from '../src/catalogue/engines.ts';
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { loadCatalogue } from '../src/catalogue/index.ts';
import { loadTenants } from '../src/kernel/tenants.ts';
import { compileService, conditionalOnStep, isShown, validateSteps } from '../src/forms/index.tsx';
import { compact, readStepAnswers } from '../src/forms/answers.ts';
import { stockholmToday } from '../src/forms/dates.ts';
import { benchCannotAnswer, chooseStep, combine, countFields, encodeForm, parseWrk, testPersonalNumber, validAnswer, wrkRequestFile } from '../bench/lib/forms-plan.ts';
import { submitLine, summarise } from '../bench/lib/compare.mjs';
import { repoRoot } from './helpers/app.ts';

const tenants = loadTenants(path.join(repoRoot, 'tenants.yaml'));
const catalogue = loadCatalogue(tenants);
const ids = tenants.all.map((t) => t.id);

test('bench:forms picks the enabled step with the most fields, or the one named', () => {
  const choice = chooseStep(catalogue, ids, {});
  for (const t of ids) {
    for (const s of catalogue.services(t).filter(hasForm)) {
      for (const step of s.form.steps) if (!benchCannotAnswer(step)) assert.ok(countFields(step.fields) <= choice.fields, `${s.id}/${step.id} has more fields`);
    }
  }
  assert.ok(!benchCannotAnswer(choice.step), 'a step the bench cannot answer is not picked');
  const named = chooseStep(catalogue, ids, { tenant: 'norrby', service: 'forskola', step: 'contact' });
  assert.equal(named.step.id, 'contact');
  assert.throws(() => chooseStep(catalogue, ids, { service: 'no-such-service' }), /no step to measure/);
});

test('the answer bench:forms posts is valid for every step of the enabled services', () => {
  const today = stockholmToday(new Date());
  for (const t of ids) {
    for (const def of catalogue.services(t).filter(hasForm)) {
      const c = compileService(def, (id) => catalogue.register(t, id));
      for (const step of def.form.steps) {
        if (step.fields.some((f) => f.kind === 'child')) continue; // needs the applicant's register children
        if (benchCannotAnswer(step)) continue; // files, earlier cases or a step's rules: bench:forms never picks it (chooseStep)
        const form = validAnswer(def, step, { today, children: [], register: (id) => catalogue.register(t, id) });
        const params = new URLSearchParams(encodeForm(form));
        const body = Object.fromEntries(params.entries());
        // Read as the route reads a step: its questions not conditional on it, and those posted as asked.
        const asked = new Set(params.getAll('_asked'));
        const conditional = new Set(conditionalOnStep(step, def));
        const offered = step.fields.filter((f) => !conditional.has(f) || asked.has(f.id));
        const answers = compact(readStepAnswers({ ...step, fields: offered }, body), c.fields);
        assert.deepEqual(validateSteps(c, [step], answers, { today, children: [] }), [], `${t}/${def.id}/${step.id}`);
        // Every question that applies was asked: the answer leads on, not to the step's follow-up page.
        const pending = step.fields.filter((f) => isShown(f, step, answers, today, def) && !offered.includes(f));
        assert.deepEqual(pending.map((f) => f.id), [], `${t}/${def.id}/${step.id} leaves questions for its follow-up page`);
      }
    }
  }
});

test('test personal numbers are distinct, from the reserved 980-999 series, with a Luhn check digit', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 500; i++) {
    const pin = testPersonalNumber(i);
    assert.match(pin, /^19\d{6}9[89]\d\d$/);
    const digits = pin.slice(2).split('').map(Number);
    const sum = digits.reduce((s, d, k) => s + (k % 2 === 0 ? (d * 2 > 9 ? d * 2 - 9 : d * 2) : d), 0);
    assert.equal(sum % 10, 0, pin);
    seen.add(pin);
  }
  assert.equal(seen.size, 500);
});

test("wrk's request file and result line", () => {
  const file = wrkRequestFile([
    { method: 'GET', path: '/a', headers: { host: 'h', cookie: 'c=1' } },
    { method: 'POST', path: '/b', headers: { host: 'h' }, body: 'x=1&_csrf=t' },
  ]);
  assert.equal(file, 'GET\t/a\t\thost=h\tcookie=c=1\nPOST\t/b\tx=1&_csrf=t\thost=h\n');
  assert.throws(() => wrkRequestFile([{ method: 'GET', path: '/a\tb', headers: {} }]), /tab or a line break/);
  const out = 'Running 5s test @ http://127.0.0.1:1\nWRKJSON {"requests":5000,"duration_us":5000000,"connect":0,"read":0,"write":0,"status":2,"timeout":1,"p50_us":1500,"p99_us":9000,"max_us":20000}\n';
  const r = parseWrk(out);
  assert.deepEqual(r, { requests: 5000, seconds: 5, perSecond: 1000, p50Ms: 1.5, p99Ms: 9, maxMs: 20, errors: 3 });
  assert.throws(() => parseWrk('no line'), /no WRKJSON/);
  const both = combine([r, { ...r, requests: 15000, perSecond: 3000, p50Ms: 0.5, p99Ms: 4, errors: 0 }]);
  assert.equal(both.perSecond, 4000);
  assert.equal(both.p50Ms, 0.75);
  assert.equal(both.p99Ms, 9);
  assert.equal(both.errors, 3);
});

test('compare-submit reads bench:submit lines and compares mean ratios', () => {
  assert.deepEqual(submitLine('progress\n{"benchmark":"submit","ratio_vs_bare":0.02}\n{not json\n'), { benchmark: 'submit', ratio_vs_bare: 0.02 });
  assert.equal(submitLine('{"benchmark":"other"}'), undefined);
  const run = (code: string, ratio: number) => ({ code, ratio_vs_bare: ratio, submissions_per_s: 500, p99_ms: 50 });
  const s = summarise([run('old', 0.02), run('new', 0.018), run('old', 0.02), run('new', 0.0182)]);
  assert.equal(s.new_over_old, 0.905);
  assert.equal(s.within_10_percent, true);
  assert.equal(summarise([run('old', 0.02), run('new', 0.0179)]).within_10_percent, false);
});
