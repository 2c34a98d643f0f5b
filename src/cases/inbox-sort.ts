/**
 * The inbox's sort orders and their keyset cursors. Each order is one column (received, due,
 * reference, state) and the case id as the tie-breaker, ascending or descending; a page goes on
 * after the last row's key, so paging stays one index range whatever the order (no OFFSET).
 *
 * A cursor comes back from the browser, so it is input and is read as strictly as the kernel's
 * page cursor (kernel/page-cursor.ts): anything encodeInboxCursor did not write — another order's
 * cursor, a key of the wrong type, an id that is not a UUID, a date the calendar does not have —
 * is PAGE_CURSOR_INVALID (a translated 400), never passed to the database.
 */
import { AppError } from '../kernel/errors.ts';
import { isUuid } from '../kernel/ids.ts';

export const INBOX_SORTS = ['received', 'due', 'reference', 'state'] as const;
export type InboxSortKey = (typeof INBOX_SORTS)[number];
export type SortDirection = 'asc' | 'desc';

export interface InboxSort {
  key: InboxSortKey;
  dir: SortDirection;
}

/** Newest first, as the inbox has always opened. */
export const DEFAULT_SORT: InboxSort = { key: 'received', dir: 'desc' };

/** The column each order reads, and whether its key is a time (else text); `due` may be empty. */
export const SORT_COLUMNS: Record<InboxSortKey, { column: string; time: boolean; nullable: boolean }> = {
  received: { column: 'created_at', time: true, nullable: false },
  due: { column: 'due_at', time: true, nullable: true },
  reference: { column: 'reference', time: false, nullable: false },
  state: { column: 'status', time: false, nullable: false },
};

/** The direction a column starts in when its heading is chosen: times soonest/newest-first as a handler reads them. */
export const FIRST_DIRECTION: Record<InboxSortKey, SortDirection> = { received: 'desc', due: 'asc', reference: 'asc', state: 'asc' };

/** The order a request asks for (?sort=due&dir=asc); anything unknown is the default, as an unknown filter is. */
export function readInboxSort(sort: unknown, dir: unknown): InboxSort {
  const key = INBOX_SORTS.find((k) => k === sort);
  if (!key) return DEFAULT_SORT;
  return { key, dir: dir === 'asc' || dir === 'desc' ? dir : FIRST_DIRECTION[key] };
}

/** The last row of a page: its sort key (null: a case without a due date) and id. */
export interface InboxCursor {
  sort: InboxSortKey;
  key: Date | string | null;
  id: string;
}

const MAX_LENGTH = 400;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const ISO_INSTANT = /^[1-9]\d{3}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** A reference or a state id as the engine writes them (letters, digits, - _ . :), bounded. */
const TEXT_KEY = /^[\p{L}\p{N}_.:-]{1,120}$/u;

export function encodeInboxCursor(c: InboxCursor): string {
  const key = c.key instanceof Date ? c.key.toISOString() : c.key;
  return Buffer.from(JSON.stringify([c.sort, key, c.id])).toString('base64url');
}

const invalid = (): never => {
  throw new AppError('PAGE_CURSOR_INVALID');
};

/** The cursor of ?after= for this order: undefined on the first page, else exactly what encodeInboxCursor wrote. */
export function decodeInboxCursor(value: unknown, sort: InboxSortKey): InboxCursor | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || value.length > MAX_LENGTH || !BASE64URL.test(value)) return invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    return invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) return invalid();
  const [s, key, id] = parsed as unknown[];
  const spec = SORT_COLUMNS[sort];
  if (s !== sort || typeof id !== 'string' || !isUuid(id)) return invalid();
  if (key === null) return spec.nullable ? { sort, key: null, id } : invalid();
  if (typeof key !== 'string') return invalid();
  if (!spec.time) return TEXT_KEY.test(key) ? { sort, key, id } : invalid();
  const at = new Date(key);
  // The round trip refuses what the pattern lets through but the calendar does not (2026-02-30).
  if (!ISO_INSTANT.test(key) || Number.isNaN(at.getTime()) || at.toISOString() !== key) return invalid();
  return { sort, key: at, id };
}
