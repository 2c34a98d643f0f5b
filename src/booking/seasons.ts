/**
 * Seasonal allocation (ADR 0041): associations apply for weekly times over a season (every Tuesday
 * 18:00–19:30 in a hall, August to December); staff see all of a season's applications side by side,
 * the engine proposes who gets each contested time (the definition's priority, then who applied
 * first, then each application's own order), staff decide over the proposal, and the season is
 * allocated in one transaction: every granted weekly time becomes a booking per week, each under
 * the same exclusion constraint as any booking, and every application's case moves on with an
 * e-mail of what it got. It names no service, resource or kind.
 */
import type { SeasonPeriod, SeasonSpec, ServiceDefinition, Weekday } from '../catalogue/types.ts';
import type { TenantQueryable } from '../kernel/db/index.ts';
import { uuidv7 } from '../kernel/ids.ts';
import type { Localised } from '../kernel/tenants.ts';
import { openingOn, occupying, type Span } from './availability.ts';
import { isExclusionViolation, lockResources } from './claims.ts';
import { priceOf } from './prices.ts';
import type { Resource } from './resources.ts';
import { addDays, instantOf, localDate, weekdayOf, WEEKDAYS } from './time.ts';

export { WEEKDAYS };


/** One year's instance of a recurring season: "autumn-2027", 2027-08-16 to 2027-12-19, apply by 2027-05-31. */
export interface Season {
  id: string;
  period: SeasonPeriod;
  year: number;
  from: string;
  to: string;
  applyBy: string;
}

/** The season of `period` that starts in `year`. */
export function seasonOf(period: SeasonPeriod, year: number): Season {
  // A season that runs over New Year (from 11-01 to 03-31) ends the next year; its last day to apply
  // falls before its start, in the year before when its month-day comes later in the year.
  const to = `${period.to < period.from ? year + 1 : year}-${period.to}`;
  const applyBy = `${period.applyBy > period.from ? year - 1 : year}-${period.applyBy}`;
  return { id: `${period.id}-${year}`, period, year, from: `${year}-${period.from}`, to, applyBy };
}

/** The season an id names ("autumn-2027"), if the definition has its period. */
export function seasonById(spec: SeasonSpec, id: string): Season | undefined {
  const m = /^(.+)-([0-9]{4})$/.exec(id);
  const period = m ? spec.periods.find((p) => p.id === m[1]) : undefined;
  return period ? seasonOf(period, Number(m![2])) : undefined;
}

/** How long before its last day a season opens for applications (about half a year: the next one of a period, never the one after). */
export const APPLY_WINDOW_DAYS = 180;

/** The seasons one can apply for on `today`, the soonest first. */
export function openSeasons(spec: SeasonSpec, today: string): Season[] {
  const year = Number(today.slice(0, 4));
  return [year, year + 1, year + 2]
    .flatMap((y) => spec.periods.map((p) => seasonOf(p, y)))
    .filter((s) => s.applyBy >= today && today >= addDays(s.applyBy, -APPLY_WINDOW_DAYS))
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
}

/** The seasons staff work with on `today`: those open for applications and those that have not ended, the soonest first. */
export function staffSeasons(spec: SeasonSpec, today: string): Season[] {
  const year = Number(today.slice(0, 4));
  return [year - 1, year, year + 1, year + 2]
    .flatMap((y) => spec.periods.map((p) => seasonOf(p, y)))
    .filter((s) => s.to >= today && s.applyBy <= addDays(today, 365))
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
}

/** "Hösten 2027": the period's label with the season's year. */
export function seasonLabel(s: Season): Localised {
  return { sv: `${s.period.label.sv} ${s.year}`, en: `${s.period.label.en} ${s.year}` };
}

/** One weekly time: a resource every `weekday` from `from` to `to` (local wall-clock). */
export interface WeeklyTime {
  resource: string;
  weekday: Weekday;
  from: string;
  to: string;
}

export const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Weekly times start and end on the quarter hour. */
const GRID_MINUTES = 15;
const MIN_MINUTES = 30;

export type WeeklyTimeProblem = 'notATime' | 'endBeforeStart' | 'notOnGrid' | 'tooShort' | 'tooLong' | 'closed';

/** Why a weekly time cannot be asked for on the resource (its opening hours that weekday), or that it can. */
export function weeklyTimeProblem(resource: Pick<Resource, 'rules'>, t: Omit<WeeklyTime, 'resource'>, maxMinutes: number): WeeklyTimeProblem | undefined {
  const time = /^(?:[01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$/;
  if (!time.test(t.from) || !time.test(t.to)) return 'notATime';
  const from = minutesOf(t.from);
  const to = minutesOf(t.to);
  if (to <= from) return 'endBeforeStart';
  if (from % GRID_MINUTES || to % GRID_MINUTES) return 'notOnGrid';
  if (to - from < MIN_MINUTES) return 'tooShort';
  if (to - from > maxMinutes) return 'tooLong';
  const open = (resource.rules.opening[t.weekday] ?? []).some(([a, b]) => minutesOf(a) <= from && to <= minutesOf(b));
  return open ? undefined : 'closed';
}

/** A weekly time's dates in the season: each its span, or why it is skipped (closed that day: a holiday, maintenance). */
export function occurrences(resource: Pick<Resource, 'rules'>, season: Pick<Season, 'from' | 'to'>, t: Omit<WeeklyTime, 'resource'>): { date: string; span?: Span; closed?: Localised | true }[] {
  const out: { date: string; span?: Span; closed?: Localised | true }[] = [];
  let date = season.from;
  while (weekdayOf(date) !== t.weekday) date = addDays(date, 1);
  for (; date <= season.to; date = addDays(date, 7)) {
    const opening = openingOn(resource.rules, date);
    const covers = opening.hours.some(([a, b]) => minutesOf(a) <= minutesOf(t.from) && minutesOf(t.to) <= minutesOf(b));
    out.push(covers ? { date, span: { start: instantOf(date, t.from), end: instantOf(date, t.to) } } : { date, closed: opening.reason ?? true });
  }
  return out;
}

/** A weekly time's dates in the season that are still ahead at `now` (a season allocated after it began books the weeks left). */
export function datesAhead(resource: Pick<Resource, 'rules'>, season: Pick<Season, 'from' | 'to'>, t: Omit<WeeklyTime, 'resource'>, now: Date): ReturnType<typeof occurrences> {
  const today = localDate(now);
  return occurrences(resource, season, t).filter((d) => (d.span ? d.span.start > now : d.date >= today));
}

/** A weekly time as an application asked for it. */
export interface SeasonRequest extends WeeklyTime {
  id: string;
  caseId: string;
  rank: number;
  priority: number;
  /** When its application was sent (its case made). */
  submittedAt: Date;
  decision: 'given' | 'refused' | null;
  outcome: 'given' | 'refused' | null;
  booked: number | null;
  ownerId: string | null;
  customerType: string | null;
  organisationNumber: string | null;
}

/**
 * What the engine proposes for a request: granted; refused (by staff, or because a request before it
 * in the order has an overlapping time: `by`); or in conflict — staff granted two overlapping times,
 * which the allocation refuses until one is changed.
 */
export interface Proposal {
  state: 'given' | 'refused' | 'conflict';
  /** Staff decided it (over the proposal). */
  staff: boolean;
  /** The request whose time it overlaps. */
  by?: string;
}

/** Whether two weekly times on one resource overlap, the resource's buffer kept after each. */
const overlaps = (a: WeeklyTime, b: WeeklyTime, buffer: number) =>
  a.resource === b.resource && a.weekday === b.weekday && minutesOf(a.from) < minutesOf(b.to) + buffer && minutesOf(b.from) < minutesOf(a.to) + buffer;

/** The order in which requests are given their times: staff's grants, then priority, who applied first, the application's order. */
export function allocationOrder(requests: readonly SeasonRequest[]): SeasonRequest[] {
  return [...requests].sort(
    (a, b) =>
      Number(b.decision === 'given') - Number(a.decision === 'given') ||
      a.priority - b.priority ||
      a.submittedAt.getTime() - b.submittedAt.getTime() ||
      (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0) ||
      a.rank - b.rank,
  );
}

/** The proposal for every request of a season (pure: the same requests give the same proposal). */
export function propose(requests: readonly SeasonRequest[], bufferOf: (resource: string) => number): Map<string, Proposal> {
  const out = new Map<string, Proposal>();
  const granted: SeasonRequest[] = [];
  for (const r of allocationOrder(requests)) {
    if (r.decision === 'refused') {
      out.set(r.id, { state: 'refused', staff: true });
      continue;
    }
    const clash = granted.find((g) => overlaps(g, r, bufferOf(r.resource)));
    if (!clash) {
      granted.push(r);
      out.set(r.id, { state: 'given', staff: r.decision === 'given' });
    } else if (r.decision === 'given') {
      // Staff granted both: neither goes through until one is changed.
      out.set(r.id, { state: 'conflict', staff: true, by: clash.id });
      out.set(clash.id, { state: 'conflict', staff: true, by: r.id });
    } else out.set(r.id, { state: 'refused', staff: false, by: clash.id });
  }
  return out;
}

type RequestRow = {
  id: string;
  case_id: string;
  rank: number;
  resource_id: string;
  weekday: Weekday;
  from_time: string;
  to_time: string;
  priority: number;
  submitted_at: Date;
  decision: SeasonRequest['decision'];
  outcome: SeasonRequest['outcome'];
  booked: number | null;
  owner_id: string | null;
  customer_type: string | null;
  organisation_number: string | null;
};

const toRequest = (r: RequestRow): SeasonRequest => ({
  id: r.id,
  caseId: r.case_id,
  rank: r.rank,
  resource: r.resource_id,
  weekday: r.weekday,
  from: r.from_time,
  to: r.to_time,
  priority: r.priority,
  submittedAt: new Date(r.submitted_at),
  decision: r.decision,
  outcome: r.outcome,
  booked: r.booked,
  ownerId: r.owner_id,
  customerType: r.customer_type,
  organisationNumber: r.organisation_number,
});

const SELECT_REQUEST = `SELECT r.id, r.case_id, r.rank, r.resource_id, r.weekday, r.from_time, r.to_time, r.priority, c.created_at AS submitted_at,
  r.decision, r.outcome, r.booked, r.owner_id, r.customer_type, r.organisation_number
  FROM season_requests r JOIN cases c ON c.tenant_id = r.tenant_id AND c.id = r.case_id`;

/**
 * The requests of a season whose applications are still open (a case closed or withdrawn before the
 * allocation takes no time), or — once it is allocated — all of them with what they got.
 */
export async function requestsOf(q: TenantQueryable, def: ServiceDefinition, seasonId: string, opts: { openOnly?: boolean } = {}): Promise<SeasonRequest[]> {
  const finals = def.workflow.states.filter((s) => s.final).map((s) => s.id);
  const { rows } = await q.query<RequestRow>(
    `${SELECT_REQUEST} WHERE r.tenant_id = $1 AND r.service_id = $2 AND r.season_id = $3${opts.openOnly ? ' AND NOT (c.status = ANY($4::text[]))' : ''} ORDER BY c.created_at, r.case_id, r.rank`,
    opts.openOnly ? [def.id, seasonId, finals] : [def.id, seasonId],
  );
  return rows.map(toRequest);
}

/** The weekly times one application asked for, in its order. */
export async function requestsOfCase(q: TenantQueryable, caseId: string): Promise<(SeasonRequest & { seasonId: string })[]> {
  const { rows } = await q.query<RequestRow & { season_id: string }>(`${SELECT_REQUEST.replace('SELECT r.id,', 'SELECT r.season_id, r.id,')} WHERE r.tenant_id = $1 AND r.case_id = $2 ORDER BY r.rank`, [caseId]);
  return rows.map((r) => ({ ...toRequest(r), seasonId: r.season_id }));
}

/** What a submitted application writes: its weekly times, before its case exists (`attachCase` then names it). */
export async function insertRequests(
  tx: TenantQueryable,
  a: { serviceId: string; seasonId: string; draftId: string; caseId?: string | undefined; times: readonly WeeklyTime[]; priority: number; ownerId: string; customerType: string | null; organisationNumber: string | null },
  now: Date,
): Promise<void> {
  await tx.query(
    `INSERT INTO season_requests (tenant_id, id, service_id, season_id, draft_id, rank, resource_id, weekday, from_time, to_time, priority, owner_id, customer_type, organisation_number, created_at, case_id)
     SELECT $1, x.id, $2, $3, $4, x.rank, x.resource_id, x.weekday, x.from_time, x.to_time, $5, $6, $7, $8, $9, $16::uuid
     FROM unnest($10::uuid[], $11::int[], $12::text[], $13::text[], $14::text[], $15::text[]) AS x (id, rank, resource_id, weekday, from_time, to_time)`,
    [
      a.serviceId,
      a.seasonId,
      a.draftId,
      a.priority,
      a.ownerId,
      a.customerType,
      a.organisationNumber,
      now,
      a.times.map(() => uuidv7(now.getTime())),
      a.times.map((_, i) => i + 1),
      a.times.map((t) => t.resource),
      a.times.map((t) => t.weekday),
      a.times.map((t) => t.from),
      a.times.map((t) => t.to),
      a.caseId ?? null,
    ],
  );
}

export async function attachRequestsToCase(tx: TenantQueryable, draftId: string, caseId: string): Promise<void> {
  await tx.query('UPDATE season_requests SET case_id = $3 WHERE tenant_id = $1 AND draft_id = $2 AND case_id IS NULL', [draftId, caseId]);
}

/** The season has been allocated: nothing about it can be decided again. */
export class SeasonAllocatedError extends Error {
  constructor(readonly seasonId: string) {
    super(`the season ${seasonId} is already allocated`);
    this.name = 'SeasonAllocatedError';
  }
}

/** Staff granted overlapping times: the allocation waits until one of each pair is changed. */
export class SeasonConflictError extends Error {
  constructor(readonly requestIds: string[]) {
    super(`${requestIds.length} requests are in conflict`);
    this.name = 'SeasonConflictError';
  }
}

/**
 * Takes the season's row lock (making its row on first use) and says when it was allocated, if it
 * was. Staff's decisions and the allocation take it first, so a decision never slips in beside an
 * allocation, and of two allocations the second finds the first done.
 */
export async function lockSeason(tx: TenantQueryable, serviceId: string, seasonId: string): Promise<{ allocatedAt: Date | null; summary: Record<string, unknown> }> {
  const { rows } = await tx.query<{ allocated_at: Date | null; summary: Record<string, unknown> }>(
    `INSERT INTO booking_seasons (tenant_id, service_id, season_id) VALUES ($1, $2, $3)
     ON CONFLICT (tenant_id, service_id, season_id) DO UPDATE SET season_id = EXCLUDED.season_id
     RETURNING allocated_at, summary`,
    [serviceId, seasonId],
  );
  return { allocatedAt: rows[0]!.allocated_at, summary: rows[0]!.summary };
}

/** The season's allocation, if it has been made. */
export async function allocationOf(q: TenantQueryable, serviceId: string, seasonId: string): Promise<{ allocatedAt: Date; allocatedBy: string; summary: AllocationSummary } | undefined> {
  const { rows } = await q.query<{ allocated_at: Date | null; allocated_by: string | null; summary: AllocationSummary }>(
    'SELECT allocated_at, allocated_by, summary FROM booking_seasons WHERE tenant_id = $1 AND service_id = $2 AND season_id = $3',
    [serviceId, seasonId],
  );
  const r = rows[0];
  return r?.allocated_at ? { allocatedAt: r.allocated_at, allocatedBy: r.allocated_by ?? '', summary: r.summary } : undefined;
}

/** Staff's decisions over the proposal (null: as proposed), under the season's lock; SeasonAllocatedError once it is allocated. */
export async function decide(tx: TenantQueryable, serviceId: string, seasonId: string, decisions: ReadonlyMap<string, 'given' | 'refused' | null>, staffId: string, now: Date): Promise<number> {
  if ((await lockSeason(tx, serviceId, seasonId)).allocatedAt) throw new SeasonAllocatedError(seasonId);
  const ids = [...decisions.keys()];
  const { rowCount } = await tx.query(
    `UPDATE season_requests r SET decision = x.decision, decided_by = CASE WHEN x.decision IS NULL THEN NULL ELSE $4 END, decided_at = CASE WHEN x.decision IS NULL THEN NULL ELSE $5::timestamptz END
     FROM unnest($6::uuid[], $7::text[]) AS x (id, decision)
     WHERE r.tenant_id = $1 AND r.service_id = $2 AND r.season_id = $3 AND r.id = x.id AND r.decision IS DISTINCT FROM x.decision`,
    [serviceId, seasonId, staffId, now, ids, ids.map((id) => decisions.get(id) ?? null)],
  );
  return rowCount ?? 0;
}

/** A date a granted weekly time could not be booked on: something (a booking, a block) held the time, or the resource was closed. */
export interface SkippedDate {
  date: string;
  why: 'taken' | 'closed';
}

/** What the allocation did, kept with the season. */
export interface AllocationSummary {
  applications: number;
  granted: number;
  refused: number;
  bookings: number;
  skipped: number;
}

/** What one granted request became. */
export interface Allocated {
  request: SeasonRequest;
  bookings: number;
  skipped: SkippedDate[];
}

/**
 * Which of the spans are held on the resource by an active claim (a hold that ran out at `now` does
 * not hold: it is lapsed here, under the resource's lock, as a booking in its way would).
 */
async function takenAmong(tx: TenantQueryable, resourceId: string, spans: readonly Span[], now: Date): Promise<Set<number>> {
  if (!spans.length) return new Set();
  const ranges = spans.map((s) => `[${s.start.toISOString()},${s.end.toISOString()})`);
  await tx.query(
    `WITH lapsed AS (
       UPDATE bookings SET status = 'lapsed', changed_at = $2
        WHERE tenant_id = $1 AND status = 'held' AND hold_until <= $2
          AND id IN (SELECT booking_id FROM booking_claims WHERE tenant_id = $1 AND resource_id = $3 AND active AND occupies && ANY($4::tstzrange[]))
        RETURNING id)
     UPDATE booking_claims SET active = false WHERE tenant_id = $1 AND booking_id IN (SELECT id FROM lapsed)`,
    [now, resourceId, ranges],
  );
  const { rows } = await tx.query<{ n: number }>(
    `SELECT x.n FROM unnest($3::tstzrange[], $4::int[]) AS x (occupies, n)
     WHERE EXISTS (SELECT 1 FROM booking_claims c WHERE c.tenant_id = $1 AND c.resource_id = $2 AND c.active AND c.occupies && x.occupies)`,
    [resourceId, ranges, ranges.map((_, i) => i)],
  );
  return new Set(rows.map((r) => Number(r.n)));
}

/** Which of the spans something already holds, read without locking (for the staff's preview). */
export async function heldAmong(q: TenantQueryable, resourceId: string, spans: readonly Span[], now: Date): Promise<Set<number>> {
  if (!spans.length) return new Set();
  const { rows } = await q.query<{ n: number }>(
    `SELECT x.n FROM unnest($3::tstzrange[], $5::int[]) AS x (occupies, n)
     WHERE EXISTS (SELECT 1 FROM booking_claims c WHERE c.tenant_id = $1 AND c.resource_id = $2 AND c.active AND c.occupies && x.occupies
                     AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.tenant_id = c.tenant_id AND b.id = c.booking_id AND b.status = 'held' AND b.hold_until <= $4))`,
    [resourceId, spans.map((s) => `[${s.start.toISOString()},${s.end.toISOString()})`), now, spans.map((_, i) => i)],
  );
  return new Set(rows.map((r) => Number(r.n)));
}

/**
 * Allocates a season, in the caller's transaction: the season's lock (SeasonAllocatedError when it
 * was allocated), the proposal with staff's decisions (SeasonConflictError while two granted times
 * overlap), then the resources' locks in id order and, for each granted weekly time, a booking per
 * week the resource is open and nothing holds the time — the weeks something holds are skipped and
 * reported, never taken from their holder. The caller moves the cases on in the same transaction.
 */
export async function allocate(
  tx: TenantQueryable,
  a: { def: ServiceDefinition; season: Season; resources: readonly Resource[]; staffId: string; now: Date },
): Promise<{ requests: SeasonRequest[]; allocated: Allocated[]; proposal: Map<string, Proposal>; summary: AllocationSummary }> {
  const { def, season, now } = a;
  if ((await lockSeason(tx, def.id, season.id)).allocatedAt) throw new SeasonAllocatedError(season.id);
  const byId = new Map(a.resources.map((r) => [r.id, r]));
  const requests = (await requestsOf(tx, def, season.id, { openOnly: true })).filter((r) => byId.has(r.resource));
  const proposal = propose(requests, (id) => byId.get(id)?.rules.bufferMinutes ?? 0);
  const conflicts = [...proposal].filter(([, p]) => p.state === 'conflict').map(([id]) => id);
  if (conflicts.length) throw new SeasonConflictError(conflicts);
  const granted = requests.filter((r) => proposal.get(r.id)?.state === 'given');
  await lockResources(tx, granted.map((r) => r.resource));
  const allocated: Allocated[] = [];
  for (const r of granted) {
    const resource = byId.get(r.resource)!;
    const dates = datesAhead(resource, season, r, now);
    const open = dates.filter((d) => d.span);
    const taken = await takenAmong(tx, resource.id, open.map((d) => occupying(resource.rules, d.span!)), now);
    const booking = open.filter((_, i) => !taken.has(i));
    const skipped: SkippedDate[] = [...dates.filter((d) => !d.span).map((d) => ({ date: d.date, why: 'closed' as const })), ...open.filter((_, i) => taken.has(i)).map((d) => ({ date: d.date, why: 'taken' as const }))].sort((x, y) =>
      x.date < y.date ? -1 : 1,
    );
    if (booking.length) await insertBookings(tx, def.id, r, resource, booking.map((d) => d.span!), season.id, now);
    allocated.push({ request: r, bookings: booking.length, skipped });
  }
  const bookedOf = new Map(allocated.map((x) => [x.request.id, x.bookings]));
  await tx.query(
    `UPDATE season_requests r SET outcome = x.outcome, booked = x.booked FROM unnest($2::uuid[], $3::text[], $4::int[]) AS x (id, outcome, booked) WHERE r.tenant_id = $1 AND r.id = x.id`,
    [requests.map((r) => r.id), requests.map((r) => (proposal.get(r.id)?.state === 'given' ? 'given' : 'refused')), requests.map((r) => bookedOf.get(r.id) ?? 0)],
  );
  const summary: AllocationSummary = {
    applications: new Set(requests.map((r) => r.caseId)).size,
    granted: granted.length,
    refused: requests.length - granted.length,
    bookings: allocated.reduce((n, x) => n + x.bookings, 0),
    skipped: allocated.reduce((n, x) => n + x.skipped.length, 0),
  };
  await tx.query('UPDATE booking_seasons SET allocated_at = $4, allocated_by = $5, summary = $6::jsonb WHERE tenant_id = $1 AND service_id = $2 AND season_id = $3', [
    def.id,
    season.id,
    now,
    a.staffId,
    JSON.stringify(summary),
  ]);
  return { requests, allocated, proposal, summary };
}

/** A granted weekly time's bookings, one per week, with their claims, in one statement (the constraint refuses any overlap all the same). */
async function insertBookings(tx: TenantQueryable, serviceId: string, r: SeasonRequest, resource: Resource, spans: readonly Span[], seasonId: string, now: Date): Promise<void> {
  const ids = spans.map(() => uuidv7(now.getTime()));
  const priceOre = (s: Span) => priceOf(resource.rules, r.customerType ?? 'association', s);
  try {
    await tx.query(
      `WITH made AS (
         INSERT INTO bookings (tenant_id, id, service_id, kind, status, starts_at, ends_at, owner_id, customer_type, organisation_number, seats, price_ore, case_id, details, created_at, changed_at)
         SELECT $1, x.id, $2, 'booking', 'booked', x.starts_at, x.ends_at, $3, $4, $5, 1, x.price_ore, $6, $7::jsonb, $8, $8
         FROM unnest($9::uuid[], $10::timestamptz[], $11::timestamptz[], $12::bigint[]) AS x (id, starts_at, ends_at, price_ore)
         RETURNING id, starts_at, ends_at)
       INSERT INTO booking_claims (tenant_id, booking_id, resource_id, occupies)
       SELECT $1, made.id, $13, tstzrange(made.starts_at, made.ends_at + make_interval(mins => $14), '[)') FROM made`,
      [
        serviceId,
        r.ownerId,
        r.customerType,
        r.organisationNumber,
        r.caseId,
        JSON.stringify({ resourceName: resource.name, seasonId, seasonRequest: r.id }),
        now,
        ids,
        spans.map((s) => s.start),
        spans.map((s) => s.end),
        spans.map(priceOre),
        resource.id,
        resource.rules.bufferMinutes,
      ],
    );
  } catch (e) {
    // Under the resource's lock nothing can come between the check and the insert; if it did, the whole allocation is rolled back.
    if (isExclusionViolation(e)) throw new Error(`a season's booking overlapped a claim on ${resource.id} under its lock`);
    throw e;
  }
}
