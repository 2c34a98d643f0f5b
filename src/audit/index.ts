/**
 * The audit log: who read what. Every staff view of a case, a document or a file is recorded with
 * the request id (and a reason where one is asked). It is not the archive journal: the journal
 * records changes to a case; this records reads of personal data. A security officer can view and
 * export it.
 */
import type { TenantQueryable } from '../kernel/db/index.ts';
import { uuidv7 } from '../kernel/ids.ts';

/**
 * Every action the code writes to the log. Each has a label, `audit.action.<action>`, in both
 * languages, defined beside the module that writes it: the security officer's page names them so
 * (src/audit/audit-actions.test.ts checks each one renders).
 */
export const AUDIT_ACTIONS = [
  'case.view',
  'document.view',
  'attachment.view',
  'receipt.view',
  'audit.export',
  'booking.export',
  'booking.season.allocate',
  'allocation.round.open',
  'allocation.round.freeze',
  'allocation.round.publish',
  'queue.places.change',
  'queue.vacancy.open',
  'queue.vacancy.close',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditRecord {
  staffId: string;
  action: AuditAction;
  objectType: 'case' | 'document' | 'attachment' | 'audit_log' | 'booking_day' | 'booking_season' | 'allocation_round' | 'queue' | 'queue_vacancy';
  objectId: string;
  caseId?: string | null;
  reason?: string | null;
  requestId?: string | null;
}

export interface AuditEntry extends Required<AuditRecord> {
  id: string;
  at: Date;
  staffName: string | null;
  caseReference: string | null;
}

export async function recordAudit(q: TenantQueryable, r: AuditRecord, at: Date): Promise<void> {
  await q.query(
    `INSERT INTO audit_log (tenant_id, id, at, staff_id, action, object_type, object_id, case_id, reason, request_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [uuidv7(at.getTime()), at, r.staffId, r.action, r.objectType, r.objectId, r.caseId ?? null, r.reason ?? null, r.requestId ?? null],
  );
}

export interface AuditQuery {
  staffId?: string | undefined;
  /** A case's reference, in any case (references are upper case: the catalogue's prefix pattern). */
  caseReference?: string | undefined;
  /** From this day and up to and including that one, as days in Stockholm (YYYY-MM-DD). */
  fromDay?: string | undefined;
  toDay?: string | undefined;
  /** Keyset cursor: entries older than this (at, id). */
  before?: { at: Date; id: string } | undefined;
  limit: number;
}

interface Row {
  id: string;
  at: Date;
  staff_id: string;
  action: AuditAction;
  object_type: AuditRecord['objectType'];
  object_id: string;
  case_id: string | null;
  reason: string | null;
  request_id: string | null;
  staff_name: string | null;
  case_reference: string | null;
}

/** Newest first, paginated by key. */
export async function listAudit(q: TenantQueryable, query: AuditQuery): Promise<AuditEntry[]> {
  const where = ['a.tenant_id = $1'];
  const params: unknown[] = [];
  const add = (sql: (n: string) => string, v: unknown) => {
    params.push(v);
    where.push(sql(`$${params.length + 1}`));
  };
  if (query.staffId) add((p) => `a.staff_id = ${p}`, query.staffId);
  // By the case's id (audit_log_by_case), found by its reference (the unique index).
  if (query.caseReference) add((p) => `a.case_id IN (SELECT id FROM cases WHERE tenant_id = $1 AND reference = ${p})`, query.caseReference.toUpperCase());
  // Days as the municipality counts them: from Stockholm's midnight to the midnight after the last day.
  if (query.fromDay) add((p) => `a.at >= (${p}::date::timestamp AT TIME ZONE 'Europe/Stockholm')`, query.fromDay);
  if (query.toDay) add((p) => `a.at < ((${p}::date + 1)::timestamp AT TIME ZONE 'Europe/Stockholm')`, query.toDay);
  if (query.before) {
    params.push(query.before.at, query.before.id);
    where.push(`(a.at, a.id) < ($${params.length}, $${params.length + 1})`);
  }
  params.push(query.limit);
  const { rows } = await q.query<Row>(
    `SELECT a.id, a.at, a.staff_id, a.action, a.object_type, a.object_id, a.case_id, a.reason, a.request_id,
            s.display_name AS staff_name, c.reference AS case_reference
       FROM audit_log a
       LEFT JOIN staff_accounts s ON s.tenant_id = a.tenant_id AND s.id = a.staff_id
       LEFT JOIN cases c ON c.tenant_id = a.tenant_id AND c.id = a.case_id
      WHERE ${where.join(' AND ')}
      ORDER BY a.at DESC, a.id DESC
      LIMIT $${params.length + 1}`,
    params,
  );
  return rows.map((r) => ({
    id: r.id,
    at: new Date(r.at),
    staffId: r.staff_id,
    action: r.action,
    objectType: r.object_type,
    objectId: r.object_id,
    caseId: r.case_id,
    reason: r.reason,
    requestId: r.request_id,
    staffName: r.staff_name,
    caseReference: r.case_reference,
  }));
}

/** The staff accounts of the tenant, by name, for the log's filter (disabled ones too: their reads stay in the log). */
export async function auditStaff(q: TenantQueryable): Promise<{ id: string; name: string }[]> {
  const { rows } = await q.query<{ id: string; display_name: string }>('SELECT id, display_name FROM staff_accounts WHERE tenant_id = $1 ORDER BY display_name, id');
  return rows.map((r) => ({ id: r.id, name: r.display_name }));
}

/** RFC 4180 CSV of audit entries (fields quoted; formulas neutralised for spreadsheet safety). */
export function auditCsv(entries: AuditEntry[]): string {
  const cell = (v: unknown) => {
    let s = v instanceof Date ? v.toISOString() : v === null || v === undefined ? '' : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return `"${s.replace(/"/g, '""')}"`;
  };
  const header = ['at', 'staff_id', 'staff_name', 'action', 'object_type', 'object_id', 'case_reference', 'reason', 'request_id'];
  const lines = entries.map((e) => [e.at, e.staffId, e.staffName, e.action, e.objectType, e.objectId, e.caseReference, e.reason, e.requestId].map(cell).join(','));
  return [header.join(','), ...lines].join('\r\n') + '\r\n';
}
