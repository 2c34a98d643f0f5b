/**
 * The SQL of places and offers (ADR 0046): a unit's capacities, the vacancies staff open, and the
 * offers made from them. The rules no race may break are the database's (migration 0046): one open
 * offer per vacancy, one accepted per vacancy, one open offer per application; every answer and
 * lapse is a conditional UPDATE of an open offer.
 */
import type { Queryable, TenantQueryable } from '../kernel/db/index.ts';
import { uuidv7 } from '../kernel/ids.ts';

export type VacancyStatus = 'open' | 'filled' | 'ended' | 'withdrawn';
/** An offer: open until answered (accepted, said no), lapsed (expired), or given back when its application ended (withdrawn). */
export type OfferStatus = 'open' | 'accepted' | 'said_no' | 'expired' | 'withdrawn';

export interface CapacityRow {
  ageGroup: string;
  from: string;
  seats: number;
}

/** Staff's edits of a queue's capacities (the register's are the start; these win). */
export async function capacityEdits(q: TenantQueryable, serviceId: string, queue: string): Promise<CapacityRow[]> {
  const { rows } = await q.query<{ age_group: string; from_date: string; seats: number }>(
    'SELECT age_group, from_date::text AS from_date, seats FROM queue_capacities WHERE tenant_id = $1 AND service_id = $2 AND queue = $3 ORDER BY age_group, from_date',
    [serviceId, queue],
  );
  return rows.map((r) => ({ ageGroup: r.age_group, from: r.from_date, seats: r.seats }));
}

export async function saveCapacity(q: TenantQueryable, c: CapacityRow & { serviceId: string; queue: string; staffId: string; at: Date }): Promise<void> {
  await q.query(
    `INSERT INTO queue_capacities (tenant_id, service_id, queue, age_group, from_date, seats, changed_by, changed_at)
     VALUES ($1, $2, $3, $4, $5::date, $6, $7::uuid, $8)
     ON CONFLICT (tenant_id, service_id, queue, age_group, from_date) DO UPDATE SET seats = EXCLUDED.seats, changed_by = EXCLUDED.changed_by, changed_at = EXCLUDED.changed_at`,
    [c.serviceId, c.queue, c.ageGroup, c.from, c.seats, c.staffId, c.at],
  );
}

/**
 * Serialises whatever counts a queue's places for one age group (opening vacancies against its
 * seats): a transaction-scoped advisory lock on the group, so two staff opening places at once are
 * counted one after the other.
 */
export async function lockAgeGroup(tx: TenantQueryable, serviceId: string, queue: string, ageGroup: string): Promise<void> {
  await tx.query('SELECT queue_places_lock(tenant_id => $1, place_key => $2)', [JSON.stringify([serviceId, queue, ageGroup])]);
}

/** How many of the age group's places are taken or being offered: open and filled vacancies. */
export async function placesInUse(tx: TenantQueryable, serviceId: string, queue: string, ageGroup: string): Promise<number> {
  const { rows } = await tx.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM queue_vacancies WHERE tenant_id = $1 AND service_id = $2 AND queue = $3 AND age_group = $4 AND status IN ('open', 'filled')",
    [serviceId, queue, ageGroup],
  );
  return rows[0]!.n;
}

export async function insertVacancies(tx: TenantQueryable, v: { serviceId: string; queue: string; ageGroup: string; startDate: string; count: number; staffId: string; at: Date }): Promise<string[]> {
  const ids = Array.from({ length: v.count }, () => uuidv7(v.at.getTime()));
  await tx.query(
    `INSERT INTO queue_vacancies (tenant_id, id, service_id, queue, age_group, start_date, status, opened_by, opened_at)
     SELECT $1, id, $2, $3, $4, $5::date, 'open', $6::uuid, $7 FROM unnest($8::uuid[]) AS id`,
    [v.serviceId, v.queue, v.ageGroup, v.startDate, v.staffId, v.at, ids],
  );
  return ids;
}

export interface Vacancy {
  id: string;
  serviceId: string;
  queue: string;
  ageGroup: string;
  startDate: string;
  status: VacancyStatus;
  filledByCase: string | null;
}

const VACANCY_COLUMNS = "id, service_id, queue, age_group, start_date::text AS start_date, status, filled_by_case";
type VacancyDbRow = { id: string; service_id: string; queue: string; age_group: string; start_date: string; status: VacancyStatus; filled_by_case: string | null };
const vacancyOf = (r: VacancyDbRow): Vacancy => ({ id: r.id, serviceId: r.service_id, queue: r.queue, ageGroup: r.age_group, startDate: r.start_date, status: r.status, filledByCase: r.filled_by_case });

/** The vacancy, locked for the rest of the transaction (the one writer that may offer it). */
export async function lockVacancy(tx: TenantQueryable, id: string): Promise<Vacancy | undefined> {
  const { rows } = await tx.query<VacancyDbRow>(`SELECT ${VACANCY_COLUMNS} FROM queue_vacancies WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, [id]);
  return rows[0] ? vacancyOf(rows[0]) : undefined;
}

export async function hasOpenOffer(tx: TenantQueryable, vacancyId: string): Promise<boolean> {
  const { rows } = await tx.query("SELECT 1 FROM queue_offers WHERE tenant_id = $1 AND vacancy_id = $2 AND status = 'open'", [vacancyId]);
  return rows.length > 0;
}

/**
 * The next in line for a vacancy: the first place of its queue, in the queue's order, whose
 * application holds no open offer and was never offered this vacancy, and — for an age group — whose
 * subject was born in (`bornAfter`, `bornOnOrBefore`]. An index scan in the order, stopping at the first that fits.
 */
export async function nextInLine(tx: TenantQueryable, v: Vacancy, born: { after: string; onOrBefore: string } | undefined): Promise<string | undefined> {
  const { rows } = await tx.query<{ case_id: string }>(
    `SELECT e.case_id FROM queue_entries e
      WHERE e.tenant_id = $1 AND e.service_id = $2 AND e.queue = $3
        AND NOT EXISTS (SELECT 1 FROM queue_offers o WHERE o.tenant_id = e.tenant_id AND o.case_id = e.case_id AND (o.status = 'open' OR o.vacancy_id = $4))
        AND ($5::date IS NULL OR EXISTS (
              SELECT 1 FROM case_parties p
               WHERE p.tenant_id = e.tenant_id AND p.case_id = e.case_id AND p.role = 'subject'
                 AND (CASE WHEN p.details->>'birthDate' ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN (p.details->>'birthDate')::date END) > $5::date
                 AND (CASE WHEN p.details->>'birthDate' ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN (p.details->>'birthDate')::date END) <= $6::date))
      ORDER BY e.k1, e.k2, e.k3, e.tie
      LIMIT 1`,
    [v.serviceId, v.queue, v.id, born?.after ?? null, born?.onOrBefore ?? null],
  );
  return rows[0]?.case_id;
}


/** Whether the application still stands in the queue (read after its lock: it may have left meanwhile). */
export async function standsIn(tx: TenantQueryable, caseId: string, serviceId: string, queue: string): Promise<boolean> {
  const { rows } = await tx.query('SELECT 1 FROM queue_entries WHERE tenant_id = $1 AND case_id = $2 AND service_id = $3 AND queue = $4', [caseId, serviceId, queue]);
  return rows.length > 0;
}

/** The offer, unless the vacancy or the application already holds an open one (then undefined: nothing written). */
export async function insertOffer(tx: TenantQueryable, v: Vacancy, caseId: string, at: Date, replyBy: Date): Promise<string | undefined> {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO queue_offers (tenant_id, id, vacancy_id, case_id, service_id, queue, status, offered_at, reply_by)
     VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8) ON CONFLICT DO NOTHING RETURNING id`,
    [uuidv7(at.getTime()), v.id, caseId, v.serviceId, v.queue, at, replyBy],
  );
  return rows[0]?.id;
}

export interface Offer {
  id: string;
  vacancyId: string;
  caseId: string;
  serviceId: string;
  queue: string;
  ageGroup: string;
  startDate: string;
  status: OfferStatus;
  offeredAt: Date;
  replyBy: Date;
  answeredAt: Date | null;
}

const OFFER_SELECT = `SELECT o.id, o.vacancy_id, o.case_id, o.service_id, o.queue, v.age_group, v.start_date::text AS start_date, o.status, o.offered_at, o.reply_by, o.answered_at
  FROM queue_offers o JOIN queue_vacancies v ON v.tenant_id = o.tenant_id AND v.id = o.vacancy_id`;
type OfferDbRow = { id: string; vacancy_id: string; case_id: string; service_id: string; queue: string; age_group: string; start_date: string; status: OfferStatus; offered_at: Date; reply_by: Date; answered_at: Date | null };
const offerOf = (r: OfferDbRow): Offer => ({
  id: r.id, vacancyId: r.vacancy_id, caseId: r.case_id, serviceId: r.service_id, queue: r.queue, ageGroup: r.age_group, startDate: r.start_date,
  status: r.status, offeredAt: new Date(r.offered_at), replyBy: new Date(r.reply_by), answeredAt: r.answered_at ? new Date(r.answered_at) : null,
});

/** A case's offers, newest first. */
export async function offersOfCase(q: TenantQueryable, caseId: string): Promise<Offer[]> {
  const { rows } = await q.query<OfferDbRow>(`${OFFER_SELECT} WHERE o.tenant_id = $1 AND o.case_id = $2 ORDER BY o.offered_at DESC, o.id DESC`, [caseId]);
  return rows.map(offerOf);
}

/**
 * Closes an open offer of the case with an answer (or a lapse), if it is still open and — for an
 * answer — its deadline has not passed: of any number of concurrent answers and lapses one wins.
 */
export async function closeOffer(tx: TenantQueryable, o: { offerId: string; caseId: string; status: Exclude<OfferStatus, 'open'>; at: Date; by: string | null; beforeDeadline: boolean }): Promise<Offer | undefined> {
  const { rows } = await tx.query<{ id: string }>(
    `UPDATE queue_offers SET status = $4, answered_at = $5, answered_by = $6::uuid
      WHERE tenant_id = $1 AND id = $2 AND case_id = $3 AND status = 'open' AND (CASE WHEN $7::boolean THEN reply_by > $5 ELSE reply_by <= $5 END)
      RETURNING id`,
    [o.offerId, o.caseId, o.status, o.at, o.by, o.beforeDeadline],
  );
  if (!rows[0]) return undefined;
  const r = await tx.query<OfferDbRow>(`${OFFER_SELECT} WHERE o.tenant_id = $1 AND o.id = $2`, [o.offerId]);
  return offerOf(r.rows[0]!);
}

/** The vacancy taken by the application that accepted it; false when it is no longer open (staff withdrew it). */
export async function fillVacancy(tx: TenantQueryable, vacancyId: string, caseId: string, at: Date): Promise<boolean> {
  const r = await tx.query("UPDATE queue_vacancies SET status = 'filled', filled_by_case = $3, closed_at = $4 WHERE tenant_id = $1 AND id = $2 AND status = 'open'", [vacancyId, caseId, at]);
  return r.rowCount === 1;
}

/** Ends a filled vacancy (the child left) or withdraws an open one with no open offer. */
export async function closeVacancy(tx: TenantQueryable, vacancyId: string, from: 'filled' | 'open', at: Date): Promise<boolean> {
  const r = await tx.query(
    `UPDATE queue_vacancies v SET status = CASE WHEN $3 = 'filled' THEN 'ended' ELSE 'withdrawn' END, closed_at = $4
      WHERE v.tenant_id = $1 AND v.id = $2 AND v.status = $3
        AND NOT EXISTS (SELECT 1 FROM queue_offers o WHERE o.tenant_id = v.tenant_id AND o.vacancy_id = v.id AND o.status = 'open')`,
    [vacancyId, from, at],
  );
  return r.rowCount === 1;
}

/** Removes the application's place in one queue (a declined unit); returns how many places it still has. */
export async function leaveQueue(tx: TenantQueryable, caseId: string, serviceId: string, queue: string): Promise<number> {
  await tx.query('DELETE FROM queue_entries WHERE tenant_id = $1 AND case_id = $2 AND service_id = $3 AND queue = $4', [caseId, serviceId, queue]);
  const { rows } = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM queue_entries WHERE tenant_id = $1 AND case_id = $2', [caseId]);
  return rows[0]!.n;
}

export interface VacancyLine extends Vacancy {
  /** The open offer's application and deadline, if one stands. */
  offer: { caseId: string; reference: string; replyBy: Date } | null;
  filledReference: string | null;
}

/** A queue's open and filled vacancies, for staff: each with the offer that stands or the application that took it. */
export async function vacanciesOfQueue(q: TenantQueryable, serviceId: string, queue: string): Promise<VacancyLine[]> {
  const { rows } = await q.query<VacancyDbRow & { offer_case: string | null; offer_reference: string | null; reply_by: Date | null; filled_reference: string | null }>(
    `SELECT v.id, v.service_id, v.queue, v.age_group, v.start_date::text AS start_date, v.status, v.filled_by_case,
            o.case_id AS offer_case, oc.reference AS offer_reference, o.reply_by, fc.reference AS filled_reference
       FROM queue_vacancies v
       LEFT JOIN queue_offers o ON o.tenant_id = v.tenant_id AND o.vacancy_id = v.id AND o.status = 'open'
       LEFT JOIN cases oc ON oc.tenant_id = o.tenant_id AND oc.id = o.case_id
       LEFT JOIN cases fc ON fc.tenant_id = v.tenant_id AND fc.id = v.filled_by_case
      WHERE v.tenant_id = $1 AND v.service_id = $2 AND v.queue = $3 AND v.status IN ('open', 'filled')
      ORDER BY v.status, v.start_date, v.opened_at, v.id`,
    [serviceId, queue],
  );
  return rows.map((r) => ({
    ...vacancyOf(r),
    offer: r.offer_case ? { caseId: r.offer_case, reference: r.offer_reference ?? '', replyBy: new Date(r.reply_by!) } : null,
    filledReference: r.filled_reference,
  }));
}

/** Open offers past their deadline, across tenants (the lapse job's work list), oldest first. */
export async function dueOffers(db: Queryable, now: Date, limit: number): Promise<{ tenantId: string; id: string; caseId: string }[]> {
  const { rows } = await db.query<{ tenant_id: string; id: string; case_id: string }>(
    "SELECT tenant_id, id, case_id FROM queue_offers WHERE status = 'open' AND reply_by <= $1 ORDER BY reply_by LIMIT $2",
    [now, limit],
  );
  return rows.map((r) => ({ tenantId: r.tenant_id, id: r.id, caseId: r.case_id }));
}

/** Open vacancies with no open offer, across tenants: each to be offered to the next in line (someone may have joined since). */
export async function unofferedVacancies(db: Queryable, limit: number): Promise<{ tenantId: string; id: string }[]> {
  const { rows } = await db.query<{ tenant_id: string; id: string }>(
    `SELECT v.tenant_id, v.id FROM queue_vacancies v
      WHERE v.status = 'open' AND NOT EXISTS (SELECT 1 FROM queue_offers o WHERE o.tenant_id = v.tenant_id AND o.vacancy_id = v.id AND o.status = 'open')
      ORDER BY v.opened_at LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({ tenantId: r.tenant_id, id: r.id }));
}

export interface GuaranteeLine {
  caseId: string;
  reference: string;
  queueDate: string;
  guaranteeDate: string;
}

/**
 * Applications of the service still in a queue whose guaranteed date has passed: the later of
 * the queue date plus `months` and the date the answer `fromField` asked for.
 */
export async function guaranteeBreaches(q: TenantQueryable, serviceId: string, months: number, fromField: string | null, today: string): Promise<GuaranteeLine[]> {
  const { rows } = await q.query<{ case_id: string; reference: string; queue_date: string; guarantee: string }>(
    `SELECT c.id AS case_id, c.reference, g.queue_date::text AS queue_date, g.guarantee::text AS guarantee
       FROM (SELECT e.case_id, min(e.queue_date) AS queue_date FROM queue_entries e WHERE e.tenant_id = $1 AND e.service_id = $2 GROUP BY e.case_id) q
       JOIN cases c ON c.tenant_id = $1 AND c.id = q.case_id
       CROSS JOIN LATERAL (
         SELECT q.queue_date,
                greatest((q.queue_date + make_interval(months => $3))::date,
                         CASE WHEN $4::text IS NOT NULL AND c.answers->>$4 ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN (c.answers->>$4)::date END) AS guarantee
       ) g
      WHERE g.guarantee < $5::date
      ORDER BY g.guarantee, c.reference
      LIMIT 500`,
    [serviceId, months, fromField, today],
  );
  return rows.map((r) => ({ caseId: r.case_id, reference: r.reference, queueDate: r.queue_date, guaranteeDate: r.guarantee }));
}
