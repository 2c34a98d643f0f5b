/**
 * Evaluates a definition's conditions over answers. Conditions are plain data (see
 * catalogue/types.ts) so the browser enhancement can evaluate the same object; this is the
 * server's evaluator, and the one the tests pin down.
 */
import type { Condition } from '../catalogue/types.ts';
import { addMonths, isIsoDate } from './dates.ts';

/**
 * An answer as stored in a draft and a case (jsonb). Text kinds store a string, multiple and ranked
 * choices a list of strings, number and money a JSON number, structured kinds an object (an
 * address, a date range) or a list of objects (a weekly schedule, a repeating group's items).
 * The shape of each kind is documented in docs/adr/0013-field-kinds.md.
 */
export type AnswerValue = string | number | string[] | AnswerRecord | AnswerRecord[];
export interface AnswerRecord {
  [key: string]: AnswerValue;
}
export type Answers = Record<string, AnswerValue>;

function isAnswered(v: AnswerValue | undefined): boolean {
  if (Array.isArray(v)) return v.some((x) => x !== '');
  if (v !== null && typeof v === 'object') return Object.values(v).some((x) => isAnswered(x));
  return v !== undefined && v !== '';
}

/** today is YYYY-MM-DD in Europe/Stockholm. */
export function evaluate(condition: Condition, answers: Answers, today: string): boolean {
  if ('all' in condition) return condition.all.every((c) => evaluate(c, answers, today));
  if ('any' in condition) return condition.any.some((c) => evaluate(c, answers, today));
  if ('not' in condition) return !evaluate(condition.not, answers, today);
  const value = answers[condition.field];
  const scalar = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
  if ('equals' in condition) return scalar === String(condition.equals);
  if ('notEquals' in condition) return scalar !== String(condition.notEquals);
  if ('in' in condition) return scalar !== undefined && condition.in.map(String).includes(scalar);
  if ('answered' in condition) return isAnswered(value) === condition.answered;
  if ('beforeMonthsFromToday' in condition) {
    return scalar !== undefined && isIsoDate(scalar) && scalar < addMonths(today, condition.beforeMonthsFromToday);
  }
  return false;
}

/** The fields a condition reads (to know whether it depends on the same step). */
export function fieldsOf(condition: Condition): string[] {
  if ('all' in condition) return condition.all.flatMap(fieldsOf);
  if ('any' in condition) return condition.any.flatMap(fieldsOf);
  if ('not' in condition) return fieldsOf(condition.not);
  return [condition.field];
}
