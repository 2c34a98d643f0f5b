/** The embedded database is open in one process at a time (data-dir-lock.ts). */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DatabaseInUseError, lockDataDir } from './data-dir-lock.ts';
import { PgliteDatabase } from './pglite.ts';
import { TS_IMPORT } from '../../../test/helpers/ts-import.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const root = mkdtempSync(path.join(tmpdir(), 'medborg-lock-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '']);
  return r.pid!;
}

function inUse(pid: number) {
  return (e: unknown) => e instanceof DatabaseInUseError && e.pid === pid && /is in use by process \d+.*DATABASE_URL/.test(e.message);
}

// One folder for the PGlite tests: the first open runs initdb (seconds), later ones are quick.
const dataDir = path.join(root, 'medborg', 'pgdata');
const lockFile = `${dataDir}.lock`;

test('a second open of the same folder is refused, also in the same process; after close it opens again', { timeout: 60_000 }, async () => {
  const first = await PgliteDatabase.open({ dataDir });
  try {
    assert.equal(readFileSync(lockFile, 'utf8'), `${process.pid}\n${hostname()}\n`);
    await assert.rejects(PgliteDatabase.open({ dataDir }), inUse(process.pid));
    await assert.rejects(PgliteDatabase.open({ dataDir: `${dataDir}/` }), inUse(process.pid), 'the same folder by another spelling');
    // The refused open must not have disturbed the holder's lock or database.
    assert.ok(existsSync(lockFile));
    assert.deepEqual((await first.query<{ n: number }>('SELECT 1 AS n')).rows, [{ n: 1 }]);
  } finally {
    await first.close();
  }
  assert.equal(existsSync(lockFile), false, 'close removes the lock');
  const again = await PgliteDatabase.open({ dataDir });
  await again.close();
  assert.equal(existsSync(lockFile), false);
});

test('a stale lock whose process is gone is taken over', { timeout: 60_000 }, async () => {
  const pid = deadPid();
  writeFileSync(lockFile, `${pid}\n${hostname()}\n`);
  const db = await PgliteDatabase.open({ dataDir });
  assert.equal(readFileSync(lockFile, 'utf8'), `${process.pid}\n${hostname()}\n`);
  await db.close();
  assert.equal(existsSync(lockFile), false);
});

/** The state letter /proc gives a process (R, S, Z…), or undefined when it has none. */
function procState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 1).trim()[0];
  } catch {
    return undefined;
  }
}

test('a lock whose process is a zombie (exited, not reaped) is taken over', { skip: process.platform !== 'linux' && 'zombies are read from /proc (Linux)', timeout: 30_000 }, async () => {
  // The shell starts a child, prints its pid, and becomes `sleep`, which never reaps it. The child
  // exits once its parent is `sleep` (so the shell cannot have reaped it) and stays a zombie, its
  // pid still answering signals, for as long as the sleep runs.
  const script = 'p=$$; (c=sh; while [ "$c" != sleep ]; do read -r c < /proc/$p/comm; done) & echo $!; exec sleep 60';
  const parent = spawn('sh', ['-c', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const zombie = await new Promise<number>((resolve, reject) => {
      parent.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
      parent.once('error', reject);
    });
    for (let state = procState(zombie); state !== 'Z'; state = procState(zombie)) {
      assert.ok(state !== undefined, `process ${zombie} was reaped before it could be seen as a zombie`);
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.doesNotThrow(() => process.kill(zombie, 0), 'a zombie still answers a signal');
    const dir = path.join(root, 'zombie', 'pgdata');
    const file = `${dir}.lock`;
    lockDataDir(dir).release();
    writeFileSync(file, `${zombie}\n${hostname()}\n`);
    const lock = lockDataDir(dir);
    assert.equal(readFileSync(file, 'utf8'), `${process.pid}\n${hostname()}\n`);
    lock.release();
    assert.equal(existsSync(file), false);
  } finally {
    parent.kill();
  }
});

test('a lock from another host, or one that cannot be read, is not taken over', () => {
  const dir = path.join(root, 'foreign', 'pgdata');
  const file = `${dir}.lock`;
  lockDataDir(dir).release();
  // A pid on another host (a shared volume) cannot be checked: it may well be running.
  const pid = deadPid();
  writeFileSync(file, `${pid}\nsome-other-host\n`);
  assert.throws(() => lockDataDir(dir), inUse(pid));
  writeFileSync(file, '');
  assert.throws(() => lockDataDir(dir), (e: unknown) => e instanceof DatabaseInUseError && e.pid === undefined && e.message.includes(file));
  assert.equal(readFileSync(file, 'utf8'), '', 'left as it was');
  rmSync(file);
  lockDataDir(dir).release();
});

test('a process that exits without closing removes its lock', () => {
  const dir = path.join(root, 'exit', 'pgdata');
  const code = `const { lockDataDir } = await import(${JSON.stringify(path.join(repoRoot, 'src/kernel/db/data-dir-lock.ts'))}); lockDataDir(process.env.LOCK_DIR); process.exit(0);`;
  const r = spawnSync(process.execPath, ['--import', TS_IMPORT, '--input-type=module', '-e', code], { env: { ...process.env, LOCK_DIR: dir }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(existsSync(`${dir}.lock`), false);
});

test('`medborg staff create` next to a running server is refused with a clear message', { timeout: 60_000 }, () => {
  // This process plays the running `serve --demo`: it holds the lock on <data dir>/pgdata.
  const medborgDir = path.join(root, 'cli');
  const lock = lockDataDir(path.join(medborgDir, 'pgdata'));
  try {
    const env = { ...process.env, MEDBORG_ENV: 'test', LOG_LEVEL: 'silent', MEDBORG_DATA_DIR: medborgDir, DATABASE_URL: '' };
    const args = ['staff', 'create', '--tenant', 'norrby', '--username', 'second', '--name', 'Second', '--email', 's@norrby.example', '--roles', 'handler'];
    const r = spawnSync(process.execPath, ['bin/medborg.js', ...args], { cwd: repoRoot, env, encoding: 'utf8', timeout: 50_000 });
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stdout, '', 'no "created" report');
    assert.match(r.stderr, new RegExp(`^The embedded database .*pgdata is in use by process ${process.pid}: stop it, or use PostgreSQL \\(DATABASE_URL\\)`));
    assert.equal(r.stderr.trim().split('\n').length, 1, `one line, no stack trace:\n${r.stderr}`);
  } finally {
    lock.release();
  }
});
