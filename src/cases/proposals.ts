/** The pending decision proposal of a case: read from its journal, the one record of what was proposed. */
import type { TenantQueryable } from '../kernel/db/index.ts';
import type { DecisionOutcome } from '../catalogue/types.ts';

export interface Proposal {
  seq: number;
  type: string;
  outcome: DecisionOutcome;
  values: Record<string, string>;
  proposedBy: string | null;
}

/** The last proposal, unless a return or a decision came after it. */
export async function pendingProposal(q: TenantQueryable, caseId: string): Promise<Proposal | undefined> {
  const { rows } = await q.query<{ seq: number; kind: string; payload: Record<string, unknown> }>(
    "SELECT seq, kind, payload FROM journal WHERE tenant_id = $1 AND case_id = $2 AND kind IN ('decision_proposed', 'decision_returned', 'decided') ORDER BY seq DESC LIMIT 1",
    [caseId],
  );
  const last = rows[0];
  if (!last || last.kind !== 'decision_proposed') return undefined;
  const p = last.payload;
  return { seq: Number(last.seq), type: String(p.type), outcome: p.outcome as DecisionOutcome, values: (p.values ?? {}) as Record<string, string>, proposedBy: typeof p.proposedBy === 'string' ? p.proposedBy : null };
}

/** The last proposal made since the case's last decision, pending or sent back: a proposal returned is proposed again from what it said. */
export async function lastProposal(q: TenantQueryable, caseId: string): Promise<Pick<Proposal, 'type' | 'values'> | undefined> {
  const { rows } = await q.query<{ payload: Record<string, unknown> }>(
    `SELECT payload FROM journal WHERE tenant_id = $1 AND case_id = $2 AND kind = 'decision_proposed'
        AND seq > COALESCE((SELECT max(seq) FROM journal WHERE tenant_id = $1 AND case_id = $2 AND kind = 'decided'), 0)
      ORDER BY seq DESC LIMIT 1`,
    [caseId],
  );
  const p = rows[0]?.payload;
  return p ? { type: String(p.type), values: (p.values ?? {}) as Record<string, string> } : undefined;
}
