/**
 * The mail transport contract (STYLE 4): how an e-mail from the outbox leaves Medborg. The worker
 * hands over one message at a time; a transport either delivers it (resolves) or throws, and the
 * worker retries later. Implementations: SMTP (production) and the dev mailbox (demo mode, the
 * reference implementation).
 */

/** One e-mail as the worker hands it to a transport. */
export interface OutgoingEmail {
  /** The outbox row's id: stable across retries, so a transport can deduplicate (Message-ID, row key). */
  id: string;
  /** The municipality the message is sent on behalf of. */
  tenantId: string;
  to: string;
  subject: string;
  /** Plain text body, UTF-8 (with the municipality's signature when the worker has a letterhead). */
  text: string;
  /** The municipality's sender (letterhead.ts); absent: the transport's own (SMTP_FROM). */
  from?: { name: string; address: string };
}

export interface MailTransport {
  /** A short name for logs and configuration, e.g. "smtp" or "dev-mailbox". */
  readonly name: string;
  /**
   * Delivers the message or throws. Throwing means "not delivered as far as we know": the worker
   * tries again later, so delivery is at least once (the id lets the receiving side spot a repeat).
   */
  send(message: OutgoingEmail): Promise<void>;
  /** Releases connections (called when the app closes). */
  close(): Promise<void>;
}
