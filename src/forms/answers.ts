/** Reading a step's answers from a posted form, and showing answers as text. */
import type { Field, RegisterEntry, Step } from '../catalogue/types.ts';
import { pick, formatDate, type Locale, type Translate } from '../kernel/i18n/index.ts';
import type { Answers, AnswerValue } from './conditions.ts';
import type { ChildOption } from './validator.ts';

type Body = Record<string, unknown>;

// NUL cannot be stored in PostgreSQL text or jsonb, and no person types it: drop it. Only text
// (or a JSON number or boolean) is an answer; an object is read as nothing, and String() of one
// may throw ({"toString": "x"}).
const clean = (v: unknown) => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '').replace(/\u0000/g, '');

function text(v: unknown): string | string[] {
  // Repeated keys arrive as arrays: keep them so validation reports them instead of guessing.
  if (Array.isArray(v)) return v.map(clean);
  if (v === undefined || v === null) return '';
  return clean(v).replace(/\r\n?/g, '\n').trim();
}

/** The answers a posted step carries; fields not on the step are ignored. */
export function readStepAnswers(step: Step, body: Body): Answers {
  const out: Answers = {};
  for (const f of step.fields) {
    if (f.kind === 'rankedChoice') {
      out[f.id] = Array.from({ length: f.max }, (_, i) => {
        const v = text(body[`${f.id}.${i}`]);
        return Array.isArray(v) ? '#invalid' : v;
      });
    } else if (f.kind === 'multiChoice') {
      const v = body[f.id];
      out[f.id] = v === undefined ? [] : (Array.isArray(v) ? v : [v]).map(clean);
    } else {
      out[f.id] = text(body[f.id]);
    }
  }
  return out;
}

/**
 * Whether a posted value has the shape its field stores: one text for single-value fields, a list
 * of texts for multiple and ranked choices. Repeated or bracketed keys (an array where one text
 * belongs) and a ranked choice read as '#invalid' are nothing a person typed: validation reports
 * them, but they must never replace a stored answer.
 */
export function isStorable(field: Field, value: AnswerValue | undefined): boolean {
  if (field.kind === 'multiChoice') return Array.isArray(value);
  if (field.kind === 'rankedChoice') return Array.isArray(value) && !value.includes('#invalid');
  return typeof value === 'string';
}

/** Stored form of answers: ranked choices compacted (blanks between choices dropped). */
export function compact(answers: Answers, fields: Map<string, Field>): Answers {
  const out: Answers = {};
  for (const [k, v] of Object.entries(answers)) {
    out[k] = fields.get(k)?.kind === 'rankedChoice' && Array.isArray(v) ? v.filter((x) => x !== '') : v;
  }
  return out;
}

/**
 * The child a child answer names, from the case's subject party (copied from the register when the
 * case was made), so a stored case shows the child's name without asking the register again.
 */
export function childrenOfParties(parties: readonly { role: string; kind: string; personalNumber: string | null; name: string | null; details: Record<string, unknown> }[]): ChildOption[] {
  return parties
    .filter((p) => p.role === 'subject' && p.kind === 'child' && p.personalNumber)
    .map((p) => ({ personalNumber: p.personalNumber!, name: p.name ?? '', birthDate: typeof p.details.birthDate === 'string' ? p.details.birthDate : '' }));
}

export interface DisplayContext {
  locale: Locale;
  t: Translate;
  register: (id: string) => RegisterEntry[] | undefined;
  children: ChildOption[];
}

/** An answer as a person reads it (labels, not codes). Lines are separated by newlines. */
export function displayAnswer(field: Field, value: AnswerValue | undefined, ctx: DisplayContext): string {
  if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return '';
  switch (field.kind) {
    case 'choice':
      return field.choices.find((c) => c.value === value) ? pick(field.choices.find((c) => c.value === value)!.label, ctx.locale) : String(value);
    case 'multiChoice':
      return (Array.isArray(value) ? value : [value]).map((v) => (field.choices.find((c) => c.value === v) ? pick(field.choices.find((c) => c.value === v)!.label, ctx.locale) : v)).join('\n');
    case 'yesNo':
      return value === 'yes' ? ctx.t('forms.yes') : value === 'no' ? ctx.t('forms.no') : String(value);
    case 'rankedChoice': {
      const entries = ctx.register(field.register) ?? [];
      return (Array.isArray(value) ? value : [value])
        .filter((v) => v !== '')
        .map((v, i) => `${i + 1}. ${entries.find((e) => e.id === v)?.name ?? v}`)
        .join('\n');
    }
    case 'child': {
      const c = ctx.children.find((x) => x.personalNumber === value);
      return c ? `${c.name} (${formatDate(c.birthDate, ctx.locale)})` : String(value);
    }
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(String(value)) ? formatDate(String(value) + 'T12:00:00Z', ctx.locale) : String(value);
    default:
      return Array.isArray(value) ? value.join(', ') : value;
  }
}
