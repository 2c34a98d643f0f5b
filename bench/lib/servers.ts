/**
 * The servers under test run in child processes, so the load generator does not share their
 * event loop (on 2 cores they still share the CPUs, which the bare-Fastify baseline shares too).
 * Run as a script: `node --import tsx bench/lib/servers.ts medborg|bare`; prints "port <n>".
 */
import { fork, type ChildProcess } from 'node:child_process';
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
    const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
    const child: ChildProcess = fork(self, [kind], { execArgv: ['--import', 'tsx', ...prof], env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
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
  app.get('/', async () => 'ok');
  await app.listen({ port: 0, host: '127.0.0.1' });
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
  return (app.server.address() as { port: number }).port;
}

if (process.argv[1] === self && process.send) {
  const kind = process.argv[2];
  const port = kind === 'bare' ? await serveBare() : await serveMedborg();
  process.send({ port });
}
