/**
 * The embedded database: PGlite (PostgreSQL compiled to WebAssembly) in a folder on disk.
 * It runs one query at a time and is not power-loss durable, so every statement and every
 * transaction goes through one mutex; production uses PostgreSQL (see docs/adr/0001). A folder
 * on disk is locked for as long as it is open (data-dir-lock.ts): one process at a time.
 */
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { Mutex } from './mutex.ts';
import { lockDataDir, type DataDirLock } from './data-dir-lock.ts';
import type { Database, Queryable, QueryResult } from './types.ts';

export interface PgliteOptions {
  /** Folder for the data files; undefined keeps the database in memory. */
  dataDir?: string | undefined;
  /** A tarball from dumpDataDir to start from (test databases are cloned from a migrated template). */
  loadDataDir?: Blob | File | undefined;
}

class PgliteTx implements Queryable {
  constructor(private readonly tx: Pick<PGlite, 'query'>) {}
  async query<R>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
    const r = await this.tx.query<R>(sql, params as unknown[]);
    return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
  }
}

export class PgliteDatabase implements Database {
  readonly dialect = 'pglite' as const;
  readonly #mutex = new Mutex();
  readonly #lock: DataDirLock | undefined;
  private constructor(
    readonly pg: PGlite,
    lock: DataDirLock | undefined,
  ) {
    this.#lock = lock;
  }

  /** Opens the database; a folder another process (or this one) has open throws DatabaseInUseError. */
  static async open(options: PgliteOptions = {}): Promise<PgliteDatabase> {
    // Locked before PGlite reads a byte: a second opener must not even start recovery on the files.
    // (A memory:// data dir has no folder to share.)
    const lock = options.dataDir && !options.dataDir.includes('://') ? lockDataDir(options.dataDir) : undefined;
    try {
      const pg = await PGlite.create({
        dataDir: options.dataDir,
        loadDataDir: options.loadDataDir,
        extensions: { pg_trgm, btree_gist },
      });
      return new PgliteDatabase(pg, lock);
    } catch (e) {
      lock?.release();
      throw e;
    }
  }

  query<R>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
    return this.#mutex.run(() => new PgliteTx(this.pg).query<R>(sql, params));
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.#mutex.run(() => this.pg.transaction((tx) => fn(new PgliteTx(tx))));
  }

  /** One process, one session: fn runs on the database itself (each statement through the mutex). */
  session<T>(fn: (conn: Queryable) => Promise<T>): Promise<T> {
    return fn(this);
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1');
  }

  async exec(sql: string): Promise<void> {
    await this.#mutex.run(() => this.pg.exec(sql));
  }

  /** A tarball of the data directory, to clone this database cheaply. */
  dump(): Promise<File | Blob> {
    return this.#mutex.run(() => this.pg.dumpDataDir('none'));
  }

  async close(): Promise<void> {
    try {
      await this.#mutex.run(() => this.pg.close());
    } finally {
      this.#lock?.release();
    }
  }
}
