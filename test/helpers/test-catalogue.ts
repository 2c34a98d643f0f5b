/**
 * A tenants file for tests that bring their own catalogue folder: the repository's tenants, each
 * reading its services from `<folder>/<tenant id>` (empty when the folder has none for it), with
 * optional per-tenant settings merged in (e.g. `registers`).
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { repoRoot } from './app.ts';

export function tenantsFileWithCatalogue(folder: string, extra: Record<string, Record<string, unknown>> = {}): string {
  const raw = YAML.parse(readFileSync(path.join(repoRoot, 'tenants.yaml'), 'utf8')) as { sharedCatalogue?: string; tenants: Record<string, unknown>[] };
  const dir = mkdtempSync(path.join(tmpdir(), 'medborg-test-tenants-'));
  // The test's folders hold whole definitions; the shared catalogue is there for what they do not (shipped services).
  if (raw.sharedCatalogue) raw.sharedCatalogue = path.join(folder, 'shared');
  if (raw.sharedCatalogue && !existsSync(raw.sharedCatalogue)) delete raw.sharedCatalogue;
  for (const t of raw.tenants) {
    const id = String(t.id);
    let catalogue = path.join(folder, id);
    if (!existsSync(catalogue)) {
      catalogue = path.join(dir, 'empty', id);
      mkdirSync(catalogue, { recursive: true });
    }
    t.catalogue = catalogue;
    if (typeof t.logo === 'string') t.logo = path.resolve(repoRoot, t.logo);
    Object.assign(t, extra[id] ?? {});
  }
  const file = path.join(dir, 'tenants.yaml');
  writeFileSync(file, YAML.stringify(raw));
  return file;
}

export const ENGINE_CATALOGUE = path.join(repoRoot, 'test/fixtures/catalogue-engine');

/**
 * The repository's tenants file with one service of one municipality set to `subject.duplicates:
 * warn`, for a test or benchmark that sends many applications for the few children a demo parent
 * has, where the shipped service refuses a second open one (ADR 0022, 0036). Paths are absolute,
 * so the file serves the processes it is handed to as well.
 */
export function tenantsFileWarningOfDuplicates(tenantId: string, serviceId: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'medborg-test-tenants-'));
  const own = path.join(dir, tenantId);
  cpSync(path.join(repoRoot, 'catalogue', tenantId), own, { recursive: true });
  const services = path.join(own, 'services.yaml');
  const text = readFileSync(services, 'utf8');
  const entry = new RegExp(`^ {2}${serviceId}:\\n`, 'm');
  if (!entry.test(text)) throw new Error(`no ${serviceId} entry in catalogue/${tenantId}/services.yaml`);
  writeFileSync(services, text.replace(entry, `  ${serviceId}:\n    subject: { duplicates: warn }\n`));
  const raw = YAML.parse(readFileSync(path.join(repoRoot, 'tenants.yaml'), 'utf8')) as { sharedCatalogue?: string; tenants: Record<string, unknown>[] };
  if (raw.sharedCatalogue) raw.sharedCatalogue = path.join(repoRoot, raw.sharedCatalogue);
  for (const t of raw.tenants) {
    t.catalogue = t.id === tenantId ? own : path.join(repoRoot, String(t.catalogue));
    if (typeof t.logo === 'string') t.logo = path.resolve(repoRoot, t.logo);
  }
  const file = path.join(dir, 'tenants.yaml');
  writeFileSync(file, YAML.stringify(raw));
  return file;
}
