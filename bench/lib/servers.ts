/**
 * The servers under test run in child processes, so the load generator does not share their
 * event loop (on 2 cores they still share the CPUs, which the bare-Fastify baseline shares too).
 * Run as a script: `node --import tsx bench/lib/servers.ts medborg|bare`; prints "port <n>".
 */
import { fork, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';

const self = fileURLToPath(import.meta.url);

export interface RunningServer {
  port: number;
  pid: number;
  stop(): Promise<void>;
}

export function startServerProcess(kind: 'medborg' | 'bare' | 'floor', env: Record<string, string>): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of the server (open it in Chrome DevTools).
    // The server's log lines go to /dev/null: written and paid for, as in production, but not kept.
    // An empty BENCH_CPU_PROF in `env` leaves this one process unprofiled.
    const profDir = 'BENCH_CPU_PROF' in env ? env.BENCH_CPU_PROF : process.env.BENCH_CPU_PROF;
    const prof = profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [];
    // BENCH_SERVER_LOG=<file> keeps the server's log lines there instead (to see what a request logs).
    const log = process.env.BENCH_SERVER_LOG ? openSync(process.env.BENCH_SERVER_LOG, 'a') : 'ignore';
    const child: ChildProcess = fork(self, [kind], { execArgv: ['--import', 'tsx', ...prof], env: { ...process.env, ...env }, stdio: ['ignore', log, 'inherit', 'ipc'] });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
    child.on('message', (m: { port?: number }) => {
      if (typeof m.port !== 'number') return;
      child.removeAllListeners('exit');
      resolve({
        port: m.port,
        pid: child.pid!,
        stop: () =>
          new Promise<void>((done) => {
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

async function serveMedborg(): Promise<number> {
  const { loadConfig } = await import('../../src/kernel/config.ts');
  const { loadTenants } = await import('../../src/kernel/tenants.ts');
  const { openDatabase } = await import('../../src/kernel/db/index.ts');
  const { buildApp } = await import('../../src/app.ts');
  const config = loadConfig();
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize, timeouts: config.databaseTimeouts });
  // Demo mode for the demo population register (the children); no job scheduler runs here, so
  // the e-mail the submissions queue stays in the outbox for the run to count.
  const app = await buildApp({ config, db, tenants: loadTenants(config.tenantsFile), demo: true });
  await app.listen({ port: 0, host: '127.0.0.1' });
  process.on('SIGTERM', () => void app.close().then(() => db.close()).then(() => process.exit(0)));
  return (app.server.address() as { port: number }).port;
}

/** An HTML page of about `bytes` bytes. */
function htmlOf(bytes: number): string {
  const head = '<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Bare</title></head><body><main>';
  const tail = '</main></body></html>';
  return head + '<p>Medborg</p>'.repeat(Math.max(0, Math.ceil((bytes - head.length - tail.length) / 14))) + tail;
}

async function serveBare(): Promise<number> {
  const app = Fastify({ logger: false });
  // BENCH_BARE_HTML_BYTES: an HTML page of that size (bench:forms compares a step page with it).
  const bytes = Number(process.env.BENCH_BARE_HTML_BYTES ?? 0);
  if (bytes > 0) {
    const html = htmlOf(bytes);
    app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(html));
  } else {
    app.get('/', async () => 'ok');
  }
  await app.listen({ port: 0, host: '127.0.0.1' });
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
  return (app.server.address() as { port: number }).port;
}

/**
 * The floor under a form step (bench:floor): Fastify and node-pg with nothing of Medborg. A page
 * reads one row by primary key with a prepared statement and sends a fixed page of
 * BENCH_BARE_HTML_BYTES; an answer updates one row's JSON, committed durably, and redirects. Rows
 * are in `floor_rows` of BENCH_FLOOR_DATABASE_URL, made by bench/floor.ts.
 */
async function serveFloor(): Promise<number> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: process.env.BENCH_FLOOR_DATABASE_URL, max: Number(process.env.BENCH_POOL_SIZE ?? 8) });
  const html = htmlOf(Number(process.env.BENCH_BARE_HTML_BYTES ?? 12_000));
  // BENCH_FLOOR_LEAN=1: the lean pair instead (serveLean), with Medborg's access log and form parsing.
  if (process.env.BENCH_FLOOR_LEAN === '1') {
    const { loggerOptions, AccessLog } = await import('../../src/kernel/log.ts');
    const { default: formbody } = await import('@fastify/formbody');
    // BENCH_LEAN_WITHOUT=log,headers leaves those parts out, to see what each costs.
    const without = new Set((process.env.BENCH_LEAN_WITHOUT ?? '').split(','));
    const lean = Fastify(without.has('log') ? { logger: false } : { logger: loggerOptions('info'), logController: new AccessLog() });
    await lean.register(formbody, { bodyLimit: 256 * 1024 });
    await serveLean(lean, pool, html, !without.has('headers'));
    await lean.listen({ port: 0, host: '127.0.0.1' });
    process.on('SIGTERM', () => void lean.close().then(() => pool.end()).then(() => process.exit(0)));
    return (lean.server.address() as { port: number }).port;
  }
  const app = Fastify({ logger: false });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.get('/read/:id', async (req, reply) => {
    const { rows } = await pool.query({ name: 'floor-read', text: 'SELECT id, data FROM floor_rows WHERE id = $1', values: [(req.params as { id: string }).id] });
    if (!rows[0]) return reply.code(404).send('not found');
    return reply.type('text/html; charset=utf-8').send(html);
  });
  app.post('/write/:id', async (req, reply) => {
    const { rowCount } = await pool.query({
      name: 'floor-write',
      text: `UPDATE floor_rows SET data = data || jsonb_build_object('answer', $2::text) WHERE id = $1`,
      values: [(req.params as { id: string }).id, String(req.body ?? '')],
    });
    if (!rowCount) return reply.code(404).send('not found');
    return reply.redirect('/read/next', 303);
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  process.on('SIGTERM', () => void app.close().then(() => pool.end()).then(() => process.exit(0)));
  return (app.server.address() as { port: number }).port;
}

/**
 * A lean step page and answer (bench:floor's "lean" pair): the floor plus what any Medborg request must
 * also do, each with Medborg's own code where it has one — the security headers (kernel
 * securityHeaders, computed once), the session cookie's token hashed, one prepared statement that
 * reads the session with its draft as JSON (the session's timestamps and JSON parsed by node-pg), the
 * access log line (kernel loggerOptions and AccessLog), and for the page a compiled page (the
 * 12 KB split in 40 pieces with the draft's answers escaped into 20 holes); for the answer the
 * posted form parsed (@fastify/formbody), checked against a compiled Ajv schema, and saved in one
 * statement that checks the session and its CSRF token. What it leaves out is everything Medborg
 * does beyond that: the tenant, language and view context, the forms engine's conditions and
 * steps, rendering the frame, cleaning the input. Tables `lean_sessions` and `lean_drafts`.
 */
async function serveLean(app: import('fastify').FastifyInstance, pool: import('pg').Pool, html: string, withHeaders: boolean): Promise<void> {
  const { securityHeaders } = await import('../../src/kernel/http/security-headers.ts');
  const { hashToken } = await import('../../src/kernel/http/session.ts');
  const { escapeHtml } = await import('../../src/kernel/html/render.ts');
  const { Ajv } = await import('ajv');
  const security = securityHeaders({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:'], fontSrc: ["'self'"], connectSrc: ["'self'"], formAction: ["'self'"], frameAncestors: ["'none'"], baseUri: ["'none'"], objectSrc: ["'none'"] } },
    hsts: false,
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'same-origin' },
  });
  if (withHeaders) app.addHook('onRequest', (_req, reply, done) => {
    for (const [name, value] of security.set) reply.raw.setHeader(name, value);
    for (const name of security.remove) reply.raw.removeHeader(name);
    done();
  });
  const pieces = Array.from({ length: 21 }, (_, i) => html.slice(Math.floor((i * html.length) / 21), Math.floor(((i + 1) * html.length) / 21)));
  const read = `SELECT s.id, s.kind, s.subject_id, s.locale, s.csrf_token, s.data, s.last_seen_at, s.expires_at,
      (SELECT row_to_json(d) FROM (SELECT id, owner_id, answers, completed_steps, updated_at, expires_at FROM lean_drafts WHERE id = $2) d) AS draft
    FROM lean_sessions s WHERE s.id = $1 AND s.expires_at > $3`;
  const cookieOf = (header: string | undefined) => /(?:^|;\s*)sid=([^;]+)/.exec(header ?? '')?.[1];
  app.get('/lean/:id', async (req, reply) => {
    const token = cookieOf(req.headers.cookie);
    if (!token) return reply.code(401).send('no session');
    const { rows } = await pool.query({ name: 'lean-read', text: read, values: [hashToken(token), (req.params as { id: string }).id, new Date()] });
    const draft = rows[0]?.draft as { owner_id: string; answers: Record<string, unknown> } | null | undefined;
    if (!draft || draft.owner_id !== rows[0].subject_id) return reply.code(404).send('not found');
    const values = Object.values(draft.answers).map((v) => escapeHtml(typeof v === 'string' ? v : JSON.stringify(v)));
    let out = pieces[0]!;
    for (let i = 1; i < pieces.length; i++) out += escapeHtml(i === 1 ? rows[0].csrf_token : String(values[i % values.length] ?? '')) + pieces[i];
    return reply.code(200).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(Buffer.from(out, 'utf8'));
  });
  const answer = new Ajv({ allErrors: true }).compile({
    type: 'object',
    properties: {
      venueName: { type: 'string', maxLength: 200 }, kitchen: { enum: ['yes', 'no'] }, outdoor: { enum: ['yes', 'no'] },
      seatsIndoor: { type: 'string', pattern: '^[0-9]{1,5}$' }, street: { type: 'string', maxLength: 200 }, postalCode: { type: 'string', pattern: '^[0-9]{3} ?[0-9]{2}$' },
      town: { type: 'string', maxLength: 100 }, drinks: { type: 'string', maxLength: 20 },
    },
    required: ['venueName', 'kitchen', 'outdoor'],
  });
  const write = `WITH session AS (SELECT s.subject_id FROM lean_sessions s WHERE s.id = $1 AND s.expires_at > $2
        AND sha256(convert_to(s.csrf_token, 'UTF8')) = sha256(convert_to($3::text, 'UTF8')))
    UPDATE lean_drafts d SET answers = d.answers || $5::jsonb, completed_steps = array_append(array_remove(d.completed_steps, 'premises'), 'premises'), updated_at = $2
      FROM session WHERE d.id = $4 AND d.owner_id = session.subject_id RETURNING d.completed_steps`;
  app.post('/lean/:id', async (req, reply) => {
    const token = cookieOf(req.headers.cookie);
    const body = (req.body ?? {}) as Record<string, string>;
    if (!token || !answer(body)) return reply.code(400).send('refused');
    const { _csrf, ...answers } = body;
    const { rows } = await pool.query({ name: 'lean-write', text: write, values: [hashToken(token), new Date(), _csrf ?? '', (req.params as { id: string }).id, JSON.stringify(answers)] });
    if (!rows[0]) return reply.code(404).send('not found');
    return reply.redirect(`/lean/${(req.params as { id: string }).id}/next`, 303);
  });
}

if (process.argv[1] === self && process.send) {
  const kind = process.argv[2];
  const port = kind === 'bare' ? await serveBare() : kind === 'floor' ? await serveFloor() : await serveMedborg();
  process.send({ port });
}
