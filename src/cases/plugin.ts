/** The cases module's HTTP face: My cases for residents and the handler's workspace. */
import type { FastifyInstance } from 'fastify';
import { residentCaseRoutes } from './resident-routes.tsx';
import { handlerRoutes } from './handler-routes.tsx';

export async function casesPlugin(app: FastifyInstance): Promise<void> {
  await app.register(residentCaseRoutes);
  await app.register(handlerRoutes);
}
