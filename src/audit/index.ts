/**
 * The audit log: who read what. Every staff view of a case, a document or a file is recorded with
 * the request id (and a reason where one is asked). It is not the archive journal: the journal
 * records changes to a case; this records reads of personal data. A security officer can view and
 * export it.
 */
import type { TenantQueryable } from '../kernel/db/index.ts';
import { uuidv7 } from '../kernel/ids.ts';

export type AuditAction = 'case.view' | 'document.view' | 'attachment.view' | 'receipt.view' | 'audit.export';

export interface AuditRecord {
  staffId: string;
  action: AuditAction;
  objectType: 'case' | 'document' | 'attachment' | 'audit_log';
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
  caseReference?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
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
  if (query.caseReference) add((p) => `c.reference = ${p}`, query.caseReference);
  if (query.from) add((p) => `a.at >= ${p}`, query.from);
  if (query.to) add((p) => `a.at < ${p}`, query.to);
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
