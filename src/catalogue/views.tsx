/** The service list (by SKL area, or one area's) and a service's start page. */
import type { VNode } from 'preact';
import type { ViewContext } from '../kernel/html/context.ts';
import { Layout } from '../kernel/html/layout.tsx';
import { ButtonLink, Heading, Paragraph, SummaryList } from '../kernel/html/components.tsx';
import { pick, type Locale } from '../kernel/i18n/index.ts';
import { areaName, servicesByArea, type Area } from './areas.ts';
import type { Audience, ServiceDefinition } from './types.ts';
import './messages.ts';

const collators: Record<Locale, Intl.Collator> = { sv: new Intl.Collator('sv'), en: new Intl.Collator('en') };

/** Services as cards: title linking to the service page, and the summary. */
export function ServiceCards({ ctx, services, headingLevel = 3 }: { ctx: ViewContext; services: readonly ServiceDefinition[]; headingLevel?: 2 | 3 }) {
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
        </li>
      ))}
    </ul>
  );
}

export function ServiceListPage({ ctx, services, area }: { ctx: ViewContext; services: readonly ServiceDefinition[]; area?: Area | undefined }) {
  const { t, locale } = ctx;
  const byTitle = (a: ServiceDefinition, b: ServiceDefinition) => collators[locale].compare(a.title[locale], b.title[locale]);
  const groups = servicesByArea(services).map((g) => ({ ...g, services: [...g.services].sort(byTitle) }));
  const home = { href: '/', label: t('layout.home') };
  if (area) {
    const name = areaName(t, area);
    const inArea = groups.find((g) => g.area === area)?.services ?? [];
    return (
      <Layout ctx={ctx} title={`${name} – ${t('catalogue.list.title')}`} section="services" breadcrumbs={[home, { href: '/services', label: t('catalogue.list.title') }]}>
        <Heading size="xl">{name}</Heading>
        <Paragraph lead>{t('catalogue.list.areaLead', { area: name, tenant: pick(ctx.tenant.name, locale) })}</Paragraph>
        {inArea.length === 0 ? <Paragraph>{t('catalogue.list.areaEmpty')}</Paragraph> : <ServiceCards ctx={ctx} services={inArea} headingLevel={2} />}
        <p>
          <a class="ds-link" href="/services">
            {t('catalogue.list.allAreas')}
          </a>
        </p>
      </Layout>
    );
  }
  return (
    <Layout ctx={ctx} title={t('catalogue.list.title')} section="services" breadcrumbs={[home]}>
      <Heading size="xl">{t('catalogue.list.title')}</Heading>
      <Paragraph lead>{t('catalogue.list.lead', { tenant: pick(ctx.tenant.name, locale) })}</Paragraph>
      {groups.length === 0 && <Paragraph>{t('catalogue.list.empty')}</Paragraph>}
      {groups.map((g) => (
        <section key={g.area} aria-labelledby={`area-${g.area}`}>
          <h2 class="ds-heading" data-size="md" id={`area-${g.area}`}>
            <a class="ds-link" href={`/services?area=${g.area}`}>
              {areaName(t, g.area)}
            </a>
          </h2>
          <ServiceCards ctx={ctx} services={g.services} />
        </section>
      ))}
    </Layout>
  );
}

function audienceText(ctx: ViewContext, audience: readonly Audience[]): string {
  const parts = audience.map((a) => ctx.t(`catalogue.audience.${a}`));
  const text = new Intl.ListFormat(ctx.locale === 'sv' ? 'sv-SE' : 'en-GB', { type: 'disjunction' }).format(parts);
  return text.charAt(0).toLocaleUpperCase(ctx.locale) + text.slice(1);
}

export function ServicePage({ ctx, service, notice, blocksStart }: { ctx: ViewContext; service: ServiceDefinition; notice?: VNode | undefined; blocksStart?: boolean | undefined }) {
  const { t, locale, tenant } = ctx;
  const title = service.title[locale];
  const department = tenant.departments.find((d) => d.id === service.department);
  const open = service.audience.includes('anyone');
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
            { key: t('catalogue.service.duration'), value: service.duration[locale] },
            { key: t('catalogue.service.handlingTime'), value: service.handlingTime[locale] },
            { key: t('catalogue.service.decidedBy'), value: service.decidedBy[locale] },
            { key: t('catalogue.service.audience'), value: audienceText(ctx, service.audience) },
            ...(department ? [{ key: t('catalogue.service.department'), value: pick(department.name, locale) }] : []),
          ]}
        />
      </section>
      {notice}
      {!blocksStart && (
        <>
          <Paragraph>{open ? t('catalogue.service.noSignIn') : t('catalogue.service.signIn')}</Paragraph>
          <p>
            <ButtonLink href={`/services/${service.id}/apply`}>{t('catalogue.service.start')}</ButtonLink>
          </p>
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
    </Layout>
  );
}
