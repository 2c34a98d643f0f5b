/**
 * Test databases, built from a migrated template rather than initdb each time: PGlite clones a
 * dumped data directory (~0.5 s); PostgreSQL creates a database WITH TEMPLATE. Which one a test
 * gets depends on TEST_DB (pglite | postgres), set by scripts/test.mjs for each pass.
 */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate, PgliteDatabase, PostgresDatabase, type Database } from '../../src/kernel/db/index.ts';

export type TestDialect = 'pglite' | 'postgres';

export const testDialect: TestDialect = process.env.TEST_DB === 'postgres' ? 'postgres' : 'pglite';

export interface TestDatabase {
  db: Database;
  dialect: TestDialect;
  /** Connection string (PostgreSQL only): lets a test open a second connection or run the CLI. */
  url: string | undefined;
  drop(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DB=postgres needs TEST_DATABASE_URL');
  return url;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function pgliteTemplate(): Promise<Blob> {
  const file = process.env.MEDBORG_TEST_TEMPLATE;
  if (file && existsSync(file)) return new Blob([await readFile(file)]);
  // Run directly (not through scripts/test.mjs): migrate a fresh database and use it as template.
  const fresh = await PgliteDatabase.open();
  await migrate(fresh);
  const dump = await fresh.dump();
  await fresh.close();
  return dump;
}

/** A fresh, migrated, empty database for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (testDialect === 'pglite') {
    const db = await PgliteDatabase.open({ loadDataDir: await pgliteTemplate() });
    return { db, dialect: 'pglite', url: undefined, drop: () => db.close() };
  }
  const admin = adminUrl();
  const template = process.env.MEDBORG_TEST_PG_TEMPLATE;
  const name = `medborg_t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = withDatabase(admin, name);
  const db = new PostgresDatabase(url, 12);
  if (!template) await migrate(db);
  return {
    db,
    dialect: 'postgres',
    url,
    async drop() {
      await db.close();
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
