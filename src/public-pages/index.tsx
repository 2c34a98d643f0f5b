/**
 * Pages every municipality's site has: the home page, the accessibility statement, the privacy
 * notice and contact details — per tenant, in Swedish and English.
 */
import type { FastifyInstance } from 'fastify';
import { HomePage, AccessibilityPage, PrivacyPage, ContactPage } from './views.tsx';

export async function publicPagesPlugin(app: FastifyInstance): Promise<void> {
  // The catalogue is registered after this plugin: it is read when a request comes, not here.
  app.get('/', async (req, reply) => reply.page(<HomePage ctx={req.viewContext()} services={app.catalogue.listed(req.tenant.id)} />));
  app.get('/accessibility', async (req, reply) => reply.page(<AccessibilityPage ctx={req.viewContext()} />));
  app.get('/privacy', async (req, reply) =>
    reply.page(<PrivacyPage ctx={req.viewContext()} sessionMinutes={app.appConfig.sessionIdleMinutes} draftDays={app.appConfig.draftRetentionDays} />),
  );
  app.get('/contact', async (req, reply) => reply.page(<ContactPage ctx={req.viewContext()} />));
}
