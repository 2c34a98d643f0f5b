/**
 * The outbox worker: claims due outbox rows in small batches, sends each through the mail
 * transport, marks it sent, and on failure backs off exponentially until it gives up. Several
 * workers — in one process or on several nodes — can run at once without sending a message twice
 * while it is leased (see claimDue). Logs name the row, never its recipient or its body.
 */
import { tenantScope, type Database } from '../kernel/db/index.ts';
import type { Clock } from '../kernel/clock.ts';
import { maskPins } from '../kernel/log.ts';
import { claimDue, markSent, recordFailure, type ClaimedRow } from './outbox.repository.ts';
import type { MailTransport, OutgoingEmail } from './transports/base.ts';
import type { Letterhead } from './letterhead.ts';
import type { Locale } from '../kernel/i18n/index.ts';

/** The log methods the worker uses; a Fastify/pino logger fits. */
export interface WorkerLogger {
  debug(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

const silent: WorkerLogger = { debug: () => undefined, warn: () => undefined, error: () => undefined };

export interface OutboxWorkerOptions {
  /** The raw database: the claim spans tenants (see claimDue for why). */
  db: Database;
  transport: MailTransport;
  clock: Clock;
  log?: WorkerLogger | undefined;
  /** Rows per claim: small, so one slow message holds few others and several workers share the load. */
  batchSize?: number;
  /** Attempts before a row is parked with its last error for operators (~4 h of tries by default). */
  maxAttempts?: number;
  /** Delay after the first failure; doubles with each further one. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How long a claimed row is kept from other workers while it is being sent. */
  leaseMs?: number;
  /** The municipality a message goes out as: its sender and signature (letterhead.ts, ADR 0021). */
  letterhead?: ((tenantId: string) => Letterhead | undefined) | undefined;
}

export interface RunResult {
  claimed: number;
  sent: number;
  failed: number;
  /** Rows parked for good on this run (out of attempts, or a malformed message). */
  gaveUp: number;
}

/** The outbox kinds this worker delivers; it never claims rows of other kinds. */
const KINDS = ['email'] as const;

/** A message that no retry can fix (a malformed payload): parked at once. */
class Undeliverable extends Error {}

/** Exponential backoff: base, 2×base, 4×base, … capped at max. */
export function backoffDelay(attempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
}

const EMAIL_ADDRESS = /[^\s<>"'@]+@[^\s<>"'@]+\.[^\s<>"'@]+/g;

/**
 * An error as it may be stored in last_error and logged: one line, no personal identity numbers,
 * no e-mail addresses (the row's payload already says who it was for), bounded in length. The
 * body is never part of it: transports report protocol errors, not content.
 */
export function describeError(err: unknown): string {
  const e = err as { code?: unknown; responseCode?: unknown; message?: unknown };
  const message = typeof e?.message === 'string' ? e.message : String(err);
  const code = typeof e?.code === 'string' ? `${e.code}: ` : '';
  return maskPins(code + message)
    .replace(EMAIL_ADDRESS, '[address]')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 500);
}

function emailOf(row: ClaimedRow, letterhead: Letterhead | undefined): OutgoingEmail {
  const p = row.payload as { to?: unknown; subject?: unknown; text?: unknown; locale?: unknown } | null;
  if (!p || typeof p.to !== 'string' || !p.to || typeof p.subject !== 'string' || typeof p.text !== 'string') {
    throw new Undeliverable('malformed e-mail payload (needs to, subject and text)');
  }
  const email: OutgoingEmail = { id: row.id, tenantId: row.tenant_id, to: p.to, subject: p.subject, text: p.text };
  if (!letterhead) return email;
  const l: Locale = p.locale === 'en' ? 'en' : 'sv';
  return { ...email, text: `${p.text.trimEnd()}\n\n${letterhead.signature(l)}\n`, from: letterhead.from };
}

export class OutboxWorker {
  readonly #db: Database;
  readonly #transport: MailTransport;
  readonly #clock: Clock;
  readonly #log: WorkerLogger;
  readonly #letterhead: ((tenantId: string) => Letterhead | undefined) | undefined;
  readonly batchSize: number;
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly leaseMs: number;

  constructor(opts: OutboxWorkerOptions) {
    this.#db = opts.db;
    this.#transport = opts.transport;
    this.#clock = opts.clock;
    this.#log = opts.log ?? silent;
    this.#letterhead = opts.letterhead;
    this.batchSize = opts.batchSize ?? 10;
    this.maxAttempts = opts.maxAttempts ?? 10;
    this.baseDelayMs = opts.baseDelayMs ?? 30_000;
    this.maxDelayMs = opts.maxDelayMs ?? 6 * 3_600_000;
    this.leaseMs = opts.leaseMs ?? 5 * 60_000;
  }

  /** Claims and delivers one batch of due messages. */
  async runOnce(): Promise<RunResult> {
    const now = this.#clock.now();
    const rows = await claimDue(this.#db, KINDS, now, new Date(now.getTime() + this.leaseMs), this.batchSize);
    const result: RunResult = { claimed: rows.length, sent: 0, failed: 0, gaveUp: 0 };
    // The batch goes out concurrently (the SMTP pool bounds the connections); each row settles on
    // its own, so one failure neither stops nor repeats the others.
    const outcomes = await Promise.allSettled(rows.map((row) => this.#deliver(row)));
    for (const o of outcomes) {
      if (o.status === 'fulfilled') result[o.value] += 1;
    }
    const broken = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (broken) throw broken.reason;
    return result;
  }

  /**
   * Runs batches until the queue has nothing more that is due (a short batch) or maxBatches have
   * run, so a burst drains in one scheduler tick without one tick running for ever.
   */
  async drain(maxBatches = 50): Promise<RunResult> {
    const total: RunResult = { claimed: 0, sent: 0, failed: 0, gaveUp: 0 };
    for (let i = 0; i < maxBatches; i++) {
      const r = await this.runOnce();
      total.claimed += r.claimed;
      total.sent += r.sent;
      total.failed += r.failed;
      total.gaveUp += r.gaveUp;
      if (r.claimed < this.batchSize) break;
    }
    return total;
  }

  async #deliver(row: ClaimedRow): Promise<'sent' | 'failed' | 'gaveUp'> {
    const q = tenantScope(this.#db, row.tenant_id);
    let delivered = false;
    try {
      await this.#transport.send(emailOf(row, this.#letterhead?.(row.tenant_id)));
      delivered = true;
      await markSent(q, row.id, this.#clock.now());
      this.#log.debug({ outboxId: row.id, tenant: row.tenant_id, attempts: row.attempts, transport: this.#transport.name }, 'outbox message sent');
      return 'sent';
    } catch (err) {
      // Sent but not marked (the database went away): the lease runs out and it is sent again —
      // the rare duplicate at-least-once delivery allows, rather than losing the message.
      if (delivered) throw err;
      const error = describeError(err);
      const giveUp = err instanceof Undeliverable || row.attempts >= this.maxAttempts;
      const retryAt = giveUp ? 'never' : new Date(this.#clock.now().getTime() + backoffDelay(row.attempts, this.baseDelayMs, this.maxDelayMs));
      const stored = giveUp ? `gave up after ${row.attempts} attempt${row.attempts === 1 ? '' : 's'}: ${error}` : error;
      await recordFailure(q, row.id, row.attempts, stored, retryAt);
      const fields = { outboxId: row.id, tenant: row.tenant_id, attempts: row.attempts, transport: this.#transport.name, error };
      if (giveUp) {
        this.#log.error(fields, 'outbox message undeliverable; parked for an operator');
        return 'gaveUp';
      }
      this.#log.warn({ ...fields, retryAt: (retryAt as Date).toISOString() }, 'outbox delivery failed; will retry');
      return 'failed';
    }
  }
}
