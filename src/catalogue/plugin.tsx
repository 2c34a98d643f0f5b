/**
 * The catalogue's Fastify plugin: decorates the app with `app.catalogue` for the other modules
 * (forms, cases, search) and serves the public service pages. It breaks encapsulation on purpose
 * (fastify-plugin) so the decoration is visible to every module registered after it; the routes
 * themselves sit in an encapsulated child.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { ServiceDefinition } from './types.ts';
import fp from 'fastify-plugin';
import { AppError } from '../kernel/errors.ts';
import type { Catalogue } from './catalogue.ts';
import { definitionVersions, type DefinitionVersions } from './versions.ts';
import { SERVICE_ID_PATTERN } from './schema.ts';
import { isArea } from './areas.ts';
import { isSituation } from './situations.ts';
import { LinkServicePage, ServiceListPage, ServicePage } from './views.tsx';

declare module 'fastify' {
  interface FastifyInstance {
    /** Every tenant's service definitions and registers, loaded and checked at start-up. */
    catalogue: Catalogue;
    /** The definition a case or draft was made under (its version): the one lookup for existing cases and drafts. */
    serviceVersions: DefinitionVersions;
  }
}

export interface CataloguePluginOptions {
  catalogue: Catalogue;
  /**
   * A notice for the service page from a module that knows more about the person reading it (the
   * forms engine: why a signed-in resident cannot apply), and whether it stops the start.
   */
  servicePageNotice?: ServicePageNotice;
}

export type ServicePageNotice = (req: FastifyRequest, service: ServiceDefinition) => Promise<{ notice: VNode; blocksStart: boolean } | undefined>;

const serviceId = new RegExp(SERVICE_ID_PATTERN);

async function catalogueRoutes(app: FastifyInstance, opts: { servicePageNotice?: ServicePageNotice | undefined }): Promise<void> {
  app.get('/services', async (req, reply) => {
    const params = req.query as Record<string, unknown>;
    // The list searched itself before the site had a search box: its old links go to the results page.
    if (params.q !== undefined) {
      const q = Array.isArray(params.q) ? params.q[0] : params.q;
      return reply.redirect(typeof q === 'string' && q !== '' ? `/search?q=${encodeURIComponent(q.slice(0, 1000))}` : '/search', 301);
    }
    // ?area=… lists one area's services, ?situation=… one life situation's; anything else there is a page that does not exist.
    const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);
    const area = first(params.area);
    const situation = first(params.situation);
    if (area !== undefined && !isArea(area)) throw new AppError('NOT_FOUND');
    if (situation !== undefined && (!isSituation(situation) || area !== undefined)) throw new AppError('NOT_FOUND');
    return reply.page(<ServiceListPage ctx={req.viewContext()} services={app.catalogue.listed(req.tenant.id)} area={area} situation={situation} />);
  });

  app.get('/services/:id', async (req, reply) => {
    const { id } = req.params as { id: string };
    const known = serviceId.test(id);
    const link = known ? app.catalogue.linkService(req.tenant.id, id) : undefined;
    if (link) return reply.page(<LinkServicePage ctx={req.viewContext()} service={link} />);
    const service = known ? app.catalogue.service(req.tenant.id, id) : undefined;
    if (!service) throw new AppError('NOT_FOUND');
    const extra = await opts.servicePageNotice?.(req, service);
    return reply.page(<ServicePage ctx={req.viewContext()} service={service} notice={extra?.notice} blocksStart={extra?.blocksStart} />);
  });
}

async function cataloguePluginImpl(app: FastifyInstance, opts: CataloguePluginOptions): Promise<void> {
  app.decorate('catalogue', opts.catalogue);
  app.decorate('serviceVersions', definitionVersions(opts.catalogue));
  await app.register(catalogueRoutes, { servicePageNotice: opts.servicePageNotice });
}

export const cataloguePlugin = fp(cataloguePluginImpl, { name: 'medborg-catalogue', fastify: '5.x', dependencies: ['medborg-http-kernel'] });
