/** `medborg serve`: migrate, build the app, listen, and shut down cleanly on SIGTERM/SIGINT. */
import { buildApp } from './app.ts';
import { openRuntime } from './runtime.ts';
import { startJobs } from './jobs/index.ts';
import { seedDemo } from './demo/index.ts';
import { ConfigError, environmentOf } from './kernel/config.ts';

export async function serve(opts: { demo: boolean; log: (line: string) => void }): Promise<void> {
  // Refused first, before any other setting is read: opening the database would already create or
  // migrate the production one, and demo mode seeds staff accounts whose passwords are public.
  if (opts.demo && environmentOf() === 'production') {
    throw new ConfigError('MEDBORG_ENV', 'demo mode (serve --demo) is refused in production');
  }
  const rt = await openRuntime({ migrate: true, log: opts.log, work: 'requests' });
  // Demo mode starts with demo data: staff, test residents and cases in every state (once).
  if (opts.demo) await seedDemo(rt, opts.log);
  // A refused start (e.g. ConfigError: no SMTP_HOST in production) closes the pool, so the process exits at once.
  const app = await buildApp({ config: rt.config, db: rt.db, tenants: rt.tenants, catalogue: rt.catalogue, demo: opts.demo }).catch(async (e: unknown) => {
    await rt.db.close();
    throw e;
  });
  await app.listen({ port: rt.config.port, host: rt.config.host });
  const jobs = startJobs(app);
  opts.log(`Medborg listening on ${rt.config.baseUrl} (${rt.db.dialect}${opts.demo ? ', demo mode' : ''})`);
  for (const t of rt.tenants.all) opts.log(`  ${t.name.sv}: ${t.hosts.map((h) => `http://${h}:${rt.config.port}`).join(', ')}`);
  const stop = async () => {
    await jobs.stop();
    await app.close();
    await rt.db.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
