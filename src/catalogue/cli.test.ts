import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import YAML from 'yaml';
import { repoRoot } from '../../test/helpers/app.ts';
import { loadTenants } from '../kernel/tenants.ts';
import { checkCatalogueCommand, listCatalogueCommand, readCatalogue, type CliOutput } from './index.ts';

const run = promisify(execFile);

const temps: string[] = [];
after(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

function capture(): CliOutput & { stdout: string[]; stderr: string[]; statuses: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const statuses: string[] = [];
  return { stdout, stderr, statuses, out: (l) => stdout.push(l), err: (l) => stderr.push(l), status: (s) => statuses.push(s) };
}

test('`medborg catalogue list --json` prints the contract’s JSON array (the real CLI, no database)', async () => {
  // No DATABASE_URL and a data dir that does not exist: the command must not open a database.
  const dataDir = path.join(os.tmpdir(), `medborg-no-db-${process.pid}`);
  const { stdout } = await run(process.execPath, ['bin/medborg.js', 'catalogue', 'list', '--json'], {
    cwd: repoRoot,
    env: { ...process.env, MEDBORG_ENV: 'test', DATABASE_URL: '', MEDBORG_DATA_DIR: dataDir },
  });
  const rows = JSON.parse(stdout) as Record<string, unknown>[];
  assert.ok(Array.isArray(rows) && rows.length >= 2);
  for (const row of rows) {
    assert.deepEqual(Object.keys(row).sort(), ['audience', 'department', 'engines', 'id', 'skl', 'tenant', 'title']);
    assert.deepEqual(Object.keys(row.title as object).sort(), ['en', 'sv']);
    assert.ok(row.skl === null || typeof row.skl === 'number');
    assert.ok(Array.isArray(row.engines) && Array.isArray(row.audience));
  }
  const tenants = rows.map((r) => `${r.tenant}/${r.id}`);
  assert.ok(tenants.includes('norrby/forskola') && tenants.includes('sodera/forskola'), tenants.join(', '));
  assert.deepEqual(rows.find((r) => r.tenant === 'norrby' && r.id === 'forskola'), {
    tenant: 'norrby',
    id: 'forskola',
    title: { sv: 'Ansök om förskola', en: 'Apply for pre-school' },
    engines: ['apply', 'queue'],
    skl: 1,
    audience: ['custodian'],
    department: 'education',
  });
  assert.throws(() => readFileSync(dataDir), /ENOENT/, 'no database was created');
});

test('`catalogue check` prints one line per tenant with its services and exits 0', () => {
  const io = capture();
  const code = checkCatalogueCommand(loadTenants(path.join(repoRoot, 'tenants.yaml')), io);
  assert.equal(code, 0);
  // The counts are the demo catalogue's, as the loader reads it: case services, link services, registers.
  const loaded = readCatalogue(loadTenants(path.join(repoRoot, 'tenants.yaml'))).tenants;
  const n = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
  assert.deepEqual(
    io.stdout,
    loaded.map((c) => `${c.tenant}: ${n(c.services.length, 'service', 'services')}${c.links.length ? `, ${n(c.links.length, 'link service', 'link services')}` : ''}, ${n(c.registers.size, 'register', 'registers')}`),
  );
  assert.ok(loaded.every((c) => c.services.length >= 3 && c.links.length >= 1), 'both demo municipalities offer case and link services');
  assert.ok(io.stderr.includes('checking norrby …'), 'progress per tenant');
  assert.ok(io.statuses.some((s) => /^norrby: \[\d+\/\d+\] catalogue\/norrby\/services\.yaml$/.test(s)), io.statuses.join('\n'));
  const total = loaded.reduce((sum, c) => sum + c.services.length + c.links.length, 0);
  assert.equal(io.stderr.at(-1), `catalogue OK: ${total} services in 2 tenants`);
});

test('`catalogue check` prints every problem and exits 1; `list` refuses a bad catalogue', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'medborg-cli-'));
  temps.push(dir);
  cpSync(path.join(repoRoot, 'catalogue'), path.join(dir, 'catalogue'), { recursive: true });
  // The tenants file names its logos; loading it checks they exist.
  cpSync(path.join(repoRoot, 'branding'), path.join(dir, 'branding'), { recursive: true });
  writeFileSync(path.join(dir, 'tenants.yaml'), readFileSync(path.join(repoRoot, 'tenants.yaml')));
  // Söderå's override breaks the shared definition as Söderå offers it: the problems name the override.
  const file = path.join(dir, 'catalogue/sodera/services.yaml');
  const overrides = YAML.parse(readFileSync(file, 'utf8'));
  overrides.services.forskola.department = 'parks';
  overrides.services.forskola.workflow = { initial: 'new' };
  const text = YAML.stringify(overrides);
  writeFileSync(file, text);
  const lineOf = (needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
  const tenants = loadTenants(path.join(dir, 'tenants.yaml'));

  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const io = capture();
    assert.equal(checkCatalogueCommand(tenants, io), 1);
    const departments = tenants.byId('sodera')!.departments.map((d) => d.id).join(', ');
    assert.match(io.stdout[0]!, /^norrby: \d+ services, \d+ link services, \d+ registers$/);
    assert.deepEqual(io.stdout.slice(1), [
      'sodera: 2 problems',
      `  catalogue/sodera/services.yaml: /services/forskola/department: "parks" is not a department of sodera (departments: ${departments}) (overriding catalogue/shared/forskola.yaml: /department) (line ${lineOf('department: parks')})`,
      `  catalogue/sodera/services.yaml: /services/forskola/workflow/initial: names no declared state: "new" (states: submitted, in_progress, awaiting_supplement, decided, withdrawn, placed, offer_declined) (overriding catalogue/shared/forskola.yaml: /workflow/initial) (line ${lineOf('initial: new')})`,
    ]);
    assert.match(io.stderr.at(-1)!, /^catalogue check failed: 2 problems in 1 file$/);

    const list = capture();
    assert.equal(listCatalogueCommand(tenants, { json: true }, list), 1);
    assert.deepEqual(list.stdout, [], 'no half a listing');
    assert.ok(list.stderr.some((l) => l.includes('/department: "parks"')));
  } finally {
    process.chdir(cwd);
  }
});

test('`catalogue list` without --json prints a readable table', () => {
  const io = capture();
  assert.equal(listCatalogueCommand(loadTenants(path.join(repoRoot, 'tenants.yaml')), { json: false }, io), 0);
  assert.match(io.stdout[0]!, /^TENANT\s+ID\s+SKL\s+ENGINES\s+AUDIENCE\s+DEPARTMENT\s+TITLE$/);
  assert.ok(io.stdout.some((l) => /^norrby\s+forskola\s+1\s+apply,queue\s+custodian\s+education\s+Ansök om förskola$/.test(l)), io.stdout.join('\n'));
  assert.ok(io.stdout.some((l) => /^norrby\s+bibliotek-lan\s+25\s+link\s+anyone,eid\s+culture-and-leisure\s+Reservera och låna om böcker på biblioteket$/.test(l)), 'link services are listed');
  // A header and a row per service per municipality, link services included.
  const loaded = readCatalogue(loadTenants(path.join(repoRoot, 'tenants.yaml'))).tenants;
  assert.equal(io.stdout.length, 1 + loaded.reduce((sum, c) => sum + c.services.length + c.links.length, 0));
});
