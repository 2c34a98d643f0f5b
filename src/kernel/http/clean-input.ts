/**
 * Parsed request input (body and query) made safe to store before a route sees it. NUL cannot be
 * stored in PostgreSQL text or jsonb and no person types it, so it is removed; a lone surrogate (a
 * JSON body may carry "\ud800") is not valid UTF-8 and PostgreSQL refuses it, so it becomes U+FFFD.
 *
 * The walk is iterative and bounded: a JSON body nested thousands of levels deep, or one with a
 * huge number of values, is refused as a bad request (the translated 400 page) instead of
 * overflowing the stack. No form of ours comes near the bounds.
 */
import { AppError } from '../errors.ts';

/** Deepest nesting taken: forms send a few levels at most (a list of choices). */
export const MAX_INPUT_DEPTH = 32;
/** Most strings, numbers, arrays and objects taken in one body or query. */
export const MAX_INPUT_VALUES = 10_000;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** One posted string made safe to store (the rule above); multipart fields go through it too. */
export function cleanString(s: string): string {
  // Most strings have neither: one scan, no copy (this runs on every posted value).
  if (!NEEDS_CLEANING.test(s)) return s;
  return (s.includes('\u0000') ? s.replace(/\u0000/g, '') : s).replace(LONE_SURROGATE, '\uFFFD');
}

const NEEDS_CLEANING = /[\u0000\uD800-\uDFFF]/;

/** One value still to clean, and where its copy goes: `into[key]` (no closure per value: this runs on every request). */
interface Work {
  value: unknown;
  depth: number;
  into: Record<string | number, unknown>;
  key: string | number;
}

export function cleanInput(input: unknown): unknown {
  // Nearly every request has nothing to clean: then the input itself is returned, not a copy (it
  // runs on every request; ADR 0019). The copy below gives the same values and keys when nothing is
  // cleaned, so the two can only differ in identity.
  return isClean(input) ? input : cleanCopy(input);
}

/** Whether nothing in the input needs cleaning, within the bounds (outside them, the copy refuses it). */
function isClean(input: unknown): boolean {
  if (typeof input === 'string') return !NEEDS_CLEANING.test(input);
  if (input === null || typeof input !== 'object' || Buffer.isBuffer(input)) return true;
  let values = 0;
  const work: { value: object; depth: number }[] = [{ value: input, depth: 0 }];
  while (work.length > 0) {
    const { value, depth } = work.pop()!;
    if (depth >= MAX_INPUT_DEPTH) return false;
    const items = Array.isArray(value) ? (value as unknown[]) : Object.values(value);
    if (!Array.isArray(value)) for (const k of Object.keys(value)) if (NEEDS_CLEANING.test(k)) return false;
    values += 1 + items.length;
    if (values > MAX_INPUT_VALUES) return false;
    for (const item of items) {
      if (typeof item === 'string') {
        if (NEEDS_CLEANING.test(item)) return false;
      } else if (item !== null && typeof item === 'object' && !Buffer.isBuffer(item)) work.push({ value: item, depth: depth + 1 });
    }
  }
  return true;
}

function cleanCopy(input: unknown): unknown {
  const root: { result?: unknown } = {};
  let values = 0;
  const work: Work[] = [{ value: input, depth: 0, into: root, key: 'result' }];
  while (work.length > 0) {
    const { value, depth, into, key } = work.pop()!;
    if (++values > MAX_INPUT_VALUES) throw new AppError('BAD_REQUEST', 'too many values in the request');
    if (typeof value === 'string') {
      into[key] = cleanString(value);
    } else if (Array.isArray(value) || (value !== null && typeof value === 'object' && !Buffer.isBuffer(value))) {
      if (depth >= MAX_INPUT_DEPTH) throw new AppError('BAD_REQUEST', 'request nested too deeply');
      const entries = Array.isArray(value) ? value.length : Object.keys(value).length;
      if (values + work.length + entries > MAX_INPUT_VALUES) throw new AppError('BAD_REQUEST', 'too many values in the request');
      if (Array.isArray(value)) {
        const copy: unknown[] = new Array(value.length);
        into[key] = copy;
        for (let i = 0; i < value.length; i++) work.push({ value: value[i], depth: depth + 1, into: copy as unknown as Record<number, unknown>, key: i });
      } else {
        const copy: Record<string, unknown> = {};
        into[key] = copy;
        for (const [k, item] of Object.entries(value)) {
          const name = cleanString(k);
          Object.defineProperty(copy, name, { value: undefined, writable: true, enumerable: true, configurable: true });
          work.push({ value: item, depth: depth + 1, into: copy, key: name });
        }
      }
    } else {
      into[key] = value;
    }
  }
  return root.result;
}
