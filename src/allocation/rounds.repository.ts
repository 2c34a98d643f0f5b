/** SQL of allocation rounds (ADR 0044), through the tenant scope: every statement names tenant_id = $1. */
import type { TenantQueryable } from '../kernel/db/index.ts';

export type RoundStatus = 'open' | 'frozen' | 'published';

export interface RoundSummary {
  applications: number;
  placed: number;
  notPlaced: number;
  /** Cases that had left the round's states before publication, not moved. */
  skipped: number;
}

export interface Round {
  id: string;
  serviceId: string;
  status: RoundStatus;
  openedAt: Date;
  openedBy: string;
  frozenAt: Date | null;
  inputsHash: string | null;
  seed: string | null;
  applications: number | null;
  publishedAt: Date | null;
  resultHash: string | null;
  summary: RoundSummary | null;
}

interface RoundRow {
  id: string;
  service_id: string;
  status: RoundStatus;
  opened_at: Date;
  opened_by: string;
  frozen_at: Date | null;
  inputs_hash: string | null;
  seed: string | null;
  applications: number | null;
  published_at: Date | null;
  result_hash: string | null;
  summary: RoundSummary | null;
}

const COLUMNS = 'id, service_id, status, opened_at, opened_by, frozen_at, inputs_hash, seed, applications, published_at, result_hash, summary';

const toRound = (r: RoundRow): Round => ({
  id: r.id,
  serviceId: r.service_id,
  status: r.status,
  openedAt: new Date(r.opened_at),
  openedBy: r.opened_by,
  frozenAt: r.frozen_at ? new Date(r.frozen_at) : null,
  inputsHash: r.inputs_hash,
  seed: r.seed,
  applications: r.applications,
  publishedAt: r.published_at ? new Date(r.published_at) : null,
  resultHash: r.result_hash,
  summary: r.summary,
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Whether a text is a round id at all (anything else is not found, never sent to the database as a uuid). */
export const isRoundId = (id: string) => UUID.test(id);

/** Opens a round, unless the service has one not yet published (the partial unique index decides); returns it or undefined. */
export async function insertRound(q: TenantQueryable, r: { id: string; serviceId: string; staffId: string; now: Date }): Promise<Round | undefined> {
  const { rows } = await q.query<RoundRow>(
    `INSERT INTO allocation_rounds (tenant_id, id, service_id, status, opened_at, opened_by) VALUES ($1, $2, $3, 'open', $4, $5)
     ON CONFLICT (tenant_id, service_id) WHERE status <> 'published' DO NOTHING RETURNING ${COLUMNS}`,
    [r.id, r.serviceId, r.now, r.staffId],
  );
  return rows[0] ? toRound(rows[0]) : undefined;
}

export async function getRound(q: TenantQueryable, id: string): Promise<Round | undefined> {
  if (!isRoundId(id)) return undefined;
  const { rows } = await q.query<RoundRow>(`SELECT ${COLUMNS} FROM allocation_rounds WHERE tenant_id = $1 AND id = $2`, [id]);
  return rows[0] ? toRound(rows[0]) : undefined;
}

/** The round's row locked, if it is in `status` (in read committed a waiting locker sees the winner's change and gets nothing). */
export async function lockRound(q: TenantQueryable, id: string, status: RoundStatus): Promise<Round | undefined> {
  const { rows } = await q.query<RoundRow>(`SELECT ${COLUMNS} FROM allocation_rounds WHERE tenant_id = $1 AND id = $2 AND status = $3 FOR UPDATE`, [id, status]);
  return rows[0] ? toRound(rows[0]) : undefined;
}

export async function roundsOf(q: TenantQueryable, serviceIds: readonly string[]): Promise<Round[]> {
  const { rows } = await q.query<RoundRow>(`SELECT ${COLUMNS} FROM allocation_rounds WHERE tenant_id = $1 AND service_id = ANY($2::text[]) ORDER BY opened_at DESC, id DESC`, [[...serviceIds]]);
  return rows.map(toRound);
}

export async function markFrozen(q: TenantQueryable, id: string, f: { staffId: string; now: Date; inputsHash: string; seed: string; applications: number }): Promise<void> {
  await q.query(
    `UPDATE allocation_rounds SET status = 'frozen', frozen_at = $3, frozen_by = $4, inputs_hash = $5, seed = $6, applications = $7 WHERE tenant_id = $1 AND id = $2 AND status = 'open'`,
    [id, f.now, f.staffId, f.inputsHash, f.seed, f.applications],
  );
}

export async function markPublished(q: TenantQueryable, id: string, p: { staffId: string; now: Date; resultHash: string; summary: RoundSummary }): Promise<void> {
  await q.query(
    `UPDATE allocation_rounds SET status = 'published', published_at = $3, published_by = $4, result_hash = $5, summary = $6 WHERE tenant_id = $1 AND id = $2 AND status = 'frozen'`,
    [id, p.now, p.staffId, p.resultHash, JSON.stringify(p.summary)],
  );
}

export interface ApplicationRow {
  id: string;
  reference: string;
  status: string;
  answers: Record<string, unknown>;
}

/** The service's cases in the states a round takes, in a stable order (their ids: uuidv7, the order they were made in). */
export async function applicationsOf(q: TenantQueryable, serviceId: string, states: readonly string[]): Promise<ApplicationRow[]> {
  const { rows } = await q.query<ApplicationRow>(
    `SELECT id, reference, status, answers FROM cases WHERE tenant_id = $1 AND service_id = $2 AND status = ANY($3::text[]) ORDER BY id`,
    [serviceId, [...states]],
  );
  return rows;
}

/** The latest result a published round journaled on a case, or undefined. */
export async function resultOfCase(q: TenantQueryable, caseId: string): Promise<Record<string, unknown> | undefined> {
  const { rows } = await q.query<{ payload: Record<string, unknown> }>(
    `SELECT payload FROM journal WHERE tenant_id = $1 AND case_id = $2 AND kind = 'allocation_result' ORDER BY seq DESC LIMIT 1`,
    [caseId],
  );
  return rows[0]?.payload;
}
