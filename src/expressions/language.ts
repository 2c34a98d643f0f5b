/**
 * The expression language: JSON Logic (json-logic-js) plus the operations a municipal form needs.
 * This file is the whole evaluator, and it is bundled unchanged for the browser (browser.ts), so
 * the server and the enhancement script can never disagree on what an expression means. It may
 * import nothing from Node and nothing that reads a clock: "today" comes in the context.
 *
 * The data an expression reads (documented in docs/adr/0009-expressions.md):
 * - answers at top level by field id (`{"var": "startDate"}`); a multiple choice is an array of
 *   its values, a repeating group an array of objects (`{"var": "people.0.name"}`);
 * - computed values under `$computed` (`{"var": "$computed.weeklyHours"}`): field ids are lower
 *   camelCase, so a key starting with `$` can never clash with one;
 * - the context (today) only through operations (`{"today": []}`), never as a variable.
 */
import jsonLogic from 'json-logic-js';
import { addDays, addMonths, ageOn, daysBetween, isIsoDate } from './dates.ts';

/**
 * An expression: JSON Logic, as plain JSON. (`| undefined` in the object only so TypeScript
 * accepts a list of differently shaped literals, which it widens with `key?: undefined`.)
 */
export type Expression = null | boolean | number | string | Expression[] | { [operation: string]: Expression | undefined };

/** What the server supplies to both evaluators. */
export interface ExpressionContext {
  /** Today in Europe/Stockholm, YYYY-MM-DD. */
  today: string;
}

/** Where computed values sit in the data (a key no field id can take). */
export const COMPUTED_KEY = '$computed';

/**
 * Where the facts about the signed-in applicant sit in the data (ADR 0030): `$applicant.birthDate`
 * (from the e-ID's personal number), `$applicant.age` (whole years on today) and
 * `$applicant.ageThisYear` (the age turned in today's year), and `$applicant.representedBy` (ADR
 * 0033: the capacity of the representative applying for them, absent otherwise). Absent without e-ID.
 */
export const APPLICANT_KEY = '$applicant';
/** The facts under APPLICANT_KEY, each a variable a definition may read. */
export const APPLICANT_FACTS = ['birthDate', 'age', 'ageThisYear', 'representedBy'] as const;
export interface ApplicantFacts {
  birthDate: string;
  age: number;
  ageThisYear: number;
  /**
   * For a person applied for by a representative the register names (ADR 0033): the
   * representative's capacity, `godman`, `forvaltare` or `fullmakt` (the facts above are then the
   * represented person's). Absent when the resident applies for themselves.
   */
  representedBy?: string;
}

/** A named value computed from answers (`computed` on a service). */
export interface ComputedValue {
  id: string;
  expression: Expression;
  label?: { sv: string; en: string };
}

/** One thing wrong with an expression; path is a JSON pointer inside the expression. */
export interface ExpressionProblem {
  path: string;
  message: string;
}

// ---------------------------------------------------------------------------------------------
// The context, for the duration of one evaluation. json-logic-js is synchronous, so a module
// variable set around apply() is safe, and it reaches operations inside map/filter/reduce too,
// where `this` is the list item rather than the answers.

let current: ExpressionContext | undefined;

// ---------------------------------------------------------------------------------------------
// Custom operations. Every one is total: a missing or malformed input gives null (a value) or
// false (a comparison), never an exception, since answers are whatever a person typed.

/** A number from a number or from text as people type it ("1 200,50"); otherwise null. */
export function toNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v !== 'string') return null;
  const s = v.trim().replace(/[\s\u00a0]/g, '').replace(',', '.');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(s)) return null;
  return Number(s);
}

/** Empty text, an empty list (or one of only empty texts), null and missing are unanswered. */
export function isAnswered(v: unknown): boolean {
  if (v === undefined || v === null || v === '') return false;
  if (Array.isArray(v)) return v.some((x) => isAnswered(x));
  return true;
}

const flat = (args: unknown[]): unknown[] => args.flatMap((a) => (Array.isArray(a) ? a : [a]));
const numbers = (args: unknown[]): number[] => flat(args).map(toNumber).filter((n): n is number => n !== null);
const wholeNumber = (n: unknown): number | null => (typeof n === 'number' && Number.isInteger(n) ? n : null);

/** Minutes since midnight of "HH:MM", or null. */
function minutesOf(v: unknown): number | null {
  if (typeof v !== 'string') return null;
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(v) ?? (v === '24:00' ? ['', '24', '00'] : null);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/**
 * Hours per week of a schedule `[{day, from, to}]`; rows that are not a time span count nothing. An
 * end before the start is the next day's (a schedule's `overnight`, which validation allows only there).
 */
export function weeklyHours(schedule: unknown): number {
  if (!Array.isArray(schedule)) return 0;
  let minutes = 0;
  for (const row of schedule) {
    if (!row || typeof row !== 'object') continue;
    const from = minutesOf((row as { from?: unknown }).from);
    const to = minutesOf((row as { to?: unknown }).to);
    if (from !== null && to !== null && to !== from) minutes += to > from ? to - from : to + 24 * 60 - from;
  }
  return Math.round((minutes / 60) * 100) / 100;
}

function round(v: unknown, decimals: unknown = 0): number | null {
  const n = toNumber(v);
  const d = wholeNumber(decimals);
  if (n === null || d === null || d < 0 || d > 10) return null;
  const f = 10 ** d;
  // Half away from zero, as people round money; EPSILON so 1.005 rounds to 1.01.
  return (Math.sign(n) * Math.round(Math.abs(n) * f + Number.EPSILON * f)) / f;
}

const dateOp = (fn: (d: string, n: number) => string) => (d: unknown, n: unknown) => {
  const k = wholeNumber(n);
  return isIsoDate(d) && k !== null ? fn(d, k) : null;
};
const compareDates = (test: (a: string, b: string) => boolean) => (a: unknown, b: unknown) => isIsoDate(a) && isIsoDate(b) && test(a, b);

/** Each custom operation with its arity (min, max arguments); max -1 is "any number". */
const CUSTOM: Record<string, { fn: (...args: unknown[]) => unknown; min: number; max: number }> = {
  today: { fn: () => current?.today ?? null, min: 0, max: 0 },
  answered: { fn: (v) => isAnswered(v), min: 1, max: 1 },
  /** The answer is x, or (a multiple choice, a list) contains x. */
  has: { fn: (v, x) => (Array.isArray(v) ? v.includes(x) : v !== undefined && v !== null && v === x), min: 2, max: 2 },
  isDate: { fn: (v) => isIsoDate(v), min: 1, max: 1 },
  addDays: { fn: dateOp(addDays), min: 2, max: 2 },
  addMonths: { fn: dateOp(addMonths), min: 2, max: 2 },
  addYears: { fn: dateOp((d, n) => addMonths(d, 12 * n)), min: 2, max: 2 },
  before: { fn: compareDates((a, b) => a < b), min: 2, max: 2 },
  after: { fn: compareDates((a, b) => a > b), min: 2, max: 2 },
  onOrBefore: { fn: compareDates((a, b) => a <= b), min: 2, max: 2 },
  onOrAfter: { fn: compareDates((a, b) => a >= b), min: 2, max: 2 },
  daysBetween: { fn: (a, b) => (isIsoDate(a) && isIsoDate(b) ? daysBetween(a, b) : null), min: 2, max: 2 },
  /** Whole years from a to b: an age when a is a birth date. */
  yearsBetween: { fn: (a, b) => (isIsoDate(a) && isIsoDate(b) ? ageOn(a, b) : null), min: 2, max: 2 },
  number: { fn: (v) => toNumber(v), min: 1, max: 1 },
  round: { fn: (v, d) => round(v, d ?? 0), min: 1, max: 2 },
  sum: { fn: (...args) => numbers(args).reduce((a, b) => a + b, 0), min: 1, max: -1 },
  /** How many answered items a list (a multiple choice, a repeating group) has. */
  count: { fn: (v) => (Array.isArray(v) ? v.filter(isAnswered).length : isAnswered(v) ? 1 : 0), min: 1, max: 1 },
  // JSON Logic's own min/max, extended to lists and text numbers (Math.min of a list is NaN).
  min: { fn: (...args) => (numbers(args).length ? Math.min(...numbers(args)) : null), min: 1, max: -1 },
  max: { fn: (...args) => (numbers(args).length ? Math.max(...numbers(args)) : null), min: 1, max: -1 },
  weeklyHours: { fn: (v) => weeklyHours(v), min: 1, max: 1 },
};

for (const [name, op] of Object.entries(CUSTOM)) jsonLogic.add_operation(name, op.fn);
// Printing to the console is nothing a definition should do.
jsonLogic.rm_operation('log');

/** JSON Logic's own operations a definition may use (its "log" is left out). */
const STANDARD = [
  'var', 'missing', 'missing_some', 'if', '?:', '==', '===', '!=', '!==', '!', '!!', 'or', 'and',
  '>', '>=', '<', '<=', '+', '-', '*', '/', '%', 'in', 'cat', 'substr', 'merge',
  'map', 'filter', 'reduce', 'all', 'none', 'some',
];
/** Operations whose second argument is evaluated once per list item, with the item as its data. */
const SCOPED = new Set(['map', 'filter', 'reduce', 'all', 'none', 'some']);

/** Every operation name an expression may use. */
export const OPERATIONS: readonly string[] = [...STANDARD, ...Object.keys(CUSTOM).filter((k) => !STANDARD.includes(k))].sort();
const KNOWN = new Set(OPERATIONS);

const isOperation = (e: unknown): e is Record<string, Expression> => typeof e === 'object' && e !== null && !Array.isArray(e);
const argsOf = (e: Record<string, Expression>, op: string): Expression[] => {
  const v = e[op]!;
  return Array.isArray(v) ? v : [v];
};

// ---------------------------------------------------------------------------------------------
// The legacy condition syntax ({field, equals} …), kept so existing and stored definitions work:
// turned into JSON Logic once, by the loader, and on the fly for anything that was not loaded.

export type LegacyCondition =
  | { field: string; equals: string | number | boolean }
  | { field: string; notEquals: string | number | boolean }
  | { field: string; in: (string | number)[] }
  | { field: string; answered: boolean }
  | { field: string; beforeMonthsFromToday: number }
  | { all: LegacyCondition[] }
  | { any: LegacyCondition[] }
  | { not: LegacyCondition };

/**
 * Whether a value is written in the legacy syntax. `all` is also a JSON Logic operation, but its
 * legacy form lists conditions (each with `field` or a combinator), JSON Logic's a list and a test.
 */
export function isLegacyCondition(c: unknown): c is LegacyCondition {
  if (!isOperation(c)) return false;
  if ('field' in c) return true;
  const keys = Object.keys(c);
  if (keys.length !== 1) return false;
  if ('any' in c) return Array.isArray(c.any);
  if ('not' in c) return isLegacyCondition(c.not);
  if ('all' in c) return Array.isArray(c.all) && c.all.length > 0 && c.all.every(isLegacyCondition);
  return false;
}

/**
 * A legacy condition as JSON Logic (anything else is returned as it is). Equality is "has", so a
 * condition on a multiple-choice answer holds when the value is among those chosen.
 */
export function normaliseCondition(c: LegacyCondition | Expression): Expression {
  if (!isLegacyCondition(c)) return c as Expression;
  if ('all' in c) return { and: c.all.map(normaliseCondition) };
  if ('any' in c) return { or: c.any.map(normaliseCondition) };
  if ('not' in c) return { '!': normaliseCondition(c.not) };
  const v = { var: c.field };
  if ('equals' in c) return { has: [v, String(c.equals)] };
  if ('notEquals' in c) return { '!': { has: [v, String(c.notEquals)] } };
  if ('in' in c) return c.in.length === 1 ? { has: [v, String(c.in[0])] } : { or: c.in.map((x) => ({ has: [v, String(x)] })) };
  if ('answered' in c) return c.answered ? { answered: v } : { '!': { answered: v } };
  return { before: [v, { addMonths: [{ today: [] }, c.beforeMonthsFromToday] }] };
}

// A definition object is frozen after loading; a definition built in code (tests, stored ones)
// may still carry the legacy syntax: normalise it once per object.
const normalised = new WeakMap<object, Expression>();
function expressionOf(e: LegacyCondition | Expression): Expression {
  if (!isOperation(e)) return e;
  let n = normalised.get(e);
  if (n === undefined) normalised.set(e, (n = normaliseCondition(e)));
  return n;
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/** The value of an expression over data (answers by field id, `$computed`), with today from ctx. */
export function evaluate(expr: LegacyCondition | Expression, data: Record<string, unknown>, ctx: ExpressionContext): unknown {
  const before = current;
  current = ctx;
  try {
    return jsonLogic.apply(expressionOf(expr) as jsonLogic.RulesLogic, data);
  } finally {
    current = before;
  }
}

/** Whether a condition holds: its value is truthy in JSON Logic's sense (an empty list is false). */
export function holds(expr: LegacyCondition | Expression, data: Record<string, unknown>, ctx: ExpressionContext): boolean {
  return jsonLogic.truthy(evaluate(expr, data, ctx));
}

/**
 * A service's computed values from answers, in the order declared: each may use those before it
 * (`$computed.<id>`). Missing results are null, so a stored case always has every key.
 */
export function computeValues(def: { computed?: readonly ComputedValue[] }, answers: Record<string, unknown>, ctx: ExpressionContext): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  const data = expressionData(answers, values);
  for (const c of def.computed ?? []) {
    const v = evaluate(c.expression, data, ctx);
    values[c.id] = v === undefined || (typeof v === 'number' && !Number.isFinite(v)) ? null : v;
  }
  return values;
}

/** The data expressions read: the answers with the computed values beside them. */
export function expressionData(answers: Record<string, unknown>, computed: Record<string, unknown>): Record<string, unknown> {
  // Copied with Object.assign, not spread: on Node 20 a spread object given one more key costs a
  // microsecond or more (ADR 0019, seventh pass), and this runs for every page with computed values.
  // Onto an object without a prototype, so a key "__proto__" stays a key (as a spread keeps it).
  const data: Record<string, unknown> = Object.assign(Object.create(null) as Record<string, unknown>, answers);
  data[COMPUTED_KEY] = computed;
  return data;
}

// ---------------------------------------------------------------------------------------------
// Static checks (the catalogue loader runs them, so an error is found at start-up, not at runtime)

/**
 * The variables an expression reads from the answers (paths such as "startDate", "people.0.name",
 * "$computed.fee"), without those read from list items inside map/filter/reduce/all/some/none.
 */
export function variablesOf(expr: LegacyCondition | Expression): string[] {
  const out = new Set<string>();
  const walk = (e: Expression) => {
    if (Array.isArray(e)) return e.forEach(walk);
    if (!isOperation(e)) return;
    const op = Object.keys(e)[0];
    if (op === undefined) return;
    const args = argsOf(e, op);
    if (op === 'var') {
      if (typeof args[0] === 'string' || typeof args[0] === 'number') out.add(String(args[0]));
      return;
    }
    if (op === 'missing') return args.flat().forEach((a) => typeof a === 'string' && out.add(a));
    if (op === 'missing_some') return (Array.isArray(args[1]) ? args[1] : []).forEach((a) => typeof a === 'string' && out.add(a));
    if (SCOPED.has(op)) {
      walk(args[0] ?? null);
      if (op === 'reduce') walk(args[2] ?? null);
      return;
    }
    args.forEach(walk);
  };
  walk(expressionOf(expr));
  return [...out];
}

const STANDARD_ARITY: Record<string, [number, number]> = {
  if: [1, -1], '?:': [3, 3], '==': [2, 2], '===': [2, 2], '!=': [2, 2], '!==': [2, 2], '!': [1, 1], '!!': [1, 1],
  or: [1, -1], and: [1, -1], '>': [2, 2], '>=': [2, 2], '<': [2, 3], '<=': [2, 3], '+': [1, -1], '-': [1, 2],
  '*': [1, -1], '/': [2, 2], '%': [2, 2], in: [2, 2], cat: [1, -1], substr: [2, 3], merge: [0, -1],
  map: [2, 2], filter: [2, 2], reduce: [2, 3], all: [2, 2], none: [2, 2], some: [2, 2],
  var: [1, 2], missing: [1, -1], missing_some: [2, 2],
};

/**
 * What is wrong with an expression: unknown operations, wrong numbers of arguments, objects that
 * are not one operation, variables that are not named directly. An empty list means valid.
 */
export function validateExpression(expr: unknown): ExpressionProblem[] {
  const problems: ExpressionProblem[] = [];
  const walk = (e: unknown, path: string, scoped: boolean) => {
    if (e === null || typeof e === 'string' || typeof e === 'boolean') return;
    if (typeof e === 'number') {
      if (!Number.isFinite(e)) problems.push({ path, message: 'is not a finite number' });
      return;
    }
    if (Array.isArray(e)) return e.forEach((x, i) => walk(x, `${path}/${i}`, scoped));
    if (typeof e !== 'object') return problems.push({ path, message: `is not JSON (${typeof e})` });
    const keys = Object.keys(e);
    if (keys.length !== 1) {
      return problems.push({ path, message: `an operation is an object with exactly one key, its name; found ${keys.length ? keys.join(', ') : 'none'}` });
    }
    const op = keys[0]!;
    const where = `${path}/${op.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (!KNOWN.has(op)) return problems.push({ path: where, message: `unknown operation "${op}" (known: ${OPERATIONS.join(', ')})` });
    const args = argsOf(e as Record<string, Expression>, op);
    const [min, max] = CUSTOM[op] && !STANDARD.includes(op) ? [CUSTOM[op].min, CUSTOM[op].max] : STANDARD_ARITY[op] ?? [0, -1];
    if (args.length < min || (max >= 0 && args.length > max)) {
      const wanted = max < 0 ? `at least ${min}` : min === max ? `${min}` : `${min} to ${max}`;
      problems.push({ path: where, message: `"${op}" takes ${wanted} argument${wanted === '1' ? '' : 's'}, not ${args.length}` });
      return;
    }
    const at = (i: number) => (Array.isArray((e as Record<string, unknown>)[op]) ? `${where}/${i}` : where);
    if (op === 'var') {
      const name = args[0];
      if (typeof name !== 'string' && typeof name !== 'number') problems.push({ path: at(0), message: 'names its variable directly (a text), not with an expression' });
      else if (!scoped && (name === '' || typeof name === 'number')) problems.push({ path: at(0), message: 'must name an answer (a field id) or $computed.<id>' });
      if (args[1] !== undefined) walk(args[1], at(1), scoped);
      return;
    }
    if (op === 'missing' || op === 'missing_some') {
      const names = op === 'missing' ? args.flat() : args[1];
      if (op === 'missing_some' && typeof args[0] !== 'number') problems.push({ path: at(0), message: 'must be a number' });
      if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) problems.push({ path: at(op === 'missing' ? 0 : 1), message: 'must list the variables directly (texts)' });
      return;
    }
    args.forEach((a, i) => walk(a, at(i), scoped || (SCOPED.has(op) && i === 1)));
  };
  walk(expr, '', false);
  return problems;
}
