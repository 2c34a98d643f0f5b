/**
 * Every field kind, table-driven from the definitions that use them (the pre-school service and
 * the test-only service with every new kind): its own valid example passes, its invalid example
 * gives its error key, hostile input (script tags, SQL, over-long text, arrays where one value
 * belongs, objects) never throws and is refused or kept as plain text, and it renders and reads
 * back. Then the parts with their own rules: numbers, money in öre, times, identity numbers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderToString } from 'preact-render-to-string';
import type { Field, Step } from '../../catalogue/types.ts';
import { catalogueWithFieldKinds, FIELD_KINDS_SERVICE } from '../../../test/helpers/field-kinds.ts';
import { translator } from '../../kernel/i18n/index.ts';
import { compact, isStorable, readStepAnswers } from '../answers.ts';
import { compileService, validateSteps } from '../validator.ts';
import { fieldErrorMessage } from '../field-errors.ts';
import '../messages.ts';
import { allKinds, displayAnswer, inputId, kindOf, parseIdentityNumber, parseNumber, parseOrganisationNumber, parseOre, parseTime, renderField, type PostedForm } from './index.ts';
import { FIELD_KINDS } from '../../catalogue/schema.ts';
import { weeklyHours } from '../../expressions/index.ts';

const catalogue = catalogueWithFieldKinds();
const register = (id: string) => catalogue.register('norrby', id);
// The two services that ask a location and an earlier case (catalogue/shared).
const services = [catalogue.service('norrby', 'forskola')!, catalogue.service('norrby', FIELD_KINDS_SERVICE)!, catalogue.service('norrby', 'felanmalan')!, catalogue.service('norrby', 'andrad-omsorgstid')!, catalogue.service('norrby', 'varmepump')!];
const today = '2026-11-23';
const children = [
  { personalNumber: '202205109826', name: 'Elsa Andersson', birthDate: '2022-05-10' },
  { personalNumber: '202401229816', name: 'Olle Andersson', birthDate: '2024-01-22' },
];
// An earlier decided pre-school placement, for the case-reference field (andrad-omsorgstid).
const earlierCases = [
  { id: '0190a0a0-0000-7000-8000-000000000001', reference: 'FSK-2026-000001', serviceId: 'forskola', serviceTitle: { sv: 'Förskola', en: 'Pre-school' }, status: 'decided', statusLabel: { sv: 'Beslut fattat', en: 'Decided' }, createdAt: '2026-03-01T10:00:00.000Z' },
  { id: '0190a0a0-0000-7000-8000-000000000002', reference: 'FSK-2026-000002', serviceId: 'forskola', serviceTitle: { sv: 'Förskola', en: 'Pre-school' }, status: 'submitted', statusLabel: { sv: 'Inkommen', en: 'Received' }, createdAt: '2026-10-01T10:00:00.000Z' },
];
// Anna's property in the demo property register (ADR 0035), for the property question.
const properties = [{ designation: 'Norrby Eken 1:23', address: 'Storgatan 12, 123 45 Norrby', owned: true }];
const vctx = { today, children, earlierCases, properties };
const ex = { today, children, register, earlierCases, properties };

// Each field on a step of its own, without its condition: the kind is under test here, not when it is asked.
const cases: { service: (typeof services)[number]; step: Step; field: Field }[] = services.flatMap((service) =>
  service.form.steps.flatMap((step) =>
    step.fields.map((original) => {
      const field = { ...original, when: undefined } as Field;
      const alone: Step = { id: step.id, title: step.title, fields: [field] };
      return { service: { ...service, form: { steps: [alone] } }, step: alone, field };
    }),
  ),
);

/** Validates one field answered by a posted form, as the step route does. */
function post(c: (typeof cases)[number], form: PostedForm) {
  const compiled = compileService(c.service, register);
  const posted = readStepAnswers(c.step, form);
  const answers = compact(posted, compiled.fields, vctx);
  // The earlier-date reason (pre-school) reads another field: give it, as the form would.
  const problems = validateSteps(compiled, [c.step], { earlyReason: 'Vi flyttar hit', ...answers }, vctx);
  return { answers, problems, compiled };
}

test('every kind the schema accepts has a module, and every module a kind in the schema', () => {
  assert.deepEqual([...FIELD_KINDS].sort(), allKinds().map((k) => k.kind).sort());
  const used = new Set<string>(cases.flatMap((c) => [c.field.kind, ...(c.field.kind === 'group' ? c.field.fields.map((f) => f.kind) : [])]));
  // The two test definitions ask every kind, so the table below covers them all.
  // Files are no posted text: the file kind is walked with real files in forms/draft-files.test.ts (and below).
  for (const k of FIELD_KINDS) if (!allKinds().find((m) => m.kind === k)!.takesFiles) assert.ok(used.has(k), `no test definition asks a ${k} field`);
});

// Files are no posted text (see above): their kind is tested with real files.
for (const c of cases.filter((x) => !kindOf(x.field).takesFiles)) {
  const { field } = c;
  test(`${field.kind} (${field.id}): its example is valid, its invalid example is refused with its key`, () => {
    const valid = kindOf(field).exampleValid(field, ex);
    const ok = post(c, valid);
    assert.deepEqual(ok.problems, [], JSON.stringify(valid));
    assert.ok(isStorable(field, ok.answers[field.id]), 'a valid answer is stored');
    const shown = displayAnswer(field, ok.answers[field.id], { locale: 'sv', t: translator('sv'), register, children });
    assert.ok(shown.length > 0, 'a valid answer reads as text');

    const bad = kindOf(field).exampleInvalid(field, ex);
    const refused = post(c, bad.form);
    assert.ok(
      refused.problems.some((p) => p.key === bad.key),
      `expected ${bad.key}, got ${JSON.stringify(refused.problems)}`,
    );
    // Every message names the field in both languages, without a leftover placeholder.
    for (const locale of ['sv', 'en'] as const) {
      for (const p of refused.problems) {
        const named = p.nameField ?? refused.compiled.fields.get(p.labelOf ?? p.field)!;
        const message = fieldErrorMessage(locale, p.key, named, p.vars);
        assert.doesNotMatch(message, /[{}]/, message);
      }
    }
  });

  test(`${field.kind} (${field.id}): hostile input is refused or kept as plain text, never thrown`, () => {
    const names = Object.keys(kindOf(field).exampleValid(field, ex));
    const hostile: unknown[] = ['<script>alert("x")</script>', "Robert'); DROP TABLE cases; --", 'x'.repeat(100_000), ['a', 'b'], { toString: 'x' }, '\u0000'];
    for (const h of hostile) {
      const form = Object.fromEntries((names.length ? names : [field.id]).map((n) => [n, h])) as PostedForm;
      const { answers, problems } = post(c, form);
      const value = answers[field.id];
      if (problems.length === 0 && value !== undefined) {
        // Accepted only as what a person could have typed: one text, no NUL, within the field's length.
        assert.ok(isStorable(field, value), `${field.id} accepted ${JSON.stringify(h).slice(0, 40)} as ${JSON.stringify(value).slice(0, 80)}`);
        assert.doesNotMatch(JSON.stringify(value), /\\u0000/);
        assert.ok(JSON.stringify(value).length < 10_000, 'an over-long answer is refused');
      }
      // A wrong shape (an array for one text) is never stored over an answer.
      if (Array.isArray(h) && !['multiChoice'].includes(field.kind)) {
        assert.ok(problems.length > 0 || !isStorable(field, value) || value === undefined, `${field.id} took an array`);
      }
    }
  });

  test(`${field.kind} (${field.id}): renders labelled inputs, with its error linked`, () => {
    const form = kindOf(field).exampleValid(field, ex);
    const { answers } = post(c, form);
    const error = 'Något är fel';
    const html = renderToString(
      renderField(field, answers[field.id], field.id, { locale: 'sv', t: translator('sv'), register, children, earlierCases, today, errorAt: (n) => (n === field.id ? error : undefined) }, answers)!,
    );
    assert.match(html, new RegExp(`id="${inputId(field.id)}"`), 'the error summary can link to the first input');
    assert.match(html, /Något är fel/);
    assert.match(html, /aria-describedby="[^"]*-error/, 'the error is linked to the input or its group');
    assert.doesNotMatch(html, /placeholder=/, 'no placeholder stands in for a label');
  });
}

test('numbers: a decimal comma and spaces are read; integers, bounds and nonsense are refused', () => {
  assert.equal(parseNumber('1 234,5'), 1234.5);
  assert.equal(parseNumber('-3'), -3);
  assert.equal(parseNumber(12), 12);
  for (const bad of ['', '1e5', '12abc', '1,2,3', 'NaN', 'Infinity', ['1']]) assert.equal(parseNumber(bad as never), undefined, String(bad));
  const c = cases.find((x) => x.field.id === 'hours')!;
  assert.equal(post(c, { hours: '12,5' }).problems[0]?.key, 'forms.error.integer');
  assert.equal(post(c, { hours: '61' }).problems[0]?.key, 'forms.error.numberMax');
  assert.equal(post(c, { hours: '-1' }).problems[0]?.key, 'forms.error.numberMin');
  assert.equal(post(c, { hours: ' 40 ' }).answers.hours, 40, 'stored as a JSON number');
});

test('money is stored as whole öre: exact, whatever way it is typed', () => {
  assert.equal(parseOre('1 234,50'), 123450);
  assert.equal(parseOre('1234.5'), 123450);
  assert.equal(parseOre('0,07'), 7);
  assert.equal(parseOre('12'), 1200);
  assert.equal(parseOre('12,3456'), undefined, 'no fractions of an öre');
  // Three digits after one mark cannot be öre: thousands, as people write them (ADR 0030).
  assert.equal(parseOre('12,345'), 1_234_500);
  assert.equal(parseOre('12.500,50'), 1_250_050);
  assert.equal(parseOre('12,50,0'), undefined, 'groups of the wrong size');
  assert.equal(parseOre('12 kr'), undefined);
  const c = cases.find((x) => x.field.id === 'income')!;
  assert.equal(post(c, { income: '25 000,50' }).answers.income, 2_500_050);
  assert.equal(post(c, { income: '1000000,01' }).problems[0]?.key, 'forms.error.moneyMax');
  assert.equal(displayAnswer(c.field, 2_500_050, { locale: 'sv', t: translator('sv'), register, children }).replace(/\s/g, ' '), '25 000,50 kr');
});

test('times are read as people write them and stored as HH:MM', () => {
  assert.equal(parseTime('7:30'), '07:30');
  assert.equal(parseTime('07.30'), '07:30');
  assert.equal(parseTime('0730'), '07:30');
  for (const bad of ['24:00', '12:60', '7', 'seven', '']) assert.equal(parseTime(bad), undefined, bad);
  const c = cases.find((x) => x.field.id === 'arrival')!;
  assert.equal(post(c, { arrival: '5:59' }).problems[0]?.key, 'forms.error.timeMin');
  assert.equal(post(c, { arrival: '18:01' }).problems[0]?.key, 'forms.error.timeMax');
});

test('personal identity and co-ordination numbers: checksum, real date, stored as twelve digits', () => {
  assert.equal(parseIdentityNumber('19121212-1212'), '191212121212');
  assert.equal(parseIdentityNumber('191212121212'), '191212121212');
  assert.equal(parseIdentityNumber('19121212-1213'), undefined, 'wrong check digit');
  assert.equal(parseIdentityNumber('19130229-1212'), undefined, 'no such day');
  // A co-ordination number: the day of birth plus 60, with its own check digit.
  assert.equal(parseIdentityNumber('19701063-2391'), '197010632391');
  assert.equal(parseIdentityNumber('18900191-9803'), '189001919803', 'day 91: 31 January');
  assert.equal(parseIdentityNumber('18900192-9802'), undefined, 'day 92: no 32 January');
  assert.equal(parseIdentityNumber('18900160-9800'), undefined, 'day 60: no day 0');
  assert.equal(parseIdentityNumber('1212121212'), undefined, 'ten digits leave the century to guess');
});

test('organisation numbers: checksum, the third digit at least 2, stored as NNNNNN-NNNN', () => {
  assert.equal(parseOrganisationNumber('5560160680'), '556016-0680');
  assert.equal(parseOrganisationNumber('16556016-0680'), '556016-0680');
  assert.equal(parseOrganisationNumber('556016-0681'), undefined);
  assert.equal(parseOrganisationNumber('19121212-1212'), undefined);
});

test('dates with past and future bounds; a range whose end is before its start or too long', () => {
  const happened = cases.find((x) => x.field.id === 'happened')!;
  assert.deepEqual(post(happened, { happened: '2026-11-22' }).problems, []);
  assert.equal(post(happened, { happened: '2026-11-24' }).problems[0]?.key, 'forms.error.dateInFuture');
  assert.equal(post(happened, { happened: '2024-11-22' }).problems[0]?.key, 'forms.error.dateTooFarBack');
  const period = cases.find((x) => x.field.id === 'period')!;
  assert.deepEqual(post(period, { 'period.from': '2027-01-01', 'period.to': '2027-01-01' }).problems, []);
  const long = post(period, { 'period.from': '2027-01-01', 'period.to': '2028-01-01' }).problems[0];
  assert.equal(long?.key, 'forms.error.rangeTooLong');
  assert.equal(long?.at, 'period.to', 'the error points at the last day');
  assert.equal(post(period, { 'period.from': '2027-01-01', 'period.to': '' }).problems[0]?.key, 'forms.error.rangeToMissing');
  assert.equal(post(period, { 'period.from': '2026-01-01', 'period.to': '2026-02-01' }).problems[0]?.key, 'forms.error.dateInPast');
});

test('dates are typed in a text box with the format shown, never a browser date picker, and read as people write them', () => {
  const happened = cases.find((x) => x.field.id === 'happened')!;
  for (const typed of ['2026-11-22', '20261122', '2026/11/22', '2026.11.22', '2026 11 22', '22/11/2026', '22.11.2026', ' 22-11-2026 ']) {
    const { answers, problems } = post(happened, { happened: typed });
    assert.deepEqual(problems, [], typed);
    assert.equal(answers.happened, '2026-11-22', typed);
  }
  // Not a date: kept as typed, with the error that asks for the format.
  const wrong = post(happened, { happened: '11/22/2026' });
  assert.equal(wrong.problems[0]?.key, 'forms.error.date');
  assert.equal(wrong.answers.happened, '11/22/2026');
  assert.equal(post(happened, { happened: '2027-02-30' }).problems[0]?.key, 'forms.error.date', 'no 30 February');
  const period = cases.find((x) => x.field.id === 'period')!;
  assert.deepEqual(post(period, { 'period.from': '1/1/2027', 'period.to': '20270102' }).answers.period, { from: '2027-01-01', to: '2027-01-02' });
  for (const c of [happened, period]) {
    const html = renderToString(renderField(c.field, undefined, c.field.id, { locale: 'sv', t: translator('sv'), register, children, earlierCases, today, errorAt: () => undefined }, {})!);
    assert.doesNotMatch(html, /type="date"/, `${c.field.id}: no browser date picker`);
    assert.match(html, /ÅÅÅÅ-MM-DD, till exempel 2027-03-15/, `${c.field.id}: the format is shown`);
  }
});

test('a weekly schedule is stored as [{ day, from, to }] for the days answered, usable for weekly hours', () => {
  const c = cases.find((x) => x.field.id === 'careTimes')!;
  const { answers, problems } = post(c, { 'careTimes.mon.from': '7:30', 'careTimes.mon.to': '16.00', 'careTimes.wed.from': '08:00', 'careTimes.wed.to': '12:00' });
  assert.deepEqual(problems, []);
  assert.deepEqual(answers.careTimes, [
    { day: 'mon', from: '07:30', to: '16:00' },
    { day: 'wed', from: '08:00', to: '12:00' },
  ]);
  const end = post(c, { 'careTimes.tue.from': '16:00', 'careTimes.tue.to': '08:00' }).problems[0]!;
  assert.equal(end.key, 'forms.error.scheduleEndBeforeStart');
  assert.equal(end.at, 'careTimes.tue.to');
  const named = fieldErrorMessage('sv', end.key, c.field, end.vars);
  assert.match(named, /tisdag/, named);
  assert.equal(post(c, { 'careTimes.mon.from': '05:00', 'careTimes.mon.to': '12:00' }).problems[0]?.key, 'forms.error.scheduleEarliest');
  assert.equal(post(c, { 'careTimes.mon.from': '08:00' }).problems[0]?.key, 'forms.error.scheduleToMissing');
});

test('a weekly schedule with overnight: an end before the start is the next day (shown so, counted so); the same time twice is refused', () => {
  const care = cases.find((x) => x.field.id === 'careTimes')!;
  const field = { ...care.field, earliest: undefined, overnight: true } as Field;
  const step: Step = { ...care.step, fields: [field] };
  const c = { service: { ...care.service, form: { steps: [step] } }, step, field };
  const { answers, problems } = post(c, { 'careTimes.fri.from': '11:00', 'careTimes.fri.to': '01:00' });
  assert.deepEqual(problems, []);
  assert.deepEqual(answers.careTimes, [{ day: 'fri', from: '11:00', to: '01:00' }]);
  assert.equal(displayAnswer(field, answers.careTimes!, { locale: 'sv', t: translator('sv'), register, children, earlierCases }), 'Fredag 11:00–01:00 (nästa dag)');
  assert.equal(displayAnswer(field, answers.careTimes!, { locale: 'en', t: translator('en'), register, children, earlierCases }), 'Friday 11:00–01:00 (next day)');
  assert.equal(weeklyHours(answers.careTimes), 14);
  const same = post(c, { 'careTimes.fri.from': '16:00', 'careTimes.fri.to': '16:00' }).problems[0]!;
  assert.equal(same.key, 'forms.error.scheduleEndIsStart');
  assert.match(fieldErrorMessage('sv', same.key, field, same.vars), /fredag.*kan inte vara samma som starttiden/);
  // Without overnight the same answer is refused: the end must come after the start.
  assert.equal(post(care, { 'careTimes.fri.from': '11:00', 'careTimes.fri.to': '01:00' }).problems[0]?.key, 'forms.error.scheduleEndBeforeStart');
});

test('a repeating group: each item’s errors point at its own inputs and name the item; conditions inside items work', () => {
  const c = cases.find((x) => x.field.id === 'people')!;
  const { answers, problems } = post(c, {
    'people.0.name': 'Anna',
    'people.0.pnr': '19121212-1212',
    'people.0.livesHere': 'yes',
    'people.1.name': '',
    'people.1.pnr': '19121212-1213',
    'people.1.livesHere': 'no',
    'people.1.where': '',
  });
  assert.deepEqual(
    problems.map((p) => [p.at, p.key]),
    [
      ['people.1.name', 'forms.error.required'],
      ['people.1.pnr', 'forms.error.personalNumber'],
      ['people.1.where', 'forms.error.required'],
    ],
  );
  const message = fieldErrorMessage('sv', problems[0]!.key, problems[0]!.nameField!, problems[0]!.vars);
  assert.equal(message, 'Fyll i namn (person 2)');
  assert.equal((answers.people as { pnr: string }[])[0]!.pnr, '191212121212', 'sub-answers are normalised too');
  // "Where" is asked only of someone who does not live here.
  assert.deepEqual(post(c, { 'people.0.name': 'Anna', 'people.0.pnr': '191212121212', 'people.0.livesHere': 'yes' }).problems, []);
  // More items than the group allows are not read.
  const many = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`people.${i}.name`, `P${i}`]));
  assert.equal((post(c, many).answers.people as unknown[]).length, 3);
});

test('file: never read from a posted form; listed with a remove button naming each file; counts checked', () => {
  const field = { id: 'certificate', kind: 'file', label: { sv: 'Läkarintyg', en: 'Medical certificate' }, maxFiles: 2 } as Field;
  const step: Step = { id: 's', title: { sv: 'S', en: 'S' }, fields: [field] };
  // A typed list of file ids would name someone else's file: a posted step leaves the answer alone.
  assert.deepEqual(readStepAnswers(step, { certificate: '[{"id":"x"}]' }), {});
  const files = [
    { id: '01a207d9-2100-7000-8000-000000000001', filename: '<script>x</script>.pdf', contentType: 'application/pdf', sizeBytes: 2048 },
    { id: '01a207d9-2100-7000-8000-000000000002', filename: 'b.pdf', contentType: 'application/pdf', sizeBytes: 3 * 1024 * 1024 },
  ];
  const service = { ...services[0]!, form: { steps: [step] } };
  const compiled = compileService(service, register);
  assert.deepEqual(validateSteps(compiled, [step], { certificate: files }, vctx), []);
  assert.equal(validateSteps(compiled, [step], {}, vctx)[0]!.key, 'forms.error.fileBlankMany');
  assert.equal(validateSteps(compiled, [step], { certificate: [...files, { ...files[0]!, id: '01a207d9-2100-7000-8000-000000000003' }] }, vctx)[0]!.key, 'forms.error.fileCount');
  const html = renderToString(renderField(field, files, field.id, { locale: 'sv', t: translator('sv'), register, children, today, errorAt: () => undefined }, {})!);
  assert.match(html, /value="removeFile:certificate:01a207d9-2100-7000-8000-000000000001"/);
  assert.doesNotMatch(html, /<script>x/);
  assert.doesNotMatch(html, /type="file"/, 'no input once the question holds its most');
  assert.equal(displayAnswer(field, files, { locale: 'en', t: translator('en'), register, children }), '<script>x</script>.pdf (2 kB)\nb.pdf (3 MB)');
});
