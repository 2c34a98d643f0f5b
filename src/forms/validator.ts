/**
 * Server-side validation of a service's answers. The shape of each answer (type, length, format,
 * allowed options) is a JSON Schema compiled once per service with Ajv; the rules that depend on
 * other answers or on today (conditions, required-when-shown, date windows, the applicant's
 * children) are checked here after it.
 */
import { Ajv, type ValidateFunction, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { Field, ServiceDefinition, Step, RegisterEntry } from '../catalogue/types.ts';
import type { Localised } from '../kernel/tenants.ts';
import { computedFor, conditionHolds, fieldsOf, type Answers, type AnswerValue } from './conditions.ts';
import { evaluate as evaluateExpression, expressionData } from '../expressions/index.ts';
import { addMonths, ageOn, isIsoDate } from './dates.ts';

export interface FieldProblem {
  field: string;
  key: string;
  vars?: Record<string, string | number>;
  /** The field whose label the message names, when not `field` (a missing reason names the date it explains). */
  labelOf?: string;
  /** A definition's own message (a validation rule's), shown instead of the one `key` names. */
  message?: Localised;
}

export interface ChildOption {
  personalNumber: string;
  name: string;
  birthDate: string;
}

export interface ValidationContext {
  /** Today in Europe/Stockholm, YYYY-MM-DD. */
  today: string;
  /** The signed-in applicant's children from the population register. */
  children: ChildOption[];
}

const PHONE = '^[+]?[0-9][0-9 ()-]{4,28}[0-9]$';

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
(addFormats as unknown as (a: Ajv, f: string[]) => void)(ajv, ['email']);

function fieldSchema(field: Field, registers: (id: string) => RegisterEntry[] | undefined): object {
  switch (field.kind) {
    case 'text':
    case 'longText':
      return { type: 'string', maxLength: field.maxLength ?? (field.kind === 'text' ? 200 : 4000), ...(field.pattern ? { pattern: field.pattern } : {}) };
    case 'email':
      return { type: 'string', maxLength: field.maxLength ?? 254, format: 'email' };
    case 'phone':
      return { type: 'string', maxLength: field.maxLength ?? 30, pattern: PHONE };
    case 'date':
      return { type: 'string', maxLength: 10, pattern: '^\\d{4}-\\d{2}-\\d{2}$' };
    case 'choice':
      return { type: 'string', enum: field.choices.map((c) => c.value) };
    case 'multiChoice':
      return { type: 'array', maxItems: field.choices.length, uniqueItems: true, items: { type: 'string', enum: field.choices.map((c) => c.value) } };
    case 'yesNo':
      return { type: 'string', enum: ['yes', 'no'] };
    case 'rankedChoice': {
      const ids = (registers(field.register) ?? []).map((e) => e.id);
      return { type: 'array', maxItems: field.max, uniqueItems: true, items: { type: 'string', enum: ids } };
    }
    case 'child':
      return { type: 'string', pattern: '^\\d{12}$' };
  }
}

export interface CompiledService {
  definition: ServiceDefinition;
  /** Field id → the step it is on. */
  stepOf: Map<string, Step>;
  fields: Map<string, Field>;
  /** The field that names the child the application is about, if the form has one. */
  childField: Field | undefined;
  validateShape: ValidateFunction;
}

/** Compiles a service's answer schema; call once per service at start-up. */
export function compileService(definition: ServiceDefinition, registers: (id: string) => RegisterEntry[] | undefined): CompiledService {
  const stepOf = new Map<string, Step>();
  const fields = new Map<string, Field>();
  const properties: Record<string, object> = {};
  for (const step of definition.form.steps) {
    for (const field of step.fields) {
      stepOf.set(field.id, step);
      fields.set(field.id, field);
      properties[field.id] = fieldSchema(field, registers);
    }
  }
  const validateShape = ajv.compile({ type: 'object', properties, additionalProperties: false });
  const childField = [...fields.values()].find((f) => f.kind === 'child');
  return { definition, stepOf, fields, childField, validateShape };
}

/** Whether a child is older than a child field allows (its maxAgeYears, counted on `today`). */
export function isTooOld(field: Field, child: ChildOption, today: string): boolean {
  return field.kind === 'child' && field.maxAgeYears !== undefined && ageOn(child.birthDate, today) > field.maxAgeYears;
}

/** The children a child field offers: the applicant's, less those too old for the service. */
export function eligibleChildren(field: Field, children: ChildOption[], today: string): ChildOption[] {
  return children.filter((c) => !isTooOld(field, c, today));
}

function isBlank(v: AnswerValue | undefined): boolean {
  return v === undefined || v === '' || (Array.isArray(v) && v.every((x) => x === ''));
}

/**
 * Whether a field is shown, given the answers so far. A step's own condition hides all its
 * fields. With the definition, conditions may read its computed values.
 */
export function isShown(field: Field, step: Step, answers: Answers, today: string, def?: ServiceDefinition): boolean {
  if (step.when && !conditionHolds(step.when, answers, today, def)) return false;
  return !field.when || conditionHolds(field.when, answers, today, def);
}

/**
 * Whether a field's condition reads another field on the same page: then the field is rendered
 * (the browser enhancement hides it until it applies) and validated only when its condition holds.
 */
export function dependsOnSameStep(field: Field, step: Step, def?: ServiceDefinition): boolean {
  if (!field.when) return false;
  const ids = new Set(step.fields.map((f) => f.id));
  return fieldsOf(field.when, def).some((f) => ids.has(f));
}

function shapeProblem(e: ErrorObject, fields: Map<string, Field>): FieldProblem | undefined {
  const id = e.instancePath.split('/')[1];
  const field = id ? fields.get(id) : undefined;
  if (!field) return undefined;
  switch (e.keyword) {
    case 'maxLength':
      return { field: id!, key: 'forms.error.tooLong', vars: { max: (e.params as { limit: number }).limit } };
    case 'format':
      return { field: id!, key: 'forms.error.email' };
    case 'pattern':
      return { field: id!, key: field.kind === 'phone' ? 'forms.error.phone' : field.kind === 'date' ? 'forms.error.date' : 'forms.error.pattern' };
    case 'enum':
    case 'maxItems':
      return { field: id!, key: 'forms.error.invalidChoice' };
    case 'uniqueItems':
      return { field: id!, key: 'forms.error.rankedDuplicate' };
    default:
      return { field: id!, key: 'forms.error.invalid' };
  }
}

/**
 * Validates the answers of the given steps (all steps at submission). Returns one problem per
 * field at most, in the order the fields appear.
 */
export function validateSteps(compiled: CompiledService, steps: Step[], answers: Answers, ctx: ValidationContext): FieldProblem[] {
  const problems = new Map<string, FieldProblem>();
  const inSteps = new Set(steps.flatMap((s) => s.fields.map((f) => f.id)));
  const subset: Answers = {};
  for (const id of inSteps) if (answers[id] !== undefined && !isBlank(answers[id])) subset[id] = answers[id]!;
  if (!compiled.validateShape(subset)) {
    for (const e of compiled.validateShape.errors ?? []) {
      const p = shapeProblem(e, compiled.fields);
      if (p && !problems.has(p.field)) problems.set(p.field, p);
    }
  }
  const def = compiled.definition;
  for (const step of steps) {
    for (const field of step.fields) {
      if (problems.has(field.id)) continue;
      if (!isShown(field, step, answers, ctx.today, def)) continue;
      const value = answers[field.id];
      if (isBlank(value)) {
        if (field.required === false) continue;
        if (field.kind === 'rankedChoice') {
          problems.set(field.id, { field: field.id, key: 'forms.error.rankedMin', vars: { min: field.min } });
        } else if (field.kind === 'child' && eligibleChildren(field, ctx.children, ctx.today).length === 0) {
          problems.set(field.id, { field: field.id, key: 'forms.error.noChildren' });
        } else {
          const choose = ['choice', 'multiChoice', 'yesNo', 'child'].includes(field.kind);
          problems.set(field.id, { field: field.id, key: choose ? 'forms.error.choose' : 'forms.error.required' });
        }
        continue;
      }
      const p = ruleProblem(field, value!, answers, ctx);
      // Keyed by the field it is shown at, so that field (checked later) does not report a second problem.
      if (p && !problems.has(p.field)) problems.set(p.field, p);
    }
    // The step's cross-field rules (an end after its start): each is checked when its field is
    // shown, answered and without another problem, so an optional field left empty is no error.
    for (const rule of step.rules ?? []) {
      const field = compiled.fields.get(rule.field);
      if (!field || problems.has(rule.field) || isBlank(answers[rule.field]) || !isShown(field, step, answers, ctx.today, def)) continue;
      if (!conditionHolds(rule.expression, answers, ctx.today, def)) problems.set(rule.field, { field: rule.field, key: 'forms.error.rule', message: rule.message });
    }
  }
  // In the order the fields appear (shape problems and rules were found out of it).
  const order = [...compiled.fields.keys()];
  return [...problems.values()].sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field));
}

function ruleProblem(field: Field, value: AnswerValue, answers: Answers, ctx: ValidationContext): FieldProblem | undefined {
  if (field.kind === 'date' && typeof value === 'string') {
    if (!isIsoDate(value)) return { field: field.id, key: 'forms.error.date' };
    if (value < ctx.today) return { field: field.id, key: 'forms.error.dateInPast' };
    if (field.minMonthsAhead !== undefined) {
      const min = addMonths(ctx.today, field.minMonthsAhead);
      if (value < min) {
        if (!field.earlierAllowedWith) return { field: field.id, key: 'forms.error.dateTooEarly', vars: { min } };
        // An earlier date is allowed with a reason; the reason field itself reports when it is missing.
        if (isBlank(answers[field.earlierAllowedWith])) {
          return { field: field.earlierAllowedWith, labelOf: field.id, key: 'forms.error.dateTooEarlyReason', vars: { min } };
        }
      }
    }
    if (field.maxMonthsAhead !== undefined) {
      const max = addMonths(ctx.today, field.maxMonthsAhead);
      if (value > max) return { field: field.id, key: 'forms.error.dateTooLate', vars: { max } };
    }
  }
  if (field.kind === 'rankedChoice' && Array.isArray(value)) {
    const chosen = value.filter((v) => v !== '');
    if (chosen.length < field.min) return { field: field.id, key: 'forms.error.rankedMin', vars: { min: field.min } };
  }
  if (field.kind === 'child' && typeof value === 'string') {
    const child = ctx.children.find((c) => c.personalNumber === value);
    // Only the applicant's own children, from the register: a tampered value is refused.
    if (!child) return { field: field.id, key: 'forms.error.invalidChoice' };
    // Not offered, so posted only by a tampered form or a page from before a birthday: say why.
    if (isTooOld(field, child, ctx.today)) return { field: field.id, key: 'forms.error.childTooOld', vars: { child: child.name, max: field.maxAgeYears! } };
  }
  return undefined;
}

/** The fields the form shows for the answers so far (used for "check your answers" and the case). */
export function shownAnswers(compiled: CompiledService, answers: Answers, today: string): Answers {
  const out: Answers = {};
  for (const step of compiled.definition.form.steps) {
    for (const field of step.fields) {
      const v = answers[field.id];
      if (v !== undefined && !isBlank(v) && isShown(field, step, answers, today, compiled.definition)) out[field.id] = v;
    }
  }
  return out;
}

/**
 * The answers with each of the step's never-answered fields filled from its `default` expression
 * (read over the answers so far). Only for showing the step: a default becomes an answer when the
 * person posts the step, so one they cleared stays cleared.
 */
export function withDefaults(compiled: CompiledService, step: Step, answers: Answers, today: string): Answers {
  const own = step.fields.filter((f) => f.default !== undefined && answers[f.id] === undefined);
  if (!own.length) return answers;
  const data = expressionData(answers, computedFor(compiled.definition, answers, today));
  const out: Answers = { ...answers };
  for (const f of own) {
    const v = evaluateExpression(f.default!, data, { today });
    const text = (x: unknown) => (typeof x === 'string' ? x : typeof x === 'number' && Number.isFinite(x) ? String(x) : typeof x === 'boolean' ? (x ? 'yes' : 'no') : undefined);
    const list = f.kind === 'multiChoice' || f.kind === 'rankedChoice';
    if (Array.isArray(v)) out[f.id] = v.map(text).filter((x): x is string => x !== undefined);
    else if (text(v) !== undefined) out[f.id] = list ? [text(v)!] : text(v)!;
  }
  return out;
}
