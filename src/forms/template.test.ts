/**
 * The step page's compiled field markup (template.ts): for every field of the services that use
 * every kind, with its own valid example, blanks, hostile text and answers the kind does not know,
 * the compiled HTML is the kind's full render, byte for byte (in both languages, alone on the page
 * or not); a kind that cannot be compiled, or an answer it does not recognise, is left to the full
 * render; and nothing typed is kept in a template.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Field } from '../catalogue/types.ts';
import { catalogueWithFieldKinds, FIELD_KINDS_SERVICE } from '../../test/helpers/field-kinds.ts';
import { translator, type Locale } from '../kernel/i18n/index.ts';
import { renderFragment } from '../kernel/html/render.ts';
import { compact, readStepAnswers } from './answers.ts';
import { compileService } from './validator.ts';
import './messages.ts';
import { kindOf, renderField, type RenderContext } from './kinds/index.ts';
import type { AnswerValue } from './conditions.ts';
import { compiledFieldHtml, templatePieces } from './template.ts';

const catalogue = catalogueWithFieldKinds();
const register = (id: string) => catalogue.register('norrby', id);
const services = ['forskola', FIELD_KINDS_SERVICE, 'felanmalan', 'serveringstillstand'].map((id) => catalogue.service('norrby', id)).filter((s) => s !== undefined);
const today = '2026-11-23';

const fields: Field[] = services.flatMap((s) => s.form.steps.flatMap((step) => step.fields));

function rctx(locale: Locale): RenderContext {
  return { locale, t: translator(locale), register, children: [], today, errorAt: () => undefined };
}

/** The answer the field stores for its own valid example, as a post to its step would. */
function exampleAnswer(field: Field): AnswerValue | undefined {
  const service = services.find((s) => s.form.steps.some((st) => st.fields.includes(field)))!;
  const step = { id: 'x', title: { sv: 'x', en: 'x' }, fields: [field] };
  const posted = readStepAnswers(step, kindOf(field).exampleValid(field, { today, children: [], register }));
  return compact(posted, compileService(service, register).fields)[field.id];
}

const HOSTILE = '<script>"&amp;\'</script> \uE0000\uE001 – ”';

/** Answers to try: the example, blank, and each typed text replaced by hostile text (structure kept). */
function answersFor(field: Field): (AnswerValue | undefined)[] {
  const example = exampleAnswer(field);
  const hostile = (v: AnswerValue | undefined): AnswerValue | undefined =>
    typeof v === 'string' ? HOSTILE : typeof v === 'number' ? v + 0.5 : Array.isArray(v) ? (v.map((x) => hostile(x)!) as AnswerValue) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === 'day' ? x : hostile(x)!])) : v;
  return [example, undefined, '', hostile(example)];
}

test('a compiled field is its kind’s render, byte for byte, for examples, blanks and hostile text', () => {
  let compiled = 0;
  for (const field of fields) {
    for (const locale of ['sv', 'en'] as const) {
      for (const single of [false, true]) {
        for (const value of answersFor(field)) {
          const page = { single, intro: single ? 'Inledning' : undefined };
          const html = compiledFieldHtml(field, value, field.id, rctx(locale), {}, page);
          if (html === undefined) continue;
          compiled++;
          const full = renderFragment(renderField(field, value, field.id, rctx(locale), {}, page));
          assert.equal(html, full, `${field.id} (${field.kind}) ${locale} ${JSON.stringify(value)}`);
        }
      }
    }
  }
  // Every kind that declares a template was compiled for some field.
  const declared = new Set(fields.filter((f) => kindOf(f).template).map((f) => f.kind));
  assert.ok(declared.size >= 6, `kinds with a template: ${[...declared].join(', ')}`);
  assert.ok(compiled > 100, `compiled ${compiled}`);
});

test('an answer a kind does not recognise (an option that is not offered) is rendered in full', () => {
  const choice = fields.find((f) => f.kind === 'yesNo')!;
  assert.equal(compiledFieldHtml(choice, 'maybe', choice.id, rctx('sv'), {}, { single: false, intro: undefined }), undefined);
  const multi = fields.find((f) => f.kind === 'multiChoice')!;
  assert.equal(compiledFieldHtml(multi, ['not-an-option'], multi.id, rctx('sv'), {}, { single: false, intro: undefined }), undefined);
});

test('a field whose render reads the request (the person’s children, other answers) is not compiled', () => {
  const child = fields.find((f) => f.kind === 'child');
  if (child && kindOf(child).template) {
    assert.equal(compiledFieldHtml(child, undefined, child.id, rctx('sv'), {}, { single: false, intro: undefined }), undefined);
  }
  // A kind without a declaration is always rendered in full.
  const group = fields.find((f) => f.kind === 'group')!;
  assert.equal(kindOf(group).template, undefined);
  assert.equal(compiledFieldHtml(group, undefined, group.id, rctx('sv'), {}, { single: false, intro: undefined }), undefined);
});

test('nothing typed is kept in a template', () => {
  const text = fields.find((f) => f.kind === 'text')!;
  const secret = 'Hemliga Gatan 7';
  const html = compiledFieldHtml(text, secret, text.id, rctx('sv'), {}, { single: false, intro: undefined });
  assert.ok(html?.includes(secret));
  const pieces = templatePieces(text);
  assert.ok(pieces.length > 0);
  assert.ok(pieces.every((p) => !p.includes(secret)));
});
