/** The service list (by SKL area, or one area's) and a service's start page. */
import type { ComponentChildren, VNode } from 'preact';
import type { ViewContext } from '../kernel/html/context.ts';
import { Layout } from '../kernel/html/layout.tsx';
import { ButtonLink, Heading, Paragraph, SummaryList } from '../kernel/html/components.tsx';
import { pick, type Locale } from '../kernel/i18n/index.ts';
import { areaName, servicesByArea, type Area } from './areas.ts';
import { servicesBySituation, situationName, type Situation } from './situations.ts';
import type { Audience, LinkService, ListedService, ServiceDefinition } from './types.ts';
import './messages.ts';

const collators: Record<Locale, Intl.Collator> = { sv: new Intl.Collator('sv'), en: new Intl.Collator('en') };

/** Services as cards: title linking to the service page, and the summary. */
export function ServiceCards({ ctx, services, headingLevel = 3 }: { ctx: ViewContext; services: readonly ListedService[]; headingLevel?: 2 | 3 | 4 }) {
  const H = `h${headingLevel}` as 'h3';
  return (
    <ul class="mb-cards">
      {services.map((s) => (
        <li class="mb-card" key={s.id}>
          <H class="ds-heading" data-size="xs">
            <a class="ds-link" href={`/services/${s.id}`}>
              {s.title[ctx.locale]}
            </a>
          </H>
          <p class="ds-paragraph">{s.summary[ctx.locale]}</p>
          {s.engines.includes('link') && <p class="mb-hint">{ctx.t('catalogue.list.external')}</p>}
        </li>
      ))}
    </ul>
  );
}

/** The public service list: all by area with the life situations above, one area's, or one situation's. */
export function ServiceListPage({
  ctx,
  services,
  area,
  situation,
}: {
  ctx: ViewContext;
  services: readonly ListedService[];
  area?: Area | undefined;
  situation?: Situation | undefined;
}) {
  const { t, locale } = ctx;
  const byTitle = (a: ListedService, b: ListedService) => collators[locale].compare(a.title[locale], b.title[locale]);
  const groups = servicesByArea(services).map((g) => ({ ...g, services: [...g.services].sort(byTitle) }));
  const home = { href: '/', label: t('layout.home') };
  const tenant = pick(ctx.tenant.name, locale);
  const chosen = area
    ? { name: areaName(t, area), lead: t('catalogue.list.areaLead', { area: areaName(t, area), tenant }), services: groups.find((g) => g.area === area)?.services ?? [], empty: t('catalogue.list.areaEmpty') }
    : situation
      ? {
          name: situationName(t, situation),
          lead: t('catalogue.list.situationLead', { situation: situationName(t, situation).toLocaleLowerCase(locale), tenant }),
          services: services.filter((s) => s.situations?.includes(situation)).sort(byTitle),
          empty: t('catalogue.list.situationEmpty'),
        }
      : undefined;
  if (chosen) {
    return (
      <Layout ctx={ctx} title={`${chosen.name} – ${t('catalogue.list.title')}`} section="services" breadcrumbs={[home, { href: '/services', label: t('catalogue.list.title') }]}>
        <Heading size="xl">{chosen.name}</Heading>
        <Paragraph lead>{chosen.lead}</Paragraph>
        {chosen.services.length === 0 ? <Paragraph>{chosen.empty}</Paragraph> : <ServiceCards ctx={ctx} services={chosen.services} headingLevel={2} />}
        <p>
          <a class="ds-link" href="/services">
            {area ? t('catalogue.list.allAreas') : t('catalogue.list.allSituations')}
          </a>
        </p>
      </Layout>
    );
  }
  const situations = servicesBySituation(services);
  return (
    <Layout ctx={ctx} title={t('catalogue.list.title')} section="services" breadcrumbs={[home]}>
      <Heading size="xl">{t('catalogue.list.title')}</Heading>
      <Paragraph lead>{t('catalogue.list.lead', { tenant })}</Paragraph>
      {groups.length === 0 && <Paragraph>{t('catalogue.list.empty')}</Paragraph>}
      {situations.length > 0 && <SituationLinks ctx={ctx} situations={situations} headingId="list-situations" />}
      {groups.length > 0 && (
        <h2 class="ds-heading" data-size="lg" id="list-areas">
          {t('catalogue.list.areas')}
        </h2>
      )}
      {groups.map((g) => (
        <section key={g.area} aria-labelledby={`area-${g.area}`}>
          <h3 class="ds-heading" data-size="md" id={`area-${g.area}`}>
            <a class="ds-link" href={`/services?area=${g.area}`}>
              {areaName(t, g.area)}
            </a>
          </h3>
          <ServiceCards ctx={ctx} services={g.services} headingLevel={4} />
        </section>
      ))}
    </Layout>
  );
}

/** The life situations that have services, as links with their counts (the list page and the home page). */
export function SituationLinks({ ctx, situations, headingId }: { ctx: ViewContext; situations: { situation: Situation; services: readonly ListedService[] }[]; headingId: string }) {
  const { t } = ctx;
  return (
    <nav aria-labelledby={headingId}>
      <h2 class="ds-heading" data-size="md" id={headingId}>
        {t('catalogue.list.situations')}
      </h2>
      <ul class="mb-area-links">
        {situations.map((g) => (
          <li key={g.situation}>
            <a class="ds-link" href={`/services?situation=${g.situation}`}>
              {situationName(t, g.situation)}
            </a>{' '}
            <span class="mb-hint">{g.services.length === 1 ? t('catalogue.list.countOne') : t('catalogue.list.count', { count: String(g.services.length) })}</span>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** A text as the start of a sentence or a value on its own: its first letter upper-case. */
const capitalised = (text: string, locale: Locale) => text.charAt(0).toLocaleUpperCase(locale) + text.slice(1);

function audienceText(ctx: ViewContext, audience: readonly Audience[]): string {
  const parts = audience.map((a) => ctx.t(`catalogue.audience.${a}`));
  return capitalised(new Intl.ListFormat(ctx.locale === 'sv' ? 'sv-SE' : 'en-GB', { type: 'disjunction' }).format(parts), ctx.locale);
}

/**
 * How someone starts, said before they do: without sign-in (`anyone`), with an address confirmed by
 * code (`email`), with e-ID, or either of the last two.
 */
function startTextKey(audience: readonly Audience[]): string {
  if (audience.includes('anyone')) return 'catalogue.service.noSignIn';
  if (!audience.includes('email')) return 'catalogue.service.signIn';
  return audience.length > 1 ? 'catalogue.service.signInOrEmail' : 'catalogue.service.emailOnly';
}

/**
 * The start: one button, or — where a resident may choose e-ID or an e-mail address (starting
 * without a session goes to the address) — one for each, until they have signed in.
 */
function StartButtons({ ctx, service }: { ctx: ViewContext; service: ServiceDefinition }) {
  const { t } = ctx;
  const apply = `/services/${service.id}/apply`;
  const choose = !service.audience.includes('anyone') && service.audience.includes('email') && service.audience.length > 1 && ctx.user?.kind !== 'resident';
  // A booking service (ADR 0039): its free times are open to anyone, before signing in.
  const times = service.engines.includes('book') && service.booking && !service.booking.season ? `/services/${service.id}/book` : undefined;
  if (!choose) {
    return times ? (
      <div class="mb-actions">
        <ButtonLink href={apply}>{t('catalogue.service.start')}</ButtonLink>
        <ButtonLink href={times} variant="secondary">
          {t('catalogue.service.seeTimes')}
        </ButtonLink>
      </div>
    ) : (
      <p>
        <ButtonLink href={apply}>{t('catalogue.service.start')}</ButtonLink>
      </p>
    );
  }
  return (
    <div class="mb-actions">
      <ButtonLink href={`/sign-in?back=${encodeURIComponent(apply)}`}>{t('catalogue.service.startEid')}</ButtonLink>
      <ButtonLink href={apply} variant="secondary">
        {t('catalogue.service.startEmail')}
      </ButtonLink>
    </div>
  );
}

/**
 * A service page's frame: the title as the heading, the summary, what you need before you start, and
 * "good to know" — the page's own facts, then who may use it and the responsible department.
 */
/**
 * The frame of a service's page. `audience` says who may use it here; a link service whose own
 * sign-in is described leaves it out, as its users are who the external system lets in (a library
 * card, a school account), not who may apply here.
 */
function ServiceFrame({ ctx, service, facts, audience = true, children }: { ctx: ViewContext; service: ListedService; facts: { key: string; value: string }[]; audience?: boolean; children: ComponentChildren }) {
  const { t, locale, tenant } = ctx;
  const department = tenant.departments.find((d) => d.id === service.department);
  const title = service.title[locale];
  return (
    <Layout
      ctx={ctx}
      title={title}
      section="services"
      breadcrumbs={[
        { href: '/', label: t('layout.home') },
        { href: '/services', label: t('catalogue.list.title') },
      ]}
    >
      <Heading size="xl">{title}</Heading>
      <Paragraph lead>{service.summary[locale]}</Paragraph>
      {service.needs.length > 0 && (
        <section aria-labelledby="service-needs">
          <h2 class="ds-heading" data-size="sm" id="service-needs">
            {t('catalogue.service.needs')}
          </h2>
          <ul class="ds-list">
            {service.needs.map((n, i) => (
              <li key={i}>{n[locale]}</li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="service-facts">
        <h2 class="ds-heading" data-size="sm" id="service-facts">
          {t('catalogue.service.facts')}
        </h2>
        <SummaryList
          rows={[
            ...facts,
            ...(audience ? [{ key: t('catalogue.service.audience'), value: audienceText(ctx, service.audience) }] : []),
            ...(department ? [{ key: t('catalogue.service.department'), value: pick(department.name, locale) }] : []),
          ]}
        />
      </section>
      {children}
    </Layout>
  );
}

export function ServicePage({ ctx, service, notice, blocksStart }: { ctx: ViewContext; service: ServiceDefinition; notice?: VNode | undefined; blocksStart?: boolean | undefined }) {
  const { t, locale, tenant } = ctx;
  const facts = [
    { key: t('catalogue.service.duration'), value: service.duration[locale] },
    { key: t('catalogue.service.handlingTime'), value: service.handlingTime[locale] },
    { key: t('catalogue.service.decidedBy'), value: service.decidedBy[locale] },
  ];
  return (
    <ServiceFrame ctx={ctx} service={service} facts={facts}>
      {notice}
      {!blocksStart && (
        <>
          <Paragraph>{t(startTextKey(service.audience))}</Paragraph>
          <StartButtons ctx={ctx} service={service} />
        </>
      )}
      <section aria-labelledby="service-next">
        <h2 class="ds-heading" data-size="sm" id="service-next">
          {t('catalogue.service.next')}
        </h2>
        <Paragraph>{service.whatHappensNext[locale]}</Paragraph>
      </section>
      <section aria-labelledby="service-privacy">
        <h2 class="ds-heading" data-size="sm" id="service-privacy">
          {t('catalogue.service.privacyTitle')}
        </h2>
        <Paragraph>{t('catalogue.service.privacy', { tenant: pick(tenant.name, locale) })}</Paragraph>
        {service.classification === 'confidential' && <Paragraph>{t('catalogue.service.confidential')}</Paragraph>}
        <p>
          <a class="ds-link" href="/privacy">
            {t('catalogue.service.privacyLink')}
          </a>
        </p>
      </section>
    </ServiceFrame>
  );
}

/** A service an external system delivers: what it is and what you need, then the handover to the municipality's address. */
export function LinkServicePage({ ctx, service }: { ctx: ViewContext; service: LinkService }) {
  const { t, locale, tenant } = ctx;
  const provider = service.link.provider[locale];
  const facts = [
    { key: t('catalogue.link.provider'), value: capitalised(provider, locale) },
    ...(service.link.signIn ? [{ key: t('catalogue.link.signIn'), value: service.link.signIn[locale] }] : []),
  ];
  return (
    <ServiceFrame ctx={ctx} service={service} facts={facts} audience={!service.link.signIn}>
      <Paragraph>{t('catalogue.link.handover', { provider, tenant: pick(tenant.name, locale) })}</Paragraph>
      <p>
        <a class="ds-button" data-variant="primary" href={service.link.url} rel="noreferrer">
          {t('catalogue.link.go', { provider })} <span class="mb-visually-hidden">{t('catalogue.link.goHint')}</span>
        </a>
      </p>
    </ServiceFrame>
  );
}
