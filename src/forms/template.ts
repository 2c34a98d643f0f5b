/**
 * Compiled field markup for the step page (ADR 0019, fourth pass). A field's inputs are rendered by
 * its kind's own component, once per field, posted name, language and *shape* of answer, with a
 * marker in place of every text the person typed; the HTML is split at the markers into static
 * pieces, and a request only joins the pieces with its own texts, escaped. There is one source of
 * markup — the kinds' components —, so a change to a component changes its template with it.
 *
 * What a kind may be compiled from is its own declaration (FieldKind.template): which parts of the
 * answer are typed text shown as typed (holes) and which parts change the markup (a checked option,
 * a day answered: part of the template's key, from a finite set the definition or the kind names).
 * A kind without one, an answer it does not recognise, a page with errors, and a render that reads
 * anything of the request besides the language (the register, the person's children or earlier
 * cases, today, the map, other answers) are rendered in full as before. Templates hold nothing of a
 * person: their keys are field, name, language and which options are chosen; the texts are filled
 * in per request and never kept.
 *
 * With MEDBORG_RENDER_CROSSCHECK=1 (the test runner sets it) every compiled field is rendered in full
 * too and a difference throws, so every step page any test shows checks its templates.
 */
import type { Field } from '../catalogue/types.ts';
import { escapeHtml, renderFragment } from '../kernel/html/render.ts';
import type { Answers, AnswerValue } from './conditions.ts';
import { kindOf, renderField } from './kinds/index.ts';
import type { RenderContext, TemplateHoles } from './kinds/types.ts';

const crossCheck = process.env.MEDBORG_RENDER_CROSSCHECK === '1';
let enabled = true;

/** Turns the templates off (every field rendered in full) or on: for bench/render-step.ts, which compares the two. */
export function setCompiledFields(on: boolean): void {
  enabled = on;
}

/** Templates kept per field and key: enough for every combination of a few options, bounded for many. */
const MAX_TEMPLATES_PER_FIELD = 64;
const MARK_OPEN = '\uE000';
const MARK_CLOSE = '\uE001';
const MARKER = /\uE000(\d+)\uE001/g;

/** A field's markup split at its holes: pieces[0] + text[holes[0]] + pieces[1] + ... */
interface Template {
  pieces: string[];
  holes: number[];
}

class Holes implements TemplateHoles {
  key = '';
  texts: string[] = [];
  text(shown: string): string {
    if (shown === '') {
      this.key += 'e\u0001';
      return '';
    }
    this.key += 't\u0001';
    this.texts.push(shown);
    return MARK_OPEN + (this.texts.length - 1) + MARK_CLOSE;
  }
  choice(value: string, allowed: readonly string[]): boolean {
    if (!allowed.includes(value)) return false;
    this.key += `c${value}\u0001`;
    return true;
  }
}

/**
 * Per field object (definitions are loaded once and never changed): its templates by key, null for
 * a key that could not be compiled, or false when the field's render reads request data.
 */
const byField = new WeakMap<Field, Map<string, Template | null> | false>();

/** What a compiling render may read of the request: the language, its texts, "no error". Anything else stops compiling. */
function probeContext(ctx: RenderContext, touched: { any: boolean }): RenderContext {
  const mark = () => {
    touched.any = true;
    return undefined;
  };
  return {
    locale: ctx.locale,
    t: ctx.t,
    errorAt: () => undefined,
    get register() {
      touched.any = true;
      return () => undefined;
    },
    get children() {
      touched.any = true;
      return [];
    },
    get earlierCases() {
      return mark();
    },
    get properties() {
      return mark();
    },
    get map() {
      return mark();
    },
    get today() {
      touched.any = true;
      return '';
    },
  };
}

function probeAnswers(touched: { any: boolean }): Answers {
  return new Proxy({} as Answers, {
    get: () => ((touched.any = true), undefined),
    has: () => ((touched.any = true), false),
    ownKeys: () => ((touched.any = true), []),
  });
}

function compile(field: Field, probe: AnswerValue | undefined, name: string, ctx: RenderContext, page: { single: boolean; intro: string | undefined }, holeCount: number): Template | null | false {
  const touched = { any: false };
  const html = renderFragment(renderField(field, probe, name, probeContext(ctx, touched), probeAnswers(touched), page));
  if (touched.any) return false;
  const pieces: string[] = [];
  const holes: number[] = [];
  const seen = new Set<number>();
  let last = 0;
  for (const m of html.matchAll(MARKER)) {
    pieces.push(html.slice(last, m.index));
    const i = Number(m[1]);
    holes.push(i);
    seen.add(i);
    last = m.index! + m[0].length;
  }
  pieces.push(html.slice(last));
  // Every typed text must show where its marker was put, unchanged: otherwise the render does more
  // with it than show it, and the field is rendered in full.
  if (seen.size !== holeCount || holes.some((i) => i >= holeCount)) return null;
  return { pieces, holes };
}

/**
 * A field's inputs as HTML from its compiled template, or undefined when it must be rendered in full
 * (renderField). Only for a page without errors: the caller renders every field in full otherwise.
 */
export function compiledFieldHtml(field: Field, value: AnswerValue | undefined, name: string, ctx: RenderContext, answers: Answers, page: { single: boolean; intro: string | undefined }): string | undefined {
  const kind = kindOf(field);
  if (!enabled || !kind.template) return undefined;
  let templates = byField.get(field);
  if (templates === false) return undefined;
  const h = new Holes();
  const shaped = kind.template(field, value, h, ctx.locale);
  if (!shaped) return undefined;
  const key = `${ctx.locale}\u0002${name}\u0002${page.single ? 1 : 0}\u0002${page.intro ?? ''}\u0002${h.key}`;
  let template = templates?.get(key);
  if (template === undefined) {
    const made = compile(field, shaped.probe, name, ctx, page, h.texts.length);
    if (made === false) {
      byField.set(field, false);
      return undefined;
    }
    if (!templates) byField.set(field, (templates = new Map()));
    if (templates.size < MAX_TEMPLATES_PER_FIELD) templates.set(key, made);
    template = made;
  }
  if (template === null) return undefined;
  const { pieces, holes } = template;
  let out = pieces[0]!;
  for (let i = 0; i < holes.length; i++) out += escapeHtml(h.texts[holes[i]!]!) + pieces[i + 1]!;
  if (crossCheck) {
    const reference = renderFragment(renderField(field, value, name, ctx, answers, page));
    if (reference !== out) throw new Error(`compiled field ${field.id} (${field.kind}) differs from its render:\n${out}\n---\n${reference}`);
  }
  return out;
}

/** Every static piece of a field's templates (for the test that nothing typed is kept). */
export function templatePieces(field: Field): string[] {
  const templates = byField.get(field);
  return templates ? [...templates.values()].flatMap((t) => t?.pieces ?? []) : [];
}
