/** SQL for the handler's inbox: a department's cases, filtered, newest first, paginated by key. */
import type { TenantQueryable } from '../kernel/db/index.ts';
import type { PageCursor } from '../kernel/page-cursor.ts';
import { CASE_COLUMNS, toCase, type Case, type CaseRow } from './cases.repository.ts';

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
  now: Date;
  /** Cases created before this key (created_at, id): the next page. */
  after?: PageCursor | undefined;
  limit: number;
}

export interface InboxPage {
  cases: Case[];
  next: PageCursor | undefined;
}

export async function inbox(q: TenantQueryable, f: InboxFilter): Promise<InboxPage> {
  const where = ['tenant_id = $1'];
  const params: unknown[] = [];
  const add = (sql: (p: string) => string, v: unknown) => {
    params.push(v);
    where.push(sql(`$${params.length + 1}`));
  };
  add((p) => `department = ANY(${p}::text[])`, f.departments);
  add((p) => `service_id = ANY(${p}::text[])`, f.serviceIds);
  if (f.serviceId) add((p) => `service_id = ${p}`, f.serviceId);
  if (f.status === 'open') {
    // Final in the case's own version (a state may be final in one service and not in another,
    // or no longer exist in the current version): every version's definition is in service_versions.
    where.push(`NOT EXISTS (SELECT 1 FROM service_versions v, jsonb_array_elements(v.definition->'workflow'->'states') st
      WHERE v.tenant_id = cases.tenant_id AND v.service_id = cases.service_id AND v.version = cases.service_version
        AND st->>'id' = cases.status AND (st->>'final')::boolean IS TRUE)`);
  } else if (f.status?.includes(':')) {
    const at = f.status.indexOf(':');
    add((p) => `service_id = ${p}`, f.status.slice(0, at));
    add((p) => `status = ${p}`, f.status.slice(at + 1));
  } else if (f.status) add((p) => `status = ${p}`, f.status);
  if (f.assignee === 'none') where.push('assignee_id IS NULL');
  else if (f.assignee) add((p) => `assignee_id = ${p}`, f.assignee);
  if (f.overdue) add((p) => `due_at < ${p}`, f.now);
  if (f.after) {
    params.push(f.after.at, f.after.id);
    where.push(`(created_at, id) < ($${params.length}, $${params.length + 1})`);
  }
  params.push(f.limit + 1);
  const { rows } = await q.query<CaseRow>(`SELECT ${CASE_COLUMNS} FROM cases WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT $${params.length + 1}`, params);
  const cases = rows.slice(0, f.limit).map(toCase);
  const last = cases.at(-1);
  return { cases, next: rows.length > f.limit && last ? { at: last.createdAt, id: last.id } : undefined };
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
