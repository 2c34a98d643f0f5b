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
  /** Runs several statements separated by semicolons, without parameters (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}
