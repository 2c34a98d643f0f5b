/** The periodic jobs every Medborg node runs: deliver the outbox, and purge what has expired. */
import type { FastifyInstance } from 'fastify';
import { createOutboxWorker } from '../notify/index.ts';
import { purgeExpiredDrafts } from '../forms/index.tsx';
import { purgeUnpaidPaymentsOfGoneDrafts } from '../payments/index.tsx';
import { purgeExpiredAttemptCounters, purgeExpiredSessions } from './maintenance.repository.ts';
import type { Job } from './scheduler.ts';
import { expireDueCoSigning } from '../co-signing/index.ts';
import { compactQueueCounts, lapseUnrenewed, remindRenewals, runOffers } from '../queues/index.ts';
import { remindBookings } from '../booking/index.ts';

const HOUR = 3_600_000;

/** Builds the jobs from the app's database, clock, mail transport and logger. */
export function standardJobs(app: FastifyInstance): Job[] {
  const { db, clock } = app;
  const log = app.log.child({ component: 'jobs' });
  const worker = createOutboxWorker(app, { log });
  // Links in e-mail sent by a job point at the tenant's first host (no request to take one from).
  const siteUrlOf = (tenantId: string) => {
    const host = app.tenants.byId(tenantId)?.hosts[0] ?? 'localhost';
    return `https://${host}`;
  };
  return [
    {
      // Every ~2 s, so a receipt e-mail arrives about as fast as the person looks for it.
      name: 'outbox',
      intervalMs: 2_000,
      runOnce: () => worker.drain(),
    },
    {
      // Co-signing requests past their deadline (ADR 0016): each expires once, under its case's lock.
      name: 'expire-co-signing',
      intervalMs: 5 * 60_000,
      async runOnce() {
        const n = await expireDueCoSigning(db, app.serviceVersions, clock.now(), siteUrlOf);
        if (n > 0) log.info({ job: 'expire-co-signing', expired: n }, 'co-signing requests expired');
        return n;
      },
    },
    {
      // A queue's counts are appended as deltas (ADR 0043): summed every 2 s, a position stays a short sum
      // at 100 joins and 100 withdrawals a second (bench/queue: p99 6.5 ms; 11 ms when summed every 10 s).
      name: 'compact-queue-counts',
      intervalMs: 2_000,
      runOnce: () => compactQueueCounts(db),
    },
    {
      // Deadlines and reminders, every 30 s: queue offers past theirs lapse (a decline by silence) and
      // free places go to the next in line (ADR 0046); applicants are reminded once when a place may be
      // renewed, and places not renewed by the end of their grace leave (ADR 0047); bookers are reminded
      // once some hours before a booking (a service's booking.reminder, ADR 0040). One job, not one per
      // engine: each running job holds two connections (MIN_DATABASE_POOL_SIZE).
      name: 'deadlines',
      intervalMs: 30_000,
      async runOnce() {
        const now = clock.now();
        const offers = await runOffers(app, db, now, siteUrlOf);
        const reminded = await remindRenewals(app, db, now, siteUrlOf);
        const lapsed = await lapseUnrenewed(app, db, now, siteUrlOf);
        const bookings = await remindBookings(app, db, now, siteUrlOf);
        if (offers + reminded + lapsed + bookings > 0) {
          log.info({ job: 'deadlines', offers, reminded, lapsed, bookings }, 'queue offers lapsed or made, renewals reminded, unrenewed places ended, bookers reminded');
        }
        return offers + reminded + lapsed + bookings;
      },
    },
    {
      name: 'purge-expired-drafts',
      intervalMs: HOUR,
      async runOnce() {
        const n = await purgeExpiredDrafts(db, app.blobs, clock.now());
        if (n > 0) log.info({ job: 'purge-expired-drafts', deleted: n }, 'expired drafts deleted');
        // A draft's unpaid payments carry its answers: they go with it (after a day's grace).
        const p = await purgeUnpaidPaymentsOfGoneDrafts(db, clock.now());
        if (p > 0) log.info({ job: 'purge-expired-drafts', deletedPayments: p }, 'unpaid payments of expired drafts deleted');
        return n + p;
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
