/** Where to write to the person who applied: from the answers, by field kind, never by a field's id. */
import type { ServiceDefinition, Field, Step } from '../catalogue/types.ts';
import type { Answers } from './conditions.ts';

function fieldsOf(steps: readonly Step[]): Field[] {
  return steps.flatMap((s) => s.fields);
}

/**
 * The e-mail address the applicant gave in the form: the first answered field of kind `email`. Undefined when
 * the form asks for none or it was left empty; callers then fall back to the address on the person's profile.
 */
export function contactEmailOf(def: ServiceDefinition, answers: Answers): string | undefined {
  for (const f of fieldsOf(def.form.steps)) {
    if (f.kind !== 'email') continue;
    const v = answers[f.id];
    if (typeof v === 'string' && v !== '') return v;
  }
  return undefined;
}
