/**
 * The queues' SQL (ADR 0043). A place is a row of queue_entries; its position is the number of rows
 * of the same queue before it in the order (k1, k2, k3, tie) plus one — an index range, counted, so
 * it is exact at the moment it is read and nothing is renumbered when someone joins or leaves.
 */
import type { Queryable, Statement, TenantQueryable } from '../kernel/db/index.ts';
import type { QueuePlace } from './order.ts';

/** The rows of an application's places, for writeTogether(If) with the case's statement (typed: several rows). */
export function joinStatement(serviceId: string, caseId: string, places: readonly QueuePlace[], tie: number, at: Date): Statement {
  const params: unknown[] = [];
  const rows = places.map((p) => {
    const n = params.length + 2;
    params.push(serviceId, p.queue, caseId, p.rank, p.group, p.queueDate, p.distanceM, tie, p.keys[0], p.keys[1], p.keys[2], at);
    return `($1, $${n}, $${n + 1}, $${n + 2}::uuid, $${n + 3}::smallint, $${n + 4}::smallint, $${n + 5}::date, $${n + 6}::integer, $${n + 7}::bigint, $${n + 8}::bigint, $${n + 9}::bigint, $${n + 10}::bigint, $${n + 11}::timestamptz)`;
  });
  return {
    sql: `INSERT INTO queue_entries (tenant_id, service_id, queue, case_id, rank, grp, queue_date, distance_m, tie, k1, k2, k3, joined_at) VALUES ${rows.join(', ')}`,
    params,
  };
}

export interface PlaceRow {
  serviceId: string;
  queue: string;
  rank: number;
  group: number;
  queueDate: string;
  distanceM: number | null;
  tie: number;
  /** 1 for the first in the queue. */
  position: number;
  /** Everyone in the queue. */
  total: number;
}

/** How many consecutive second keys a span of queue_span_counts covers (migration 0047). */
const SPAN = 32;

// Those before a place, in three parts each bounded whatever the queue's length or age: the spans
// before its own (queue_span_counts: a first key and 32 second keys each), the blocks of its own
// span before its block (queue_counts: a first and second key each), and those before it in its
// own block (an index range of queue_entries).
const BEFORE = `(SELECT coalesce(sum(s.n), 0) FROM queue_span_counts s
                  WHERE s.tenant_id = e.tenant_id AND s.service_id = e.service_id AND s.queue = e.queue
                    AND (s.k1, s.span) < (e.k1, e.k2 / ${SPAN}))
             + (SELECT coalesce(sum(b.n), 0) FROM queue_counts b
                  WHERE b.tenant_id = e.tenant_id AND b.service_id = e.service_id AND b.queue = e.queue
                    AND b.k1 = e.k1 AND b.k2 >= (e.k2 / ${SPAN}) * ${SPAN} AND b.k2 < e.k2)
             + (SELECT count(*) FROM queue_entries o
                  WHERE o.tenant_id = e.tenant_id AND o.service_id = e.service_id AND o.queue = e.queue
                    AND o.k1 = e.k1 AND o.k2 = e.k2 AND (o.k3, o.tie) < (e.k3, e.tie))`;
const TOTAL = `(SELECT coalesce(sum(s.n), 0) FROM queue_span_counts s WHERE s.tenant_id = e.tenant_id AND s.service_id = e.service_id AND s.queue = e.queue)`;

/** A case's places, each with its position and the queue's length, in the applicant's order — one consistent read. */
export async function placesOfCase(q: TenantQueryable, caseId: string): Promise<PlaceRow[]> {
  const { rows } = await q.query<{ service_id: string; queue: string; rank: number; grp: number; queue_date: string; distance_m: number | null; tie: string | number; position: number; total: number }>(
    `SELECT e.service_id, e.queue, e.rank, e.grp, e.queue_date::text AS queue_date, e.distance_m, e.tie,
            ${BEFORE}::int + 1 AS position, ${TOTAL}::int AS total
       FROM queue_entries e
      WHERE e.tenant_id = $1 AND e.case_id = $2
      ORDER BY e.rank`,
    [caseId],
  );
  return rows.map((r) => ({ serviceId: r.service_id, queue: r.queue, rank: r.rank, group: r.grp, queueDate: r.queue_date, distanceM: r.distance_m, tie: Number(r.tie), position: r.position, total: r.total }));
}

/** Replaces a case's places with `places` (kept queues keep their row but take the new rank and keys); inside the case's change. */
export async function replacePlaces(q: TenantQueryable, serviceId: string, caseId: string, places: readonly QueuePlace[], tie: number, at: Date): Promise<void> {
  await q.query('DELETE FROM queue_entries WHERE tenant_id = $1 AND case_id = $2', [caseId]);
  if (places.length) {
    const s = joinStatement(serviceId, caseId, places, tie, at);
    await q.query(s.sql, s.params);
  }
}

export interface QueueSummary {
  serviceId: string;
  queue: string;
  total: number;
  /** The queue date of the first in line, or null. */
  oldest: string | null;
}

/** How many stand in each queue of these services. */
export async function queueSummaries(q: TenantQueryable, serviceIds: readonly string[]): Promise<QueueSummary[]> {
  if (!serviceIds.length) return [];
  const { rows } = await q.query<{ service_id: string; queue: string; total: number; oldest: string | null }>(
    `SELECT service_id, queue, count(*)::int AS total, min(queue_date)::text AS oldest
       FROM queue_entries WHERE tenant_id = $1 AND service_id = ANY($2::text[])
      GROUP BY service_id, queue ORDER BY service_id, queue`,
    [serviceIds],
  );
  return rows.map((r) => ({ serviceId: r.service_id, queue: r.queue, total: r.total, oldest: r.oldest }));
}

export interface QueueLine {
  position: number;
  caseId: string;
  reference: string;
  status: string;
  rank: number;
  group: number;
  queueDate: string;
  distanceM: number | null;
  /** Who the case is about (or who applied), and whether their identity is protected. */
  name: string | null;
  protectedIdentity: boolean;
  assigneeId: string | null;
}

/** One page of a queue in its order, from position `from` (1 first). */
export async function queuePage(q: TenantQueryable, serviceId: string, queue: string, from: number, size: number): Promise<QueueLine[]> {
  const { rows } = await q.query<{
    case_id: string; reference: string; status: string; rank: number; grp: number; queue_date: string; distance_m: number | null; assignee_id: string | null; name: string | null; protected: boolean | null;
  }>(
    `SELECT e.case_id, c.reference, c.status, e.rank, e.grp, e.queue_date::text AS queue_date, e.distance_m, c.assignee_id,
            p.name, p.protected
       FROM queue_entries e
       JOIN cases c ON c.tenant_id = e.tenant_id AND c.id = e.case_id
       LEFT JOIN LATERAL (
         SELECT cp.name, bool_or(cp.details @> '{"protected": true}') OVER () AS protected FROM case_parties cp
          WHERE cp.tenant_id = e.tenant_id AND cp.case_id = e.case_id AND cp.role IN ('subject', 'applicant')
          ORDER BY cp.role = 'subject' DESC LIMIT 1) p ON true
      WHERE e.tenant_id = $1 AND e.service_id = $2 AND e.queue = $3
      ORDER BY e.k1, e.k2, e.k3, e.tie
      OFFSET $4 LIMIT $5`,
    [serviceId, queue, from - 1, size],
  );
  return rows.map((r, i) => ({
    position: from + i,
    caseId: r.case_id,
    reference: r.reference,
    status: r.status,
    rank: r.rank,
    group: r.grp,
    queueDate: r.queue_date,
    distanceM: r.distance_m,
    name: r.name,
    protectedIdentity: r.protected === true,
    assigneeId: r.assignee_id,
  }));
}

/** How many stand in one queue (the sum of its spans). */
export async function queueLength(q: TenantQueryable, serviceId: string, queue: string): Promise<number> {
  const { rows } = await q.query<{ n: number }>('SELECT coalesce(sum(n), 0)::int AS n FROM queue_span_counts WHERE tenant_id = $1 AND service_id = $2 AND queue = $3', [serviceId, queue]);
  return rows[0]!.n;
}

/**
 * Sums each block's and each span's deltas into one row (those whose sum is 0 go). One statement
 * per table: the rows it deletes are those its snapshot sees, and their sum is written back in the
 * same statement, so a reader sees either the deltas or their sum, and deltas appended meanwhile
 * are kept as they are. Across tenants on purpose (a job's housekeeping, like the purges). Returns
 * how many blocks and spans were summed.
 */
export async function compactQueueCounts(db: Queryable): Promise<number> {
  let summed = 0;
  for (const [table, key] of [['queue_counts', 'k2'], ['queue_span_counts', 'span']] as const) {
    const r = await db.query(
      `WITH groups AS (
         SELECT tenant_id, service_id, queue, k1, ${key} FROM ${table} GROUP BY 1, 2, 3, 4, 5 HAVING count(*) > 1 OR sum(n) = 0
       ), gone AS (
         DELETE FROM ${table} c USING groups g
          WHERE c.tenant_id = g.tenant_id AND c.service_id = g.service_id AND c.queue = g.queue AND c.k1 = g.k1 AND c.${key} = g.${key}
         RETURNING c.tenant_id, c.service_id, c.queue, c.k1, c.${key}, c.n
       )
       INSERT INTO ${table} (tenant_id, service_id, queue, k1, ${key}, n)
       SELECT tenant_id, service_id, queue, k1, ${key}, sum(n) FROM gone GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) <> 0`,
    );
    summed += r.rowCount;
  }
  return summed;
}
