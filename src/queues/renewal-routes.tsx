/**
 * Renewing a place in a queue on the case page (ADR 0047): `/my/cases/<id>/queue-renewal`, the
 * applicant only. With a fee the payment provider is asked first and the renewal is made when the
 * payment is settled (the `queue-renewal` payment purpose, in the transaction that marks it paid);
 * a payment for a period already renewed is refunded.
 */
import type { FastifyInstance } from 'fastify';
import { getCase, residentCase } from '../cases/index.ts';
import { AppError } from '../kernel/errors.ts';
import { pick } from '../kernel/i18n/index.ts';
import { LOST } from '../payments/index.tsx';
import { canActAsApplicant } from '../policy/index.ts';
import { stockholmToday } from '../forms/dates.ts';
import { NotRenewableError, renew, renewalOf, renewIn, renewing } from './renewals.ts';
import { ClosedStepPage } from './views.tsx';

/** What a renewal's payment carries to its completion. */
interface RenewalContext {
  from: string;
  siteUrl: string;
}

export function renewalRoutes(app: FastifyInstance): void {
  app.payments.registerPurpose('queue-renewal', {
    async complete(tx, payment, now) {
      const c = await getCase(tx, payment.purposeId);
      const def = c ? await app.serviceVersions.definition(tx, c.serviceId, c.serviceVersion) : undefined;
      if (!c || !renewing(def)) return LOST;
      const ctx = payment.context as unknown as RenewalContext;
      // Renewed already (another payment for the same period), or no longer in the queue: the money goes back.
      return (await renewIn(tx, def, c.id, { from: ctx.from, residentId: payment.payerId, paymentId: payment.id, siteUrl: ctx.siteUrl, now })) ? c.id : LOST;
    },
    returnTo(payment, outcome) {
      return outcome === 'paid' ? `/my/cases/${payment.purposeId}?done=renewed#notice` : `/my/cases/${payment.purposeId}`;
    },
  });

  app.post('/my/cases/:caseId/queue-renewal', async (req, reply) => {
    const read = await residentCase(app, req, reply);
    if (!read) return reply;
    const { resident, who, c, def } = read;
    if (!renewing(def) || !canActAsApplicant(who, c)) throw new AppError('FORBIDDEN');
    const posted = (req.body as Record<string, unknown> | undefined)?.from;
    const from = typeof posted === 'string' ? posted.slice(0, 20) : '';
    const caseHref = `/my/cases/${c.id}`;
    const refused = () => reply.page(<ClosedStepPage ctx={req.viewContext()} titleKey="queue.renewal.title" textKey="queue.renewal.notNow" caseTitle={`${pick(def.title, req.locale)} – ${c.reference}`} caseHref={caseHref} />, 409);
    const siteUrl = `${req.protocol}://${req.host}`;
    const now = app.clock.now();
    const fee = def.queue.renewal.fee;
    if (fee) {
      // Checked before the provider is asked: no payment is started for what cannot be renewed.
      const { rows } = await req.tdb.query<{ queue_date: string | null }>('SELECT min(queue_date)::text AS queue_date FROM queue_entries WHERE tenant_id = $1 AND case_id = $2', [c.id]);
      const queueDate = rows[0]?.queue_date;
      const state = queueDate ? await renewalOf(req.tdb, def, c.id, queueDate, stockholmToday(now)) : undefined;
      if (!state || !state.open || state.until !== from) return refused();
      const to = await app.payments.start(req.tdb, {
        purpose: 'queue-renewal',
        purposeId: c.id,
        payerId: resident.id,
        serviceId: def.id,
        amountOre: Math.round(fee.amount * 100),
        description: fee.description,
        ...(fee.vatRate !== undefined ? { vatRate: fee.vatRate } : {}),
        locale: req.locale,
        siteUrl,
        context: { from, siteUrl } satisfies RenewalContext as unknown as Record<string, unknown>,
      });
      return reply.redirect(to, 303);
    }
    try {
      await renew(req.tdb, def, c.id, { from, residentId: resident.id, paymentId: null, siteUrl, now });
    } catch (err) {
      if (err instanceof NotRenewableError) return refused();
      throw err;
    }
    return reply.redirect(`${caseHref}?done=renewed#notice`, 303);
  });
}
