/** Helpers the kind modules share: reading posted text, blankness, ids, a fieldset. */
import type { ComponentChildren } from 'preact';
import { LegendHeading, ValidationMessage } from '../../kernel/html/components.tsx';
import type { Field } from '../../catalogue/types.ts';
import type { AnswerValue } from '../conditions.ts';
import type { Body, PostedForm } from './types.ts';

// NUL cannot be stored in PostgreSQL text or jsonb, and no person types it: drop it. Only text
// (or a JSON number or boolean) is an answer; an object is read as nothing, and String() of one
// may throw ({"toString": "x"}).
// (Each replace only when there is something to replace: every posted value passes here.)
export const clean = (v: unknown): string => {
  const s = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
  return s.includes('\u0000') ? s.replace(/\u0000/g, '') : s;
};

/** One posted text, trimmed; repeated keys arrive as arrays and are kept so validation reports them instead of guessing. */
export function text(v: unknown): string | string[] {
  if (Array.isArray(v)) return v.map(clean);
  if (v === undefined || v === null) return '';
  const s = clean(v);
  return (s.includes('\r') ? s.replace(/\r\n?/g, '\n') : s).trim();
}

/** One posted text, or '#invalid' when the key was repeated (a part of a structured answer). */
export function part(body: Body, name: string): string {
  const v = text(body[name]);
  return Array.isArray(v) ? '#invalid' : v;
}

export function isBlankValue(v: AnswerValue | undefined): boolean {
  if (v === undefined || v === '') return true;
  if (Array.isArray(v)) return v.every((x) => isBlankValue(x));
  if (typeof v === 'object') return Object.values(v).every((x) => isBlankValue(x));
  return false;
}

/** The id of a posted name's input: "people.1.name" → "f-people-1-name". */
export const inputId = (name: string) => `f-${name.replace(/\./g, '-')}`;

export const str = (v: AnswerValue | undefined): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '');

/** A part of a structured answer as text. */
export const partOf = (v: AnswerValue | undefined, key: string): string => (v && typeof v === 'object' && !Array.isArray(v) ? str(v[key]) : '');

export const isRecord = (v: AnswerValue | undefined): v is Record<string, AnswerValue> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Whether every part of a structured answer is one text (no repeated keys). */
export const partsAreText = (v: AnswerValue | undefined, keys: string[]) => isRecord(v) && keys.every((k) => typeof v[k] === 'string' && v[k] !== '#invalid');

/** The definition's example as a posted form: a text for the name, or an object's keys as "name.key". */
export function examplePosted(field: Field, name: string): PostedForm | undefined {
  const ex = field.example;
  if (ex === undefined) return undefined;
  if (typeof ex === 'object' && !Array.isArray(ex)) return Object.fromEntries(Object.entries(ex).map(([k, v]) => [`${name}.${k}`, String(v)]));
  if (Array.isArray(ex)) return { [name]: ex.map(String) };
  return { [name]: String(ex) };
}

export function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  const list = ids.filter(Boolean);
  return list.length ? list.join(' ') : undefined;
}

/** A group of inputs answering one question: legend (the page's h1 when alone), hint and error linked. */
export function Fieldset({ id, legend, single, hint, error, children }: { id: string; legend: string; single: boolean; hint: string | undefined; error: string | undefined; children: ComponentChildren }) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errId = error ? `${id}-error` : undefined;
  return (
    <fieldset class="ds-fieldset mb-field" aria-describedby={describedBy(hintId, errId)}>
      <legend class="ds-label">{single ? <LegendHeading>{legend}</LegendHeading> : legend}</legend>
      {hint && (
        <p data-field="description" class="mb-hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && <ValidationMessage id={errId!}>{error}</ValidationMessage>}
      {children}
    </fieldset>
  );
}
