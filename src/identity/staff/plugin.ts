/** The staff module as one Fastify plugin: sign-in, the home page, own password, administration. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { StaffContext } from './accounts.ts';
import { registerAdminRoutes } from './admin-routes.tsx';
import { registerHomeRoutes, type StaffHomeSection } from './home-routes.tsx';
import { StaffSecrets } from './secrets.ts';
import { registerSignInRoutes } from './sign-in-routes.tsx';
import { registerStaffOidcRoutes } from './oidc-routes.tsx';
import type { DeclaredRole } from './roles.ts';
import './messages.ts';

export interface StaffPluginOptions {
  /** Parts of the staff home page that other modules contribute (the case inbox), in order. */
  homeSections?: StaffHomeSection[];
  /** The roles a tenant's service definitions declare (the catalogue's), grantable beside the built-in ones. */
  declaredRoles?: (tenantId: string) => readonly DeclaredRole[];
}

export async function staffPlugin(app: FastifyInstance, opts: StaffPluginOptions): Promise<void> {
  const secrets = new StaffSecrets(app.appConfig.sessionSecret);
  const contextFor = (req: FastifyRequest): StaffContext => ({
    tdb: req.tdb,
    tenant: req.tenant,
    secrets,
    now: () => app.clock.now(),
    endSessions: (q, staffId) => app.sessions.store.destroyAllFor(q, staffId),
    declaredRoles: opts.declaredRoles?.(req.tenant.id) ?? [],
  });
  registerSignInRoutes(app, contextFor);
  registerStaffOidcRoutes(app, contextFor);
  registerHomeRoutes(app, contextFor, opts.homeSections ?? []);
  registerAdminRoutes(app, contextFor);
}
