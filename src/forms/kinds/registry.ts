/**
 * The registry of field kinds: kind name → module. The engine dispatches through these functions
 * and never switches on a kind itself. The map is built on first use, so a kind module may call
 * back into it (a repeating group renders and shows its sub-fields through it).
 */
import type { VNode } from 'preact';
import type { Field } from '../../catalogue/types.ts';
import type { AnswerValue, Answers } from '../conditions.ts';
import { addressKind } from './address.tsx';
import { caseReferenceKind } from './case-reference.tsx';
import { locationKind } from './location.tsx';
import { childKind, personKind } from './child.tsx';
import { choiceKind, multiChoiceKind, yesNoKind } from './choice.tsx';
import { dateRangeKind } from './date-range.tsx';
import { dateKind } from './date.tsx';
import { declarationKind } from './declaration.tsx';
import { fileKind } from './file.tsx';
import { groupKind } from './group.tsx';
import { organisationNumberKind, personalNumberKind } from './identity-numbers.tsx';
import { moneyKind, numberKind } from './number.tsx';
import { propertyKind } from './property.tsx';
import { rankedChoiceKind } from './ranked-choice.tsx';
import { registerChoiceKind } from './register-choice.tsx';
import { inputId, isBlankValue } from './shared.tsx';
import { textKinds } from './text.tsx';
import { timeKind } from './time.tsx';
import type { DisplayContext, FieldKind, RenderContext } from './types.ts';
import { weeklyScheduleKind } from './weekly-schedule.tsx';
import { pick } from '../../kernel/i18n/index.ts';

let registry: Map<string, FieldKind> | undefined;

/** Every kind, in the order the documentation lists them. */
export function allKinds(): FieldKind[] {
  return [...kinds().values()];
}

function kinds(): Map<string, FieldKind> {
  if (!registry) {
    const list = [
      ...textKinds,
      numberKind,
      moneyKind,
      dateKind,
      dateRangeKind,
      timeKind,
      weeklyScheduleKind,
      yesNoKind,
      choiceKind,
      multiChoiceKind,
      registerChoiceKind,
      rankedChoiceKind,
      personalNumberKind,
      organisationNumberKind,
      addressKind,
      locationKind,
      caseReferenceKind,
      propertyKind,
      childKind,
      personKind,
      declarationKind,
      fileKind,
      groupKind,
    ] as unknown as FieldKind[];
    registry = new Map(list.map((k) => [k.kind, k]));
  }
  return registry;
}

/** The module of a field's kind. */
export function kindOf<F extends Field>(field: F): FieldKind<F> {
  const k = kinds().get(field.kind);
  // The catalogue's schema lists the same kinds, so an unknown one never reaches here from a loaded definition.
  if (!k) throw new Error(`unknown field kind "${field.kind}"`);
  return k as unknown as FieldKind<F>;
}

export function isBlankFor(field: Field, value: AnswerValue | undefined): boolean {
  const k = kindOf(field);
  return k.isBlank ? value === undefined || k.isBlank(field, value) : isBlankValue(value);
}

/** Whether a field asks a group of inputs (a fieldset, whose legend may be the page's h1). */
export function asksAsGroup(field: Field): boolean {
  const g = kindOf(field).asksAsGroup;
  return typeof g === 'function' ? g(field) : g === true;
}

/** An answer as a person reads it (labels, not codes). Lines are separated by newlines. */
export function displayAnswer(field: Field, value: AnswerValue | undefined, ctx: DisplayContext): string {
  if (value === undefined || isBlankFor(field, value)) return '';
  return kindOf(field).display(field, value, ctx);
}

/** One field's inputs; `single` when it is the page's only question (its label or legend is then the page's h1). */
export function renderField(field: Field, value: AnswerValue | undefined, name: string, ctx: RenderContext, answers: Answers, page?: { single: boolean; intro: string | undefined }): VNode | null {
  const single = page?.single ?? false;
  const label = pick(field.label, ctx.locale);
  // A page with one question group asks it in its heading: the step's introduction is the group's hint.
  const hint = [single ? page!.intro : undefined, field.hint ? pick(field.hint, ctx.locale) : undefined].filter(Boolean).join(' ') || undefined;
  const id = inputId(name);
  return kindOf(field).render({ field, value, name, id, label, hint, error: ctx.errorAt(name), single, ctx, answers });
}
