/**
 * The inbox's status filter (through HTTP): a state belongs to its service and to the version of
 * the definition a case is handled by. "Open" hides a case only when its state is final in its own
 * version; the state filter tells apart services that share a state id.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { createTestApp, NORRBY } from '../../test/helpers/app.ts';
import { signInStaff } from '../../test/helpers/sign-in.ts';
import { journey } from '../../test/helpers/journey.ts';
import { ENGINE_CATALOGUE, tenantsFileWithCatalogue } from '../../test/helpers/test-catalogue.ts';
import { tenantScope } from '../kernel/db/index.ts';
import { createCase } from './index.ts';

// The engine fixtures, with "in_progress" made a final state of the comment service (version 2)
// while it stays an open state of the permit service.
const dir = mkdtempSync(path.join(os.tmpdir(), 'medborg-inbox-filter-'));
after(() => rmSync(dir, { recursive: true, force: true }));
cpSync(ENGINE_CATALOGUE, dir, { recursive: true });
const plainFile = path.join(dir, 'norrby/plain.yaml');
const plain = YAML.parse(readFileSync(plainFile, 'utf8')) as { version?: number; workflow: { states: unknown[]; transitions: unknown[] } };
plain.version = 2;
plain.workflow.states.push({ id: 'in_progress', label: { sv: 'Arkiverad', en: 'Filed' }, final: true });
plain.workflow.transitions.push({ from: ['submitted'], to: 'in_progress', action: 'start' });
writeFileSync(plainFile, YAML.stringify(plain));

const t = await createTestApp({ env: { MEDBORG_TENANTS: tenantsFileWithCatalogue(dir) } });
after(() => t.close());
const { get } = journey(t);
const tdb = tenantScope(t.tdb.db, 'norrby');

async function caseIn(serviceId: string, status: string, version?: number): Promise<string> {
  const definition = t.app.catalogue.service('norrby', serviceId)!;
  const { reference } = await tdb.transaction((tx) =>
    createCase(tx, { definition, parties: [], answers: {}, locale: 'sv', draftId: null, email: undefined, siteUrl: 'http://norrby.localhost', now: t.clock.now() }),
  );
  await tdb.query('UPDATE cases SET status = $2, service_version = coalesce($3, service_version) WHERE tenant_id = $1 AND reference = $4', [status, version ?? null, reference]);
  return reference;
}

test('"open" follows each case\'s own definition version; a state filter names its service', async () => {
  // Version 1 of the comment service had a final state "retired" that version 2 no longer has.
  const v2 = t.app.catalogue.service('norrby', 'plain')!;
  const v1 = structuredClone(v2) as unknown as { version: number; workflow: { states: { id: string; final?: boolean }[] } };
  v1.version = 1;
  v1.workflow.states = [...v1.workflow.states.filter((s) => s.id !== 'in_progress'), { id: 'retired', final: true }];
  await tdb.query(`INSERT INTO service_versions (tenant_id, service_id, version, hash, definition) VALUES ($1, 'plain', 1, 'v1', $2)`, [JSON.stringify(v1)]);

  const permitWorking = await caseIn('permit', 'in_progress');
  const commentFiled = await caseIn('plain', 'in_progress');
  const commentNew = await caseIn('plain', 'submitted');
  const commentRetired = await caseIn('plain', 'retired', 1);

  const handler = await signInStaff(t, NORRBY, { username: 'otto', displayName: 'Otto Ordning', roles: ['handler'], departments: ['city-services'] });
  const open = (await get(handler, '/staff/cases')).body;
  assert.ok(open.includes(permitWorking), 'in progress is open for the permit service');
  assert.ok(open.includes(commentNew));
  assert.ok(!open.includes(commentFiled), 'in_progress is final for the comment service');
  assert.ok(!open.includes(commentRetired), 'retired was final in version 1, which the case is handled by');

  const permitOnly = (await get(handler, '/staff/cases?status=permit:in_progress')).body;
  assert.ok(permitOnly.includes(permitWorking) && !permitOnly.includes(commentFiled));
  const either = (await get(handler, '/staff/cases?status=in_progress')).body;
  assert.ok(either.includes(permitWorking) && either.includes(commentFiled), 'a bare state id still means that state in any service');
  // Each service's states are offered by themselves, named with their service.
  assert.match(open, /<option value="permit:in_progress"[^>]*>Under handläggning \(Ansök om tillstånd för evenemang\)<\/option>/);
  assert.match(open, /<option value="plain:in_progress"[^>]*>Arkiverad \(Lämna en synpunkt\)<\/option>/);
  // With one service chosen, its states need no service name.
  assert.match((await get(handler, '/staff/cases?service=plain')).body, /<option value="plain:in_progress"[^>]*>Arkiverad<\/option>/);
});
