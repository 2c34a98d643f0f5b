/**
 * Tenant isolation at the data layer. Every table carries tenant_id in its key; repositories
 * never see the raw database, only a TenantScope, which binds the tenant as $1 of every
 * statement and refuses SQL that does not filter on it. A query without a tenant throws.
 */
import type { Database, Queryable, QueryResult } from './types.ts';

export class MissingTenantError extends Error {
  constructor(detail: string) {
    super(`Tenant-scoped query refused: ${detail}`);
    this.name = 'MissingTenantError';
  }
}

const TENANT_ID = /^[a-z][a-z0-9_]{1,39}$/;
const USES_TENANT_PARAM = /\btenant_id\s*(=|IN\s*\(|,)|\$1\b/i;

function check(tenantId: string, sql: string): void {
  if (!tenantId || !TENANT_ID.test(tenantId)) throw new MissingTenantError('no valid tenant id');
  if (!/\$1\b/.test(sql) || !/\btenant_id\b/i.test(sql) || !USES_TENANT_PARAM.test(sql)) {
    throw new MissingTenantError('the SQL does not bind tenant_id to $1');
  }
}

/** Queries within one tenant: the tenant id is always parameter $1. */
export interface TenantQueryable {
  readonly tenantId: string;
  /** Runs sql with params as $2, $3, ...; $1 is the tenant id. */
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
}

export interface TenantScope extends TenantQueryable {
  transaction<T>(fn: (tx: TenantQueryable) => Promise<T>): Promise<T>;
}

function scopedQueryable(q: Queryable, tenantId: string): TenantQueryable {
  return {
    tenantId,
    async query<R>(sql: string, params: readonly unknown[] = []) {
      check(tenantId, sql);
      return q.query<R>(sql, [tenantId, ...params]);
    },
  };
}

/** Returns the view of db that can only read and write rows of tenantId. */
export function tenantScope(db: Database, tenantId: string): TenantScope {
  if (!tenantId || !TENANT_ID.test(tenantId)) throw new MissingTenantError('no valid tenant id');
  const base = scopedQueryable(db, tenantId);
  return {
    ...base,
    transaction: (fn) => db.transaction((tx) => fn(scopedQueryable(tx, tenantId))),
  };
}

export { TENANT_ID as TENANT_ID_PATTERN };
