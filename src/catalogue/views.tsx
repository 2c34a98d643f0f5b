/** The service list (grouped by department, with search) and a service's start page. */
import type { VNode } from 'preact';
import type { ViewContext } from '../kernel/html/context.ts';
import { Layout } from '../kernel/html/layout.tsx';
import { Button, ButtonLink, Heading, Paragraph, SummaryList, TextField } from '../kernel/html/components.tsx';
import { pick, type Locale } from '../kernel/i18n/index.ts';
import { MAX_QUERY_LENGTH } from './search.ts';
import type { Audience, ServiceDefinition } from './types.ts';
import './messages.ts';

const collators: Record<Locale, Intl.Collator> = { sv: new Intl.Collator('sv'), en: new Intl.Collator('en') };

interface DepartmentGroup {
  id: string;
  name: string;
  services: ServiceDefinition[];
}

/** Services grouped in the order the tenant lists its departments, by title within each. */
function groupByDepartment(ctx: ViewContext, services: readonly ServiceDefinition[]): DepartmentGroup[] {
  return ctx.tenant.departments
    .map((d) => ({
      id: d.id,
      name: pick(d.name, ctx.locale),
      services: services.filter((s) => s.department === d.id).sort((a, b) => collators[ctx.locale].compare(a.title[ctx.locale], b.title[ctx.locale])),
    }))
    .filter((g) => g.services.length > 0);
}

export function ServiceListPage({ ctx, services, query }: { ctx: ViewContext; services: readonly ServiceDefinition[]; query: string }) {
  const { t, locale } = ctx;
  const groups = groupByDepartment(ctx, services);
  const title = query ? t('catalogue.list.searchTitle', { query }) : t('catalogue.list.title');
  return (
    <Layout ctx={ctx} title={title} section="services" breadcrumbs={[{ href: '/', label: t('layout.home') }]}>
      <Heading size="xl">{t('catalogue.list.title')}</Heading>
      <Paragraph lead>{t('catalogue.list.lead', { tenant: pick(ctx.tenant.name, locale) })}</Paragraph>
      <form method="get" action="/services" role="search" aria-label={t('catalogue.search.label')}>
        <TextField
          id="q"
          name="q"
          type="search"
          label={t('catalogue.search.label')}
          hint={t('catalogue.search.hint')}
          value={query}
          maxLength={MAX_QUERY_LENGTH}
          width="medium"
        />
        <Button variant="secondary">{t('catalogue.search.submit')}</Button>
      </form>
      {query && (
        <div>
          <Paragraph>
            {services.length === 0
              ? t('catalogue.search.none', { query })
              : services.length === 1
                ? t('catalogue.search.resultsOne', { query })
                : t('catalogue.search.resultsMany', { query, count: services.length })}
          </Paragraph>
          {services.length === 0 && <Paragraph>{t('catalogue.search.noneHelp')}</Paragraph>}
          <p>
            <a class="ds-link" href="/services">
              {t('catalogue.search.showAll')}
            </a>
          </p>
        </div>
      )}
      {!query && groups.length === 0 && <Paragraph>{t('catalogue.list.empty')}</Paragraph>}
      {groups.map((g) => (
        <section key={g.id} aria-labelledby={`department-${g.id}`}>
          <h2 class="ds-heading" data-size="md" id={`department-${g.id}`}>
            {g.name}
          </h2>
          <ul class="mb-cards">
            {g.services.map((s) => (
              <li class="mb-card" key={s.id}>
                <h3 class="ds-heading" data-size="xs">
                  <a class="ds-link" href={`/services/${s.id}`}>
                    {s.title[locale]}
                  </a>
                </h3>
                <p class="ds-paragraph">{s.summary[locale]}</p>
              </li>
            ))}
          </ul>
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
