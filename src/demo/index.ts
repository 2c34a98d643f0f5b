/** Demo data: `medborg seed demo`, the demo staff accounts, and `medborg demo code` for their TOTP codes. */
import type { Command } from 'commander';
import { openRuntime } from '../runtime.ts';
import { totpCode } from '../identity/staff/index.ts';
import { DEMO_STAFF } from './accounts.ts';
import { seedDemo } from './seed.ts';

export { seedDemo, type SeedResult } from './seed.ts';
export { DEMO_STAFF, DEMO_PASSWORD, type DemoStaff } from './accounts.ts';

export function addDemoCommands(program: Command, io: { out: (line: string) => void; err: (line: string) => void }): void {
  program
    .command('seed')
    .description('seed data')
    .command('demo')
    .description('two municipalities with staff, test residents and sample cases in every workflow state')
    .action(async () => {
      const rt = await openRuntime({ migrate: true, log: io.out });
      try {
        const r = await seedDemo(rt, io.out);
        io.out(`seeded: ${r.tenantsSeeded.join(', ') || 'nothing'}${r.tenantsSkipped.length ? `; already seeded: ${r.tenantsSkipped.join(', ')}` : ''}; ${r.cases} cases`);
      } finally {
        await rt.db.close();
      }
    });
  program
    .command('demo')
    .description('demo helpers')
    .command('code')
    .description("print the current TOTP code of a demo staff account (the demo's secrets are public)")
    .argument('<tenant>')
    .argument('<username>')
    .action((tenant: string, username: string) => {
      const s = DEMO_STAFF.find((x) => x.tenant === tenant && x.username === username);
      if (!s) {
        io.err(`No demo account ${username} in ${tenant}. Demo accounts: ${DEMO_STAFF.map((x) => `${x.tenant}/${x.username}`).join(', ')}`);
        process.exitCode = 1;
        return;
      }
      io.out(totpCode(s.totpSecret, new Date()));
    });
}
