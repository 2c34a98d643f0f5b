/**
 * `/search`: the results page of the site's search box. Each municipality's index is built here,
 * once, from its enabled services when the app is built — never per request.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { areaName } from '../catalogue/index.ts';
import { translator } from '../kernel/i18n/index.ts';
import { SEARCH_PATH, SEARCH_PARAM } from '../kernel/html/search-box.tsx';
import { queryFrom } from './query.ts';
import { buildServiceSearch, type ServiceSearch } from './services.ts';
import { SearchResultsPage } from './views.tsx';

declare module 'fastify' {
  interface FastifyInstance {
    /** Each tenant's search over its enabled services. */
    serviceSearch: (tenantId: string) => ServiceSearch | undefined;
  }
}

async function searchPluginImpl(app: FastifyInstance): Promise<void> {
  const names = { sv: translator('sv'), en: translator('en') };
  const indexes = new Map<string, ServiceSearch>(
    app.tenants.all.map((t) => [t.id, buildServiceSearch(app.catalogue.listed(t.id), (area, language) => areaName(names[language], area))]),
  );
  app.decorate('serviceSearch', (tenantId: string) => indexes.get(tenantId));

  app.get(SEARCH_PATH, async (req, reply) => {
    const query = queryFrom((req.query as Record<string, unknown>)[SEARCH_PARAM]);
    const hits = query ? (indexes.get(req.tenant.id)?.search(query, req.locale) ?? []) : [];
    return reply.page(<SearchResultsPage ctx={req.viewContext()} query={query} results={hits.map((h) => h.item)} />);
  });
}

export const searchPlugin = fp(searchPluginImpl, { name: 'medborg-search', fastify: '5.x', dependencies: ['medborg-http-kernel', 'medborg-catalogue'] });
