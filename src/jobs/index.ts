/**
 * Periodic jobs: a small scheduler (one per node, one runner per job across nodes through an
 * advisory lock) and the jobs Medborg runs. `serve` starts it after listen and stops it on shutdown.
 */
import type { FastifyInstance } from 'fastify';
import { Scheduler } from './scheduler.ts';
import { standardJobs } from './standard-jobs.ts';

export { Scheduler, jobLockKey, type Job, type RunOutcome, type SchedulerOptions, type SchedulerLogger } from './scheduler.ts';
export { standardJobs } from './standard-jobs.ts';
export { purgeExpiredSessions } from './maintenance.repository.ts';

/** Starts the standard jobs for this app; call stop() on the result before closing the database. */
export function startJobs(app: FastifyInstance): Scheduler {
  const scheduler = new Scheduler({ db: app.db, log: app.log.child({ component: 'scheduler' }) });
  for (const job of standardJobs(app)) scheduler.add(job);
  return scheduler.start();
}
