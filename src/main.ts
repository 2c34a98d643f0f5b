/** The `medborg` command line: serve, migrate, check the catalogue, verify the archive and allocation rounds, manage staff, seed. */
import { Command, CommanderError } from 'commander';
import { ConfigError, loadConfig } from './kernel/config.ts';
import { DatabaseInUseError } from './kernel/db/data-dir-lock.ts';

const out = (line: string) => process.stdout.write(line + '\n');
const err = (line: string) => process.stderr.write(line + '\n');

/** Adds one top-level command, with its subcommands, to the program. */
type CommandGroup = (program: Command) => Promise<void>;

/**
 * The top-level commands, each loading its modules only when it is built: a command run loads what
 * it needs (`archive verify` about a quarter of the application's modules) instead of the whole
 * application, which took a CPU-second or two before the first line of work.
 */
const GROUPS: Record<string, CommandGroup> = {
  async serve(program) {
    program
      .command('serve')
      .description('start the web server')
      .option('--demo', 'demo mode: built-in test e-ID, demo population register, dev mailbox, demo data')
      .action(async (opts: { demo?: boolean }) => {
        const { serve } = await import('./serve.ts');
        await serve({ demo: Boolean(opts.demo), log: out });
      });
  },

  async db(program) {
    const { openDatabaseRuntime } = await import('./runtime.ts');
    const db = program.command('db').description('database administration');
    db.command('migrate')
      .description('apply pending migrations (safe to run on several nodes at once)')
      .action(async () => {
        const rt = await openDatabaseRuntime({ migrate: true, log: out });
        out('database is up to date');
        await rt.db.close();
      });
  },

  // Config and tenants only, no database: these run in CI and on a service author's machine.
  async catalogue(program) {
    const [{ checkCatalogueCommand, checkCatalogueVersionsCommand, listCatalogueCommand }, { loadTenants }, { PostgresDatabase }] = await Promise.all([
      import('./catalogue/index.ts'),
      import('./kernel/tenants.ts'),
      import('./kernel/db/index.ts'),
    ]);
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
  },

  staff: async (program) => {
    (await import('./identity/staff/cli.ts')).addStaffCommands(program);
  },
  seed: async (program) => (await import('./demo/cli.ts')).addSeedCommand(program, { out, err }),
  demo: async (program) => (await import('./demo/cli.ts')).addDemoCodeCommand(program, { out, err }),
  invoicing: async (program) => (await import('./payments/cli.ts')).addInvoiceCommands(program, { out }),
  allocate: async (program) => (await import('./allocation/cli.ts')).addAllocateCommand(program, { out, err }),
  archive: async (program) =>
    (await import('./archive/cli.ts')).addArchiveCommands(program, { out, err, status: process.stderr.isTTY ? (text) => process.stderr.write(`\r\x1b[K${text}`) : undefined }),
};

/**
 * The program with the top-level command `name` — or, for any other word (help, a mistyped
 * command, none), with all of them, so that help lists everything and a mistake is answered with it.
 */
export async function buildCli(name?: string): Promise<Command> {
  const program = new Command('medborg')
    .description('Medborg – e-service platform for municipalities')
    .exitOverride()
    .showHelpAfterError();
  const group = name !== undefined && Object.hasOwn(GROUPS, name) ? GROUPS[name] : undefined;
  for (const add of group ? [group] : Object.values(GROUPS)) await add(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await (await buildCli(argv[2])).parseAsync(argv);
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
    // CatalogueError by name: the catalogue's modules are loaded only by the commands that read it.
    if ((e instanceof Error && e.name === 'CatalogueError') || e instanceof DatabaseInUseError) {
      err(e.message);
      process.exitCode = 1;
      return;
    }
    err(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exitCode = 1;
  }
}
