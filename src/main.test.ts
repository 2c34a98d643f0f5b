/**
 * The `medborg` program through bin/medborg.js: each top-level command loads its own modules when it
 * runs (ADR 0037), so help, a mistyped command and a command that needs no database are run here as
 * an operator types them; the commands' own tests run the rest.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { repoRoot } from '../test/helpers/app.ts';
import { DEMO_STAFF } from './demo/index.ts';

const medborg = (...args: string[]) => spawnSync(process.execPath, ['bin/medborg.js', ...args], { cwd: repoRoot, env: { ...process.env, MEDBORG_ENV: 'test', LOG_LEVEL: 'silent' }, encoding: 'utf8' });
const GROUPS = ['serve', 'db', 'catalogue', 'staff', 'seed', 'demo', 'invoicing', 'archive'];

test('help lists every command; a mistyped one is refused with the list', () => {
  const help = medborg('--help');
  assert.equal(help.status, 0, help.stderr);
  for (const g of GROUPS) assert.match(help.stdout, new RegExp(`^  ${g}\\b`, 'm'), `${g} in:\n${help.stdout}`);
  const wrong = medborg('archvie', 'verify');
  assert.equal(wrong.status, 1);
  assert.match(wrong.stderr, /unknown command 'archvie'/);
  for (const g of GROUPS) assert.match(wrong.stderr, new RegExp(`^  ${g}\\b`, 'm'));
  const sub = medborg('help', 'archive');
  assert.equal(sub.status, 0, sub.stderr);
  assert.match(sub.stdout, /verify/);
});

test('demo code prints a six-digit code for a demo account, and names the accounts for an unknown one', () => {
  const s = DEMO_STAFF[0]!;
  const ok = medborg('demo', 'code', s.tenant, s.username);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /^\d{6}\n$/);
  const unknown = medborg('demo', 'code', s.tenant, 'nobody');
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, new RegExp(`No demo account nobody in ${s.tenant}\\. Demo accounts: .*${s.tenant}/${s.username}`));
});
