/** The small database contract every module codes against, the same for PGlite and PostgreSQL. */

export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

/** Something that runs parameterised SQL: the database itself or an open transaction. */
export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
}

export type Dialect = 'pglite' | 'postgres';

export interface Database extends Queryable {
  readonly dialect: Dialect;
  /**
   * Runs fn in one transaction: committed when fn resolves, rolled back when it throws.
   * On PGlite transactions of concurrent callers are serialised (it runs one query at a time).
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Runs fn on one connection reserved for it, outside any transaction (a session-level advisory
   * lock is held on it while other work runs on other connections). fn must leave the session as
   * it found it; on PostgreSQL a connection that failed under fn is discarded, never reused.
   */
  session<T>(fn: (conn: Queryable) => Promise<T>): Promise<T>;
  /** Resolves when the database answers a trivial query within its health timeout; rejects otherwise. */
  ping(): Promise<void>;
  /** Runs several statements separated by semicolons, without parameters (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * How long PostgreSQL work may take before it is given up (kernel/config.ts reads them; requests
 * get short ones, migrations and `archive verify` long ones). PGlite runs in-process and has none.
 */
export interface DatabaseTimeouts {
  /** Waiting for a pooled connection, or opening a new one. */
  connectMs: number;
  /** statement_timeout on the server; the client gives up a second later (a stalled network answers nothing). */
  statementMs: number;
  /** idle_in_transaction_session_timeout: a transaction left waiting is ended by the server. */
  idleInTransactionMs: number;
  /** The health check's own connection and SELECT 1 (/healthz). */
  healthMs: number;
}

/** Requests' defaults (kernel/config.ts reads the DATABASE_*_TIMEOUT_MS variables over them; ADR 0007). */
export const REQUEST_TIMEOUTS: DatabaseTimeouts = { connectMs: 2_000, statementMs: 5_000, idleInTransactionMs: 5_000, healthMs: 1_000 };

/** Long work's defaults: migrations, `archive verify`, seeding, the CLI's commands. */
export const LONG_WORK_TIMEOUTS: DatabaseTimeouts = { connectMs: 10_000, statementMs: 1_800_000, idleInTransactionMs: 60_000, healthMs: 1_000 };
