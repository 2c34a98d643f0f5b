/** SQL for the dev mailbox: e-mail "sent" in demo mode lands in the tenant's dev_mailbox rows. */
import type { TenantQueryable } from '../kernel/db/index.ts';

export interface MailboxMessage {
  id: string;
  sentAt: Date;
  to: string;
  subject: string;
  body: string;
  /** The sender it went out as (migration 0015); null or absent on rows stored before. */
  from?: string | null;
}

type MailboxSummary = Omit<MailboxMessage, 'body' | 'from'>;

interface Row {
  id: string;
  sent_at: Date;
  to_address: string;
  subject: string;
  body?: string;
  from_address?: string | null;
}

const toSummary = (r: Row): MailboxSummary => ({ id: r.id, sentAt: new Date(r.sent_at), to: r.to_address, subject: r.subject });

/**
 * Stores a delivered message. The id is the outbox row's id, so a retry after a crash between
 * delivery and marking the row sent does not show the message twice.
 */
export async function insertMailboxMessage(q: TenantQueryable, m: MailboxMessage): Promise<void> {
  await q.query(
    `INSERT INTO dev_mailbox (tenant_id, id, sent_at, to_address, subject, body, from_address) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (tenant_id, id) DO NOTHING`,
    [m.id, m.sentAt, m.to, m.subject, m.body, m.from ?? null],
  );
}

/**
 * One page of the tenant's mailbox, newest first, paginated by key: `before` is the id of the last
 * message of the previous page. Returns up to `limit` messages and whether older ones exist.
 */
export async function listMailbox(q: TenantQueryable, opts: { limit: number; before?: string | undefined }): Promise<{ messages: MailboxSummary[]; more: boolean }> {
  const cursor = opts.before
    ? `AND (sent_at, id) < (SELECT sent_at, id FROM dev_mailbox WHERE tenant_id = $1 AND id = $3)`
    : '';
  const params: unknown[] = [opts.limit + 1];
  if (opts.before) params.push(opts.before);
  const { rows } = await q.query<Row>(
    `SELECT id, sent_at, to_address, subject FROM dev_mailbox WHERE tenant_id = $1 ${cursor} ORDER BY sent_at DESC, id DESC LIMIT $2`,
    params,
  );
  return { messages: rows.slice(0, opts.limit).map(toSummary), more: rows.length > opts.limit };
}

/** One message of the tenant, or undefined (another tenant's id is simply not found). */
export async function findMailboxMessage(q: TenantQueryable, id: string): Promise<MailboxMessage | undefined> {
  const { rows } = await q.query<Row>('SELECT id, sent_at, to_address, subject, body, from_address FROM dev_mailbox WHERE tenant_id = $1 AND id = $2', [id]);
  const r = rows[0];
  return r ? { ...toSummary(r), body: r.body ?? '', from: r.from_address ?? null } : undefined;
}
