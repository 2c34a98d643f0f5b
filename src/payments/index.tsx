/**
 * Fees and payments: a service's fee (fixed, or computed from the answers), the payment-provider
 * contract and registry, the demo provider (/test-pay), and the flow — start, settle from the
 * return or the callback (once, decided in the database), refund from a case. The plugin decorates
 * the app with `app.payments`; the forms engine registers what a paid draft becomes.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../kernel/errors.ts';
import { isUuid } from '../kernel/ids.ts';
import { requireStaff } from '../identity/staff/index.ts';
import { canHandleCase, canReadCase, staffPrincipal } from '../policy/index.ts';
import { getCase, type Case, type CaseExtension } from '../cases/index.ts';
import { Payments } from './service.ts';
import { resolvePaymentProvider } from './registry.ts';
import { DemoPaymentProvider, demoPaymentPages } from './demo-provider.tsx';
import { paymentsOfCase } from './payments.repository.ts';
import { parseKronor } from './fee.ts';
import { InvoiceSection, invoiceLine, PaymentSection, receiptSections } from './views.tsx';
import { decisionInvoiceOre, invoicesOfCase, recordDecisionInvoice } from './invoices.ts';
import { pick } from '../kernel/i18n/index.ts';
import type { ServiceDefinition } from '../catalogue/types.ts';
import { NoticeBanner } from '../kernel/html/notice.tsx';
import './messages.ts';

export { LOST, Payments, refundDueOre, type PaymentPurpose, type ReservedRefund, type StartPayment, type Outcome } from './service.ts';
export type { PaymentProvider, CreatePaymentRequest, ProviderPaymentStatus, ProviderStatus } from './provider.ts';
export { resolvePaymentProvider, registerPaymentProvider, type PaymentProviderFactory } from './registry.ts';
export { DemoPaymentProvider, TEST_PAY_PATH, SIGNATURE_HEADER, type Choice } from './demo-provider.tsx';
export { feeAmountOre, formatAmount, parseKronor, FeeError } from './fee.ts';
export { decisionInvoiceOre, invoicesOfCase, recordDecisionInvoice, handOverInvoices, csvInvoicingAdapter, type Invoice, type InvoicingAdapter, type InvoiceToHandOver } from './invoices.ts';
export { getPayment, paymentsOfCase, latestPaymentFor, refundsOf, purgeUnpaidPaymentsOfGoneDrafts, type Payment, type PaymentStatus, type Refund } from './payments.repository.ts';

declare module 'fastify' {
  interface FastifyInstance {
    payments: Payments;
  }
}

export interface PaymentsOptions {
  /** A provider instance instead of the configured one (tests). */
  provider?: import('./provider.ts').PaymentProvider;
}

async function payments(app: FastifyInstance, opts: PaymentsOptions): Promise<void> {
  const provider = opts.provider ?? resolvePaymentProvider(app.appConfig, app.demo);
  const service = new Payments(provider, app.clock, app.log);
  app.decorate('payments', service);
  if (provider instanceof DemoPaymentProvider) await demoPaymentPages(app, provider);

  // The payer's browser comes back from the provider: settle, then on to what the purpose says.
  app.get('/payments/:paymentId/return', async (req, reply) => {
    const { paymentId } = req.params as { paymentId: string };
    if (!isUuid(paymentId)) throw new AppError('NOT_FOUND');
    const { payment, outcome } = await service.settle(req.tdb, paymentId);
    return reply.redirect(service.returnTo(payment, outcome), 303);
  });

  // The provider's callback, server to server: no session, so no CSRF token; its signature is
  // checked and the status asked again, so a forged or replayed one changes nothing.
  app.post('/payments/callback/:provider', { config: { csrf: false } }, async (req, reply) => {
    const outcome = await service.callback(req.tdb, (req.params as { provider: string }).provider, req.headers, req.body);
    // Unverified and unknown look the same: a forger learns nothing about which payments exist.
    if (!outcome) throw new AppError('NOT_FOUND');
    return reply.code(204).send();
  });

  app.post('/staff/cases/:caseId/payments/:paymentId/refund', async (req, reply) => {
    const staff = await requireStaff(req, reply);
    if (!staff) return reply;
    const { caseId, paymentId } = req.params as { caseId: string; paymentId: string };
    if (!isUuid(caseId) || !isUuid(paymentId)) throw new AppError('CASE_NOT_FOUND');
    const c = await getCase(req.tdb, caseId);
    const def = c && (await app.serviceVersions.definition(req.tdb, c.serviceId, c.serviceVersion));
    if (!c || !def || !canReadCase(staffPrincipal(staff), c, def)) throw new AppError('CASE_NOT_FOUND');
    if (!canHandleCase(staffPrincipal(staff), c, def)) throw new AppError('FORBIDDEN');
    const raw = (req.body as { amount?: unknown } | undefined)?.amount;
    const amountOre = typeof raw === 'string' ? parseKronor(raw) : undefined;
    if (!amountOre) return reply.redirect(`/staff/cases/${caseId}?refund=invalid#payment-${paymentId}-h`, 303);
    await service.refund(req.tdb, { caseId, paymentId, amountOre, staffId: staff.id });
    return reply.redirect(`/staff/cases/${caseId}?refund=done`, 303);
  });
}

/** Payments on a case's pages and receipt (registered with casesPlugin). */
export const paymentCaseExtension: CaseExtension = {
  async residentSection(req: FastifyRequest, c) {
    const paid = (await paymentsOfCase(req.tdb, c.id)).filter((p) => p.status === 'paid');
    if (!paid.length) return null;
    const ctx = req.viewContext();
    return (
      <>
        {paid.map((p) => (
          <PaymentSection ctx={ctx} payment={p} key={p.id} />
        ))}
      </>
    );
  },
  async staffSection(req: FastifyRequest, c, canHandle) {
    const paid = (await paymentsOfCase(req.tdb, c.id)).filter((p) => p.status === 'paid');
    if (!paid.length) return null;
    const ctx = req.viewContext();
    const q = req.query as { refund?: string };
    return (
      <>
        <NoticeBanner notice={q.refund === 'done' ? ctx.t('payments.refund.done') : undefined} />
        {paid.map((p) => (
          <PaymentSection
            ctx={ctx}
            payment={p}
            key={p.id}
            refund={canHandle ? { action: `/staff/cases/${c.id}/payments/${p.id}/refund`, error: q.refund === 'invalid' ? ctx.t('payments.refund.invalid') : undefined } : undefined}
          />
        ))}
      </>
    );
  },
  async receiptSections(req, c, locale) {
    return receiptSections(await paymentsOfCase(req.tdb, c.id), locale);
  },
};

/** The fee section of a case's pages, when a decision invoiced one. */
async function invoiceSection(req: FastifyRequest, c: Case, def: ServiceDefinition | undefined) {
  const invoices = await invoicesOfCase(req.tdb, c.id);
  if (!invoices.length) return null;
  const ctx = req.viewContext();
  const title = (type: string) => {
    const d = def?.decisions.find((x) => x.id === type);
    return d ? pick(d.title, ctx.locale) : type;
  };
  return <InvoiceSection ctx={ctx} invoices={invoices} decisionTitle={title} />;
}

/**
 * Fees invoiced on a decision (ADR 0034), registered with casesPlugin: the invoice written in the
 * decision's transaction, its line in the letter and under the decision, and its section on the pages.
 */
export function invoiceCaseExtension(definitionOf: (req: FastifyRequest, c: Case) => Promise<ServiceDefinition | undefined>): CaseExtension {
  return {
    recordDecision: recordDecisionInvoice,
    decisionLines(def, decision, locale) {
      const ore = decisionInvoiceOre(def.fee, decision);
      return ore === undefined ? [] : [invoiceLine(ore, locale)];
    },
    async residentSection(req, c) {
      return invoiceSection(req, c, await definitionOf(req, c));
    },
    async staffSection(req, c) {
      return invoiceSection(req, c, await definitionOf(req, c));
    },
  };
}

/** Decorates the app with `app.payments` (shared by the forms engine and, later, bookings). */
export const paymentsPlugin = fp(payments, { name: 'medborg-payments', fastify: '5.x', dependencies: ['medborg-http-kernel'] });
