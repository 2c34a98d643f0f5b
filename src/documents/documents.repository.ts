/** SQL for produced documents (receipts, decision letters). */
import type { TenantQueryable } from '../kernel/db/index.ts';

export type DocumentKind = 'receipt' | 'decision_letter';

export interface StoredDocument {
  id: string;
  caseId: string;
  kind: DocumentKind;
  locale: 'sv' | 'en';
  blobKey: string | null;
  sha256: string | null;
  createdAt: Date;
}

interface Row {
  id: string;
  case_id: string;
  kind: DocumentKind;
  locale: 'sv' | 'en';
  blob_key: string | null;
  sha256: string | null;
  created_at: Date;
}

const toDoc = (r: Row): StoredDocument => ({ id: r.id, caseId: r.case_id, kind: r.kind, locale: r.locale, blobKey: r.blob_key, sha256: r.sha256, createdAt: new Date(r.created_at) });

export async function documentsOfCase(q: TenantQueryable, caseId: string): Promise<StoredDocument[]> {
  const { rows } = await q.query<Row>('SELECT id, case_id, kind, locale, blob_key, sha256, created_at FROM documents WHERE tenant_id = $1 AND case_id = $2 ORDER BY created_at, locale', [caseId]);
  return rows.map(toDoc);
}

export async function findDocument(q: TenantQueryable, caseId: string, kind: DocumentKind, locale: string): Promise<StoredDocument | undefined> {
  const { rows } = await q.query<Row>(
    'SELECT id, case_id, kind, locale, blob_key, sha256, created_at FROM documents WHERE tenant_id = $1 AND case_id = $2 AND kind = $3 AND locale = $4',
    [caseId, kind, locale],
  );
  return rows[0] ? toDoc(rows[0]) : undefined;
}

export async function getDocument(q: TenantQueryable, caseId: string, id: string): Promise<StoredDocument | undefined> {
  const { rows } = await q.query<Row>('SELECT id, case_id, kind, locale, blob_key, sha256, created_at FROM documents WHERE tenant_id = $1 AND case_id = $2 AND id = $3', [caseId, id]);
  return rows[0] ? toDoc(rows[0]) : undefined;
}

/**
 * Records a rendered document; a concurrent first render of the same receipt keeps the first row.
 * Decision letters are never in conflict: each decision of a case has its own (ADR 0034).
 * Returns whether this row was the one recorded (false: another render came first).
 */
export async function insertDocument(q: TenantQueryable, d: Omit<StoredDocument, 'createdAt'>, now: Date): Promise<boolean> {
  const r = await q.query(
    `INSERT INTO documents (tenant_id, id, case_id, kind, locale, blob_key, sha256, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (tenant_id, case_id, kind, locale) WHERE kind = 'receipt' DO NOTHING`,
    [d.id, d.caseId, d.kind, d.locale, d.blobKey, d.sha256, now],
  );
  return r.rowCount === 1;
}
