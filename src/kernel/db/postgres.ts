/** PostgreSQL through node-pg: a pool of connections, one transaction per unit of work. */
import pg from 'pg';
import type { Database, Queryable, QueryResult } from './types.ts';

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
    const r = await this.client.query(this.names.config(sql, params));
    return { rows: r.rows as R[], rowCount: r.rowCount ?? r.rows.length };
  }
}

export class PostgresDatabase implements Database {
  readonly dialect = 'postgres' as const;
  readonly pool: pg.Pool;
  private readonly names: StatementNames;

  constructor(connectionString: string, poolSize = 16, opts: { prepare?: boolean } = {}) {
    this.pool = new pg.Pool({ connectionString, max: poolSize });
    this.names = new StatementNames(opts.prepare ?? true);
    // An idle client that errors (server restart) must not crash the process; the pool drops it.
    this.pool.on('error', () => undefined);
  }

  async query<R>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
    const r = await this.pool.query(this.names.config(sql, params));
    return { rows: r.rows as R[], rowCount: r.rowCount ?? r.rows.length };
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(new PgTx(client, this.names));
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
