/** The payment on a case's pages (a receipt of it; for staff, the refund form) and on its receipt PDF. */
import type { ViewContext } from '../kernel/html/context.ts';
import { Button, CsrfField, Heading, SummaryList, TextField } from '../kernel/html/components.tsx';
import { formatDate, pick, translate, type Locale } from '../kernel/i18n/index.ts';
import type { LetterSection } from '../documents/index.ts';
import { formatAmount } from './fee.ts';
import type { Payment } from './payments.repository.ts';
import type { Invoice } from './invoices.ts';
import './messages.ts';

/** VAT included in a gross amount at a rate (per cent), in öre. */
export function vatOf(amountOre: number, rate: number): number {
  return Math.round((amountOre * rate) / (100 + rate));
}

function rows(p: Payment, l: Locale): [string, string][] {
  const t = (k: string) => translate(l, k);
  return [
    [t('payments.receipt.what'), pick(p.description, l)],
    [t('payments.receipt.amount'), formatAmount(p.amountOre, l)],
    ...(p.vatRate ? ([[t('payments.receipt.vat'), `${formatAmount(vatOf(p.amountOre, p.vatRate), l)} (${p.vatRate} %)`]] as [string, string][]) : []),
    [t('payments.receipt.paidAt'), p.paidAt ? formatDate(p.paidAt, l, true) : '–'],
    [t('payments.receipt.reference'), p.providerRef ?? p.id],
    ...(p.refundedOre > 0 ? ([[t('payments.receipt.refunded'), formatAmount(p.refundedOre, l)]] as [string, string][]) : []),
  ];
}

export function receiptSections(payments: Payment[], l: Locale): LetterSection[] {
  return payments.filter((p) => p.status === 'paid').map((p) => ({ heading: translate(l, 'payments.receipt.title'), rows: rows(p, l) }));
}

export function PaymentSection({ ctx, payment, refund }: { ctx: ViewContext; payment: Payment; refund?: { action: string; error?: string | undefined; value?: string } }) {
  const { t, locale } = ctx;
  const left = payment.amountOre - payment.refundedOre;
  const headingId = `payment-${payment.id}-h`;
  return (
    <section class="mb-panel" aria-labelledby={headingId}>
      <Heading level={2} size="sm">
        <span id={headingId}>{t('payments.receipt.title')}</span>
      </Heading>
      <SummaryList rows={rows(payment, locale).map(([key, value]) => ({ key, value }))} />
      {refund && left > 0 && (
        <form method="post" action={refund.action} novalidate>
          <CsrfField token={ctx.csrfToken} />
          <TextField
            id={`refund-${payment.id}`}
            name="amount"
            label={t('payments.refund.amount')}
            hint={t('payments.refund.hint', { left: formatAmount(left, locale) })}
            error={refund.error}
            value={refund.value ?? ''}
            inputMode="text"
            width="short"
          />
          <Button variant="secondary">{t('payments.refund.submit')}</Button>
        </form>
      )}
    </section>
  );
}

/** The line a decision's letter and case page carry for its fee (ADR 0034): "Avgift: 12 500 kr faktureras separat." */
export const invoiceLine = (amountOre: number, l: Locale): string => translate(l, 'payments.invoice.line', { amount: formatAmount(amountOre, l) });

/** The fees invoiced on the case's decisions, each with what it is for and whether it has gone to invoicing. */
export function InvoiceSection({ ctx, invoices, decisionTitle }: { ctx: ViewContext; invoices: readonly Invoice[]; decisionTitle: (type: string) => string }) {
  const { t, locale } = ctx;
  return (
    <section class="mb-panel" aria-labelledby="invoices-h" id="decision-fees">
      <Heading level={2} size="sm">
        <span id="invoices-h">{t('payments.invoice.title')}</span>
      </Heading>
      {invoices.map((i) => (
        <SummaryList
          key={i.id}
          rows={[
            { key: t('payments.receipt.what'), value: pick(i.description, locale) },
            { key: t('payments.invoice.decision'), value: decisionTitle(i.decisionType) },
            { key: t('payments.receipt.amount'), value: formatAmount(i.amountOre, locale) },
            ...(i.vatRate ? [{ key: t('payments.receipt.vat'), value: `${formatAmount(vatOf(i.amountOre, i.vatRate), locale)} (${i.vatRate} %)` }] : []),
            { key: t('payments.invoice.status'), value: i.handedOverAt ? t('payments.invoice.handedOver', { date: formatDate(i.handedOverAt, locale) }) : t('payments.invoice.pending') },
          ]}
        />
      ))}
    </section>
  );
}
