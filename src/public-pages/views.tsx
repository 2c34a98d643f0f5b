import type { ViewContext } from '../kernel/html/context.ts';
import { Layout } from '../kernel/html/layout.tsx';
import { Heading, Paragraph, SummaryList } from '../kernel/html/components.tsx';
import { SearchBox } from '../kernel/html/search-box.tsx';
import { formatDate, pick, type Locale } from '../kernel/i18n/index.ts';
import { areaName, servicesByArea, servicesBySituation, ServiceCards, SituationLinks, type ListedService } from '../catalogue/index.ts';

/** When the platform's accessibility statement was last reviewed; update it with the statement. */
const STATEMENT_UPDATED = '2026-12-01';
import './messages.ts';

/** How many services the home page lists as the most used. */
const MOST_USED = 3;

/**
 * The most used services: by the yearly cases their definitions estimate (`benefit.yearlyCases`,
 * which a municipality may override), then by title.
 */
function mostUsed(services: readonly ListedService[], locale: Locale): ListedService[] {
  return [...services]
    .sort((a, b) => (b.benefit?.yearlyCases ?? 0) - (a.benefit?.yearlyCases ?? 0) || a.title[locale].localeCompare(b.title[locale], locale))
    .slice(0, MOST_USED);
}

export function HomePage({ ctx, services }: { ctx: ViewContext; services: readonly ListedService[] }) {
  const { t } = ctx;
  const tenant = pick(ctx.tenant.name, ctx.locale);
  const areas = servicesByArea(services);
  const situations = servicesBySituation(services);
  return (
    <Layout ctx={ctx} title={t('home.title', { tenant })} search={false}>
      <Heading size="xl">{t('home.title', { tenant })}</Heading>
      <Paragraph lead>{t('home.lead')}</Paragraph>
      <SearchBox ctx={ctx} place="page" />
      {services.length > 0 && (
        <section aria-labelledby="home-most-used">
          <h2 class="ds-heading" data-size="md" id="home-most-used">
            {t('home.mostUsed')}
          </h2>
          <ServiceCards ctx={ctx} services={mostUsed(services, ctx.locale)} />
        </section>
      )}
      {situations.length > 0 && <SituationLinks ctx={ctx} situations={situations} headingId="home-situations" />}
      {areas.length > 0 && (
        <nav aria-labelledby="home-areas">
          <h2 class="ds-heading" data-size="md" id="home-areas">
            {t('home.areas')}
          </h2>
          <ul class="mb-area-links">
            {areas.map((g) => (
              <li key={g.area}>
                <a class="ds-link" href={`/services?area=${g.area}`}>
                  {areaName(t, g.area)}
                </a>{' '}
                <span class="mb-hint">{g.services.length === 1 ? t('home.areaCountOne') : t('home.areaCount', { count: String(g.services.length) })}</span>
              </li>
            ))}
          </ul>
          <p>
            <a class="ds-link" href="/services">
              {t('home.allServices')}
            </a>
          </p>
        </nav>
      )}
      <section class="mb-panel" aria-labelledby="home-cases">
        <Heading level={2} size="sm">
          <span id="home-cases">{t('home.myCases')}</span>
        </Heading>
        <Paragraph>{t('home.myCasesBody')}</Paragraph>
        <p>
          <a class="ds-link" href="/my/cases">
            {t('layout.myCases')}
          </a>
        </p>
      </section>
    </Layout>
  );
}

function TextPage({ ctx, title, sections }: { ctx: ViewContext; title: string; sections: { heading?: string; body: string; list?: string[] }[] }) {
  return (
    <Layout ctx={ctx} title={title}>
      <Heading>{title}</Heading>
      {sections.map((s, i) => (
        <section key={i}>
          {s.heading && (
            <Heading level={2} size="sm">
              {s.heading}
            </Heading>
          )}
          <Paragraph>{s.body}</Paragraph>
          {s.list && (
            <ul>
              {s.list.map((item) => (
                <li key={item}>{item}</li>
              ))}
            </ul>
          )}
        </section>
      ))}
    </Layout>
  );
}

export function AccessibilityPage({ ctx }: { ctx: ViewContext }) {
  const { t } = ctx;
  const tenant = pick(ctx.tenant.name, ctx.locale);
  const { email, phone } = ctx.tenant.contact;
  return (
    <TextPage
      ctx={ctx}
      title={t('a11y.title')}
      sections={[
        { body: t('a11y.intro', { tenant }) },
        { heading: t('a11y.statusTitle'), body: t('a11y.status') },
        { heading: t('a11y.knownTitle'), body: t('a11y.known'), list: [t('a11y.known.dates'), t('a11y.known.pdf'), t('a11y.known.manual')] },
        { heading: t('a11y.testedTitle'), body: t('a11y.tested') },
        { heading: t('a11y.reportTitle'), body: t('a11y.report', { email, phone }) },
        { heading: t('a11y.enforcementTitle'), body: t('a11y.enforcement') },
        { body: t('a11y.updated', { date: formatDate(`${STATEMENT_UPDATED}T12:00:00Z`, ctx.locale) }) },
      ]}
    />
  );
}

export function PrivacyPage({ ctx, sessionMinutes, draftDays }: { ctx: ViewContext; sessionMinutes: number; draftDays: number }) {
  const { t } = ctx;
  const tenant = pick(ctx.tenant.name, ctx.locale);
  return (
    <TextPage
      ctx={ctx}
      title={t('privacy.title')}
      sections={[
        { body: t('privacy.intro', { tenant }) },
        { heading: t('privacy.whatTitle'), body: t('privacy.what') },
        { heading: t('privacy.whyTitle'), body: t('privacy.why') },
        { heading: t('privacy.howLongTitle'), body: t('privacy.howLong', { days: draftDays, minutes: sessionMinutes }) },
        { heading: t('privacy.cookiesTitle'), body: t('privacy.cookies') },
        { heading: t('privacy.rightsTitle'), body: t('privacy.rights', { email: ctx.tenant.contact.email }) },
      ]}
    />
  );
}

export function ContactPage({ ctx }: { ctx: ViewContext }) {
  const { t, tenant } = ctx;
  return (
    <Layout ctx={ctx} title={t('contact.title')}>
      <Heading>{t('contact.title')}</Heading>
      <SummaryList
        rows={[
          { key: t('contact.email'), value: <a href={`mailto:${tenant.contact.email}`}>{tenant.contact.email}</a> },
          { key: t('contact.phone'), value: tenant.contact.phone },
          { key: t('contact.address'), value: tenant.contact.address },
        ]}
      />
    </Layout>
  );
}
