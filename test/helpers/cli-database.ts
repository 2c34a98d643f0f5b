/**
 * A database that a test writes and a `medborg` command it starts then reads: PGlite in a folder
 * the command opens (one process at a time, so the test closes it before each run), PostgreSQL as
 * a fresh test database. `run` starts bin/medborg.js with its arguments on that database.
 */
import { after } from 'node:test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase, testDialect } from './db.ts';
import { repoRoot } from './app.ts';
import { migrate, PgliteDatabase, tenantScope, type Database, type TenantScope } from '../../src/kernel/db/index.ts';

export interface CliDatabase {
  /** Runs fn on the database, opened for the test (PGlite is closed again for the command). */
  withDb<T>(fn: (tdb: TenantScope, db: Database) => Promise<T>): Promise<T>;
  /** Runs `medborg <args>` on the database and returns its exit status and output. */
  run(args: readonly string[]): { status: number | null; stdout: string; stderr: string };
}

export async function cliDatabase(prefix: string): Promise<CliDatabase> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `medborg-${prefix}-`));
  const pgdata = path.join(dataDir, 'pgdata');
  let db: Database | undefined;
  let env: Record<string, string>;
  let drop: () => Promise<void>;
  if (testDialect === 'postgres') {
    const t = await createTestDatabase();
    db = t.db;
    env = { DATABASE_URL: t.url! };
    drop = () => t.drop();
  } else {
    const p = await PgliteDatabase.open({ dataDir: pgdata });
    await migrate(p);
    db = p;
    env = { MEDBORG_DATA_DIR: dataDir };
    drop = async () => {
      await db?.close();
      db = undefined;
    };
  }
  after(async () => {
    await drop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return {
    async withDb(fn) {
      db ??= await PgliteDatabase.open({ dataDir: pgdata });
      try {
        return await fn(tenantScope(db, 'norrby'), db);
      } finally {
        if (testDialect === 'pglite') {
          await db.close();
          db = undefined;
        }
      }
    },
    run(args) {
      const r = spawnSync(process.execPath, ['bin/medborg.js', ...args], { cwd: repoRoot, env: { ...process.env, ...env, MEDBORG_ENV: 'test' }, encoding: 'utf8' });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    },
  };
}
