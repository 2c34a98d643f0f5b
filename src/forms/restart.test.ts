/**
 * A draft outlives the server: the application is built, a resident answers two steps, the server
 * and its database connection shut down, and a new server on the same database (the same PGlite
 * folder, or the same PostgreSQL database) continues the draft with the answers kept.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../app.ts';
import { fixedClock } from '../kernel/clock.ts';
import { loadConfig } from '../kernel/config.ts';
import { migrate, PgliteDatabase, PostgresDatabase, type Database } from '../kernel/db/index.ts';
import { loadTenants } from '../kernel/tenants.ts';
import { createTestDatabase, testDialect } from '../../test/helpers/db.ts';
import { csrfFrom, repoRoot, NORRBY, type TestApp } from '../../test/helpers/app.ts';
import { signInResident, ANNA } from '../../test/helpers/sign-in.ts';
import { journey } from '../../test/helpers/journey.ts';

const dir = await mkdtemp(path.join(os.tmpdir(), 'medborg-restart-'));
// PGlite: a folder on disk, as `medborg serve` uses. PostgreSQL: a test database we reconnect to.
const pgTest = testDialect === 'postgres' ? await createTestDatabase() : undefined;
after(async () => {
  await pgTest?.drop();
  await rm(dir, { recursive: true, force: true });
});

const config = loadConfig({ MEDBORG_ENV: 'test', LOG_LEVEL: 'silent', MEDBORG_DATA_DIR: dir }, repoRoot);
const tenants = loadTenants(config.tenantsFile);
const clock = fixedClock('2026-11-23T10:00:00Z');

async function openDb(): Promise<Database> {
  if (pgTest) return new PostgresDatabase(pgTest.url!, 4);
  const db = await PgliteDatabase.open({ dataDir: path.join(dir, 'db') });
  await migrate(db);
  return db;
}

async function start(): Promise<TestApp & { db: Database }> {
  const db = await openDb();
  const app = await buildApp({ config, db, tenants, demo: true, clock });
  await app.ready();
  return {
    app,
    db,
    tdb: { db, dialect: testDialect, url: pgTest?.url, drop: async () => undefined },
    config,
    tenants,
    clock,
    close: async () => {
      await app.close();
      // The test database of the PostgreSQL pass is closed by drop(); only our own pool here.
      await db.close();
    },
  };
}

test(`a draft resumes after a server restart, answers kept (${testDialect})`, async () => {
  const first = await start();
  const who = await signInResident(first, NORRBY, ANNA);
  const { get, post } = journey(first);
  const begun = await get(who, '/services/forskola/apply');
  const draft = /^\/apply\/([0-9a-f-]{36})\/child$/.exec(String(begun.headers.location))?.[1];
  assert.ok(draft, `unexpected redirect ${begun.headers.location}`);
  assert.equal((await post(who, `/apply/${draft}/child`, { child: '202205109826' }, `/apply/${draft}/child`)).statusCode, 303);
  assert.equal((await post(who, `/apply/${draft}/preschools`, { 'preschools.0': 'nby-ekbacken', 'preschools.1': 'nby-solrosen' }, `/apply/${draft}/preschools`)).statusCode, 303);
  await first.close();

  const second = await start();
  try {
    const again = journey(second);
    // The session cookie from before the restart still works: sessions live in the database.
    const resumed = await again.get(who, '/services/forskola/apply');
    assert.equal(resumed.headers.location, `/apply/${draft}/start`, 'continues at the first unanswered step');
    const preschools = await again.get(who, `/apply/${draft}/preschools`);
    assert.equal(preschools.statusCode, 200);
    assert.match(preschools.body, /<option value="nby-ekbacken" selected/);
    assert.match(preschools.body, /<option value="nby-solrosen" selected/);
    const child = await again.get(who, `/apply/${draft}/child`);
    assert.match(child.body, /value="202205109826"[^>]*checked/);
    assert.ok(csrfFrom(child.body), 'the form can be posted again');
  } finally {
    await second.close();
  }
});
