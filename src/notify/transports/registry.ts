/**
 * Picks the mail transport: the dev mailbox in demo mode (demo data must never mail anyone), SMTP
 * when SMTP_HOST is set, the dev mailbox in development and tests without SMTP, and otherwise —
 * production with no way to send mail — a ConfigError naming SMTP_HOST, so start-up fails rather
 * than acknowledging notifications nobody will ever get.
 */
import { ConfigError, type Config } from '../../kernel/config.ts';
import type { Clock } from '../../kernel/clock.ts';
import type { Database } from '../../kernel/db/index.ts';
import type { MailTransport } from './base.ts';
import { DevMailboxTransport } from './dev-mailbox.ts';
import { SmtpTransport } from './smtp.ts';

export interface MailTransportContext {
  config: Config;
  db: Database;
  clock: Clock;
}

export type MailTransportFactory = (ctx: MailTransportContext) => MailTransport;

const factories = new Map<string, MailTransportFactory>([
  ['dev-mailbox', ({ db, clock }) => new DevMailboxTransport(db, clock)],
  [
    'smtp',
    ({ config }) => {
      const host = config.smtp.host;
      if (!host) throw new ConfigError('SMTP_HOST', 'must be set to send e-mail over SMTP');
      return new SmtpTransport({ ...config.smtp, host });
    },
  ],
]);

/** Makes a transport available by name (replacing a built-in one, e.g. in a test or an integration). */
export function registerMailTransport(name: string, factory: MailTransportFactory): void {
  factories.set(name, factory);
}

/** Which transport this configuration uses; throws ConfigError when production has none. */
export function mailTransportName(config: Config, demo: boolean): string {
  if (demo) return 'dev-mailbox';
  if (config.smtp.host) return 'smtp';
  if (config.env !== 'production') return 'dev-mailbox';
  throw new ConfigError('SMTP_HOST', 'must be set in production: e-mail is queued for residents and needs an SMTP server to leave (SMTP_PORT, SMTP_USER, SMTP_PASSWORD, SMTP_FROM, SMTP_SECURE configure the rest)');
}

/** The transport for this configuration, built from the registry. */
export function resolveMailTransport(ctx: MailTransportContext & { demo: boolean }): MailTransport {
  const name = mailTransportName(ctx.config, ctx.demo);
  const factory = factories.get(name);
  if (!factory) throw new ConfigError('SMTP_HOST', `no mail transport named "${name}" is registered`);
  return factory(ctx);
}
