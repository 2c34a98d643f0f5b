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

export function startServerProcess(kind: 'medborg' | 'bare', env: Record<string, string>): Promise<RunningServer> {
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

async function serveBare(): Promise<number> {
  const app = Fastify({ logger: false });
  // BENCH_BARE_HTML_BYTES: an HTML page of that size (bench:forms compares a step page with it).
  const bytes = Number(process.env.BENCH_BARE_HTML_BYTES ?? 0);
  if (bytes > 0) {
    const head = '<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Bare</title></head><body><main>';
    const tail = '</main></body></html>';
    const html = head + '<p>Medborg</p>'.repeat(Math.max(0, Math.ceil((bytes - head.length - tail.length) / 14))) + tail;
    app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(html));
  } else {
    app.get('/', async () => 'ok');
  }
  await app.listen({ port: 0, host: '127.0.0.1' });
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
  return (app.server.address() as { port: number }).port;
}

if (process.argv[1] === self && process.send) {
  const kind = process.argv[2];
  const port = kind === 'bare' ? await serveBare() : await serveMedborg();
  process.send({ port });
}
