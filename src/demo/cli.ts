/**
 * `medborg seed demo` and `medborg demo code` (the current TOTP code of a demo staff account). Each
 * loads what it runs only when it runs: `demo code` needs no database and none of the application.
 */
import type { Command } from 'commander';

interface DemoCliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

export function addSeedCommand(program: Command, io: DemoCliIo): void {
  program
    .command('seed')
    .description('seed data')
    .command('demo')
    .description('two municipalities with staff, test residents and sample cases in every workflow state')
    .action(async () => {
      const [{ openRuntime }, { seedDemo }] = await Promise.all([import('../runtime.ts'), import('./seed.ts')]);
      const rt = await openRuntime({ migrate: true, log: io.out });
      try {
        const r = await seedDemo(rt, io.out);
        io.out(`seeded: ${r.tenantsSeeded.join(', ') || 'nothing'}${r.tenantsSkipped.length ? `; already seeded: ${r.tenantsSkipped.join(', ')}` : ''}; ${r.cases} cases`);
      } finally {
        await rt.db.close();
      }
    });
}

export function addDemoCodeCommand(program: Command, io: DemoCliIo): void {
  program
    .command('demo')
    .description('demo helpers')
    .command('code')
    .description("print the current TOTP code of a demo staff account (the demo's secrets are public)")
    .argument('<tenant>')
    .argument('<username>')
    .action(async (tenant: string, username: string) => {
      const [{ DEMO_STAFF }, { totpCode }] = await Promise.all([import('./accounts.ts'), import('../identity/staff/totp.ts')]);
      const s = DEMO_STAFF.find((x) => x.tenant === tenant && x.username === username);
      if (!s) {
        io.err(`No demo account ${username} in ${tenant}. Demo accounts: ${DEMO_STAFF.map((x) => `${x.tenant}/${x.username}`).join(', ')}`);
        process.exitCode = 1;
        return;
      }
      io.out(totpCode(s.totpSecret, new Date()));
    });
}
