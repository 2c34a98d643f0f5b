/**
 * Builds the HTTP application from the modules. Split from listen() so tests drive it with
 * inject() or on a real port (STYLE 8).
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './kernel/config.ts';
import type { Database } from './kernel/db/index.ts';
import type { TenantRegistry } from './kernel/tenants.ts';
import type { Clock } from './kernel/clock.ts';
import { systemClock } from './kernel/clock.ts';
import { buildAssets } from './kernel/html/assets.ts';
import { httpKernelPlugin } from './kernel/http/index.ts';
import { loggerOptions } from './kernel/log.ts';
import { publicPagesPlugin } from './public-pages/index.tsx';

export interface AppDeps {
  config: Config;
  db: Database;
  tenants: TenantRegistry;
  clock?: Clock;
  /** Demo mode: the built-in test e-ID provider, demo register, dev mailbox. Refused in production. */
  demo: boolean;
  /** Log destination for tests that read the logs. */
  logStream?: NodeJS.WritableStream;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  if (deps.demo && deps.config.env === 'production') {
    throw new Error('Demo mode is refused when MEDBORG_ENV is production');
  }
  const app = Fastify({
    logger: loggerOptions(deps.config.logLevel, deps.logStream),
    trustProxy: true,
    bodyLimit: 1024 * 1024,
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: false,
  });
  const assets = buildAssets(deps.tenants.all);
  await app.register(httpKernelPlugin, {
    config: deps.config,
    db: deps.db,
    tenants: deps.tenants,
    assets,
    clock: deps.clock ?? systemClock,
    demo: deps.demo,
  });
  await app.register(publicPagesPlugin);
  return app;
}
