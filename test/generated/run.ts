/**
 * Registers the generated tests of every service of every tenant of a test app (ADR 0018): for each
 * service, a submission through each audience driver that applies, each kind's invalid answer once,
 * and the walks of its workflow — all of planWalks on PGlite, the shortest walk to each final state on
 * PostgreSQL (TEST_DB), so the PostgreSQL pass stays short. Prints what it did and how long it took.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { Locale } from '../../src/kernel/i18n/index.ts';
import type { TestApp } from '../helpers/app.ts';
import { testDialect } from '../helpers/db.ts';
import { driversFor, type AudienceDriver } from './audiences.ts';
import { defaultActor } from '../../src/catalogue/index.ts';
import { archiveVerifies, fillAndSubmit, nameOf, personActions, refusesSecondForSubject, staffFor, takeWalk, walkText, workflowGraph, type ServiceUnderTest, type WalkParties } from './harness.ts';
import { duplicateMode } from '../../src/forms/duplicates.ts';
import { planWalks, shortestWalkToEachFinal, type Edge } from './workflow-paths.ts';
import { checkLinkService } from './links.ts';

export interface RunOptions {
  /** Only these tenants (default: every tenant of the app). */
  tenants?: string[];
  /** Only services for which this holds (default: all). */
  services?: (tenant: string, serviceId: string) => boolean;
  /**
   * One of `of` shards: the services in turn by tenant and id, so several test files (processes) share
   * the catalogue and the run takes as long as its longest shard, not the sum (CI's budget, issue 9).
   */
  shard?: { index: number; of: number };
}

/** Whether the n-th service (in the catalogue's order, tenant by tenant) belongs to the shard. */
const inShard = (opts: RunOptions, n: number) => !opts.shard || n % opts.shard.of === opts.shard.index;

/** The services under test: every service of every (chosen) tenant, on the tenant's first host. */
export function servicesOf(t: TestApp, opts: RunOptions = {}): ServiceUnderTest[] {
  return t.tenants.all
    .filter((tenant) => !opts.tenants || opts.tenants.includes(tenant.id))
    .flatMap((tenant) => t.app.catalogue.services(tenant.id).map((def) => ({ t, tenant: tenant.id, host: tenant.hosts[0]!, def })))
    .filter((s) => !opts.services || opts.services(s.tenant, s.def.id))
    .filter((_, n) => inShard(opts, n));
}

export function registerGeneratedTests(t: TestApp, opts: RunOptions = {}): void {
  const services = servicesOf(t, opts);
  const totals = { services: 0, submissions: 0, walks: 0, steps: 0, invalid: 0, revealedFiles: 0, refusals: 0, started: 0 };

  const links = t.tenants.all
    .filter((tenant) => !opts.tenants || opts.tenants.includes(tenant.id))
    .flatMap((tenant) => t.app.catalogue.links(tenant.id).map((def) => ({ tenant, def })))
    .filter((s) => !opts.services || opts.services(s.tenant.id, s.def.id))
    .filter((_, n) => inShard(opts, n));

  test('the generated tests have services to test', () => {
    // A shard of a run limited to a few services (GENERATED_ONLY) may have none of them.
    if (!(opts.shard && opts.services)) assert.ok(services.length + links.length > 0, 'no service in the catalogue');
    totals.started = performance.now();
  });

  for (const s of services) {
    test(`${nameOf(s)}: submitted by each audience, every kind's invalid answer, every workflow walk`, async (tt: TestContext) => {
      const graph = workflowGraph(s.def);
      const plan = planWalks(graph);
      assert.deepEqual(plan.problems, [], `${nameOf(s)}: actions no walk can take`);
      const walks: Edge[][] = testDialect === 'pglite' ? plan.walks : shortestWalkToEachFinal(graph);
      const { drivers, undriven } = driversFor(s.def.audience, s.def);
      const unable = driversFor(s.def.audience).drivers.filter((d) => !drivers.includes(d));
      for (const d of unable) tt.diagnostic(`${nameOf(s)}: ${d.name} cannot answer its questions (a child, an earlier case), not submitted that way`);
      for (const a of undriven) tt.diagnostic(`${nameOf(s)}: audience "${a}" has no driver yet (test/generated/audiences.ts), not tested`);
      if (!drivers.length) return tt.skip(`no driver for its audiences ${s.def.audience.join(', ')}`);

      const staff = await staffFor(s);
      // Each kind's invalid answer is posted on the first run in Swedish and on the second in English.
      const invalid: Record<Locale, Set<string>> = { sv: new Set(), en: new Set() };
      totals.services++;
      // Every driver submits at least once; the walks go round the drivers.
      // A walk with an applicant's action needs a driver whose applicant acts on cases (e-ID); someone
      // without e-ID takes the walks that only staff act in. A walk no driver can take is reported.
      const byApplicant = new Set(personActions(s.def).filter((a) => (a.by ?? defaultActor(a.kind)) === 'applicant').map((a) => a.id));
      const runs: { driver: AudienceDriver; walk: Edge[] | undefined; locale: Locale }[] = [];
      for (const [i, walk] of walks.entries()) {
        const able = walk.some((e) => byApplicant.has(e.action)) ? drivers.filter((d) => d.actsOnCases) : drivers;
        if (!able.length) tt.diagnostic(`${nameOf(s)}: ${walkText(walk)} has an applicant's action and no driver of its audiences acts on cases, not walked`);
        else runs.push({ driver: able[i % able.length]!, walk, locale: i % 2 ? 'en' : 'sv' });
      }
      for (const d of drivers) if (!runs.some((r) => r.driver === d)) runs.push({ driver: d, walk: undefined, locale: 'sv' });

      // File questions with a condition of their own whose "required file missing" error was shown (once each).
      const provenFiles = new Set<string>();
      // Where the service refuses a second open case for a subject: shown once, after the first submission that named one.
      let refusalShown = duplicateMode(s.def) !== 'refuse';
      for (const [i, run] of runs.entries()) {
        const label = run.walk ? `walk ${walks.indexOf(run.walk) + 1}/${walks.length}` : 'submission';
        await tt.test(`${label} as ${run.driver.name}${run.walk ? `: ${walkText(run.walk)}` : ''}`, async () => {
          const applicant = await run.driver.applicant(t, s.host, run.locale, s.def);
          const parties: WalkParties = { applicant, outsider: await run.driver.outsider(t, s.host, s.def), staff };
          // The outsider is a resident of another case: on the first run they apply too, and read only their own.
          // They answer so that every file question with a condition of its own applies, as every
          // second run does; the other runs answer with the examples as the definition gives them.
          if (i === 0) {
            const theirs = await fillAndSubmit(s, run.driver, parties.outsider, { checkInvalid: undefined, locale: 'sv', reveal: true, provenFiles });
            totals.submissions++;
            totals.revealedFiles += theirs.conditionalFiles.length;
          }
          const submitted = await fillAndSubmit(s, run.driver, applicant, { checkInvalid: i < 2 ? invalid[run.locale] : undefined, locale: run.locale, reveal: i % 2 === 1, provenFiles });
          totals.submissions++;
          totals.invalid += submitted.invalidChecked.length;
          totals.revealedFiles += submitted.conditionalFiles.length;
          // One open case per subject: once per service, a second one for the same subject is refused.
          if (!refusalShown && submitted.subject) {
            await refusesSecondForSubject(s, run.driver, applicant, submitted, run.locale);
            refusalShown = true;
            totals.refusals++;
          }
          if (!run.walk) return;
          await takeWalk(s, label, run.walk, submitted, parties);
          totals.walks++;
          totals.steps += run.walk.length;
        });
      }
      if (!refusalShown) tt.diagnostic(`${nameOf(s)}: refuses a second open case for a subject, but no submission answered the subject question (${s.def.subject!.field}): the refusal is not shown`);
      await archiveVerifies(s);
    });
  }

  // Link services (engine link): listed, found and handed over, in every municipality offering them.
  for (const { tenant, def } of links) {
    test(`${tenant.id}/${def.id}: a link service, listed, found and handed over to ${def.link.url}`, () => checkLinkService(t, tenant.hosts[0]!, def));
  }

  test('the time the generated tests took', (tt) => {
    const seconds = ((performance.now() - totals.started) / 1000).toFixed(1);
    const line = `generated tests on ${testDialect}: ${totals.services} services, ${links.length} link services, ${totals.submissions} submissions, ${totals.invalid} invalid answers, ${totals.revealedFiles} files of revealed questions, ${totals.refusals} second cases for a subject refused, ${totals.walks} walks, ${totals.steps} actions in ${seconds} s`;
    tt.diagnostic(line);
    console.log(line);
  });
}
