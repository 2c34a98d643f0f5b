/**
 * Database faults: the errors that mean "the database is not answering right now" (a restart, a
 * failover, a pooler restart, a stalled network, a timeout) rather than "this statement is wrong".
 * postgres.ts turns them into DatabaseUnavailableError, which the HTTP kernel answers with a
 * translated 503 "try again in a moment" page; anything else stays a bug (500).
 */

/** SQLSTATEs of a lost or refused connection, a shutdown, or one of our timeouts firing. */
const FAULT_STATES = new Set([
  '57P01', // admin_shutdown: pg_terminate_backend, a restart or failover
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
  '57014', // query_canceled: statement_timeout
  '25P03', // idle_in_transaction_session_timeout
  '53300', // too_many_connections
]);

/** Node's socket errors on the way to the server. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/** node-pg's own messages for a connection that ended, timed out or cannot be used any more. */
const PG_MESSAGES = [/^Connection terminated/, /^Query read timeout$/, /^timeout exceeded when trying to connect$/, /is not queryable$/, /^Connection is closed/];

/** The database stopped answering (or answered "not now"); the request may be tried again later. */
export class DatabaseUnavailableError extends Error {
  readonly code = 'DATABASE_UNAVAILABLE';
  constructor(cause: unknown) {
    super(`database unavailable: ${(cause as { message?: unknown })?.message ?? String(cause)}`, { cause });
    this.name = 'DatabaseUnavailableError';
  }
}

/** True when err (or an error it wraps) means the connection is gone or the database is not answering. */
export function isConnectionFault(err: unknown): boolean {
  for (let e = err as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e instanceof DatabaseUnavailableError) return true;
    const code = typeof e.code === 'string' ? e.code : '';
    if (FAULT_STATES.has(code) || code.startsWith('08') || SOCKET_CODES.has(code)) return true;
    if (typeof e.message === 'string' && PG_MESSAGES.some((m) => m.test(e!.message as string))) return true;
  }
  return false;
}

/** err as DatabaseUnavailableError when it is a connection fault, otherwise unchanged. */
export function asDatabaseFault(err: unknown): unknown {
  return !(err instanceof DatabaseUnavailableError) && isConnectionFault(err) ? new DatabaseUnavailableError(err) : err;
}
