/**
 * `medborg invoicing export --dir <folder>`: hands every tenant's invoices not yet handed over to the
 * demo invoicing integration, one CSV file per tenant and run in the folder (ADR 0034). A
 * municipality's own integration calls `handOverInvoices` with its adapter instead.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { tenantScope } from '../kernel/db/index.ts';
import { openDatabaseRuntime } from '../runtime.ts';
import { csvInvoicingAdapter, handOverInvoices } from './invoices.ts';

export function addInvoiceCommands(program: Command, io: { out: (line: string) => void }): void {
  program
    .command('invoicing')
    .description('fees invoiced on decisions (ADR 0034)')
    .command('export')
    .description('write the invoices not yet handed over as CSV files (one per tenant) and mark them handed over')
    .requiredOption('--dir <folder>', 'the folder the CSV files are written to')
    .action(async (opts: { dir: string }) => {
      const rt = await openDatabaseRuntime({ migrate: false });
      try {
        await mkdir(opts.dir, { recursive: true });
        // The file name is the adapter's reference; `wx`: an existing file is never overwritten.
        const adapter = csvInvoicingAdapter((name, csv) => writeFile(path.join(opts.dir, name), csv, { flag: 'wx' }));
        for (const tenant of rt.tenants.all) {
          const { count, ref } = await handOverInvoices(tenantScope(rt.db, tenant.id), adapter, new Date());
          io.out(count ? `${tenant.id}: ${count} invoices in ${ref}` : `${tenant.id}: no invoices to hand over`);
        }
      } finally {
        await rt.db.close();
      }
    });
}
