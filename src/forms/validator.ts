/**
 * Server-side validation of a service's answers. The shape of each answer (type, length, format,
 * allowed options) is a JSON Schema from its kind, compiled once per service with Ajv; the rules
 * that depend on other answers or on today (conditions, required-when-shown, date windows, the
 * applicant's children, checksums) are the kind's rules, checked after it.
 */
import { Ajv, type ValidateFunction, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { Field, ServiceDefinition, Step, RegisterEntry } from '../catalogue/types.ts';
import { computedFor, conditionHolds, fieldsOf, type Answers, type AnswerValue } from './conditions.ts';
import { APPLICANT_KEY, evaluate as evaluateExpression, expressionData } from '../expressions/index.ts';
import { eligibleChildren, isBlankFor, isTooOld, kindOf, type ChildOption, type FieldProblem, type RuleContext, type ValidationContext } from './kinds/index.ts';
import { memoPerDefinition } from './memo.ts';
import { readsApplicantFacts } from './ages.ts';

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
  /** Whether a field offers the applicant's children (the population register is asked only then). */
  needsChildren: boolean;
  /** Whether a field offers the applicant's earlier cases (the case store is read for them only then; loc). */
  needsEarlierCases: boolean;
  /** Whether a field reads the property register (asked for the applicant's properties only then; ADR 0035). */
  needsProperties: boolean;
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
  // Sub-fields of groups count too: any field that offers the applicant's children.
  const all = [...fields.values()].flatMap((f) => (f.kind === 'group' ? [f, ...f.fields] : [f]));
  const needsChildren = all.some((f) => kindOf(f).needsChildren?.(f as never) === true);
  const needsEarlierCases = all.some((f) => kindOf(f).needsEarlierCases?.(f as never) === true);
  const needsProperties = all.some((f) => kindOf(f).needsProperties?.(f as never) === true);
  return { definition, stepOf, fields, childField, needsChildren, needsEarlierCases, needsProperties, shapes };
}

/** Whether a field is shown, given the answers so far. A step's own condition hides all its fields. */
export function isShown(field: Field, step: Step, answers: Answers, today: string, def?: ServiceDefinition): boolean {
  if (step.when && !conditionHolds(step.when, answers, today, def)) return false;
  return !field.when || conditionHolds(field.when, answers, today, def);
}

// A step's questions conditional on it, per step and definition: asked for on every page and post.
const conditionalSet = memoPerDefinition((step: Step, def?: ServiceDefinition): Set<Field> => {
  const ids = new Set(step.fields.map((f) => f.id));
  return new Set(step.fields.filter((f) => !!f.when && fieldsOf(f.when, def).some((id) => ids.has(id))));
});

/**
 * Whether a field's condition reads another field on the same page: then the field is rendered
 * (the browser enhancement hides it until it applies) and validated only when its condition holds.
 */
export function dependsOnSameStep(field: Field, step: Step, def?: ServiceDefinition): boolean {
  return !!field.when && conditionalSet(step, def).has(field);
}

/**
 * The step's questions that depend on an answer on the same page (ADR 0026): with JavaScript they
 * are revealed under that answer when their condition holds; without, they are asked on a page of
 * their own after the step (its follow-up page) when it holds.
 */
export function conditionalOnStep(step: Step, def?: ServiceDefinition): Field[] {
  const set = conditionalSet(step, def);
  return set.size ? step.fields.filter((f) => set.has(f)) : [];
}

/**
 * Fields in the order a page shows them: a question that depends on an answer on the same page
 * comes directly under the last question it reads (GOV.UK's conditional reveal), whatever lies
 * between them in the definition.
 */
export function inPageOrder(fields: Field[], step: Step, def?: ServiceDefinition): Field[] {
  const conditional = new Set(conditionalOnStep(step, def));
  const out = fields.filter((f) => !conditional.has(f));
  for (const f of fields) {
    if (!conditional.has(f)) continue;
    const reads = new Set(fieldsOf(f.when!, def));
    let at = -1;
    out.forEach((g, i) => {
      if (reads.has(g.id)) at = i;
    });
    if (at < 0) {
      out.push(f);
      continue;
    }
    // After the question it reads and any conditional question already placed under it.
    let i = at + 1;
    while (i < out.length && conditional.has(out[i]!)) i++;
    out.splice(i, 0, f);
  }
  return out;
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

/** One validation's service and context, with the sub-field check a group's rules call (made once per validation, not per field). */
interface Validation {
  compiled: CompiledService;
  ctx: ValidationContext;
  validateSub: RuleContext['validateField'];
}

function validation(compiled: CompiledService, ctx: ValidationContext): Validation {
  const v: Validation = { compiled, ctx, validateSub: (sub, value, scope, subName) => validateField(v, sub, value, scope, subName) };
  return v;
}

/**
 * A kind's rules' context. Written out, not spread from the validation's context: V8 made the spread
 * with three more keys a slow object (2.5 µs a field against 0.3 µs for the rules themselves), on
 * every answer posted. A key added to ValidationContext is added here.
 */
function ruleContext(v: Validation, answers: Answers, name: string): RuleContext {
  const { today, children, earlierCases, properties } = v.ctx;
  if (properties) return { today, children, earlierCases, properties, answers, name, validateField: v.validateSub };
  return earlierCases ? { today, children, earlierCases, answers, name, validateField: v.validateSub } : { today, children, answers, name, validateField: v.validateSub };
}

/**
 * One field's problems: its shape, then blank-when-required, then its kind's rules. `name` is the
 * posted name (the field id, or "group.N.sub" for a repeating group's item).
 */
function validateField(v: Validation, field: Field, value: AnswerValue | undefined, answers: Answers, name: string): FieldProblem[] {
  const kind = kindOf(field);
  if (value === undefined || isBlankFor(field, value)) {
    if (field.required === false) return [];
    const b = kind.blank?.(field, v.ctx) ?? { key: 'forms.error.required' };
    return [{ field: name, key: b.key, ...(b.vars ? { vars: b.vars } : {}) }];
  }
  const shape = v.compiled.shapes.get(field);
  if (shape && !shape(value)) return [shapeProblem(shape.errors![0]!, field, name)];
  const found = kind.rules?.(field, value, ruleContext(v, answers, name));
  return found === undefined ? [] : Array.isArray(found) ? found : [found];
}

/**
 * Validates the answers of the given steps (all steps at submission). Returns the problems in the
 * order the fields appear: one per field, or one per item's sub-field in a repeating group.
 */
export function validateSteps(compiled: CompiledService, steps: Step[], answers: Answers, ctx: ValidationContext): FieldProblem[] {
  const problems = new Map<string, FieldProblem>();
  const def = compiled.definition;
  const v = validation(compiled, ctx);
  for (const step of steps) {
    for (const field of step.fields) {
      if (problems.has(field.id)) continue;
      if (!isShown(field, step, answers, ctx.today, def)) continue;
      for (const p of validateField(v, field, answers[field.id], answers, field.id)) {
        // Keyed by where it is shown, so a field checked later (the reason for an early date) does not report a second problem.
        const key = p.at ?? p.field;
        if (!problems.has(key)) problems.set(key, p);
      }
    }
    // The step's cross-field rules (an end after its start): each is checked when its field is
    // shown, answered and without another problem, so an optional field left empty is no error.
    for (const rule of step.rules ?? []) {
      const field = compiled.fields.get(rule.field);
      if (!field || problems.has(rule.field) || answers[rule.field] === undefined || isBlankFor(field, answers[rule.field]!) || !isShown(field, step, answers, ctx.today, def)) continue;
      if (!conditionHolds(rule.expression, answers, ctx.today, def)) problems.set(rule.field, { field: rule.field, key: 'forms.error.rule', message: rule.message });
    }
  }
  // In the order the fields appear (rules were found after their step's fields).
  if (problems.size === 0) return [];
  const order = [...compiled.fields.keys()];
  return [...problems.values()].sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field));
}

/** The fields the form shows for the answers so far (used for "check your answers" and the case). */
export function shownAnswers(compiled: CompiledService, answers: Answers, today: string): Answers {
  const out: Answers = {};
  for (const step of compiled.definition.form.steps) {
    for (const field of step.fields) {
      const v = answers[field.id];
      if (v === undefined || isBlankFor(field, v) || !isShown(field, step, answers, today, compiled.definition)) continue;
      const part = kindOf(field).shownPart;
      out[field.id] = part ? part(field, v, answers, today) : v;
    }
  }
  // The applicant's facts (ADR 0030) go with the answers shown when the definition reads them:
  // its computed values, fee and routing read them, and the case keeps them (the age when sent).
  const facts = answers[APPLICANT_KEY];
  if (facts !== undefined && readsApplicantFacts(compiled.definition)) out[APPLICANT_KEY] = facts;
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
