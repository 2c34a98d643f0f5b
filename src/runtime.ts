/** Start-up shared by the CLI's commands: configuration, tenants and the database. */
import { loadConfig, type Config } from './kernel/config.ts';
import { openDatabase, migrate, type Database } from './kernel/db/index.ts';
import { loadTenants, type TenantRegistry } from './kernel/tenants.ts';

export interface Runtime {
  config: Config;
  tenants: TenantRegistry;
  db: Database;
}

export async function openRuntime(opts: { migrate?: boolean; log?: (line: string) => void } = {}): Promise<Runtime> {
  const config = loadConfig();
  const tenants = loadTenants(config.tenantsFile);
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize });
  if (opts.migrate) {
    await migrate(db, (m) => opts.log?.(`migrating ${String(m.version).padStart(4, '0')}_${m.name}`));
  }
  return { config, tenants, db };
}
