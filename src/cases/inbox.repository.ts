/**
 * SQL for the handler's inbox: a department's cases, filtered, searched by reference or name,
 * sorted by one column and paginated by key (inbox-sort.ts). Migration 0018 holds the indexes
 * these orders and the search use; `npm run bench:inbox` measures them on 100,000 cases.
 */
import type { TenantQueryable } from '../kernel/db/index.ts';
import { CASE_COLUMNS, toCase, type Case, type CaseRow } from './cases.repository.ts';
import { DEFAULT_SORT, SORT_COLUMNS, type InboxCursor, type InboxSort } from './inbox-sort.ts';

export interface InboxFilter {
  departments: readonly string[];
  /** The services whose cases the staff member may see (policy's inboxServices). */
  serviceIds: readonly string[];
  serviceId?: string | undefined;
  /**
   * 'open' = a state that is not final in the version of the definition the case is handled by;
   * `<service>:<state>` = that state of that service; a bare state id = that state in any service;
   * undefined = all.
   */
  status?: string | undefined;
  /** A staff id, 'none' for unassigned, or undefined for anyone. */
  assignee?: string | undefined;
  overdue?: boolean | undefined;
  /**
   * Part of a reference, or of the applicant's or subject's name, in any case. A name on a case
   * with a protected identity matches only for the case's assignee (policy/ staffSeesProtectedNames,
   * which this SQL mirrors): everyone else finds such a case by its reference.
   */
  search?: string | undefined;
  /** The member of staff reading (the protected-identity rule above). */
  viewerId: string;
  now: Date;
  sort?: InboxSort | undefined;
  /** The last row of the previous page, in this order. */
  after?: InboxCursor | undefined;
  limit: number;
}

export interface InboxPage {
  cases: Case[];
  next: InboxCursor | undefined;
}

/** `text` as a LIKE pattern that matches it anywhere, its own % _ and \\ taken literally. */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/** The cases some of whose people (applicant, subject) have a protected identity (co-signing/ records it on the party). */
const PROTECTED_CASES = `SELECT case_id FROM case_parties WHERE tenant_id = $1 AND role IN ('applicant', 'subject') AND details @> '{"protected": true}'`;

export async function inbox(q: TenantQueryable, f: InboxFilter): Promise<InboxPage> {
  const where = ['tenant_id = $1'];
  const params: unknown[] = [];
  const add = (sql: (p: string) => string, v: unknown) => {
    params.push(v);
    where.push(sql(`$${params.length + 1}`));
  };
  // One department (the usual case) as an equality, so the order's index (migration 0018) is read in order.
  if (f.departments.length === 1) add((p) => `department = ${p}`, f.departments[0]);
  else add((p) => `department = ANY(${p}::text[])`, f.departments);
  add((p) => `service_id = ANY(${p}::text[])`, f.serviceIds);
  if (f.serviceId) add((p) => `service_id = ${p}`, f.serviceId);
  if (f.status === 'open') {
    // Final in the case's own version (a state may be final in one service and not in another,
    // or no longer exist in the current version): every version's definition is in service_versions.
    // Read as one set (a hashed subplan), not per case, so the order's index can be walked with a LIMIT.
    where.push(`(service_id, service_version, status) NOT IN (SELECT v.service_id, v.version, st->>'id'
      FROM service_versions v, jsonb_array_elements(v.definition->'workflow'->'states') st
      WHERE v.tenant_id = $1 AND (st->>'final')::boolean IS TRUE)`);
  } else if (f.status?.includes(':')) {
    const at = f.status.indexOf(':');
    add((p) => `service_id = ${p}`, f.status.slice(0, at));
    add((p) => `status = ${p}`, f.status.slice(at + 1));
  } else if (f.status) add((p) => `status = ${p}`, f.status);
  if (f.assignee === 'none') where.push('assignee_id IS NULL');
  else if (f.assignee) add((p) => `assignee_id = ${p}`, f.assignee);
  if (f.overdue) add((p) => `due_at < ${p}`, f.now);
  if (f.search) {
    params.push(containsPattern(f.search), f.viewerId);
    const [pattern, viewer] = [`$${params.length}`, `$${params.length + 1}`];
    // Uncorrelated subqueries: each is read once (a hashed subplan), not once per case.
    where.push(`(lower(reference) LIKE ${pattern} ESCAPE '\\'
      OR (id IN (SELECT case_id FROM case_parties WHERE tenant_id = $1 AND role IN ('applicant', 'subject') AND lower(name) LIKE ${pattern} ESCAPE '\\')
          AND (assignee_id IS NOT DISTINCT FROM ${viewer}::uuid OR id NOT IN (${PROTECTED_CASES}))))`);
  }
  const sort = f.sort ?? DEFAULT_SORT;
  const { column, nullable } = SORT_COLUMNS[sort.key];
  const dir = sort.dir === 'asc' ? 'ASC' : 'DESC';
  const op = sort.dir === 'asc' ? '>' : '<';
  // A case without a due date is as if due last: after every date ascending, first descending (the
  // exact reverse, so one index serves both). The row comparisons are what the index is ordered by.
  const keyed = nullable ? `(${column} IS NULL), ${column}, id` : `${column}, id`;
  if (f.after) {
    if (f.after.key !== null) {
      params.push(f.after.key, f.after.id);
      where.push(`(${keyed}) ${op} (${nullable ? 'false, ' : ''}$${params.length}, $${params.length + 1})`);
    } else {
      params.push(f.after.id);
      const id = `$${params.length + 1}`;
      where.push(sort.dir === 'asc' ? `${column} IS NULL AND id > ${id}` : `(${column} IS NOT NULL OR id < ${id})`);
    }
  }
  const order = keyed.split(', ').map((k) => `${k} ${dir}`).join(', ');
  params.push(f.limit + 1);
  const { rows } = await q.query<CaseRow>(`SELECT ${CASE_COLUMNS} FROM cases WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT $${params.length + 1}`, params);
  const cases = rows.slice(0, f.limit).map(toCase);
  const last = cases.at(-1);
  const keyOf = (c: Case): Date | string | null => ({ received: c.createdAt, due: c.dueAt, reference: c.reference, state: c.status })[sort.key];
  return { cases, next: rows.length > f.limit && last ? { sort: sort.key, key: keyOf(last), id: last.id } : undefined };
}

export interface StaffName {
  id: string;
  displayName: string;
  roles: string[];
  departments: string[];
}

/** Names of staff (for histories and the assign list); disabled accounts still have their names shown in history. */
export async function staffNames(q: TenantQueryable): Promise<StaffName[]> {
  const { rows } = await q.query<{ id: string; display_name: string; roles: string[]; departments: string[]; disabled_at: Date | null }>(
    'SELECT id, display_name, roles, departments, disabled_at FROM staff_accounts WHERE tenant_id = $1 ORDER BY display_name',
  );
  return rows.map((r) => ({ id: r.id, displayName: r.display_name, roles: r.disabled_at ? [] : r.roles, departments: r.departments }));
}
