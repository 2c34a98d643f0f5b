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
  return (s.includes('\u0000') ? s.replace(/\u0000/g, '') : s).replace(LONE_SURROGATE, '\uFFFD');
}

/** A copy of parsed input with every string (keys included) cleaned; throws BAD_REQUEST beyond the bounds. */
export function cleanInput(input: unknown): unknown {
  let result: unknown;
  let values = 0;
  // Each entry: a value to clean and where its cleaned copy goes.
  const work: { value: unknown; depth: number; put: (v: unknown) => void }[] = [{ value: input, depth: 0, put: (v) => (result = v) }];
  while (work.length > 0) {
    const { value, depth, put } = work.pop()!;
    if (++values > MAX_INPUT_VALUES) throw new AppError('BAD_REQUEST', 'too many values in the request');
    if (typeof value === 'string') {
      put(cleanString(value));
    } else if (Array.isArray(value) || (value !== null && typeof value === 'object' && !Buffer.isBuffer(value))) {
      if (depth >= MAX_INPUT_DEPTH) throw new AppError('BAD_REQUEST', 'request nested too deeply');
      const entries = Array.isArray(value) ? value.length : Object.keys(value).length;
      if (values + work.length + entries > MAX_INPUT_VALUES) throw new AppError('BAD_REQUEST', 'too many values in the request');
      if (Array.isArray(value)) {
        const copy: unknown[] = new Array(value.length);
        put(copy);
        value.forEach((item, i) => work.push({ value: item, depth: depth + 1, put: (v) => (copy[i] = v) }));
      } else {
        const copy: Record<string, unknown> = {};
        put(copy);
        for (const [k, item] of Object.entries(value)) {
          const key = cleanString(k);
          // Defined, not assigned: a key "__proto__" stays a plain property, as with Object.fromEntries.
          Object.defineProperty(copy, key, { value: undefined, writable: true, enumerable: true, configurable: true });
          work.push({ value: item, depth: depth + 1, put: (v) => (copy[key] = v) });
        }
      }
    } else {
      put(value);
    }
  }
  return result;
}
