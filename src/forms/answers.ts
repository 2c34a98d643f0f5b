/** Reading a step's answers from a posted form, and showing answers as text: dispatched to each field's kind. */
import type { Field, ServiceDefinition, Step } from '../catalogue/types.ts';
import type { Answers, AnswerValue } from './conditions.ts';
import { displayAnswer, kindOf, type ChildOption, type ValidationContext } from './kinds/index.ts';

export { displayAnswer };
export type { DisplayContext } from './kinds/index.ts';

type Body = Record<string, unknown>;

/** The answers a posted step carries; fields not on the step are ignored. */
export function readStepAnswers(step: Step, body: Body): Answers {
  const out: Answers = {};
  // A kind whose answer the engine keeps (files) is not read from the post: the stored one stays.
  for (const f of step.fields) if (!kindOf(f).takesFiles) out[f.id] = kindOf(f).read(f, body, f.id);
  return out;
}

/**
 * Whether a posted value has the shape its field stores (one text, a list of texts, an object of
 * parts). Repeated or bracketed keys (an array where one text belongs) and a ranked choice read as
 * '#invalid' are nothing a person typed: validation reports them, but they must never replace a
 * stored answer.
 */
export function isStorable(field: Field, value: AnswerValue | undefined): boolean {
  return kindOf(field).isStorable(field, value);
}

/**
 * Stored form of answers, normalised by each kind before validation: ranked choices compacted,
 * numbers parsed, identity numbers without separators. A kind normalises only what it can read,
 * so an answer it cannot stays as typed and the resident sees what they wrote next to the error.
 */
/**
 * What identifies a case's subject in the answers (a personal identity number, a designation), if
 * answered: the subject field's text, or what its kind says identifies its answer (a property's
 * designation; ADR 0035).
 */
export function subjectIdentifier(def: Pick<ServiceDefinition, 'subject' | 'form'>, answers: Answers): string | undefined {
  const spec = def.subject;
  const v = spec ? answers[spec.field] : undefined;
  if (typeof v === 'string') return v !== '' ? v : undefined;
  if (v === undefined || v === null) return undefined;
  const field = def.form.steps.flatMap((s) => s.fields).find((f) => f.id === spec!.field);
  return field ? kindOf(field).subjectIdentifier?.(field, v) : undefined;
}

export function compact(answers: Answers, fields: Map<string, Field>, ctx?: Pick<ValidationContext, 'properties'>): Answers {
  const out: Answers = {};
  for (const [k, v] of Object.entries(answers)) {
    const field = fields.get(k);
    const normalise = field ? kindOf(field).normalise : undefined;
    out[k] = field && normalise && kindOf(field).isStorable(field, v) ? normalise(field, v, ctx) : v;
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

