/** `medborg serve` start-up refusals through bin/medborg.js, as an operator meets them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

test('serve --demo in production is refused with one line naming MEDBORG_ENV, before the database is opened', { timeout: 60_000 }, () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'medborg-serve-demo-'));
  try {
    // No BASE_URL and no DATABASE_URL: the refusal comes before every other setting is checked,
    // and the embedded database it would otherwise create lives in dataDir.
    const env = {
      ...process.env,
      MEDBORG_ENV: 'production',
      SESSION_SECRET: 'a-production-secret-of-at-least-32-chars',
      MEDBORG_DATA_DIR: dataDir,
      DATABASE_URL: '',
      BASE_URL: '',
      PORT: '0',
    };
    const r = spawnSync(process.execPath, ['bin/medborg.js', 'serve', '--demo'], { cwd: repoRoot, env, encoding: 'utf8', timeout: 50_000 });
    assert.equal(r.status, 2, `exit ${r.status} ${r.signal ?? ''}\n${r.stderr}`);
    assert.equal(r.stderr, 'Configuration error in MEDBORG_ENV: demo mode (serve --demo) is refused in production\n');
    assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
    assert.equal(r.stdout, '', 'nothing migrated, nothing listening');
    assert.deepEqual(readdirSync(dataDir), [], 'no database (nor its lock) in the data folder');
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
