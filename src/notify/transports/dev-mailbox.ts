/**
 * The dev mailbox transport, used in demo mode and in development without SMTP_HOST: "sending"
 * stores the message in the tenant's dev_mailbox table, where /dev/mailbox shows it. Nothing
 * leaves the machine, so demo data never mails a real address. The reference transport.
 */
import { tenantScope, type Database } from '../../kernel/db/index.ts';
import type { Clock } from '../../kernel/clock.ts';
import { insertMailboxMessage } from '../dev-mailbox.repository.ts';
import type { MailTransport, OutgoingEmail } from './base.ts';
import { formatSender } from '../letterhead.ts';

export class DevMailboxTransport implements MailTransport {
  readonly name = 'dev-mailbox';
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async send(m: OutgoingEmail): Promise<void> {
    // Written as the message's own tenant: the mailbox is per municipality like everything else.
    await insertMailboxMessage(tenantScope(this.db, m.tenantId), { id: m.id, sentAt: this.clock.now(), to: m.to, subject: m.subject, body: m.text, from: m.from ? formatSender(m.from) : null });
  }

  async close(): Promise<void> {}
}
