/**
 * A seasonal application on its case's pages (ADR 0041) — the resident's, the follow link's and the
 * handler's: the season, each weekly time asked for in the application's order, and, once the season
 * is allocated, what each got (granted with its number of booked sessions, or not granted). The
 * bookings themselves are in the person's calendar feed and on staff's schedules.
 */
import { entryName } from '../catalogue/entry-name.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Case, CaseExtension } from '../cases/index.ts';
import { formatDate, pick } from '../kernel/i18n/index.ts';
import { Tag } from '../kernel/html/components.tsx';
import { resourcesOf } from './resources.ts';
import { seasonal, weeklyTimeText } from './season-step.tsx';
import { requestsOfCase, seasonById, seasonLabel } from './seasons.ts';
import './season-messages.ts';

export function seasonCaseExtension(app: FastifyInstance): CaseExtension {
  async function section(req: FastifyRequest, c: Case, opts: { feed: boolean }) {
    const def = await app.serviceVersions.definition(req.tdb, c.serviceId, c.serviceVersion);
    if (!def || !seasonal(def)) return null;
    const requests = await requestsOfCase(req.tdb, c.id);
    const season = requests[0] ? seasonById(def.booking.season, requests[0].seasonId) : undefined;
    if (!season) return null;
    const ctx = req.viewContext();
    const { t, locale } = ctx;
    const names = new Map(resourcesOf(app.catalogue, req.tenant.id, def).map((r) => [r.id, entryName(r, locale)]));
    const allocated = requests.some((r) => r.outcome);
    return (
      <section aria-labelledby="season-h" class="mb-panel">
        <h2 class="ds-heading" data-size="sm" id="season-h">
          {t('season.case.title')}
        </h2>
        <p>{`${pick(seasonLabel(season), locale)}: ${formatDate(season.from, locale)}–${formatDate(season.to, locale)}`}</p>
        <div class="mb-table-wrap" role="region" aria-labelledby="season-caption" tabIndex={0}>
        <table class="ds-table">
          <caption class="mb-visually-hidden" id="season-caption">{t('season.case.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('season.col.resource')}</th>
              <th scope="col">{t('season.col.time')}</th>
              <th scope="col">{t('season.case.col.outcome')}</th>
            </tr>
          </thead>
          <tbody>
            {requests.map((r) => (
              <tr key={r.id}>
                <td>
                  {r.rank}. {names.get(r.resource) ?? r.resource}
                </td>
                <td>{weeklyTimeText(r, ctx)}</td>
                <td>
                  <Tag color={r.outcome === 'given' ? 'success' : r.outcome === 'refused' ? 'neutral' : 'info'}>{t(`season.case.outcome.${r.outcome ?? 'pending'}`)}</Tag>
                  {r.outcome === 'given' && <> {t('season.case.booked', { count: String(r.booked ?? 0) })}</>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
        {opts.feed && allocated && (
          <p>
            <a class="ds-link" href="/my/bookings/calendar">
              {t('booking.case.feed')}
            </a>
          </p>
        )}
      </section>
    );
  }
  return {
    residentSection: (req, c) => section(req, c, { feed: true }),
    followSection: (req, c) => section(req, c, { feed: false }),
    staffSection: (req, c) => section(req, c, { feed: false }),
  };
}
