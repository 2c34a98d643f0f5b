/**
 * Keyset cursors for paged lists (the case inbox, the audit log): the last row's time and id,
 * base64url in a query parameter. A cursor comes back from the browser, so it is input: anything
 * but what encodePageCursor produces is refused with PAGE_CURSOR_INVALID (a translated 400 page),
 * never passed on to the database, where a non-UUID id or a year PostgreSQL or JavaScript cannot
 * hold would be a 500.
 */
import { AppError } from './errors.ts';
import { isUuid } from './ids.ts';

export interface PageCursor {
  at: Date;
  id: string;
}

/** Far more than a cursor needs (about 90 characters); a longer value is not one of ours. */
const MAX_LENGTH = 200;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** Exactly what Date.prototype.toISOString writes for years 1000 to 9999. */
const ISO_INSTANT = /^[1-9]\d{3}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function encodePageCursor(c: PageCursor): string {
  return Buffer.from(`${c.at.toISOString()}|${c.id}`).toString('base64url');
}

/**
 * The cursor in a query parameter: undefined when there is none (the first page), the decoded
 * cursor when it is one encodePageCursor made, and AppError PAGE_CURSOR_INVALID otherwise.
 */
export function decodePageCursor(value: unknown): PageCursor | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || value.length > MAX_LENGTH || !BASE64URL.test(value)) throw new AppError('PAGE_CURSOR_INVALID');
  const [at, id, ...rest] = Buffer.from(value, 'base64url').toString('utf8').split('|');
  const date = new Date(at ?? '');
  // The round trip rejects what the pattern lets through but the calendar does not (2026-02-30).
  if (rest.length > 0 || !ISO_INSTANT.test(at ?? '') || Number.isNaN(date.getTime()) || date.toISOString() !== at || !isUuid(id)) {
    throw new AppError('PAGE_CURSOR_INVALID');
  }
  return { at: date, id };
}
