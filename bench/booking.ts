/**
 * `npm run bench:booking` — the booking engine (ADR 0038, 0039) with a municipality's worth of
 * resources and a year of bookings, on PostgreSQL, against a bare Fastify route measured in the same run.
 *
 *  1. Recreates the database (BENCH_BOOKING_DATABASE, default bench_booking) and migrates it.
 *  2. Writes a copy of the repository's catalogue whose Norrby sports-facilities register has
 *     BENCH_BOOKING_RESOURCES (500) bookable halls, pitches and courts (the shipped register's kinds
 *     of rules), and points this process and the servers at it (MEDBORG_TENANTS).
 *  3. Seeds BENCH_BOOKING_WEEKS (52) weeks of bookings from today: of each resource's slots as the
 *     engine computes them (slotsOn, laid end to end so that none overlaps another), BENCH_BOOKING_SHARE
 *     percent (60) are booked — bookings, their claims and the resources' lock rows, inserted in bulk.
 *  4. Availability of one resource-week for random resources and weeks: the engine's weekOf against
 *     the database in this process, and the public week page over HTTP one request at a time (p50/p99),
 *     then with wrk (its rate, against the bare route before and after).
 *  5. Booking: BENCH_BOOKINGS (3000) signed-in residents, each with a draft ready to send and a
 *     distinct free time chosen, spread over the resources; each one's check page gives its CSRF
 *     token; then the submits go BENCH_CONCURRENCY (64) at a time (the bare route before and after,
 *     same client, same concurrency). Each must be a 303 to its confirmation, and the database must
 *     then hold one active claim per draft, at the time it chose, overlapping no other.
 *  6. Prints one JSON line. Targets (issue 10): availability p99 under 20 ms, at least 500 bookings/s.
 *
 * A figure, not a test: it exits non-zero only when the work went wrong (a booking not made, a
 * failed request, a claim missing or overlapping), never because the machine is slow.
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import YAML from 'yaml';
import { addDays, localDate, occupying, resourcesOf, slotsOn, weekOf, type ResolvedRules, type Resource } from '../src/booking/index.ts';
import { loadCatalogue, versionOf } from '../src/catalogue/index.ts';
import type { BookableEntry, OpeningHours, RegisterEntry, ServiceDefinition } from '../src/catalogue/types.ts';
import { createDraft, saveAnswers, saveChosen } from '../src/forms/drafts.repository.ts';
import { recordSignIn } from '../src/identity/eid/residents-repository.ts';
import { migrate, PostgresDatabase, tenantScope } from '../src/kernel/db/index.ts';
import { SESSION_COOKIE } from '../src/kernel/http/index.ts';
import { SessionStore } from '../src/kernel/http/session.ts';
import { uuidv7 } from '../src/kernel/ids.ts';
import { loadTenants } from '../src/kernel/tenants.ts';
import { csrfFrom } from '../test/helpers/app.ts';
import { cpuBreakdown, cpuSnapshot } from './lib/cpu.ts';
import { recreateDatabase } from './lib/database.ts';
import { testPersonalNumber, type WrkRequest, type WrkResult } from './lib/forms-plan.ts';
import { percentile, runLoad, type LoadRequest, type LoadResult } from './lib/load.ts';
import { startServerProcess, type RunningServer } from './lib/servers.ts';
import { measureWithWrk, wrkVersion } from './lib/wrk.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;
const int = (name: string, fallback: number) => (env[name] ? Number(env[name]) : fallback);
const RESOURCES = int('BENCH_BOOKING_RESOURCES', 500);
const WEEKS = int('BENCH_BOOKING_WEEKS', 52);
/** Percent of each resource's slots seeded as booked. */
const SHARE = int('BENCH_BOOKING_SHARE', 60);
const BOOKINGS = int('BENCH_BOOKINGS', 3000);
const WARM_BOOKINGS = int('BENCH_BOOKING_WARMUP', 200);
const CONCURRENCY = int('BENCH_CONCURRENCY', 64);
const POOL = int('BENCH_POOL_SIZE', 8);
/** Week lookups measured one at a time, in this process and over HTTP each. */
const LOOKUPS = int('BENCH_BOOKING_LOOKUPS', 2000);
const DURATION = int('BENCH_DURATION', 10);
const CONNECTIONS = int('BENCH_CONNECTIONS', 32);
const BARE_REQUESTS = int('BENCH_BARE_REQUESTS', 50_000);
const ADMIN_URL = env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB_NAME = env.BENCH_BOOKING_DATABASE ?? 'bench_booking';
const LOG_LEVEL = env.BENCH_LOG_LEVEL ?? 'info';
const KEEP_SEED = env.BENCH_BOOKING_KEEP_SEED === '1';
const TENANT = 'norrby';
const HOST = 'norrby.localhost';
const SERVICE = 'boka-idrottshall';
const REGISTER = 'sports-facilities';
const RETENTION_DAYS = 30;
const TARGET = { availability_p99_ms: 20, bookings_per_s: 500 };

const status = (line: string) => process.stderr.write(`${line}\n`);
const seconds = (t0: number) => (performance.now() - t0) / 1000;
const round = (x: number, d = 2) => +x.toFixed(d);

// --- The catalogue: 500 resources ---------------------------------------------------------------

const KINDS = ['hall', 'pitch', 'court'] as const;
const NAMES = { hall: 'Sporthall', pitch: 'Fotbollsplan', court: 'Tennisbana' };
const AREAS = ['Centrum', 'Ekbacken', 'Hamnen', 'Västra Norrby', 'Norrskogen'];
const COURT_HOURS: OpeningHours = {
  mon: [['07:00', '22:00']],
  tue: [['07:00', '22:00']],
  wed: [['07:00', '22:00']],
  thu: [['07:00', '22:00']],
  fri: [['07:00', '22:00']],
  sat: [['08:00', '20:00']],
  sun: [['08:00', '20:00']],
};

/**
 * The i-th resource, with the rules the shipped register gives its kind: a hall on the service's
 * hours and hour slots, a pitch with 90-minute matches and a quarter of an hour raked between them,
 * a court booked for one to two hours from any half hour. Each may be booked a year ahead (the
 * service says 90 days), so that the seeded year is one the rules allow. Each is free of charge, as
 * the shipped gym is: a priced time is held while the booker pays (a payment provider's round trip
 * and its callback), and what is measured here is the booking written with its case.
 */
function facility(i: number): RegisterEntry {
  const kind = KINDS[i % KINDS.length]!;
  const common = { horizonDays: 365, prices: { resident: { perHour: 0 }, association: { perHour: 0 } } };
  const rules: Record<(typeof KINDS)[number], BookableEntry> = {
    hall: { kind: 'hall', ...common },
    pitch: { kind: 'pitch', slotMinutes: 90, bufferMinutes: 15, ...common },
    court: { kind: 'court', minMinutes: 60, maxMinutes: 120, stepMinutes: 30, opening: COURT_HOURS, ...common },
  };
  const n = String(i + 1).padStart(3, '0');
  return { id: `bench-${kind}-${n}`, name: `${NAMES[kind]} ${n}`, area: AREAS[i % AREAS.length]!, address: `Idrottsvägen ${i + 1}, Norrby`, bookable: rules[kind] };
}

/**
 * A copy of the repository's tenants file, catalogue and branding in `dir` (the tenants file's paths
 * resolve against its own folder), with the generated sports-facilities register; returns the
 * tenants file.
 */
function benchCatalogue(dir: string): string {
  for (const p of ['tenants.yaml', 'catalogue', 'branding']) cpSync(path.join(root, p), path.join(dir, p), { recursive: true });
  const file = path.join(dir, 'catalogue', TENANT, 'registers', `${REGISTER}.yaml`);
  const register = YAML.parse(readFileSync(file, 'utf8')) as { entries: RegisterEntry[] };
  register.entries = Array.from({ length: RESOURCES }, (_, i) => facility(i));
  // JSON is YAML, and quotes every time of day ("07:00"), which no YAML reader then takes for a number.
  writeFileSync(file, `# Written by bench/booking.ts: ${RESOURCES} resources.\n${JSON.stringify(register, null, 1)}\n`);
  return path.join(dir, 'tenants.yaml');
}

// --- A year of bookings ------------------------------------------------------------------------

/** A time one booking of a resource holds: the slot, and until when with the buffer after it. */
interface Tile {
  start: Date;
  end: Date;
  heldUntil: Date;
}

/**
 * A resource's slots on the dates (the engine's own slotsOn) laid end to end: each the first slot
 * that starts when the one before has let go, buffer included. A court's starts every half hour
 * overlap one another, and a booking of each would be refused by the claims' constraint.
 */
function tilesOf(rules: ResolvedRules, dates: readonly string[]): Tile[] {
  const tiles: Tile[] = [];
  let freeFrom = 0;
  for (const date of dates) {
    for (const slot of slotsOn(rules, date)) {
      if (slot.start.getTime() < freeFrom) continue;
      const heldUntil = occupying(rules, slot).end;
      tiles.push({ start: slot.start, end: slot.end, heldUntil });
      freeFrom = heldUntil.getTime();
    }
  }
  return tiles;
}

/**
 * Whether a resource's k-th tile is seeded as booked: SHARE of every 100 in a row, evenly spread,
 * each resource's pattern shifted by `shift` so that the resources are not all booked in step.
 */
const seededAsBooked = (k: number, shift: number) => Math.floor(((k + shift + 1) * SHARE) / 100) > Math.floor(((k + shift) * SHARE) / 100);

interface Seeded {
  bookings: number;
  tiles: number;
  seconds: number;
  /** Per resource, its first free tiles from a day ahead (past any notice): the times the bookers choose. */
  free: Map<string, Tile[]>;
}

/** One resource's booked tiles: the bookings and their claims in one statement. */
const SEED_SQL = `WITH r AS (SELECT * FROM unnest($2::uuid[], $3::timestamptz[], $4::timestamptz[], $5::timestamptz[]) AS r(id, starts_at, ends_at, held_until)),
  b AS (INSERT INTO bookings (tenant_id, id, service_id, status, starts_at, ends_at, customer_type, created_at, changed_at)
        SELECT $1, id, $6, 'booked', starts_at, ends_at, 'resident', $7, $7 FROM r)
  INSERT INTO booking_claims (tenant_id, booking_id, resource_id, occupies) SELECT $1, id, $8, tstzrange(starts_at, held_until) FROM r`;

/**
 * Seeds WEEKS weeks from today of every resource, SHARE percent of its tiles booked, in bulk over two
 * connections, then vacuums and analyses the tables as autovacuum would on a live database. With
 * `write` false (the seeded year copied from a kept template) only works out what was seeded.
 */
async function seedYear(url: string, resources: readonly Resource[], now: Date, freeWanted: number, write = true): Promise<Seeded> {
  const t0 = performance.now();
  const dates = Array.from({ length: 7 * WEEKS }, (_, i) => addDays(localDate(now), i));
  // Resources of one kind have the same rules, hence the same tiles: worked out once per set of rules.
  const byRules = new Map<string, Tile[]>();
  const tilesFor = (r: Resource) => {
    const key = JSON.stringify(r.rules);
    if (!byRules.has(key)) byRules.set(key, tilesOf(r.rules, dates));
    return byRules.get(key)!;
  };
  const dayAhead = now.getTime() + 86_400_000;
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const free = new Map<string, Tile[]>();
  let bookings = 0;
  let tiles = 0;
  let next = 0;
  async function worker(): Promise<void> {
    for (;;) {
      const n = next++;
      if (n >= resources.length) return;
      const resource = resources[n]!;
      const all = tilesFor(resource);
      const shift = (n * 37) % 100;
      const booked = all.filter((_, k) => seededAsBooked(k, shift));
      free.set(resource.id, all.filter((t, k) => !seededAsBooked(k, shift) && t.start.getTime() >= dayAhead).slice(0, freeWanted));
      const iso = (ds: Date[]) => ds.map((d) => d.toISOString());
      if (write) await pool.query(SEED_SQL, [TENANT, booked.map(() => uuidv7(now.getTime())), iso(booked.map((t) => t.start)), iso(booked.map((t) => t.end)), iso(booked.map((t) => t.heldUntil)), SERVICE, now, resource.id]);
      bookings += booked.length;
      tiles += all.length;
      if (write && n % 100 === 99) status(`  ${n + 1} resources, ${bookings.toLocaleString('en')} bookings (${seconds(t0).toFixed(1)} s)`);
    }
  }
  await Promise.all([worker(), worker()]);
  if (write) {
    // The lock row a booking takes first (claims.ts), there for every resource booked before.
    await pool.query('INSERT INTO booking_resources (tenant_id, resource_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING', [TENANT, resources.map((r) => r.id)]);
    await pool.query('VACUUM ANALYZE bookings, booking_claims, booking_resources');
  }
  await pool.end();
  return { bookings, tiles, seconds: seconds(t0), free };
}

/**
 * BENCH_BOOKING_KEEP_SEED=1: the seeded year is kept as a template database named by what it holds
 * (resources, weeks, share, today's date, the migrations, the seeding's code), and a later run with
 * the same copies it (seconds) instead of seeding again (minutes). Returns the template's name.
 */
function seedTemplateName(resources: number, now: Date): string {
  const dir = path.join(root, 'migrations');
  const migrations = readdirSync(dir).sort().map((f) => `${f}:${readFileSync(path.join(dir, f), 'utf8')}`);
  const key = createHash('sha256').update(JSON.stringify([resources, WEEKS, SHARE, localDate(now), SEED_SQL, seedYear.toString(), tilesOf.toString(), migrations])).digest('hex').slice(0, 12);
  return `${DB_NAME}_seed_${key}`;
}

/** Whether the template exists; if it does, the bench's database is made again as a copy of it. */
async function cloneSeed(template: string): Promise<boolean> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (!rowCount) return false;
    await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${DB_NAME} TEMPLATE ${template}`);
    return true;
  } finally {
    await admin.end();
  }
}

/** Keeps the freshly seeded database as the template (it must have no connections: called with none open). */
async function keepSeed(template: string): Promise<void> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${template} TEMPLATE ${DB_NAME}`);
  } finally {
    await admin.end();
  }
}

// --- Residents with drafts ready to send -------------------------------------------------------

interface Booker {
  draftId: string;
  cookie: string;
  csrf: string;
  resourceId: string;
  start: Date;
}

/**
 * `count` signed-in residents, each with a draft of the booking service whose questions are
 * answered and whose time is chosen (as the time step saves it), booker i on resource i mod R at
 * its next free tile: every booker a distinct time, neighbours in the list on different resources.
 */
async function prepareBookers(db: PostgresDatabase, def: ServiceDefinition, resources: readonly Resource[], free: Map<string, Tile[]>, count: number): Promise<Booker[]> {
  const tdb = tenantScope(db, TENANT);
  const sessions = new SessionStore(60 * 60_000);
  const bookers: Booker[] = [];
  let next = 0;
  async function worker(): Promise<void> {
    for (;;) {
      const i = next++;
      if (i >= count) return;
      const resource = resources[i % resources.length]!;
      const tile = free.get(resource.id)?.[Math.floor(i / resources.length)];
      if (!tile) throw new Error(`no free time left on ${resource.id} for booker ${i}`);
      const now = new Date();
      const residentId = await recordSignIn(tdb, { personalNumber: testPersonalNumber(i), givenName: 'Test', familyName: `Bokare ${i}`, locale: 'sv' }, now);
      const { token } = await sessions.create(tdb, { kind: 'resident', subjectId: residentId, locale: 'sv', data: { displayName: `Test Bokare ${i}` } }, now);
      const draft = await createDraft(tdb, residentId, SERVICE, {}, now, RETENTION_DAYS, versionOf(def));
      await saveAnswers(tdb, draft.id, { activity: 'training', participants: 12 }, 'purpose', true, now, RETENTION_DAYS);
      await saveAnswers(tdb, draft.id, { email: `bokare${i}@example.se`, phone: '070-000 00 00' }, 'contact', true, now, RETENTION_DAYS);
      await saveChosen(tdb, draft.id, residentId, { resource: resource.id, start: tile.start.toISOString(), end: tile.end.toISOString() }, now, RETENTION_DAYS);
      bookers[i] = { draftId: draft.id, cookie: `${SESSION_COOKIE}=${token}`, csrf: '', resourceId: resource.id, start: tile.start };
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker));
  return bookers;
}

/** Each booker's check page (it must show, 200), for the CSRF token its form posts: 8 at a time. */
async function fetchCsrfTokens(port: number, bookers: Booker[]): Promise<void> {
  let next = 0;
  async function worker(): Promise<void> {
    for (;;) {
      const b = bookers[next++];
      if (!b) return;
      const res = await fetch(`http://127.0.0.1:${port}/apply/${b.draftId}/check`, { headers: { host: HOST, cookie: b.cookie }, redirect: 'manual' });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`the check page of draft ${b.draftId} answered ${res.status} ${res.headers.get('location') ?? ''}`);
      b.csrf = csrfFrom(body);
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker));
}

const submitOf = (b: Booker): LoadRequest => ({
  method: 'POST',
  path: `/apply/${b.draftId}/submit`,
  headers: { host: HOST, cookie: b.cookie, 'content-type': 'application/x-www-form-urlencoded' },
  body: `_csrf=${encodeURIComponent(b.csrf)}`,
});

/** A booking made: the 303 to the draft's confirmation (a time found taken goes back to the step with ?lost=1). */
const confirmed = (s: number, location: string | undefined) => s === 303 && !!location?.endsWith('/confirmation');

// --- Availability --------------------------------------------------------------------------------

/** A small seeded generator, so that two runs ask for the same weeks. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` random resource-weeks within the seeded year. */
function randomWeeks(resources: readonly Resource[], count: number, seed: number, now: Date): { resource: Resource; date: string }[] {
  const next = random(seed);
  const today = localDate(now);
  return Array.from({ length: count }, () => ({ resource: resources[Math.floor(next() * resources.length)]!, date: addDays(today, Math.floor(next() * 7 * WEEKS)) }));
}

const weekPage = (w: { resource: Resource; date: string }): WrkRequest => ({ method: 'GET', path: `/services/${SERVICE}/book?resource=${encodeURIComponent(w.resource.entryId)}&week=${w.date}`, headers: { host: HOST } });

/** The engine's part of a week page: weekOf (the claims of the week read, the slots computed), one call at a time. */
async function engineWeeks(db: PostgresDatabase, weeks: { resource: Resource; date: string }[]): Promise<{ p50Ms: number; p99Ms: number; perSecond: number }> {
  const tdb = tenantScope(db, TENANT);
  // A first pass over a few (JIT, prepared statements), not counted.
  for (const w of weeks.slice(0, 100)) await weekOf(tdb, w.resource, w.date, new Date());
  const latencies = new Float64Array(weeks.length);
  const t0 = performance.now();
  for (const [i, w] of weeks.entries()) {
    const s = performance.now();
    await weekOf(tdb, w.resource, w.date, new Date());
    latencies[i] = performance.now() - s;
  }
  const perSecond = weeks.length / seconds(t0);
  latencies.sort();
  return { p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), perSecond };
}

// --- What the database holds afterwards ----------------------------------------------------------

/**
 * What must be true when every submit was confirmed: one booked booking with an active claim per
 * draft at the resource and time it chose, the seeded claims all still there, and no claim of the
 * new bookings overlapping another active claim of its resource.
 */
async function verify(db: PostgresDatabase, bookers: readonly Booker[], seeded: number): Promise<{ problems: string[]; activeClaims: number; madeBookings: number }> {
  const q = <R>(sql: string, params: unknown[]) => db.pool.query<R & pg.QueryResultRow>(sql, params).then((r) => r.rows[0]!);
  const drafts = bookers.map((b) => b.draftId);
  const { active } = await q<{ active: number }>('SELECT count(*)::int AS active FROM booking_claims WHERE tenant_id = $1 AND active', [TENANT]);
  const { made } = await q<{ made: number }>(
    `SELECT count(*)::int AS made FROM drafts d
       JOIN bookings b ON b.tenant_id = d.tenant_id AND b.case_id = d.submitted_case_id
       JOIN booking_claims c ON c.tenant_id = b.tenant_id AND c.booking_id = b.id
      WHERE d.tenant_id = $1 AND d.id = ANY($2::uuid[]) AND b.status = 'booked' AND c.active
        AND c.resource_id = d.chosen->>'resource' AND b.starts_at = (d.chosen->>'start')::timestamptz`,
    [TENANT, drafts],
  );
  const { overlaps } = await q<{ overlaps: number }>(
    `SELECT count(*)::int AS overlaps FROM bookings b
       JOIN booking_claims n ON n.tenant_id = b.tenant_id AND n.booking_id = b.id AND n.active
       JOIN booking_claims o ON o.tenant_id = n.tenant_id AND o.resource_id = n.resource_id AND o.active AND o.occupies && n.occupies AND o.booking_id <> n.booking_id
      WHERE b.tenant_id = $1 AND b.case_id IS NOT NULL`,
    [TENANT],
  );
  const problems: string[] = [];
  if (made !== bookers.length) problems.push(`${made} of ${bookers.length} drafts have their booking at the time they chose`);
  if (active !== seeded + bookers.length) problems.push(`${active} active claims, not ${seeded} seeded + ${bookers.length} made`);
  if (overlaps) problems.push(`${overlaps} overlaps between a new booking's claim and another`);
  return { problems, activeClaims: active, madeBookings: made };
}

// --- The run -------------------------------------------------------------------------------------

const wrkMeasure = (label: string, server: RunningServer, requests: WrkRequest[], dir: string, duration = DURATION): Promise<WrkResult> =>
  measureWithWrk(label, [server], requests, { duration, connections: CONNECTIONS, threads: 1, dir, status });

const bareLoad = (server: RunningServer): Promise<LoadResult> =>
  runLoad({ port: server.port, concurrency: CONCURRENCY, requests: [{ method: 'GET', path: '/', headers: {} }], total: BARE_REQUESTS, ok: (s) => s === 200 });

async function main(): Promise<void> {
  const tAll = performance.now();
  const wrk = wrkVersion();
  status(`bench:booking — ${os.cpus().length} CPUs, Node ${process.version}, ${wrk}; ${RESOURCES} resources, ${WEEKS} weeks at ${SHARE}%, ${BOOKINGS} bookings at ${CONCURRENCY} in flight`);
  const url = await recreateDatabase(ADMIN_URL, DB_NAME);
  const catalogueDir = mkdtempSync(path.join(os.tmpdir(), 'medborg-bench-booking-catalogue-'));
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'medborg-bench-booking-'));
  const servers: RunningServer[] = [];
  let db = new PostgresDatabase(url, 8);
  try {
    const tenantsFile = benchCatalogue(catalogueDir);
    const catalogue = loadCatalogue(loadTenants(tenantsFile), { baseDir: catalogueDir });
    const def = catalogue.service(TENANT, SERVICE);
    if (!def) throw new Error(`no ${SERVICE} service in ${TENANT}'s catalogue`);
    const resources = resourcesOf(catalogue, TENANT, def);
    if (resources.length !== RESOURCES) throw new Error(`${resources.length} resources read back, not ${RESOURCES}`);
    const now = new Date();
    const total = WARM_BOOKINGS + BOOKINGS;
    const template = KEEP_SEED ? seedTemplateName(RESOURCES, now) : undefined;
    const t1 = performance.now();
    const reused = template !== undefined && (await cloneSeed(template));
    await migrate(db);
    if (reused) status(`the seeded year copied from ${template} in ${seconds(t1).toFixed(1)} s`);
    else status(`seeding ${WEEKS} weeks of bookings`);
    const seeded = await seedYear(url, resources, now, Math.ceil(total / RESOURCES), !reused);
    if (reused) seeded.seconds = seconds(t1);
    status(`  ${seeded.bookings.toLocaleString('en')} bookings of ${seeded.tiles.toLocaleString('en')} slots in ${seeded.seconds.toFixed(1)} s`);
    if (template && !reused) {
      await db.close();
      await keepSeed(template);
      db = new PostgresDatabase(url, 8);
      status(`  kept as ${template}`);
    }

    status(`${total} residents with drafts ready to send`);
    let t0 = performance.now();
    const bookers = await prepareBookers(db, def, resources, seeded.free, total);
    await db.pool.query('ANALYZE');
    status(`  in ${seconds(t0).toFixed(1)} s`);

    status(`the engine's weekOf, ${LOOKUPS} at a time one`);
    const engine = await engineWeeks(db, randomWeeks(resources, LOOKUPS, 1, now));

    const serverEnv = { DATABASE_URL: url, DATABASE_POOL_SIZE: String(POOL), LOG_LEVEL, MEDBORG_DATA_DIR: dataDir, MEDBORG_ENV: 'development', MEDBORG_TENANTS: tenantsFile };
    const medborg = await startServerProcess('medborg', serverEnv);
    servers.push(medborg);
    const bare = await startServerProcess('bare', { BENCH_CPU_PROF: '' });
    servers.push(bare);

    status('check pages, for the CSRF tokens');
    t0 = performance.now();
    await fetchCsrfTokens(medborg.port, bookers);
    status(`  in ${seconds(t0).toFixed(1)} s`);

    status(`week pages over HTTP, ${LOOKUPS} one at a time`);
    const pages = randomWeeks(resources, LOOKUPS, 2, now).map(weekPage);
    const page200 = (s: number) => s === 200;
    await runLoad({ port: medborg.port, concurrency: 1, requests: pages.slice(0, 200), ok: page200 });
    const pageOne = await runLoad({ port: medborg.port, concurrency: 1, requests: pages, ok: page200 });

    status('week pages with wrk, between two measurements of the bare route');
    await wrkMeasure('warm-bare', bare, [{ method: 'GET', path: '/', headers: {} }], dataDir, 3);
    await wrkMeasure('warm-week', medborg, pages, dataDir, 3);
    const bareWrk1 = await wrkMeasure('bare', bare, [{ method: 'GET', path: '/', headers: {} }], dataDir);
    let cpu = cpuSnapshot();
    const pageWrk = await wrkMeasure('week', medborg, pages, dataDir);
    const pageCpu = cpuBreakdown(cpu, cpuSnapshot(), medborg.pid, pageWrk.requests);
    const bareWrk2 = await wrkMeasure('bare', bare, [{ method: 'GET', path: '/', headers: {} }], dataDir);

    status(`bookings: ${WARM_BOOKINGS} to warm up, then ${BOOKINGS}, ${CONCURRENCY} in flight, between two measurements of the bare route`);
    const warm = await runLoad({ port: medborg.port, concurrency: CONCURRENCY, requests: bookers.slice(0, WARM_BOOKINGS).map(submitOf), ok: confirmed });
    const bareLoad1 = await bareLoad(bare);
    cpu = cpuSnapshot();
    // Monotonic microseconds, the clock of V8's CPU profiles: bench/profile-summary.mjs takes them as a window.
    const micros = () => Number(process.hrtime.bigint() / 1000n);
    const bookingFrom = micros();
    const booking = await runLoad({ port: medborg.port, concurrency: CONCURRENCY, requests: bookers.slice(WARM_BOOKINGS).map(submitOf), ok: confirmed });
    const bookingCpu = cpuBreakdown(cpu, cpuSnapshot(), medborg.pid, booking.requests);
    const bookingWindow = `${bookingFrom}-${micros()}`;
    const bareLoad2 = await bareLoad(bare);

    const checked = await verify(db, bookers, seeded.bookings);
    const bareWrkRps = (bareWrk1.perSecond + bareWrk2.perSecond) / 2;
    const bareLoadRps = (bareLoad1.perSecond + bareLoad2.perSecond) / 2;
    const confirmations = booking.requests - booking.errors;
    const result = {
      benchmark: 'booking',
      resources: resources.length,
      weeks: WEEKS,
      seeded_bookings: seeded.bookings,
      seeded_slots: seeded.tiles,
      seeded_share: round(seeded.bookings / seeded.tiles, 3),
      seed_s: round(seeded.seconds, 1),
      seed_reused: reused,
      availability_engine_p50_ms: round(engine.p50Ms),
      availability_engine_p99_ms: round(engine.p99Ms),
      availability_engine_per_s: Math.round(engine.perSecond),
      availability_http_p50_ms: round(pageOne.p50Ms),
      availability_http_p99_ms: round(pageOne.p99Ms),
      availability_http_loaded_rps: Math.round(pageWrk.perSecond),
      availability_http_loaded_p50_ms: round(pageWrk.p50Ms),
      availability_http_loaded_p99_ms: round(pageWrk.p99Ms),
      bare_rps: Math.round(bareWrkRps),
      bare_rps_before_after: [Math.round(bareWrk1.perSecond), Math.round(bareWrk2.perSecond)],
      availability_ratio_vs_bare: round(pageWrk.perSecond / bareWrkRps, 4),
      bookings: booking.requests,
      confirmations,
      bookings_per_s: Math.round(booking.perSecond),
      booking_p50_ms: round(booking.p50Ms),
      booking_p99_ms: round(booking.p99Ms),
      booking_max_ms: round(booking.maxMs),
      bare_rps_same_client: Math.round(bareLoadRps),
      bare_rps_same_client_before_after: [Math.round(bareLoad1.perSecond), Math.round(bareLoad2.perSecond)],
      bookings_ratio_vs_bare: round(booking.perSecond / bareLoadRps, 4),
      active_claims: checked.activeClaims,
      target: TARGET,
      targets_met: {
        availability_p99: pageOne.p99Ms < TARGET.availability_p99_ms ? 'yes' : 'no',
        bookings_per_s: booking.perSecond >= TARGET.bookings_per_s ? 'yes' : 'no',
      },
      errors: booking.errors + warm.errors + pageOne.errors + pageWrk.errors + bareWrk1.errors + bareWrk2.errors + bareLoad1.errors + bareLoad2.errors,
      ...(booking.firstError || warm.firstError ? { first_error: booking.firstError ?? warm.firstError } : {}),
      ...(pageCpu && bookingCpu ? { cpu_ms_per_week_page: pageCpu, cpu_ms_per_booking: bookingCpu } : {}),
      ...(env.BENCH_CPU_PROF ? { profile_windows_us: { bookings: bookingWindow } } : {}),
      load_average_1m: round(os.loadavg()[0]!, 1),
      concurrency: CONCURRENCY,
      wrk_connections: CONNECTIONS,
      duration_s: DURATION,
      db_pool: POOL,
      log_level: LOG_LEVEL,
      run_s: Math.round(seconds(tAll)),
      client: `${wrk}; bench/lib/load.ts`,
      node: process.version,
      cpus: os.cpus().length,
    };
    console.log(JSON.stringify(result));

    const wrong = [...checked.problems];
    if (warm.errors || booking.errors) wrong.push(`${warm.errors + booking.errors} submits were not confirmed (${result.first_error})`);
    if (result.errors - warm.errors - booking.errors) wrong.push(`${result.errors - warm.errors - booking.errors} other requests failed`);
    if (wrong.length) {
      status(`FAILED:\n  ${wrong.join('\n  ')}`);
      process.exitCode = 1;
    }
    status(`whole benchmark ${seconds(tAll).toFixed(0)} s`);
  } finally {
    for (const s of servers) await s.stop();
    await db.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(catalogueDir, { recursive: true, force: true });
  }
}

await main();
