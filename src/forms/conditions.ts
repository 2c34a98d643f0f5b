/**
 * The forms engine's use of the expression language (expressions/, ADR 0009): whether a `when`
 * holds over the answers so far, and which fields a condition reads. The evaluator itself is the
 * one the browser enhancement runs, so a question the browser shows is one the server asks for.
 */
import type { ServiceDefinition, When } from '../catalogue/types.ts';
import { COMPUTED_KEY, computeValues, expressionData, holds, variablesOf } from '../expressions/index.ts';
import { memoPerDefinition } from './memo.ts';

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

type WithComputed = Pick<ServiceDefinition, 'computed'>;

// Computed values (and the data expressions read) for one answers object, per request: answers
// objects are built fresh for each request and not changed afterwards, so their identity is a
// safe cache key, and a page's many conditions compute them once.
const cache = new WeakMap<object, { def: WithComputed; today: string; values: Record<string, unknown>; data: Record<string, unknown> }>();

function cached(def: WithComputed, answers: Answers, today: string) {
  const hit = cache.get(answers);
  if (hit && hit.def === def && hit.today === today) return hit;
  const values = computeValues(def, answers, { today });
  const entry = { def, today, values, data: expressionData(answers, values) };
  cache.set(answers, entry);
  return entry;
}

/** The service's computed values for these answers (empty when it declares none). */
export function computedFor(def: WithComputed | undefined, answers: Answers, today: string): Record<string, unknown> {
  return def?.computed?.length ? cached(def, answers, today).values : {};
}

/** Whether a condition holds; today is YYYY-MM-DD in Europe/Stockholm. */
export function conditionHolds(when: When, answers: Answers, today: string, def?: WithComputed): boolean {
  // Without computed values the answers are the data as they are (no copy per condition).
  const data = def?.computed?.length ? cached(def, answers, today).data : answers;
  return holds(when, data, { today });
}

/** The same, by its old name (a condition, answers, today). */
export const evaluate = (when: When, answers: Answers, today: string): boolean => conditionHolds(when, answers, today);

// fieldsOf per condition and definition: a step's page asks it for every field on every request.
const fieldsOfMemo = memoPerDefinition((when: object, def?: WithComputed) => fieldsOfUncached(when as When, def));

/**
 * The fields a condition reads (to know whether it depends on the same step): the first segment
 * of each variable, and for `$computed.<id>` the fields that computed value reads.
 */
export function fieldsOf(when: When, def?: WithComputed): string[] {
  if (typeof when !== 'object' || when === null) return fieldsOfUncached(when, def);
  return [...fieldsOfMemo(when, def)];
}

function fieldsOfUncached(when: When, def?: WithComputed): string[] {
  const out = new Set<string>();
  const visit = (expr: When, seen: Set<string>) => {
    for (const v of variablesOf(expr)) {
      const [head, id] = v.split('.');
      if (head !== COMPUTED_KEY) {
        out.add(head!);
        continue;
      }
      const computed = def?.computed?.find((c) => c.id === id);
      if (computed && !seen.has(computed.id)) visit(computed.expression, new Set([...seen, computed.id]));
    }
  };
  visit(when, new Set());
  return [...out];
}
