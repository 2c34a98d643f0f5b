/**
 * What a handler has given on a decision form so far (ADR 0027): saved when they preview or go on to
 * "check and send", read when they come back to the form or the check page, removed when the action
 * is taken. In the database, so any node serves the next request. A week-old draft is stale.
 */
import type { TenantQueryable } from '../kernel/db/index.ts';

const STALE_MS = 7 * 24 * 60 * 60 * 1000;

export interface DecisionDraft {
  typeId: string;
  values: Record<string, string>;
}

export async function saveDecisionDraft(q: TenantQueryable, key: { caseId: string; actionId: string; staffId: string }, draft: DecisionDraft, now: Date): Promise<void> {
  await q.query(
    `INSERT INTO decision_drafts (tenant_id, case_id, action_id, staff_id, type_id, field_values, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (tenant_id, case_id, action_id, staff_id) DO UPDATE SET type_id = EXCLUDED.type_id, field_values = EXCLUDED.field_values, updated_at = EXCLUDED.updated_at`,
    [key.caseId, key.actionId, key.staffId, draft.typeId, JSON.stringify(draft.values), now],
  );
  await q.query('DELETE FROM decision_drafts WHERE tenant_id = $1 AND updated_at < $2', [new Date(now.getTime() - STALE_MS)]);
}

export async function readDecisionDraft(q: TenantQueryable, key: { caseId: string; actionId: string; staffId: string }, now: Date): Promise<DecisionDraft | undefined> {
  const { rows } = await q.query<{ type_id: string; field_values: unknown; updated_at: Date | string }>(
    'SELECT type_id, field_values, updated_at FROM decision_drafts WHERE tenant_id = $1 AND case_id = $2 AND action_id = $3 AND staff_id = $4',
    [key.caseId, key.actionId, key.staffId],
  );
  const row = rows[0];
  if (!row || new Date(row.updated_at).getTime() < now.getTime() - STALE_MS) return undefined;
  const raw = typeof row.field_values === 'string' ? JSON.parse(row.field_values) : row.field_values;
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries((raw ?? {}) as Record<string, unknown>)) if (typeof v === 'string') values[k] = v;
  return { typeId: row.type_id, values };
}

/** After the action was taken: nobody's draft for this case and action is of use any more. */
export async function discardDecisionDrafts(q: TenantQueryable, caseId: string, actionId: string): Promise<void> {
  await q.query('DELETE FROM decision_drafts WHERE tenant_id = $1 AND case_id = $2 AND action_id = $3', [caseId, actionId]);
}
