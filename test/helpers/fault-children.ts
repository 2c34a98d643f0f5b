/**
 * Child processes for the fault-injection tests (test/db-faults.test.ts): a crash must show as a
 * dead process, so what might crash runs in one. Run as a script with a mode:
 *   idle-transaction  a transaction waits on something that is not the database; its backend is
 *                     terminated meanwhile (the parent writes a line to stdin once it is gone)
 *   idle-job          the same for a scheduled job's lock connection while the job works elsewhere
 *   server            Medborg (demo mode) with its job scheduler, on DATABASE_URL; sends its port over IPC
 * Each prints JSON lines on stdout.
 */
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawn, fork, type ChildProcess } from 'node:child_process';
import { isConnectionFault, PostgresDatabase } from '../../src/kernel/db/index.ts';
import { Scheduler, type Job } from '../../src/jobs/index.ts';
import { TS_IMPORT } from './ts-import.ts';

const self = fileURLToPath(import.meta.url);
const out = (o: object) => process.stdout.write(`${JSON.stringify(o)}\n`);

/** Waits for the parent's line on stdin (the backend is gone), then lets the socket's end arrive first. */
async function parentSaysGo(): Promise<void> {
  await once(process.stdin, 'data');
  process.stdin.pause();
  await sleep(200);
}

async function idleTransaction(url: string): Promise<void> {
  const db = new PostgresDatabase(url, 2);
  let failure: unknown;
  try {
    await db.transaction(async (tx) => {
      const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      out({ pid: rows[0]!.pid });
      await parentSaysGo(); // e.g. an SMTP conversation
      await tx.query('SELECT 1');
    });
  } catch (err) {
    failure = err;
  }
  const { rows } = await db.query<{ one: number }>('SELECT 1 AS one');
  out({ failed: failure !== undefined, fault: isConnectionFault(failure), recovered: rows[0]?.one === 1 });
  await db.close();
}

async function idleJob(url: string): Promise<void> {
  const db = new PostgresDatabase(url, 4);
  const scheduler = new Scheduler({ db });
  let runs = 0;
  const job: Job = {
    name: 'fault-test-job',
    intervalMs: 60_000,
    async runOnce() {
      runs += 1;
      if (runs > 1) return;
      out({ started: true });
      await parentSaysGo(); // the job's own I/O, not the database's
    },
  };
  const first = await scheduler.runExclusive(job);
  const second = await scheduler.runExclusive(job);
  out({ first, second, runs });
  await db.close();
}

async function server(): Promise<void> {
  const { loadConfig } = await import('../../src/kernel/config.ts');
  const { loadTenants } = await import('../../src/kernel/tenants.ts');
  const { openDatabase } = await import('../../src/kernel/db/index.ts');
  const { buildApp } = await import('../../src/app.ts');
  const { standardJobs } = await import('../../src/jobs/index.ts');
  const config = loadConfig();
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize, timeouts: config.databaseTimeouts });
  const app = await buildApp({ config, db, tenants: loadTenants(config.tenantsFile), demo: true });
  await app.listen({ port: 0, host: '127.0.0.1' });
  // The jobs run as in serve, sooner: the outbox's lock connection is one the faults hit.
  const scheduler = new Scheduler({ db, log: app.log, firstRunWithinMs: 200 });
  for (const job of standardJobs(app)) scheduler.add(job);
  scheduler.start();
  process.on('SIGTERM', () => void scheduler.stop().then(() => app.close()).then(() => db.close()).then(() => process.exit(0)));
  process.send!({ port: (app.server.address() as { port: number }).port });
}

export interface Child {
  proc: ChildProcess;
  lines: object[];
  /** Resolves with the first printed line that has key. */
  line<T>(key: string): Promise<T>;
  exited: Promise<{ code: number | null; stderr: string }>;
}

/** Starts this script in a mode with env; for "server", port resolves with the port it listens on. */
export function startChild(mode: 'idle-transaction' | 'idle-job' | 'server', env: Record<string, string>): Child & { port: Promise<number> } {
  const proc =
    mode === 'server'
      ? fork(self, [mode], { execArgv: ['--import', TS_IMPORT], env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe', 'ipc'] })
      : spawn(process.execPath, ['--import', TS_IMPORT, self, mode], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: object[] = [];
  const waiters: { key: string; resolve: (v: never) => void }[] = [];
  let stderr = '';
  let buffered = '';
  proc.stdout!.on('data', (d: Buffer) => {
    buffered += d.toString();
    for (let i; (i = buffered.indexOf('\n')) !== -1; ) {
      const text = buffered.slice(0, i);
      buffered = buffered.slice(i + 1);
      let obj: Record<string, unknown>;
      try {
        obj = JSON.parse(text) as Record<string, unknown>;
      } catch {
        continue;
      }
      lines.push(obj);
      for (const w of waiters.filter((w) => w.key in obj)) w.resolve(obj as never);
    }
  });
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  // A child that crashed cannot read its line: the test reports the exit (below), not an EPIPE.
  proc.stdin!.on('error', () => undefined);
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) => proc.once('exit', (code) => resolve({ code, stderr })));
  const port = new Promise<number>((resolve, reject) => {
    proc.on('message', (m: { port?: number }) => typeof m.port === 'number' && resolve(m.port));
    void exited.then(({ code, stderr }) => reject(new Error(`${mode} exited with ${code}: ${stderr.slice(-2000)}`)));
  });
  port.catch(() => undefined);
  return {
    proc,
    lines,
    exited,
    port,
    line<T>(key: string) {
      const found = lines.find((l) => key in l);
      if (found) return Promise.resolve(found as T);
      return Promise.race([
        new Promise<T>((resolve) => waiters.push({ key, resolve: resolve as (v: never) => void })),
        exited.then(({ code, stderr }) => Promise.reject(new Error(`${mode} exited with ${code} before printing ${key}: ${stderr.slice(-2000)}`))),
      ]);
    },
  };
}

if (process.argv[1] === self) {
  const mode = process.argv[2];
  const url = process.env.DATABASE_URL!;
  if (mode === 'idle-transaction') await idleTransaction(url);
  else if (mode === 'idle-job') await idleJob(url);
  else if (mode === 'server') await server();
  else throw new Error(`unknown mode ${mode}`);
}
