/**
 * The demo catalogue plus the test-only service that asks every field kind
 * (test/fixtures/field-kinds/alla-falt.yaml), for tests that build their own app with it.
 */
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadCatalogue, type Catalogue } from '../../src/catalogue/index.ts';
import { loadTenants } from '../../src/kernel/tenants.ts';
import { repoRoot } from './app.ts';

export const FIELD_KINDS_SERVICE = 'alla-falt';

export function catalogueWithFieldKinds(): Catalogue {
  const dir = mkdtempSync(path.join(tmpdir(), 'medborg-field-kinds-'));
  for (const p of ['tenants.yaml', 'catalogue', 'branding']) cpSync(path.join(repoRoot, p), path.join(dir, p), { recursive: true });
  cpSync(path.join(repoRoot, 'test/fixtures/field-kinds/alla-falt.yaml'), path.join(dir, 'catalogue/norrby/alla-falt.yaml'));
  return loadCatalogue(loadTenants(path.join(dir, 'tenants.yaml')), { baseDir: dir });
}
