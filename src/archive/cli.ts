/**
 * `medborg archive verify`: recompute every chain; exit 0 when intact, 1 naming each broken case and
 * entry. Warnings (an older entry's time going backwards) are printed and do not fail it.
 */
import type { Command } from 'commander';
import { openDatabaseRuntime } from '../runtime.ts';
import { verifyArchive, type VerifyProblem } from './verify.ts';

export interface ArchiveCliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  status?: ((text: string) => void) | undefined;
}

export function addArchiveCommands(program: Command, io: ArchiveCliIo): void {
  const archive = program.command('archive').description('the tamper-evident archive journal');
  archive
    .command('verify')
    .description('recompute every case chain and every other chain (allocation rounds); exits non-zero and names the case and entry when one is broken (warnings do not fail it)')
    .option('--json', 'print the report as JSON')
    .action(async (opts: { json?: boolean }) => {
      const rt = await openDatabaseRuntime({ migrate: false });
      try {
        const started = Date.now();
        const report = await verifyArchive(rt.db, rt.tenants.all.map((t) => t.id), (p) => io.status?.(`verifying ${p.tenant}: ${p.cases} cases`));
        io.status?.('');
        if (opts.json) {
          io.out(JSON.stringify({ ...report, ok: report.problems.length === 0, seconds: (Date.now() - started) / 1000 }));
        } else {
          const line = (label: string, p: VerifyProblem) => `${label} ${p.tenant} ${p.chain ?? 'case'} ${p.caseId}${p.reference ? ` (${p.reference})` : ''}${p.seq !== null ? ` entry ${p.seq}` : ''}: ${p.problem}`;
          for (const p of report.problems) io.err(line('BROKEN', p));
          for (const w of report.warnings) io.err(line('WARNING', w));
          const warned = report.warnings.length === 0 ? '' : `, ${report.warnings.length === 1 ? '1 warning' : `${report.warnings.length} warnings`}`;
          io.out(`${report.problems.length === 0 ? 'intact' : 'BROKEN'}: ${report.cases} cases, ${report.chains} other chains, ${report.entries} journal entries checked in ${((Date.now() - started) / 1000).toFixed(1)} s${warned}`);
        }
        process.exitCode = report.problems.length === 0 ? 0 : 1;
      } finally {
        await rt.db.close();
      }
    });
}
