/**
 * The family's result on the case pages (ADR 0044) — the resident's, the follow link's and the
 * handler's: the place got (and which choice it was), and for each choice ranked above it why not,
 * in plain words: the priority group, merit and lottery number of the last person admitted beside
 * the applicant's own; placed nowhere, the definition's text on what to do next. Read from the
 * case's `allocation_result` journal entry, written when the round was published.
 */
import type { FastifyRequest } from 'fastify';
import type { Case, CaseExtension } from '../cases/index.ts';
import type { ViewContext } from '../kernel/html/context.ts';
import { pick } from '../kernel/i18n/index.ts';
import { formatNumber } from '../kernel/i18n/numbers.ts';
import type { Localised } from '../kernel/tenants.ts';
import { resultOfCase } from './rounds.repository.ts';
import type { CaseResult } from './rounds.ts';
import { PUBLIC_ROUNDS } from './round-staff.tsx';
import './round-messages.ts';

function standing(ctx: ViewContext, merit: boolean, s: { group: Localised | null; merit: number; lottery: number }): string {
  const group = s.group ? pick(s.group, ctx.locale) : ctx.t('allocation.group.rest');
  return ctx.t(merit ? 'allocation.case.groupMeritLottery' : 'allocation.case.groupLottery', { group, merit: formatNumber(s.merit, ctx.locale), lottery: String(s.lottery) });
}

export function AllocationResultSection({ ctx, r }: { ctx: ViewContext; r: CaseResult }) {
  const { t, locale } = ctx;
  return (
    <section aria-labelledby="allocation-h" class="mb-panel">
      <h2 class="ds-heading" data-size="sm" id="allocation-h">
        {t('allocation.case.title')}
      </h2>
      {r.school ? (
        <>
          <p class="ds-paragraph">
            <strong>{t('allocation.case.placed', { school: r.school.name })}</strong>
          </p>
          <p class="ds-paragraph">{t('allocation.case.placedChoice', { rank: String(r.rank) })}</p>
        </>
      ) : (
        <p class="ds-paragraph">
          <strong>{t('allocation.case.notPlaced')}</strong>
        </p>
      )}
      {r.above.length > 0 && (
        <>
          <h3 class="ds-heading" data-size="xs">
            {t(r.school ? 'allocation.case.whyTitle' : 'allocation.case.whyNoneTitle')}
          </h3>
          <p class="ds-paragraph">
            {t('allocation.case.whyIntro', { merit: r.merit ? t('allocation.case.whyIntroMerit') : '', choices: t(r.school ? 'allocation.case.whyIntroHigher' : 'allocation.case.whyIntroMade') })}
          </p>
          <ul class="ds-list">
            {r.above.map((a) => (
              <li key={a.school.id}>
                <strong>{a.school.name}</strong>: {a.cutoff ? t('allocation.case.whyAt', { cutoff: standing(ctx, r.merit, a.cutoff), own: standing(ctx, r.merit, a.own) }) : t('allocation.case.whyNoPlacesAt')}
              </li>
            ))}
          </ul>
        </>
      )}
      {r.whatNext && (
        <>
          <h3 class="ds-heading" data-size="xs">
            {t('allocation.case.whatNext')}
          </h3>
          <p class="ds-paragraph">{pick(r.whatNext, locale)}</p>
        </>
      )}
      <p class="ds-paragraph">
        <a class="ds-link" href={`${PUBLIC_ROUNDS}/${r.round}`}>
          {t('allocation.case.round')}
        </a>
      </p>
    </section>
  );
}

export function allocationCaseExtension(): CaseExtension {
  async function section(req: FastifyRequest, c: Case) {
    const r = (await resultOfCase(req.tdb, c.id)) as CaseResult | undefined;
    if (!r || !Array.isArray(r.above)) return null;
    return <AllocationResultSection ctx={req.viewContext()} r={r} />;
  }
  return { residentSection: section, followSection: section, staffSection: (req, c) => section(req, c) };
}
