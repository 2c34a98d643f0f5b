/** The `medborg` command line: serve, migrate, check the catalogue, verify the archive, manage staff, seed. */
import { Command, CommanderError } from 'commander';
import { ConfigError } from './kernel/config.ts';
import { TenantsFileError } from './kernel/tenants.ts';
import { openRuntime } from './runtime.ts';

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
    if (e instanceof ConfigError || e instanceof TenantsFileError) {
      err(e.message);
      process.exitCode = 2;
      return;
    }
    err(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exitCode = 1;
  }
}
