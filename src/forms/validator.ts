/**
 * Server-side validation of a service's answers. The shape of each answer (type, length, format,
 * allowed options) is a JSON Schema from its kind, compiled once per service with Ajv; the rules
 * that depend on other answers or on today (conditions, required-when-shown, date windows, the
 * applicant's children, checksums) are the kind's rules, checked after it.
 */
import { Ajv, type ValidateFunction, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { Field, ServiceDefinition, Step, RegisterEntry } from '../catalogue/types.ts';
import { evaluate, fieldsOf, type Answers, type AnswerValue } from './conditions.ts';
import { eligibleChildren, isBlankFor, isTooOld, kindOf, type ChildOption, type FieldProblem, type ValidationContext } from './kinds/index.ts';

export type { ChildOption, FieldProblem, ValidationContext };
export { eligibleChildren, isTooOld };

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
(addFormats as unknown as (a: Ajv, f: string[]) => void)(ajv, ['email']);

export interface CompiledService {
  definition: ServiceDefinition;
  /** Field id → the step it is on. */
  stepOf: Map<string, Step>;
  fields: Map<string, Field>;
  /** The field that names the child the application is about, if the form has one. */
  childField: Field | undefined;
  /** Each field's (and each repeating group's sub-field's) shape, compiled once. */
  shapes: WeakMap<Field, ValidateFunction>;
}

/** Compiles a service's answer shapes; call once per service at start-up. */
export function compileService(definition: ServiceDefinition, registers: (id: string) => RegisterEntry[] | undefined): CompiledService {
  const stepOf = new Map<string, Step>();
  const fields = new Map<string, Field>();
  const shapes = new WeakMap<Field, ValidateFunction>();
  const compile = (field: Field) => {
    const shape = kindOf(field).shape?.(field, registers);
    if (shape) shapes.set(field, ajv.compile(shape));
    if (field.kind === 'group') field.fields.forEach(compile);
  };
  for (const step of definition.form.steps) {
    for (const field of step.fields) {
      stepOf.set(field.id, step);
      fields.set(field.id, field);
      compile(field);
    }
  }
  const childField = [...fields.values()].find((f) => f.kind === 'child');
  return { definition, stepOf, fields, childField, shapes };
}

/** Whether a field is shown, given the answers so far. A step's own condition hides all its fields. */
export function isShown(field: Field, step: Step, answers: Answers, today: string): boolean {
  if (step.when && !evaluate(step.when, answers, today)) return false;
  return !field.when || evaluate(field.when, answers, today);
}

/**
 * Whether a field's condition reads another field on the same page: then the field is rendered
 * (the browser enhancement hides it until it applies) and validated only when its condition holds.
 */
export function dependsOnSameStep(field: Field, step: Step): boolean {
  if (!field.when) return false;
  const ids = new Set(step.fields.map((f) => f.id));
  return fieldsOf(field.when).some((f) => ids.has(f));
}

function shapeProblem(e: ErrorObject, field: Field, name: string): FieldProblem {
  switch (e.keyword) {
    case 'maxLength':
      return { field: name, key: 'forms.error.tooLong', vars: { max: (e.params as { limit: number }).limit } };
    case 'format':
      return { field: name, key: 'forms.error.email' };
    case 'pattern':
      return { field: name, key: kindOf(field).patternError ?? 'forms.error.pattern' };
    case 'enum':
    case 'maxItems':
      return { field: name, key: 'forms.error.invalidChoice' };
    case 'uniqueItems':
      return { field: name, key: 'forms.error.rankedDuplicate' };
    default:
      return { field: name, key: 'forms.error.invalid' };
  }
}

/**
 * One field's problems: its shape, then blank-when-required, then its kind's rules. `name` is the
 * posted name (the field id, or "group.N.sub" for a repeating group's item).
 */
function validateField(compiled: CompiledService, field: Field, value: AnswerValue | undefined, answers: Answers, ctx: ValidationContext, name: string): FieldProblem[] {
  const kind = kindOf(field);
  if (value === undefined || isBlankFor(field, value)) {
    if (field.required === false) return [];
    const b = kind.blank?.(field, ctx) ?? { key: 'forms.error.required' };
    return [{ field: name, key: b.key, ...(b.vars ? { vars: b.vars } : {}) }];
  }
  const shape = compiled.shapes.get(field);
  if (shape && !shape(value)) return [shapeProblem(shape.errors![0]!, field, name)];
  const found = kind.rules?.(field, value, {
    ...ctx,
    answers,
    name,
    validateField: (sub, v, scope, subName) => validateField(compiled, sub, v, scope, ctx, subName),
  });
  return found === undefined ? [] : Array.isArray(found) ? found : [found];
}

/**
 * Validates the answers of the given steps (all steps at submission). Returns the problems in the
 * order the fields appear: one per field, or one per item's sub-field in a repeating group.
 */
export function validateSteps(compiled: CompiledService, steps: Step[], answers: Answers, ctx: ValidationContext): FieldProblem[] {
  const problems = new Map<string, FieldProblem>();
  for (const step of steps) {
    for (const field of step.fields) {
      if (problems.has(field.id)) continue;
      if (!isShown(field, step, answers, ctx.today)) continue;
      for (const p of validateField(compiled, field, answers[field.id], answers, ctx, field.id)) {
        // Keyed by where it is shown, so a field checked later (the reason for an early date) does not report a second problem.
        const key = p.at ?? p.field;
        if (!problems.has(key)) problems.set(key, p);
      }
    }
  }
  return [...problems.values()];
}

/** The fields the form shows for the answers so far (used for "check your answers" and the case). */
export function shownAnswers(compiled: CompiledService, answers: Answers, today: string): Answers {
  const out: Answers = {};
  for (const step of compiled.definition.form.steps) {
    for (const field of step.fields) {
      const v = answers[field.id];
      if (v === undefined || isBlankFor(field, v) || !isShown(field, step, answers, today)) continue;
      const part = kindOf(field).shownPart;
      out[field.id] = part ? part(field, v, answers, today) : v;
    }
  }
  return out;
}
