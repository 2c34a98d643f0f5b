/** The database front door: open the configured database, scope it to a tenant, migrate it. */
import { mkdir } from 'node:fs/promises';
import { PgliteDatabase } from './pglite.ts';
import { PostgresDatabase } from './postgres.ts';
import type { Database, DatabaseTimeouts } from './types.ts';

export type { Database, DatabaseTimeouts, Queryable, QueryResult, Dialect } from './types.ts';
export { LONG_WORK_TIMEOUTS } from './types.ts';
export { DatabaseUnavailableError, isConnectionFault } from './faults.ts';
export { tenantScope, MissingTenantError, TENANT_ID_PATTERN } from './tenant-scope.ts';
export type { TenantScope, TenantQueryable } from './tenant-scope.ts';
export { migrate, readMigrations, MIGRATIONS_DIR } from './migrate.ts';
export { combineWrites, combineWritesIf, writeTogether, writeTogetherIf, type Prelude, type Statement } from './write-together.ts';
export { PgliteDatabase } from './pglite.ts';
export { DatabaseInUseError } from './data-dir-lock.ts';
export { PostgresDatabase } from './postgres.ts';

/** Opens PostgreSQL when a URL is given, otherwise the embedded PGlite database in dataDir. */
export async function openDatabase(opts: { databaseUrl?: string | undefined; dataDir: string; poolSize?: number; timeouts?: DatabaseTimeouts }): Promise<Database> {
  if (opts.databaseUrl) return new PostgresDatabase(opts.databaseUrl, opts.poolSize, opts.timeouts ? { timeouts: opts.timeouts } : {});
  await mkdir(opts.dataDir, { recursive: true });
  return PgliteDatabase.open({ dataDir: `${opts.dataDir}/pgdata` });
}
