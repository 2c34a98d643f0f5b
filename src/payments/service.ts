/**
 * Payments as the rest of Medborg uses them: start a payment for something (a purpose — a draft
 * that becomes a case when paid; later a booking's hold), settle it from the payer's return or the
 * provider's callback, whichever comes first, and refund from a case.
 *
 * Settling is decided in the database: the provider is asked for the status first (no transaction
 * is held open across the provider's I/O), then the payment row is locked and, if it is still
 * waiting, the purpose completes (the case is created) and the payment is marked paid in the same
 * transaction. A second return or callback, at once or late, finds it paid and changes nothing; a
 * forged callback fails its signature, and a replayed one only makes us ask the provider again.
 */
import type { TenantQueryable, TenantScope } from '../kernel/db/index.ts';
import { AppError } from '../kernel/errors.ts';
import { uuidv7 } from '../kernel/ids.ts';
import type { Localised } from '../kernel/tenants.ts';
import { changeCase, type CaseChange } from '../cases/index.ts';
import type { PaymentProvider, ProviderPaymentStatus } from './provider.ts';
import {
  getPayment,
  insertPayment,
  markEnded,
  markPaid,
  paymentByProviderRef,
  paymentsOfCase,
  refundDone,
  releaseRefund,
  refundsOf,
  reserveRefund,
  reserveSystemRefund,
  type Payment,
} from './payments.repository.ts';

/** What a refund of `percent` of a payment comes to now: that share of it, less what is already refunded; 0 when unpaid. */
export const refundDueOre = (p: Payment, percent: number): number => (p.status === 'paid' ? Math.max(0, Math.round((p.amountOre * percent) / 100) - p.refundedOre) : 0);

/** A refund reserved in a case's transaction, to be asked of the provider once it has committed. */
export interface ReservedRefund {
  refundId: string;
  caseId: string;
  payment: Payment;
  amountOre: number;
}

/** `refunded`: paid, but what it paid for was lost, and the money is on its way back (ADR 0040). */
export type Outcome = 'paid' | 'failed' | 'cancelled' | 'pending' | 'refunded';

/** What was paid for can no longer be had (a booking's time taken after its hold ran out): the payment is refunded in full. */
export const LOST = Symbol('lost');

export interface PaymentPurpose {
  /**
   * Completes what was paid for, inside the transaction that marks the payment paid (the payment
   * row is locked); returns the case it became, or null; or LOST when it can no longer be had —
   * the payment is then marked paid and refunded in full by the system (ADR 0040).
   */
  complete(tx: TenantQueryable, payment: Payment, now: Date): Promise<string | null | typeof LOST>;
  /** Where the payer's browser goes after the provider. */
  returnTo(payment: Payment, outcome: Outcome): string;
}

export interface StartPayment {
  purpose: string;
  purposeId: string;
  payerId: string;
  serviceId: string;
  amountOre: number;
  description: Localised;
  vatRate?: number;
  locale: 'sv' | 'en';
  /** The tenant's own site, e.g. https://e.norrby.se: return and callback URLs are made on it. */
  siteUrl: string;
  /** What the purpose needs to complete (stored with the payment). */
  context: Record<string, unknown>;
}

/** Runs a provider call; anything it throws becomes the translated 503 (the answers are kept). */
async function ask<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof AppError) throw err;
    const e = new AppError('PAYMENT_PROVIDER_UNAVAILABLE', `the payment provider failed: ${(err as Error)?.message ?? String(err)}`);
    (e as Error & { cause?: unknown }).cause = err;
    throw e;
  }
}

export class Payments {
  private readonly purposes = new Map<string, PaymentPurpose>();

  constructor(
    /** The configured provider, or undefined when none is: a service with a fee then answers 503. */
    readonly provider: PaymentProvider | undefined,
    private readonly clock: { now(): Date },
    /** Where a refund the system could not make is reported. */
    private readonly log?: { error(obj: object, msg: string): void },
  ) {}

  registerPurpose(name: string, purpose: PaymentPurpose): void {
    this.purposes.set(name, purpose);
  }

  private purposeOf(p: Payment): PaymentPurpose {
    const purpose = this.purposes.get(p.purpose);
    if (!purpose) throw new Error(`no payment purpose "${p.purpose}" is registered`);
    return purpose;
  }

  private providerOf(p: Payment | string): PaymentProvider {
    const name = typeof p === 'string' ? p : p.provider;
    if (!this.provider || this.provider.name !== name) throw new AppError('PAYMENT_PROVIDER_UNAVAILABLE', `payment provider "${name}" is not configured (PAYMENT_PROVIDER)`);
    return this.provider;
  }

  /** Creates the payment at the provider and records it; returns the provider's page to send the payer to. */
  async start(tdb: TenantScope, input: StartPayment): Promise<string> {
    if (!this.provider) throw new AppError('PAYMENT_PROVIDER_UNAVAILABLE', 'no payment provider is configured (PAYMENT_PROVIDER)');
    const provider = this.provider;
    const now = this.clock.now();
    const id = uuidv7(now.getTime());
    const created = await ask(() =>
      provider.create({
        tenantId: tdb.tenantId,
        paymentId: id,
        amountOre: input.amountOre,
        currency: 'SEK',
        description: input.description[input.locale],
        locale: input.locale,
        returnUrl: `${input.siteUrl}/payments/${id}/return`,
        callbackUrl: `${input.siteUrl}/payments/callback/${provider.name}`,
      }),
    );
    await insertPayment(tdb, {
      id,
      purpose: input.purpose,
      purposeId: input.purposeId,
      payerId: input.payerId,
      serviceId: input.serviceId,
      provider: provider.name,
      providerRef: created.reference,
      amountOre: input.amountOre,
      vatRate: input.vatRate,
      description: input.description,
      context: input.context,
      now,
    });
    return created.redirectUrl;
  }

  /** Settles a payment from what the provider says now; safe to call any number of times, concurrently. */
  async settle(tdb: TenantScope, paymentId: string): Promise<{ payment: Payment; outcome: Outcome }> {
    const before = await getPayment(tdb, paymentId);
    if (!before) throw new AppError('NOT_FOUND');
    if (before.status === 'paid') return { payment: before, outcome: before.caseId === null && before.amountOre > 0 && before.refundedOre === before.amountOre ? 'refunded' : 'paid' };
    // A failed or cancelled payment is asked about again too: only the provider's word changes an
    // ended payment, and only to paid (a provider that reports a late success).
    const provider = this.providerOf(before);
    const said: ProviderPaymentStatus = await ask(() => provider.status(tdb.tenantId, before.providerRef!));
    const now = this.clock.now();
    if (said.status === 'paid' && said.amountOre === before.amountOre) {
      let refund = false;
      const payment = await tdb.transaction(async (tx) => {
        const locked = (await getPayment(tx, paymentId, { lock: true }))!;
        if (locked.status === 'paid') return locked;
        // A payment ended as failed here that the provider now calls paid: the provider decides.
        if (locked.status === 'failed' || locked.status === 'cancelled') {
          await tx.query(`UPDATE payments SET status = 'created' WHERE tenant_id = $1 AND id = $2`, [paymentId]);
        }
        const done = await this.purposeOf(locked).complete(tx, locked, now);
        const caseId = done === LOST ? null : done;
        await markPaid(tx, paymentId, caseId, now);
        // Lost: the whole amount is reserved for a refund in the same transaction, so it is never refunded twice.
        if (done === LOST) refund = (await reserveSystemRefund(tx, { refundId: uuidv7(now.getTime()), paymentId, now })) !== undefined;
        return { ...locked, status: 'paid' as const, caseId, paidAt: now };
      });
      if (refund) {
        await this.refundLost(tdb, payment);
        return { payment: (await getPayment(tdb, paymentId))!, outcome: 'refunded' };
      }
      // Already lost and refunded on an earlier settle (a double callback): the same answer.
      if (payment.caseId === null && payment.refundedOre === payment.amountOre && payment.amountOre > 0) return { payment, outcome: 'refunded' };
      return { payment, outcome: 'paid' };
    }
    if (said.status === 'failed' || said.status === 'cancelled') {
      await markEnded(tdb, paymentId, said.status, now);
      const after = (await getPayment(tdb, paymentId))!;
      return { payment: after, outcome: after.status === 'paid' ? 'paid' : said.status };
    }
    return { payment: before, outcome: 'pending' };
  }

  /** Where the payer goes after settling. */
  returnTo(payment: Payment, outcome: Outcome): string {
    return this.purposeOf(payment).returnTo(payment, outcome);
  }

  /** A provider's callback: verified, then settled. Undefined when the callback is not authentic. */
  async callback(tdb: TenantScope, providerName: string, headers: Record<string, string | string[] | undefined>, body: unknown): Promise<Outcome | undefined> {
    const provider = this.providerOf(providerName);
    const verified = provider.verifyCallback(headers, body);
    if (!verified) return undefined;
    const payment = await paymentByProviderRef(tdb, provider.name, verified.reference);
    if (!payment) return undefined;
    return (await this.settle(tdb, payment.id)).outcome;
  }

  /**
   * Asks the provider to refund a payment whose purpose was lost (its refund reserved when it was
   * marked paid). A provider that refuses or cannot be asked leaves the refund failed, with the
   * reservation given back, for staff to see in the log and refund by hand.
   */
  private async refundLost(tdb: TenantScope, payment: Payment): Promise<void> {
    const [refund] = (await refundsOf(tdb, payment.id)).filter((r) => r.status === 'requested');
    if (!refund) return;
    try {
      await ask(() => this.providerOf(payment).refund(tdb.tenantId, payment.providerRef!, refund.amountOre, refund.id));
      await refundDone(tdb, refund.id, this.clock.now());
    } catch (err) {
      await releaseRefund(tdb, refund.id, this.clock.now());
      this.log?.error({ err, paymentId: payment.id }, 'a payment whose purpose was lost could not be refunded: refund it by hand');
    }
  }

  /**
   * Inside a case's transaction: reserves the refund of `percent` of each of the case's paid
   * payments, less what is already refunded of it (a booking cancelled within its rules, or by the
   * municipality), with a `payment_refunded` journal entry each for the caller to write with its
   * change. `sendRefunds` asks the provider after the transaction has committed.
   */
  async reserveCaseRefunds(tx: TenantQueryable, r: { caseId: string; percent: number; staffId: string | null; reason: string; now: Date }): Promise<{ refunds: ReservedRefund[]; journal: CaseChange['journal'] }> {
    const refunds: ReservedRefund[] = [];
    const journal: NonNullable<CaseChange['journal']> = [];
    for (const p of await paymentsOfCase(tx, r.caseId)) {
      const amountOre = refundDueOre(p, r.percent);
      if (amountOre <= 0) continue;
      const refundId = uuidv7(r.now.getTime());
      const total = await reserveRefund(tx, { refundId, paymentId: p.id, caseId: r.caseId, amountOre, staffId: r.staffId, now: r.now });
      if (total === undefined) continue;
      refunds.push({ refundId, caseId: r.caseId, payment: p, amountOre });
      journal.push({ kind: 'payment_refunded', actorKind: r.staffId ? 'staff' : 'system', actorId: r.staffId, payload: { paymentId: p.id, refundId, amountOre, refundedOre: total, currency: 'SEK', reason: r.reason } });
    }
    return { refunds, journal };
  }

  /**
   * Asks the provider for refunds reserved by `reserveCaseRefunds`. One the provider refuses (or
   * cannot be asked about) is given back, journaled and logged for staff to refund by hand; what
   * it was for stands.
   */
  async sendRefunds(tdb: TenantScope, refunds: readonly ReservedRefund[]): Promise<void> {
    for (const r of refunds) {
      const err = await this.askRefund(tdb, r);
      if (err) this.log?.error({ err, paymentId: r.payment.id, caseId: r.caseId }, 'a refund could not be made: refund it by hand');
    }
  }

  /** Asks the provider for a reserved refund: done, or given back and journaled on its case; returns the provider's error, if any. */
  private async askRefund(tdb: TenantScope, r: ReservedRefund): Promise<unknown> {
    try {
      await ask(() => this.providerOf(r.payment).refund(tdb.tenantId, r.payment.providerRef!, r.amountOre, r.refundId));
    } catch (err) {
      await changeCase(tdb, r.caseId, this.clock.now(), async (_c, tx) => {
        await releaseRefund(tx, r.refundId, this.clock.now());
        return { journal: [{ kind: 'payment_refund_failed', actorKind: 'system', actorId: null, payload: { paymentId: r.payment.id, refundId: r.refundId, amountOre: r.amountOre } }] };
      });
      return err;
    }
    await refundDone(tdb, r.refundId, this.clock.now());
    return undefined;
  }

  /**
   * Refunds part or all of a case's payment. The amount is reserved and journaled in the case's
   * journal in one transaction (refused when more than what is left), then the provider is asked;
   * if it refuses, the reservation is given back and that is journaled too.
   */
  async refund(tdb: TenantScope, r: { caseId: string; paymentId: string; amountOre: number; staffId: string }): Promise<void> {
    const now = this.clock.now();
    const refundId = uuidv7(now.getTime());
    if (!Number.isInteger(r.amountOre) || r.amountOre <= 0) throw new AppError('PAYMENT_REFUND_REFUSED');
    const { result: payment } = await changeCase(tdb, r.caseId, now, async (_c, tx) => {
      const total = await reserveRefund(tx, { refundId, paymentId: r.paymentId, caseId: r.caseId, amountOre: r.amountOre, staffId: r.staffId, now });
      if (total === undefined) throw new AppError('PAYMENT_REFUND_REFUSED');
      const p = (await getPayment(tx, r.paymentId))!;
      return {
        journal: [{ kind: 'payment_refunded', actorKind: 'staff', actorId: r.staffId, payload: { paymentId: r.paymentId, refundId, amountOre: r.amountOre, refundedOre: total, currency: 'SEK' } }],
        result: p,
      };
    });
    const err = await this.askRefund(tdb, { refundId, caseId: r.caseId, payment: payment!, amountOre: r.amountOre });
    if (err) throw err;
  }
}
