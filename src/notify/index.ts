/**
 * Notifications: the transactional outbox (enqueue in the caller's transaction), the worker that
 * delivers it, the mail transports (SMTP; the dev mailbox in demo mode) and the demo mailbox pages.
 * The plugin decorates the app with `app.mailTransport`; the job scheduler (src/jobs) runs the worker.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { MailTransport } from './transports/base.ts';
import { resolveMailTransport } from './transports/registry.ts';
import { OutboxWorker, type OutboxWorkerOptions } from './outbox-worker.ts';
import { mailboxRoutes } from './mailbox-routes.tsx';
import { letterheadOf } from './letterhead.ts';

export { enqueue, enqueueStatement, type EmailMessage, type OutboxMessage } from './outbox.ts';
export { OutboxWorker, backoffDelay, describeError, type OutboxWorkerOptions, type RunResult, type WorkerLogger } from './outbox-worker.ts';
export type { MailTransport, OutgoingEmail } from './transports/base.ts';
export { resolveMailTransport, mailTransportName, registerMailTransport, type MailTransportFactory, type MailTransportContext } from './transports/registry.ts';
export { SmtpTransport } from './transports/smtp.ts';
export { letterheadOf, formatSender, type Letterhead, type Sender } from './letterhead.ts';
export { DevMailboxTransport } from './transports/dev-mailbox.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Where outbox e-mail goes: SMTP, or the dev mailbox in demo mode and development. */
    mailTransport: MailTransport;
  }
}

async function notify(app: FastifyInstance): Promise<void> {
  // Throws ConfigError naming SMTP_HOST when production has no way to send mail: start-up stops.
  const transport = resolveMailTransport({ config: app.appConfig, db: app.db, clock: app.clock, demo: app.demo });
  app.decorate('mailTransport', transport);
  app.addHook('onClose', async () => transport.close());
  app.log.info({ transport: transport.name }, 'mail transport');
  if (app.demo) await app.register(mailboxRoutes);
}

/** The notify module: the configured mail transport, and /dev/mailbox in demo mode. */
export const notifyPlugin = fp(notify, { name: 'medborg-notify', fastify: '5.x', dependencies: ['medborg-http-kernel'] });

/** An outbox worker for this app's database, transport, clock and logger. */
export function createOutboxWorker(app: FastifyInstance, opts: Partial<OutboxWorkerOptions> = {}): OutboxWorker {
  // Each message leaves in its municipality's name, with its signature (ADR 0021).
  const letterheads = new Map(app.tenants.all.map((t) => [t.id, letterheadOf(t, app.appConfig.smtp.from)]));
  return new OutboxWorker({ db: app.db, transport: app.mailTransport, clock: app.clock, log: app.log, letterhead: (id) => letterheads.get(id), ...opts });
}
