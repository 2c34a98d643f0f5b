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

if (process.argv[1] === self && process.send) {
  const kind = process.argv[2];
  const port = kind === 'bare' ? await serveBare() : kind === 'floor' ? await serveFloor() : await serveMedborg();
  process.send({ port });
}
