/**
 * `medborg allocate --round <id> --verify [--tenant <id>]` (ADR 0044): reads the round's frozen
 * snapshot and seed from its journal chain, checks the snapshot's hash, reruns the allocation and
 * compares the result's hash with the published one; prints each check, exits 1 on any mismatch (2
 * when there is no such round). The round's chain itself is verified by `medborg archive verify`.
 */
import type { Command } from 'commander';
import { openDatabaseRuntime } from '../runtime.ts';
import { tenantScope } from '../kernel/db/index.ts';
import { getRound, isRoundId, type Round } from './rounds.repository.ts';
import { verifyRound } from './rounds.ts';

export interface AllocateCliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

export function addAllocateCommand(program: Command, io: AllocateCliIo): void {
  program
    .command('allocate')
    .description('allocation rounds: --round <id> --verify recomputes a round from its archived inputs and seed and compares it with the published result')
    .requiredOption('--round <id>', 'the round (its id, on the staff and public pages)')
    .option('--verify', 'recompute the round and compare (the only action)')
    .option('--tenant <id>', 'the municipality (found from the round when left out)')
    .action(async (opts: { round: string; verify?: boolean; tenant?: string }) => {
      if (!opts.verify) {
        io.err('say --verify: it is the only thing this command does');
        process.exitCode = 2;
        return;
      }
      if (!isRoundId(opts.round)) {
        io.err(`not a round id: ${opts.round}`);
        process.exitCode = 2;
        return;
      }
      const rt = await openDatabaseRuntime({ migrate: false, work: 'long' });
      try {
        const tenants = opts.tenant ? rt.tenants.all.filter((t) => t.id === opts.tenant) : rt.tenants.all;
        let found: { tenant: string; round: Round } | undefined;
        for (const t of tenants) {
          const round = await getRound(tenantScope(rt.db, t.id), opts.round);
          if (round) found = { tenant: t.id, round };
        }
        if (!found) {
          io.err(`no round ${opts.round}${opts.tenant ? ` in ${opts.tenant}` : ''}`);
          process.exitCode = 2;
          return;
        }
        io.out(`round ${found.round.id} of ${found.tenant}/${found.round.serviceId} (${found.round.status})`);
        const check = await verifyRound(tenantScope(rt.db, found.tenant), found.round);
        for (const line of check.lines) (line.startsWith('MISMATCH') ? io.err : io.out)(line);
        io.out(check.ok ? 'verified: the rerun gives the identical result' : 'MISMATCH: the round does not verify');
        process.exitCode = check.ok ? 0 : 1;
      } finally {
        await rt.db.close();
      }
    });
}
