/**
 * The transactional outbox: a message to send is a row written in the same transaction as the
 * change that causes it, so an acknowledged change always gets its notification and a rolled-back
 * one never does. A worker delivers the rows (outbox-worker.ts).
 */
import type { Statement, TenantQueryable } from '../kernel/db/index.ts';
import { uuidv7 } from '../kernel/ids.ts';

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  /** Which party of the case and which template (ADR 0014), for the record; absent on older rows. */
  party?: string;
  template?: string;
  /** The reader's language: the municipality's signature is added in it when the message is sent (letterhead.ts); Swedish when absent. */
  locale?: 'sv' | 'en';
}

export type OutboxMessage = { kind: 'email'; payload: EmailMessage };

export async function enqueue(q: TenantQueryable, message: OutboxMessage, now: Date): Promise<string> {
  const { id, statement } = enqueueStatement(message, now);
  await q.query(statement.sql, statement.params);
  return id;
}

/** The INSERT of enqueue, for writing together with the change that causes it (kernel/db writeTogether). */
export function enqueueStatement(message: OutboxMessage, now: Date): { id: string; statement: Statement } {
  const id = uuidv7(now.getTime());
  return {
    id,
    statement: {
      sql: 'INSERT INTO outbox (tenant_id, id, kind, payload, created_at, available_at) VALUES ($1, $2, $3, $4, $5, $5)',
      params: [id, message.kind, JSON.stringify(message.payload), now],
    },
  };
}
