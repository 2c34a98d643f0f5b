/**
 * Definition versions (ADR 0010). A case is handled, and a draft resumed, by the version of its
 * service's definition it was made under. The author numbers versions (`version`, default 1):
 *   - a new number is a new version: new drafts and cases use it, older ones keep theirs;
 *   - an edit that keeps the number is an editorial fix that the cases of that version follow.
 * At start-up every resolved definition (per tenant, after overrides) is stored in
 * `service_versions`; the current version is read from memory, older ones from there (cached).
 * An editorial edit that would strand cases — a state holding cases that no longer exists, or an
 * open case's state from which no final state can be reached — is refused, at start-up and by
 * `medborg catalogue check` with a database.
 */
import { createHash } from 'node:crypto';
import { tenantScope, type Database, type TenantQueryable } from '../kernel/db/index.ts';
import type { Tenant } from '../kernel/tenants.ts';
import type { Catalogue } from './catalogue.ts';
import { workflowReach } from './checks.ts';
import { CatalogueError, type Problem } from './loader.ts';
import type { ServiceDefinition } from './types.ts';

/** The version a definition declares (1 when it says nothing). */
export const versionOf = (def: Pick<ServiceDefinition, 'version'>): number => def.version ?? 1;

/** JSON with sorted keys, so a definition read back from jsonb hashes as it did when written. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

/** What tells two texts of one version apart. The file it was read from is left out: nodes may keep it elsewhere. */
export function definitionHash(def: ServiceDefinition): string {
  return createHash('sha256').update(canonical({ ...def, source: undefined })).digest('hex');
}

/** A state whose cases a definition would strand. */
export interface Stranded {
  state: string;
  cases: number;
  /** removed: the definition no longer has the state; deadEnd: no final state can be reached from it. */
  reason: 'removed' | 'deadEnd';
}

/** The states holding cases of `version` of the service that `def`, as that version, would strand. */
export async function strandedCases(q: TenantQueryable, def: ServiceDefinition, version: number): Promise<Stranded[]> {
  const { rows } = await q.query<{ status: string; open: number; n: number }>(
    `SELECT status, count(*)::int AS n FROM cases WHERE tenant_id = $1 AND service_id = $2 AND service_version = $3 GROUP BY status ORDER BY status`,
    [def.id, version],
  );
  const states = new Map(def.workflow.states.map((s) => [s.id, s]));
  const { deadEnds } = workflowReach(def.workflow, def.coSign, def.booking, def.allocation, def.queue?.offers, def.queue?.renewal);
  const stranded: Stranded[] = [];
  for (const r of rows) {
    const state = states.get(r.status);
    // Closed cases count too: their pages name their state, which must still exist.
    if (!state) stranded.push({ state: r.status, cases: r.n, reason: 'removed' });
    else if (!state.final && deadEnds.has(r.status)) stranded.push({ state: r.status, cases: r.n, reason: 'deadEnd' });
  }
  return stranded;
}

function strandedProblem(tenantId: string, def: ServiceDefinition, version: number, s: Stranded): Problem {
  const cases = `${s.cases} case${s.cases === 1 ? '' : 's'}`;
  const what =
    s.reason === 'removed'
      ? `state "${s.state}" no longer exists, but ${cases} of version ${version} ${s.cases === 1 ? 'is' : 'are'} in it`
      : `no final state can be reached from state "${s.state}" any more, and ${cases} of version ${version} ${s.cases === 1 ? 'is' : 'are'} in it`;
  return {
    file: def.source,
    path: '/workflow/states',
    message: `service "${def.id}" of ${tenantId} changed without a new version: ${what}. Raise "version" (now ${version}) so these cases keep the definition they were made under, or keep the state`,
  };
}

class Refused extends Error {
  constructor(readonly problems: Problem[]) {
    super('refused');
  }
}

/**
 * Stores (write) or only inspects (!write) one tenant's definition: its own version, and version 1
 * for cases and drafts made before versions existed when no version 1 is stored yet (they adopt the
 * current definition). Returns the problems; with write, the caller's transaction is rolled back on any.
 */
async function reconcile(q: TenantQueryable, def: ServiceDefinition, write: boolean): Promise<Problem[]> {
  const hash = definitionHash(def);
  const json = JSON.stringify(def);
  const current = versionOf(def);
  const versions = [current];
  if (current !== 1) {
    const { rows } = await q.query<{ legacy: boolean }>(
      `SELECT NOT EXISTS (SELECT 1 FROM service_versions WHERE tenant_id = $1 AND service_id = $2 AND version = 1)
          AND (EXISTS (SELECT 1 FROM cases WHERE tenant_id = $1 AND service_id = $2 AND service_version = 1)
            OR EXISTS (SELECT 1 FROM drafts WHERE tenant_id = $1 AND service_id = $2 AND service_version = 1)) AS legacy`,
      [def.id],
    );
    if (rows[0]?.legacy) versions.push(1);
  }
  const problems: Problem[] = [];
  for (const version of versions) {
    let changed: boolean;
    if (write) {
      // Several nodes may start at once: the primary key lets one insert win, the others wait for
      // it and then find the row; FOR UPDATE makes an editorial change one node's at a time.
      const inserted = await q.query(
        `INSERT INTO service_versions (tenant_id, service_id, version, hash, definition) VALUES ($1, $2, $3, $4, $5::jsonb)
         ON CONFLICT (tenant_id, service_id, version) DO NOTHING`,
        [def.id, version, hash, json],
      );
      if (inserted.rowCount === 1) changed = true;
      else {
        const { rows } = await q.query<{ hash: string }>('SELECT hash FROM service_versions WHERE tenant_id = $1 AND service_id = $2 AND version = $3 FOR UPDATE', [def.id, version]);
        changed = rows[0]?.hash !== hash;
        if (changed) {
          await q.query('UPDATE service_versions SET hash = $4, definition = $5::jsonb, changed_at = now() WHERE tenant_id = $1 AND service_id = $2 AND version = $3', [def.id, version, hash, json]);
        }
      }
    } else {
      const { rows } = await q.query<{ hash: string }>('SELECT hash FROM service_versions WHERE tenant_id = $1 AND service_id = $2 AND version = $3', [def.id, version]);
      changed = rows[0]?.hash !== hash;
    }
    // A version stored for the first time has cases only when they were made before versions existed.
    if (changed) for (const s of await strandedCases(q, def, version)) problems.push(strandedProblem(q.tenantId, def, version, s));
  }
  return problems;
}

/**
 * Start-up: stores every tenant's current definitions as their versions, each in its own
 * transaction. Throws CatalogueError, naming every stranded state, when an edit would strand cases;
 * nothing of a refused definition is stored.
 */
export async function storeDefinitionVersions(db: Database, tenants: readonly Tenant[], catalogue: Catalogue): Promise<void> {
  const problems: Problem[] = [];
  for (const tenant of tenants) {
    const tdb = tenantScope(db, tenant.id);
    for (const def of catalogue.services(tenant.id)) {
      await tdb
        .transaction(async (tx) => {
          const found = await reconcile(tx, def, true);
          if (found.length) throw new Refused(found);
        })
        .catch((e: unknown) => {
          if (!(e instanceof Refused)) throw e;
          problems.push(...e.problems);
        });
    }
  }
  if (problems.length) throw new CatalogueError(problems);
}

/** `catalogue check` with a database: what start-up would refuse, without storing anything. */
export async function checkDefinitionVersions(db: Database, tenants: readonly Tenant[], catalogue: Catalogue): Promise<Problem[]> {
  const problems: Problem[] = [];
  for (const tenant of tenants) {
    const tdb = tenantScope(db, tenant.id);
    for (const def of catalogue.services(tenant.id)) problems.push(...(await reconcile(tdb, def, false)));
  }
  return problems;
}

export interface DefinitionVersions {
  /**
   * The definition a case or draft of the tenant (the scope's) was made under: the loaded one when
   * its version is current, otherwise the stored snapshot; undefined when neither exists.
   */
  definition(q: TenantQueryable, serviceId: string, version: number): Promise<ServiceDefinition | undefined>;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** The one lookup of a case's or draft's definition; older versions are read once and cached (they do not change). */
export function definitionVersions(catalogue: Catalogue): DefinitionVersions {
  const older = new Map<string, Promise<ServiceDefinition | undefined>>();
  return {
    definition(q, serviceId, version) {
      const current = catalogue.service(q.tenantId, serviceId);
      if (current && versionOf(current) === version) return Promise.resolve(current);
      const key = `${q.tenantId}\u0000${serviceId}\u0000${version}`;
      let found = older.get(key);
      if (!found) {
        found = q
          .query<{ definition: ServiceDefinition }>('SELECT definition FROM service_versions WHERE tenant_id = $1 AND service_id = $2 AND version = $3', [serviceId, version])
          .then((r) => (r.rows[0] ? deepFreeze(r.rows[0].definition) : undefined));
        older.set(key, found);
        // Only a definition found is kept: a failed read or a version not stored yet is asked again.
        found.then((d) => d ?? older.delete(key), () => older.delete(key));
      }
      return found;
    },
  };
}
