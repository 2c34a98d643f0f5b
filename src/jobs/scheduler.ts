/**
 * A tiny in-process scheduler for periodic jobs. Every node runs one; a PostgreSQL advisory lock
 * per job makes sure only one node runs a given job at a time, and jitter keeps the nodes from
 * waking in step. A job never overlaps itself: its next run is planned when the current one ends.
 * Deliberately small — pg-boss (ADR 0005) is the choice if Medborg ever needs queues of one-off jobs.
 */
import type { Database } from '../kernel/db/index.ts';

export interface Job {
  /** Unique and stable: it names the advisory lock and the log lines. */
  readonly name: string;
  /** Time between the end of one run and the start of the next, before jitter. */
  readonly intervalMs: number;
  /** Does the work once; tests call it directly. */
  runOnce(): Promise<unknown>;
}

export interface SchedulerLogger {
  debug(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface SchedulerOptions {
  db: Database;
  log?: SchedulerLogger | undefined;
  /** Each interval varies by ± this fraction (default 0.1). */
  jitter?: number;
  /** The first run comes at a random moment within this time after start (default 15 s). */
  firstRunWithinMs?: number;
  random?: () => number;
}

export type RunOutcome = 'ran' | 'skipped' | 'failed';

// Two-key advisory locks (int4, int4): the first key is Medborg's jobs namespace, so job locks can
// never collide with the migration lock (a single bigint key) or anything else using advisory locks.
const JOBS_LOCK_SPACE = 727_274_002;

/** A job name as the second advisory-lock key: 32-bit FNV-1a, as a signed int4. */
export function jobLockKey(name: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(name, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

const silent: SchedulerLogger = { debug: () => undefined, error: () => undefined };

export class Scheduler {
  readonly #db: Database;
  readonly #log: SchedulerLogger;
  readonly #jitter: number;
  readonly #firstRunWithinMs: number;
  readonly #random: () => number;
  readonly #jobs = new Map<string, Job>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #running = new Set<Promise<unknown>>();
  #started = false;

  constructor(opts: SchedulerOptions) {
    this.#db = opts.db;
    this.#log = opts.log ?? silent;
    this.#jitter = opts.jitter ?? 0.1;
    this.#firstRunWithinMs = opts.firstRunWithinMs ?? 15_000;
    this.#random = opts.random ?? Math.random;
  }

  add(job: Job): this {
    if (this.#jobs.has(job.name)) throw new Error(`A job named ${job.name} is already registered`);
    this.#jobs.set(job.name, job);
    if (this.#started) this.#plan(job, this.#firstDelay(job));
    return this;
  }

  get jobs(): Job[] {
    return [...this.#jobs.values()];
  }

  /** Starts every registered job's timer. Timers are unref'd: they never keep the process alive. */
  start(): this {
    if (this.#started) return this;
    this.#started = true;
    for (const job of this.#jobs.values()) this.#plan(job, this.#firstDelay(job));
    return this;
  }

  /** Stops planning runs and waits for runs in progress to end, so the database can close after. */
  async stop(): Promise<void> {
    this.#started = false;
    for (const t of this.#timers.values()) clearTimeout(t);
    this.#timers.clear();
    await Promise.allSettled([...this.#running]);
  }

  /**
   * Runs the job once if no other node is running it: on PostgreSQL under a session-level advisory
   * lock held on one reserved connection while the job works on others ('skipped' when another
   * node holds it). No transaction stays open across the job's own I/O (an SMTP conversation, say):
   * the lock connection is idle between the lock and the unlock, so neither an idle-in-transaction
   * timeout nor a terminated backend can take the job's work or the process down with it. If that
   * connection is lost meanwhile, the lock goes with it and the connection is discarded; another
   * node may then start the job too, which the jobs allow (the outbox leases its rows, purges are
   * idempotent). Each running job needs two connections, so DATABASE_POOL_SIZE is at least jobs + 1 (8)
   * (kernel/config.ts). PGlite is one process's embedded database, so there is no other node: it
   * simply runs. Errors are logged and reported as 'failed', never thrown: one bad run must not
   * stop the timers.
   */
  async runExclusive(job: Job): Promise<RunOutcome> {
    const started = Date.now();
    try {
      let ran = true;
      if (this.#db.dialect === 'pglite') {
        await job.runOnce();
      } else {
        const keys = [JOBS_LOCK_SPACE, jobLockKey(job.name)];
        ran = await this.#db.session(async (conn) => {
          const { rows } = await conn.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS locked', keys);
          if (!rows[0]?.locked) return false;
          try {
            await job.runOnce();
          } finally {
            // Released before the connection goes back to the pool (a failed unlock discards it).
            await conn.query('SELECT pg_advisory_unlock($1, $2)', keys);
          }
          return true;
        });
      }
      this.#log.debug({ job: job.name, ms: Date.now() - started, outcome: ran ? 'ran' : 'skipped' }, 'job');
      return ran ? 'ran' : 'skipped';
    } catch (err) {
      this.#log.error({ job: job.name, ms: Date.now() - started, err }, 'job failed');
      return 'failed';
    }
  }

  #firstDelay(job: Job): number {
    return this.#random() * Math.min(job.intervalMs, this.#firstRunWithinMs);
  }

  #nextDelay(job: Job): number {
    return job.intervalMs * (1 + this.#jitter * (2 * this.#random() - 1));
  }

  #plan(job: Job, delayMs: number): void {
    const timer = setTimeout(() => {
      this.#timers.delete(job.name);
      const run = this.runExclusive(job).finally(() => {
        this.#running.delete(run);
        if (this.#started && this.#jobs.get(job.name) === job) this.#plan(job, this.#nextDelay(job));
      });
      this.#running.add(run);
    }, delayMs);
    timer.unref();
    this.#timers.set(job.name, timer);
  }
}
