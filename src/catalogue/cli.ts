/**
 * `medborg catalogue check` and `medborg catalogue list`. They read the tenants file and the
 * catalogue folders only: no database, so they run in CI and on an author's machine. Given a
 * database (DATABASE_URL), `check` also asks it whether an edit would strand cases (ADR 0010).
 */
import type { Database } from '../kernel/db/index.ts';
import type { TenantRegistry } from '../kernel/tenants.ts';
import { checkDefinitionVersions } from './versions.ts';
import { catalogueOf } from './catalogue.ts';
import { formatProblem, readCatalogue } from './loader.ts';
import type { Audience, Engine } from './types.ts';

export interface CliOutput {
  /** Results (stdout). */
  out(line: string): void;
  /** Progress and failures (stderr). */
  err(line: string): void;
  /** Transient progress that may overwrite itself (a terminal); absent when not interactive. */
  status?(text: string): void;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Validates every tenant's catalogue; one line per tenant, every problem; returns the exit code. */
export function checkCatalogueCommand(tenants: TenantRegistry, io: CliOutput): number {
  let problems = 0;
  let services = 0;
  const badFiles = new Set<string>();
  for (const tenant of tenants.all) {
    io.err(`checking ${tenant.id} …`);
    const result = readCatalogue([tenant], {
      onFile: ({ file, index, total }) => io.status?.(`${tenant.id}: [${index + 1}/${total}] ${file}`),
    });
    io.status?.('');
    const loaded = result.tenants[0]!;
    if (result.problems.length) {
      io.out(`${tenant.id}: ${plural(result.problems.length, 'problem', 'problems')}`);
      for (const p of result.problems) {
        io.out(`  ${formatProblem(p)}`);
        badFiles.add(p.file);
      }
      problems += result.problems.length;
    } else {
      const links = loaded.links.length ? `, ${plural(loaded.links.length, 'link service', 'link services')}` : '';
      io.out(`${tenant.id}: ${plural(loaded.services.length, 'service', 'services')}${links}, ${plural(loaded.registers.size, 'register', 'registers')}`);
      services += loaded.services.length + loaded.links.length;
    }
  }
  if (problems) {
    io.err(`catalogue check failed: ${plural(problems, 'problem', 'problems')} in ${plural(badFiles.size, 'file', 'files')}`);
    return 1;
  }
  io.err(`catalogue OK: ${plural(services, 'service', 'services')} in ${plural(tenants.all.length, 'tenant', 'tenants')}`);
  return 0;
}

/**
 * The second half of `check` when a database is given: would start-up refuse the catalogue because
 * an edit without a new version strands cases? Stores nothing. Run after checkCatalogueCommand passed.
 */
export async function checkCatalogueVersionsCommand(tenants: TenantRegistry, db: Database, io: CliOutput): Promise<number> {
  const result = readCatalogue(tenants);
  if (result.problems.length) return 1;
  io.err('checking the definitions against the cases in the database …');
  const problems = await checkDefinitionVersions(db, tenants.all, catalogueOf(result.tenants));
  for (const p of problems) io.out(`  ${formatProblem(p)}`);
  if (problems.length) {
    io.err(`catalogue check failed: ${plural(problems.length, 'state', 'states')} would strand cases; start-up would refuse this catalogue`);
    return 1;
  }
  io.err('database: every case keeps a state its definition still has');
  return 0;
}

/** One row of `catalogue list --json` (a contract other systems rely on: DESIGN.md). */
export interface CatalogueListing {
  tenant: string;
  id: string;
  title: { sv: string; en: string };
  engines: Engine[];
  skl: number | null;
  audience: Audience[];
  department: string;
}

/** Lists every tenant's services as JSON or a table; on problems prints them and returns 1. */
export function listCatalogueCommand(tenants: TenantRegistry, opts: { json: boolean }, io: CliOutput): number {
  const result = readCatalogue(tenants);
  if (result.problems.length) {
    for (const p of result.problems) io.err(formatProblem(p));
    io.err(`the catalogue has ${plural(result.problems.length, 'problem', 'problems')}; run "medborg catalogue check"`);
    return 1;
  }
  const catalogue = catalogueOf(result.tenants);
  const rows: CatalogueListing[] = tenants.all.flatMap((t) =>
    catalogue.listed(t.id).map((s) => ({
      tenant: t.id,
      id: s.id,
      title: { sv: s.title.sv, en: s.title.en },
      engines: [...s.engines],
      skl: s.skl,
      audience: [...s.audience],
      department: s.department,
    })),
  );
  if (opts.json) {
    io.out(JSON.stringify(rows, null, 2));
    return 0;
  }
  const table = [
    ['TENANT', 'ID', 'SKL', 'ENGINES', 'AUDIENCE', 'DEPARTMENT', 'TITLE'],
    ...rows.map((r) => [r.tenant, r.id, r.skl === null ? '–' : String(r.skl), r.engines.join(','), r.audience.join(','), r.department, r.title.sv]),
  ];
  const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
  for (const row of table) io.out(row.map((cell, c) => (c === row.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  '));
  io.err(plural(rows.length, 'service', 'services'));
  return 0;
}
