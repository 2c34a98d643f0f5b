/** The `medborg` command line: serve, migrate, check the catalogue, verify the archive, manage staff, seed. */
import { Command, CommanderError } from 'commander';
import { ConfigError, loadConfig } from './kernel/config.ts';
import { loadTenants } from './kernel/tenants.ts';
import { DatabaseInUseError } from './kernel/db/data-dir-lock.ts';
import { PostgresDatabase } from './kernel/db/index.ts';
import { openRuntime } from './runtime.ts';
import { addStaffCommands } from './identity/staff/index.ts';
import { CatalogueError, checkCatalogueCommand, checkCatalogueVersionsCommand, listCatalogueCommand } from './catalogue/index.ts';
import { addArchiveCommands } from './archive/cli.ts';
import { addDemoCommands } from './demo/index.ts';
import { addInvoiceCommands } from './payments/cli.ts';

const out = (line: string) => process.stdout.write(line + '\n');
const err = (line: string) => process.stderr.write(line + '\n');

export function buildCli(): Command {
  const program = new Command('medborg')
    .description('Medborg – e-service platform for municipalities')
    .exitOverride()
    .showHelpAfterError();

  program
    .command('serve')
    .description('start the web server')
    .option('--demo', 'demo mode: built-in test e-ID, demo population register, dev mailbox, demo data')
    .action(async (opts: { demo?: boolean }) => {
      const { serve } = await import('./serve.ts');
      await serve({ demo: Boolean(opts.demo), log: out });
    });

  const db = program.command('db').description('database administration');
  db.command('migrate')
    .description('apply pending migrations (safe to run on several nodes at once)')
    .action(async () => {
      const rt = await openRuntime({ migrate: true, log: out });
      out('database is up to date');
      await rt.db.close();
    });

  // Config and tenants only, no database: these run in CI and on a service author's machine.
  const catalogue = program.command('catalogue').description('service definitions: validate and list');
  catalogue
    .command('check')
    .description("validate every tenant's service definitions and registers; with DATABASE_URL, refuse an edit that would strand cases")
    .action(async () => {
      const config = loadConfig();
      const tenants = loadTenants(config.tenantsFile);
      const status = process.stderr.isTTY ? (text: string) => process.stderr.write(`\r\x1b[K${text}`) : undefined;
      let code = checkCatalogueCommand(tenants, { out, err, status });
      // Only PostgreSQL: the embedded database belongs to the one process that serves it.
      if (code === 0 && config.databaseUrl) {
        const db = new PostgresDatabase(config.databaseUrl, 1, { timeouts: config.databaseLongTimeouts });
        try {
          code = await checkCatalogueVersionsCommand(tenants, db, { out, err });
        } finally {
          await db.close();
        }
      }
      process.exitCode = code;
    });
  catalogue
    .command('list')
    .description("list every tenant's services")
    .option('--json', 'a JSON array of {tenant, id, title {sv, en}, engines, skl, audience, department}')
    .action((opts: { json?: boolean }) => {
      const tenants = loadTenants(loadConfig().tenantsFile);
      process.exitCode = listCatalogueCommand(tenants, { json: Boolean(opts.json) }, { out, err });
    });

  addStaffCommands(program);
  addDemoCommands(program, { out, err });
  addInvoiceCommands(program, { out });
  addArchiveCommands(program, { out, err, status: process.stderr.isTTY ? (text) => process.stderr.write(`\r\x1b[K${text}`) : undefined });

  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildCli().parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode;
      return;
    }
    // ConfigError includes TenantsFileError (MEDBORG_TENANTS) and the demo refused in production.
    if (e instanceof ConfigError) {
      err(e.message);
      process.exitCode = 2;
      return;
    }
    if (e instanceof CatalogueError || e instanceof DatabaseInUseError) {
      err(e.message);
      process.exitCode = 1;
      return;
    }
    err(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exitCode = 1;
  }
}
