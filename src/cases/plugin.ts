/** The cases module's HTTP face: My cases for residents and the handler's workspace. */
import type { FastifyInstance } from 'fastify';
import { residentCaseRoutes } from './resident-routes.tsx';
import { handlerRoutes } from './handler-routes.tsx';
import type { CasesOptions } from './extensions.ts';

export async function casesPlugin(app: FastifyInstance, opts: CasesOptions = {}): Promise<void> {
  await app.register(residentCaseRoutes, opts);
  await app.register(handlerRoutes, opts);
}
