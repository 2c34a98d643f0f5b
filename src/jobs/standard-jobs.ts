/** The periodic jobs every Medborg node runs: deliver the outbox, and purge what has expired. */
import type { FastifyInstance } from 'fastify';
import { createOutboxWorker } from '../notify/index.ts';
import { purgeExpiredDrafts } from '../forms/index.tsx';
import { purgeExpiredAttemptCounters, purgeExpiredSessions } from './maintenance.repository.ts';
import type { Job } from './scheduler.ts';

const HOUR = 3_600_000;

/** Builds the jobs from the app's database, clock, mail transport and logger. */
export function standardJobs(app: FastifyInstance): Job[] {
  const { db, clock } = app;
  const log = app.log.child({ component: 'jobs' });
  const worker = createOutboxWorker(app, { log });
  return [
    {
      // Every ~2 s, so a receipt e-mail arrives about as fast as the person looks for it.
      name: 'outbox',
      intervalMs: 2_000,
      runOnce: () => worker.drain(),
    },
    {
      name: 'purge-expired-drafts',
      intervalMs: HOUR,
      async runOnce() {
        const n = await purgeExpiredDrafts(db, app.blobs, clock.now());
        if (n > 0) log.info({ job: 'purge-expired-drafts', deleted: n }, 'expired drafts deleted');
        return n;
      },
    },
    {
      name: 'purge-expired-sessions',
      intervalMs: HOUR,
      async runOnce() {
        const n = await purgeExpiredSessions(db, clock.now());
        if (n > 0) log.info({ job: 'purge-expired-sessions', deleted: n }, 'expired sessions deleted');
        return n;
      },
    },
    {
      name: 'purge-expired-attempt-counters',
      intervalMs: HOUR,
      async runOnce() {
        const n = await purgeExpiredAttemptCounters(db, clock.now());
        if (n > 0) log.info({ job: 'purge-expired-attempt-counters', deleted: n }, 'expired sign-in attempt counters deleted');
        return n;
      },
    },
  ];
}
