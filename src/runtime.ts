/** Start-up shared by the CLI's commands: configuration, tenants, the service catalogue and the database. */
import { loadConfig, type Config } from './kernel/config.ts';
import { openDatabase, migrate, type Database } from './kernel/db/index.ts';
import { loadTenants, type TenantRegistry } from './kernel/tenants.ts';
import { loadCatalogue, type Catalogue } from './catalogue/index.ts';

export interface Runtime {
  config: Config;
  tenants: TenantRegistry;
  catalogue: Catalogue;
  db: Database;
}

export async function openRuntime(opts: { migrate?: boolean; log?: (line: string) => void } = {}): Promise<Runtime> {
  const config = loadConfig();
  const tenants = loadTenants(config.tenantsFile, config);
  // Checked before the database opens: a bad service definition stops start-up with every problem listed.
  const catalogue = loadCatalogue(tenants);
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize });
  if (opts.migrate) {
    // A failed migration closes the database, so the pool or the embedded database's lock does
    // not outlive the error.
    await migrate(db, (m) => opts.log?.(`migrating ${String(m.version).padStart(4, '0')}_${m.name}`)).catch(async (e: unknown) => {
      await db.close().catch(() => undefined);
      throw e;
    });
  }
  return { config, tenants, catalogue, db };
}
