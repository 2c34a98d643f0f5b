/** `medborg archive verify` end to end: the real command, on the database of this pass. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase, testDialect } from '../../test/helpers/db.ts';
import { repoRoot } from '../../test/helpers/app.ts';
import { minimalService } from '../../test/helpers/fixtures.ts';
import { migrate, PgliteDatabase, tenantScope, type Database } from '../kernel/db/index.ts';
import { uuidv7 } from '../kernel/ids.ts';
import { createCase, changeCase, ensureReferenceSequences } from '../cases/index.ts';

// PGlite: a database in a folder the command can open. PostgreSQL: a fresh test database.
const dataDir = mkdtempSync(path.join(tmpdir(), 'medborg-verify-'));
let db: Database;
let env: Record<string, string>;
let drop: () => Promise<void>;
if (testDialect === 'postgres') {
  const t = await createTestDatabase();
  db = t.db;
  env = { DATABASE_URL: t.url! };
  drop = () => t.drop();
} else {
  const p = await PgliteDatabase.open({ dataDir: path.join(dataDir, 'pgdata') });
  await migrate(p);
  db = p;
  env = { MEDBORG_DATA_DIR: dataDir };
  drop = async () => undefined;
}
after(async () => {
  await drop();
  rmSync(dataDir, { recursive: true, force: true });
});

function verify(): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/medborg.js', 'archive', 'verify'], { cwd: repoRoot, env: { ...process.env, ...env, MEDBORG_ENV: 'test' }, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test(`archive verify exits 0 when intact and 1 naming the case and entry when not (${testDialect})`, async () => {
  await ensureReferenceSequences(db, ['norrby', 'sodera']);
  const tdb = tenantScope(db, 'norrby');
  const now = new Date('2026-11-23T10:00:00Z');
  const c = await tdb.transaction((tx) => createCase(tx, { definition: minimalService(), applicantId: uuidv7(), subject: null, answers: { name: 'Åke' }, locale: 'sv', draftId: null, email: undefined, siteUrl: 'http://x', now }));
  await changeCase(tdb, c.id, now, () => ({ journal: [{ kind: 'note', actorKind: 'system', actorId: null, payload: { body: 'ok' } }] }));
  if (testDialect === 'pglite') await db.close();

  const intact = verify();
  assert.equal(intact.status, 0, intact.stderr);
  assert.match(intact.stdout, /intact: 1 cases, 2 journal entries/);

  if (testDialect === 'pglite') {
    db = await PgliteDatabase.open({ dataDir: path.join(dataDir, 'pgdata') });
  }
  await tenantScope(db, 'norrby').query(`UPDATE journal SET payload = '{"body":"changed"}' WHERE tenant_id = $1 AND case_id = $2 AND seq = 2`, [c.id]);
  if (testDialect === 'pglite') await db.close();

  const broken = verify();
  assert.equal(broken.status, 1);
  assert.ok(broken.stderr.includes(c.id) && broken.stderr.includes(c.reference), broken.stderr);
  assert.match(broken.stderr, /entry 2/);
});
