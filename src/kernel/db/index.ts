/** The database front door: open the configured database, scope it to a tenant, migrate it. */
import { mkdir } from 'node:fs/promises';
import { PgliteDatabase } from './pglite.ts';
import { PostgresDatabase } from './postgres.ts';
import type { Database } from './types.ts';

export type { Database, Queryable, QueryResult, Dialect } from './types.ts';
export { tenantScope, MissingTenantError, TENANT_ID_PATTERN } from './tenant-scope.ts';
export type { TenantScope, TenantQueryable } from './tenant-scope.ts';
export { migrate, readMigrations, MIGRATIONS_DIR } from './migrate.ts';
export { combineWrites, combineWritesIf, writeTogether, writeTogetherIf, type Statement } from './write-together.ts';
export { PgliteDatabase } from './pglite.ts';
export { DatabaseInUseError } from './data-dir-lock.ts';
export { PostgresDatabase } from './postgres.ts';

/** Opens PostgreSQL when a URL is given, otherwise the embedded PGlite database in dataDir. */
export async function openDatabase(opts: { databaseUrl?: string | undefined; dataDir: string; poolSize?: number }): Promise<Database> {
  if (opts.databaseUrl) return new PostgresDatabase(opts.databaseUrl, opts.poolSize);
  await mkdir(opts.dataDir, { recursive: true });
  return PgliteDatabase.open({ dataDir: `${opts.dataDir}/pgdata` });
}
