/** Builds the migrated template databases the test files clone (called by scripts/test.mjs). */
import { writeFile } from 'node:fs/promises';
import pg from 'pg';
import { migrate, PgliteDatabase, PostgresDatabase, LONG_WORK_TIMEOUTS } from '../src/kernel/db/index.ts';

const [, , target, arg] = process.argv;
if (target === 'pglite') {
  const db = await PgliteDatabase.open();
  await migrate(db);
  const dump = await db.dump();
  await writeFile(arg!, Buffer.from(await dump.arrayBuffer()));
  await db.close();
} else if (target === 'postgres') {
  const admin = process.env.TEST_DATABASE_URL!;
  const name = arg!;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const u = new URL(admin);
  u.pathname = `/${name}`;
  const db = new PostgresDatabase(u.toString(), 1, { timeouts: LONG_WORK_TIMEOUTS });
  await migrate(db);
  await db.close();
} else {
  throw new Error('usage: test-template.ts pglite <file> | postgres <dbname>');
}
