/** PostgreSQL through node-pg: a pool of connections, one transaction per unit of work. */
import pg from 'pg';
import type { Database, Queryable, QueryResult } from './types.ts';

// Parse int8 as a JavaScript number, as PGlite does, so both databases return the same rows.
// Medborg keeps every int8 it reads (counts, sequence numbers) well inside 2^53.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

class PgTx implements Queryable {
  constructor(private readonly client: pg.PoolClient) {}
  async query<R>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
    const r = await this.client.query({ text: sql, values: params as unknown[], types });
    return { rows: r.rows as R[], rowCount: r.rowCount ?? r.rows.length };
  }
}

export class PostgresDatabase implements Database {
  readonly dialect = 'postgres' as const;
  readonly pool: pg.Pool;

  constructor(connectionString: string, poolSize = 16) {
    this.pool = new pg.Pool({ connectionString, max: poolSize });
    // An idle client that errors (server restart) must not crash the process; the pool drops it.
    this.pool.on('error', () => undefined);
  }

  async query<R>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
    const r = await this.pool.query({ text: sql, values: params as unknown[], types });
    return { rows: r.rows as R[], rowCount: r.rowCount ?? r.rows.length };
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(new PgTx(client));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
