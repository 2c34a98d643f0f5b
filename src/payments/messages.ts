import { defineMessages } from '../kernel/i18n/index.ts';

defineMessages({
  // The demo provider's pages.
  'payments.demo.serviceName': { sv: 'Testbetalning (demo – inga riktiga pengar)', en: 'Test payment (demo – no real money)' },
  'payments.demo.title': { sv: 'Betala', en: 'Pay' },
  'payments.demo.amount': { sv: 'Att betala', en: 'To pay' },
  'payments.demo.choose': { sv: 'Vad ska hända med betalningen?', en: 'What should happen to the payment?' },
  'payments.demo.choice.succeed': { sv: 'Betalningen går igenom', en: 'The payment succeeds' },
  'payments.demo.choice.succeedLate': { sv: 'Betalningen går igenom, men besked till kommunen kommer senare', en: 'The payment succeeds, but the municipality is told later' },
  'payments.demo.choice.succeedTwice': { sv: 'Betalningen går igenom och beskedet skickas två gånger', en: 'The payment succeeds and the municipality is told twice' },
  'payments.demo.choice.fail': { sv: 'Betalningen misslyckas (till exempel nekat kort)', en: 'The payment fails (for example a declined card)' },
  'payments.demo.choice.cancel': { sv: 'Jag avbryter betalningen', en: 'I cancel the payment' },
  'payments.demo.continue': { sv: 'Fortsätt', en: 'Continue' },
  'payments.demo.sendCallback': { sv: 'Skicka beskedet till kommunen nu', en: 'Tell the municipality now' },
  'payments.demo.back': { sv: 'Tillbaka till kommunens webbplats', en: 'Back to the municipality’s site' },
  'payments.demo.status.pending': { sv: 'Betalningen väntar.', en: 'The payment is waiting.' },
  'payments.demo.status.authorised': { sv: 'Beloppet är reserverat.', en: 'The amount is reserved.' },
  'payments.demo.status.paid': { sv: 'Betalningen är genomförd.', en: 'The payment is complete.' },
  'payments.demo.status.failed': { sv: 'Betalningen misslyckades.', en: 'The payment failed.' },
  'payments.demo.status.cancelled': { sv: 'Betalningen avbröts.', en: 'The payment was cancelled.' },
  'payments.demo.status.released': { sv: 'Reservationen är släppt.', en: 'The reservation is released.' },
  // Fees invoiced after a decision (ADR 0034).
  'payments.invoice.line': { sv: 'Avgift: {amount} faktureras separat.', en: 'Fee: {amount} will be invoiced separately.' },
  'payments.invoice.title': { sv: 'Avgift som faktureras', en: 'Fee to be invoiced' },
  'payments.invoice.decision': { sv: 'Beslut', en: 'Decision' },
  'payments.invoice.status': { sv: 'Faktura', en: 'Invoice' },
  'payments.invoice.pending': { sv: 'Fakturan skickas separat', en: 'The invoice is sent separately' },
  'payments.invoice.handedOver': { sv: 'Skickad till fakturering {date}', en: 'Sent for invoicing on {date}' },
  // Check your answers, the applicant's way to pay.
  'payments.fee.title': { sv: 'Avgift', en: 'Fee' },
  'payments.fee.pay': { sv: 'Gå vidare till betalning', en: 'Continue to payment' },
  'payments.fee.explain': {
    sv: 'Du betalar {amount} innan ansökan skickas. Ansökan skickas när betalningen är klar.',
    en: 'You pay {amount} before the application is sent. It is sent when the payment is complete.',
  },
  'payments.fee.vat': { sv: 'Varav moms {rate} %', en: 'Including VAT of {rate}%' },
  'payments.notice.failed': {
    sv: 'Betalningen gick inte igenom och ingenting har dragits. Dina svar är sparade. Försök igen eller välj ett annat kort.',
    en: 'The payment did not go through and nothing was taken. Your answers are saved. Try again or use another card.',
  },
  'payments.notice.cancelled': {
    sv: 'Du avbröt betalningen. Dina svar är sparade. Ansökan skickas när du har betalat.',
    en: 'You cancelled the payment. Your answers are saved. The application is sent when you have paid.',
  },
  'payments.notice.refunded': {
    sv: 'Betalningen gällde något som inte längre gick att få, så vi betalar tillbaka hela beloppet. Det tar normalt några bankdagar.',
    en: 'The payment was for something that could no longer be had, so we are refunding the full amount. It normally takes a few banking days.',
  },
  'payments.notice.paidTwice': {
    sv: 'Ansökan var redan skickad och betald när den här betalningen kom fram, så vi betalar tillbaka den i sin helhet. Det tar normalt några bankdagar.',
    en: 'The application had already been sent and paid for when this payment arrived, so we are refunding it in full. It normally takes a few banking days.',
  },
  'payments.notice.pending': {
    sv: 'Vi har inte fått besked om betalningen än. Vänta en stund och ladda om sidan. Betala inte igen förrän du vet att den första inte gick igenom.',
    en: 'We have not heard about the payment yet. Wait a moment and reload the page. Do not pay again until you know the first payment did not go through.',
  },
  // The case page and the receipt.
  'payments.receipt.title': { sv: 'Betalning', en: 'Payment' },
  'payments.receipt.what': { sv: 'Avser', en: 'For' },
  'payments.receipt.amount': { sv: 'Belopp', en: 'Amount' },
  'payments.receipt.vat': { sv: 'Varav moms', en: 'Of which VAT' },
  'payments.receipt.paidAt': { sv: 'Betald', en: 'Paid' },
  'payments.receipt.reference': { sv: 'Betalningsreferens', en: 'Payment reference' },
  'payments.receipt.refunded': { sv: 'Återbetalt', en: 'Refunded' },
  'payments.refund.title': { sv: 'Återbetala', en: 'Refund' },
  'payments.refund.amount': { sv: 'Belopp att återbetala (kronor)', en: 'Amount to refund (kronor)' },
  'payments.refund.hint': { sv: 'Högst {left}. Hela eller en del av beloppet.', en: 'At most {left}. All or part of the amount.' },
  'payments.refund.submit': { sv: 'Återbetala', en: 'Refund' },
  'payments.refund.invalid': { sv: 'Skriv ett belopp i kronor, till exempel 150 eller 150,50', en: 'Enter an amount in kronor, for example 150 or 150.50' },
  'payments.refund.done': { sv: 'Återbetalningen är gjord.', en: 'The refund is made.' },
  'event.payment_refunded': { sv: 'Betalning återbetald', en: 'Payment refunded' },
  'event.payment_refund_failed': { sv: 'Återbetalningen misslyckades', en: 'The refund failed' },
});
