/** PostgreSQL through node-pg: a pool of connections, one transaction per unit of work. */
import pg from 'pg';
import { REQUEST_TIMEOUTS, type Database, type DatabaseTimeouts, type Queryable, type QueryResult } from './types.ts';
import { asDatabaseFault, isConnectionFault } from './faults.ts';

// Parse int8 as a JavaScript number, as PGlite does, so both databases return the same rows.
// Medborg keeps every int8 it reads (counts, sequence numbers) well inside 2^53.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/**
 * Named (prepared) statements: PostgreSQL parses and plans a named statement once per connection
 * instead of on every execution, which measured here halves its CPU for the small statements a
 * request makes (bench/README.md). Statements with parameters (every tenant-scoped one) get a
 * name, up to MAX_PREPARED distinct texts per database; any beyond (SQL built in many shapes) run
 * unnamed, so what each connection keeps prepared stays bounded. DDL and scripts (no parameters)
 * run unnamed. Behind a pooler in transaction mode, turn this off (`prepare: false`).
 */
const MAX_PREPARED = 500;

class StatementNames {
  private readonly names = new Map<string, string>();
  constructor(private readonly enabled: boolean) {}
  config(sql: string, params: readonly unknown[]): pg.QueryConfig {
    let name: string | undefined;
    if (this.enabled && params.length > 0) {
      name = this.names.get(sql);
      if (name === undefined && this.names.size < MAX_PREPARED) this.names.set(sql, (name = `mb_${this.names.size}`));
    }
    return { text: sql, values: params as unknown[], types, ...(name ? { name } : {}) };
  }
}

class PgTx implements Queryable {
  constructor(
    private readonly client: pg.PoolClient,
    private readonly names: StatementNames,
  ) {}
  async query<R>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
    try {
      const r = await this.client.query(this.names.config(sql, params));
      return { rows: r.rows as R[], rowCount: r.rowCount ?? r.rows.length };
    } catch (err) {
      throw asDatabaseFault(err);
    }
  }
}

/** The client gives up this much after the server's statement_timeout should have answered. */
const CLIENT_MARGIN_MS = 1_000;

export interface PostgresOptions {
  /** Named (prepared) statements; off behind a pooler in transaction mode. */
  prepare?: boolean;
  timeouts?: DatabaseTimeouts;
}

/** pg.Pool settings for the given timeouts: server-side limits sent at connect, client-side ones as a backstop. */
function poolConfig(connectionString: string, max: number, t: DatabaseTimeouts): pg.PoolConfig {
  return {
    connectionString,
    max,
    // Waiting for a free connection or opening a new one: a stalled server fails the request fast.
    connectionTimeoutMillis: t.connectMs,
    statement_timeout: t.statementMs,
    idle_in_transaction_session_timeout: t.idleInTransactionMs,
    // The server cannot cancel a statement whose answer the network swallows: the client stops waiting.
    query_timeout: t.statementMs + CLIENT_MARGIN_MS,
    // A peer that vanished (failover, a cut link) is noticed by TCP rather than by the next query.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  };
}

/**
 * A client checked out of the pool, with an 'error' listener for as long as it is out: a backend
 * terminated while the client waits between statements (idle in a transaction, or holding a
 * session lock) emits 'error' on the client, and an 'error' event without a listener ends the
 * process. A client that failed is released with the error, so the pool discards it.
 */
class CheckedOut {
  #fault: Error | undefined;
  readonly #onError = (err: Error) => {
    this.#fault ??= err;
  };
  constructor(readonly client: pg.PoolClient) {
    client.on('error', this.#onError);
  }
  /** The connection was lost while checked out (its next statement would fail anyway). */
  get fault(): Error | undefined {
    return this.#fault;
  }
  markBroken(err: unknown): void {
    this.#fault ??= err instanceof Error ? err : new Error(String(err));
  }
  release(): void {
    // The pool puts its own idle listener back on release, so the client is never without one.
    this.client.off('error', this.#onError);
    this.client.release(this.#fault);
  }
}

export class PostgresDatabase implements Database {
  readonly dialect = 'postgres' as const;
  readonly pool: pg.Pool;
  readonly timeouts: DatabaseTimeouts;
  private readonly names: StatementNames;
  readonly #connectionString: string;
  #health: pg.Pool | undefined;

  constructor(connectionString: string, poolSize = 16, opts: PostgresOptions = {}) {
    this.#connectionString = connectionString;
    this.timeouts = opts.timeouts ?? REQUEST_TIMEOUTS;
    this.pool = new pg.Pool(poolConfig(connectionString, poolSize, this.timeouts));
    this.names = new StatementNames(opts.prepare ?? true);
    // An idle client that errors (server restart) must not crash the process; the pool drops it.
    this.pool.on('error', () => undefined);
  }

  async query<R>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
    // pool.query listens for 'error' on the client while it is out and discards a client that failed.
    try {
      const r = await this.pool.query(this.names.config(sql, params));
      return { rows: r.rows as R[], rowCount: r.rowCount ?? r.rows.length };
    } catch (err) {
      throw asDatabaseFault(err);
    }
  }

  /**
   * The callback form, not the promise: pg-pool takes its own 'error' listener off the client just
   * before it calls back, and a promise would resolve a few microtasks later. A termination that
   * arrives in between would find no listener and end the process.
   */
  #checkOut(): Promise<CheckedOut> {
    return new Promise((resolve, reject) => {
      this.pool.connect((err, client) => (err ? reject(asDatabaseFault(err)) : resolve(new CheckedOut(client!))));
    });
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const out = await this.#checkOut();
    try {
      await out.client.query('BEGIN');
      const result = await fn(new PgTx(out.client, this.names));
      await out.client.query('COMMIT');
      return result;
    } catch (err) {
      // A lost or timed-out connection is not rolled back (the server does that when it goes, and a
      // ROLLBACK would wait behind the statement that timed out): it is discarded.
      if (out.fault || isConnectionFault(err)) out.markBroken(err);
      else await out.client.query('ROLLBACK').catch((e: unknown) => out.markBroken(e));
      throw asDatabaseFault(err);
    } finally {
      out.release();
    }
  }

  async session<T>(fn: (conn: Queryable) => Promise<T>): Promise<T> {
    const out = await this.#checkOut();
    try {
      return await fn(new PgTx(out.client, this.names));
    } catch (err) {
      // fn may have failed half-way through what it set up on the session (a lock it took): never
      // hand that session to someone else. Ending it releases whatever it held.
      out.markBroken(err);
      throw asDatabaseFault(err);
    } finally {
      out.release();
    }
  }

  /**
   * SELECT 1 on a one-connection pool of its own with the short health timeouts: the answer does
   * not wait behind requests that hold every connection of the main pool while the server stalls.
   */
  async ping(): Promise<void> {
    const t = this.timeouts.healthMs;
    this.#health ??= new pg.Pool({
      ...poolConfig(this.#connectionString, 1, { connectMs: t, statementMs: t, idleInTransactionMs: t, healthMs: t }),
      query_timeout: t,
    }).on('error', () => undefined);
    await this.#health.query('SELECT 1');
  }

  async exec(sql: string): Promise<void> {
    try {
      await this.pool.query(sql);
    } catch (err) {
      throw asDatabaseFault(err);
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.pool.end(), this.#health?.end()]);
  }
}
