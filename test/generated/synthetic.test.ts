/**
 * The generated tests on a test-only definition (test/fixtures/generated): many field kinds, a page
 * and a question asked only when an answer holds, roles of its own, and every kind of workflow action
 * with loops — so the harness is shown to know no particular service. And a failure names the
 * service, the walk and the step; a file question shown only for another answer than its example is
 * revealed and uploaded; a second open case for a subject is refused, and the check of that fails
 * where nothing is refused.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp } from '../helpers/app.ts';
import { ACTION_KINDS } from '../../src/catalogue/index.ts';
import { AUDIENCE_DRIVERS } from './audiences.ts';
import { fillAndSubmit, HarnessFailure, personActions, refusesSecondForSubject, revealingAnswers, staffFor, takeWalk, workflowGraph } from './harness.ts';
import { tenantScope } from '../../src/kernel/db/index.ts';
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

test('a file question with a condition of its own: revealed by another answer, proven required, uploaded and stored', async () => {
  const ctx = { today: '2026-11-23', children: [], register: (id: string) => t.app.catalogue.register(synthetic!.tenant, id) };
  assert.deepEqual(revealingAnswers(synthetic!.def, ctx), { kind: { kind: 'concert' } }, 'the choice its condition reads, changed from the example');
  const driver = AUDIENCE_DRIVERS[0]!;
  const applicant = await driver.applicant(t, synthetic!.host, 'en');
  const asWritten = await fillAndSubmit(synthetic!, driver, applicant, { checkInvalid: undefined, locale: 'en', provenFiles: new Set() });
  assert.deepEqual(asWritten.conditionalFiles, [], 'the examples as written do not ask it');
  const proven = new Set<string>();
  const revealed = await fillAndSubmit(synthetic!, driver, applicant, { checkInvalid: undefined, locale: 'en', reveal: true, provenFiles: proven });
  assert.deepEqual(revealed.conditionalFiles, ['stagePlan']);
  assert.deepEqual([...proven], ['stagePlan'], 'its "required file missing" error was shown');
  const { rows } = await tenantScope(t.tdb.db, synthetic!.tenant).query<{ n: number }>("SELECT count(*)::int AS n FROM attachments WHERE tenant_id = $1 AND case_id = $2 AND content_type = 'application/pdf'", [revealed.caseId]);
  assert.equal(rows[0]!.n, 1, 'its file is an attachment of the case');
});

test('one open case per subject: each submission answers a subject of its own, a second for the same one is refused', async () => {
  const driver = AUDIENCE_DRIVERS[0]!;
  const applicant = await driver.applicant(t, synthetic!.host, 'sv');
  const first = await fillAndSubmit(synthetic!, driver, applicant, { checkInvalid: undefined, locale: 'sv' });
  const second = await fillAndSubmit(synthetic!, driver, applicant, { checkInvalid: undefined, locale: 'sv' });
  assert.ok(first.subject && second.subject);
  assert.notDeepEqual(second.subject, first.subject, 'the second submission answers another subject while the first is open');
  await refusesSecondForSubject(synthetic!, driver, applicant, first, 'sv');
  // The check fails where the subject has no open case: nothing is refused.
  await assert.rejects(refusesSecondForSubject(synthetic!, driver, applicant, { ...first, subject: { name: 'Ingen sådan plats' } }, 'sv'), /is refused at its question: 303/);
});
