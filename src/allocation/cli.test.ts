/**
 * `medborg allocate --round <id> --verify` end to end, run as a subprocess on the database of this
 * pass: a published round verifies (exit 0, each check printed); a frozen round not yet published
 * verifies its inputs; a tampered snapshot, a tampered published result hash and a seed changed on
 * the round's row each fail with exit 1 naming what does not match; an unknown round exits 2.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cliDatabase } from '../../test/helpers/cli-database.ts';
import { repoRoot } from '../../test/helpers/app.ts';
import { loadTenants } from '../kernel/tenants.ts';
import { loadConfig } from '../kernel/config.ts';
import { loadCatalogue } from '../catalogue/index.ts';
import { uuidv7 } from '../kernel/ids.ts';
import { createCase, ensureReferenceSequences, residentApplicant } from '../cases/index.ts';
import { allocated, freezeRound, insertRound, publishRound, schoolsOf, type AllocatedService } from './index.ts';

const { withDb, run } = await cliDatabase('allocate');

const allocateVerify = (round: string) => run(['allocate', '--round', round, '--verify']);

const config = loadConfig({ MEDBORG_ENV: 'test' }, repoRoot);
const tenants = loadTenants(config.tenantsFile);
const catalogue = loadCatalogue(tenants);
// A service whose allocation ranks merit too (the upper-secondary admission in the demo catalogue).
const def = catalogue.services('norrby').find((d): d is AllocatedService => allocated(d) && !!d.allocation.merit)!;
const now = new Date('2027-03-01T09:00:00Z');

/** A round of the service with `n` applications, frozen, and published when asked. */
async function round(n: number, publish: boolean): Promise<string> {
  return withDb(async (tdb, d) => {
    await ensureReferenceSequences(d, ['norrby']);
    const entries = schoolsOf(catalogue, 'norrby', def);
    const choicesField = def.allocation.choices;
    for (let i = 0; i < n; i++) {
      await tdb.transaction((tx) =>
        createCase(tx, {
          definition: def,
          parties: [residentApplicant({ id: uuidv7() })],
          answers: { [choicesField]: [entries[i % 2]!.id, entries[2]!.id], [def.allocation.merit!.field]: 100 + (i % 7) * 20 },
          locale: 'sv',
          draftId: null,
          email: undefined,
          siteUrl: 'http://x',
          now,
          status: def.allocation.from[0]!,
        }),
      );
    }
    const id = uuidv7();
    assert.ok(await insertRound(tdb, { id, serviceId: def.id, staffId: uuidv7(), now }));
    await tdb.transaction((tx) => freezeRound(tx, { roundId: id, def, entries, staffId: uuidv7(), now, today: '2027-03-01' }));
    if (publish) await tdb.transaction((tx) => publishRound(tx, { roundId: id, def, staffId: uuidv7(), now, siteUrl: 'http://x' }));
    return id;
  });
}

test('a published round verifies: inputs hash, seed, the rerun and the published result hash, each printed', async () => {
  const id = await round(9, true);
  const r = allocateVerify(id);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, new RegExp(`round ${id} of norrby/${def.id} \\(published\\)`));
  assert.match(r.stdout, /inputs: 9 applications, \d+ choices, \d+ priority groups and merit/);
  assert.match(r.stdout, /inputs hash [0-9a-f]{64}: matches the journaled one/);
  assert.match(r.stdout, /seed [0-9a-f]{64}: matches the published one/);
  assert.match(r.stdout, /rerun: \d+ placed, \d+ placed nowhere, result hash [0-9a-f]{64}/);
  assert.match(r.stdout, /result hash: identical to the published one/);
  assert.match(r.stdout, /^verified: the rerun gives the identical result$/m);
});

test('a tampered snapshot fails, naming the inputs hash', async () => {
  const id = await round(5, true);
  await withDb((tdb) =>
    tdb.query(`UPDATE journal SET payload = jsonb_set(payload, '{snapshot,schools,0,capacity}', '99') WHERE tenant_id = $1 AND case_id = $2 AND seq = 1`, [id]),
  );
  const r = allocateVerify(id);
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stderr, /MISMATCH inputs hash: journaled [0-9a-f]{64}, the snapshot hashes to [0-9a-f]{64}/);
  assert.match(r.stdout, /^MISMATCH: the round does not verify$/m);
});

test('a published result hash that the rerun does not give fails; so does a seed changed on the round', async () => {
  const id = await round(4, true);
  await withDb((tdb) => tdb.query(`UPDATE journal SET payload = jsonb_set(payload, '{resultHash}', '"${'0'.repeat(64)}"') WHERE tenant_id = $1 AND case_id = $2 AND seq = 2`, [id]));
  let r = allocateVerify(id);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /MISMATCH result hash: published 0{64}, the rerun gives [0-9a-f]{64}/);
  const other = await round(4, true);
  await withDb((tdb) => tdb.query(`UPDATE allocation_rounds SET seed = $2 WHERE tenant_id = $1 AND id = $3`, ['f'.repeat(64), other]));
  r = allocateVerify(other);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /MISMATCH seed: the round publishes f{64}/);
});

// Last: a service has one unpublished round at a time.
test('a frozen round not yet published verifies its inputs', async () => {
  const id = await round(3, false);
  const r = allocateVerify(id);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /not published yet: nothing to compare the result with/);
});

test('an unknown round, or no --verify, exits 2', () => {
  assert.equal(allocateVerify('00000000-0000-7000-8000-000000000000').status, 2);
  assert.equal(allocateVerify('not-a-round').status, 2);
});
