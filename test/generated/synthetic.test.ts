/**
 * The generated tests on a test-only definition (test/fixtures/generated): many field kinds, a page
 * and a question asked only when an answer holds, roles of its own, and every kind of workflow action
 * with loops — so the harness is shown to know no particular service. And a failure names the
 * service, the walk and the step.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp } from '../helpers/app.ts';
import { ACTION_KINDS } from '../../src/catalogue/index.ts';
import { AUDIENCE_DRIVERS } from './audiences.ts';
import { fillAndSubmit, HarnessFailure, personActions, staffFor, takeWalk, workflowGraph } from './harness.ts';
import { registerGeneratedTests, servicesOf } from './run.ts';
import { planWalks } from './workflow-paths.ts';

const t = await createTestApp({ env: { MEDBORG_TENANTS: 'test/fixtures/generated/tenants.yaml' }, now: '2026-11-23T10:00:00Z' });
after(() => t.close());
const [synthetic] = servicesOf(t);

test('the synthetic definition uses every kind of action, with loops', () => {
  assert.ok(synthetic);
  assert.deepEqual([...new Set(personActions(synthetic.def).map((a) => a.kind))].sort(), [...ACTION_KINDS].sort());
  const { walks, problems } = planWalks(workflowGraph(synthetic.def));
  assert.deepEqual(problems, []);
  const loops = ['sendMore', 'consultReply', 'sendBack', 'handOver'];
  for (const l of loops) assert.ok(walks.some((w) => w.some((e) => e.action === l)), `a walk goes round ${l}`);
});

registerGeneratedTests(t);

test('a failure names the service, the walk and the step', async () => {
  const driver = AUDIENCE_DRIVERS[0]!;
  const applicant = await driver.applicant(t, synthetic!.host, 'sv');
  const submitted = await fillAndSubmit(synthetic!, driver, applicant, { checkInvalid: undefined, locale: 'sv' });
  const staff = await staffFor({ ...synthetic!, def: { ...synthetic!.def, id: 'harness-synthetic-2' } });
  // A walk that expects the wrong state after its second step.
  const wrong = [
    { action: 'begin', from: 'submitted', to: 'in_progress' },
    { action: 'refuse', from: 'in_progress', to: 'granted' },
  ];
  await assert.rejects(
    takeWalk(synthetic!, 'walk 99', wrong, submitted, { applicant, outsider: await driver.outsider(t, synthetic!.host), staff }),
    (err: unknown) => {
      assert.ok(err instanceof HarnessFailure);
      assert.match(err.message, /^norrby\/harness-synthetic, walk 99 \(begin>in_progress refuse>granted\), step 2 refuse \[decide\] in_progress→granted, after: the new state/);
      return true;
    },
  );
});
