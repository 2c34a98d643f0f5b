/** Start-up shared by the CLI's commands: configuration, tenants, the service catalogue and the database. */
import { loadConfig, type Config } from './kernel/config.ts';
import { openDatabase, migrate, PostgresDatabase, type Database } from './kernel/db/index.ts';
import { loadTenants, type TenantRegistry } from './kernel/tenants.ts';
import type { Catalogue } from './catalogue/index.ts';

export interface Runtime {
  config: Config;
  tenants: TenantRegistry;
  catalogue: Catalogue;
  db: Database;
}

/**
 * `work`: 'requests' (serve: short database timeouts, so a stalled database fails requests fast) or
 * 'long' (the default: the CLI's commands, `archive verify` over every case, seeding). Migrations
 * always run with the long timeouts, on a connection of their own when serve opened a short one.
 */
export async function openRuntime(opts: RuntimeOptions = {}): Promise<Runtime> {
  const config = loadConfig();
  const tenants = loadTenants(config.tenantsFile, config);
  // Checked before the database opens: a bad service definition stops start-up with every problem listed.
  const { loadCatalogue } = await import('./catalogue/index.ts');
  const catalogue = loadCatalogue(tenants);
  return { ...(await open(config, tenants, opts)), catalogue };
}

/**
 * For the commands that work on the database alone (migrations, `archive verify`, the invoicing
 * hand-over): the runtime without the service catalogue, whose reading and checking is most of a
 * command's start-up.
 */
export async function openDatabaseRuntime(opts: RuntimeOptions = {}): Promise<Omit<Runtime, 'catalogue'>> {
  const config = loadConfig();
  return open(config, loadTenants(config.tenantsFile, config), opts);
}

interface RuntimeOptions {
  migrate?: boolean;
  log?: (line: string) => void;
  work?: 'requests' | 'long';
}

async function open(config: Config, tenants: TenantRegistry, opts: RuntimeOptions): Promise<Omit<Runtime, 'catalogue'>> {
  const requests = opts.work === 'requests';
  const timeouts = requests ? config.databaseTimeouts : config.databaseLongTimeouts;
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize, timeouts });
  if (opts.migrate) {
    const migrator = requests && config.databaseUrl ? new PostgresDatabase(config.databaseUrl, 1, { timeouts: config.databaseLongTimeouts }) : db;
    // A failed migration closes the database, so the pool or the embedded database's lock does
    // not outlive the error.
    await migrate(migrator, (m) => opts.log?.(`migrating ${String(m.version).padStart(4, '0')}_${m.name}`))
      .catch(async (e: unknown) => {
        await db.close().catch(() => undefined);
        throw e;
      })
      .finally(() => (migrator === db ? undefined : migrator.close()));
  }
  return { config, tenants, db };
}
