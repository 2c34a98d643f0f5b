/**
 * The demo payment provider, mounted at /test-pay (demo mode and tests only), like the test e-ID
 * provider at /test-idp: its own pages, where the payer chooses what happens — the payment
 * succeeds, fails or is cancelled — and, to try what real providers do, whether the callback comes
 * at once, twice, or only later (a button on its page, or `sendCallback` in tests). Its payments
 * live in this process's memory: it stands for an outside service, and demo mode runs one node.
 * Callbacks are signed with HMAC-SHA256 over the reference and the time sent.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { translator, type Locale, type Translate } from '../kernel/i18n/index.ts';
import { renderDocument } from '../kernel/html/render.ts';
import type { ComponentChildren } from 'preact';
import type { CreatePaymentRequest, PaymentProvider, ProviderPaymentStatus, ProviderStatus } from './provider.ts';
import { formatAmount } from './fee.ts';
import './messages.ts';

export const TEST_PAY_PATH = '/test-pay';
const CSS_PATH = `${TEST_PAY_PATH}/assets/test-pay.css`;
export const SIGNATURE_HEADER = 'x-test-pay-signature';

interface DemoPayment extends CreatePaymentRequest {
  reference: string;
  status: ProviderStatus;
  refundedOre: number;
  refundIds: Set<string>;
}

export type Choice = 'succeed' | 'succeedLate' | 'succeedTwice' | 'fail' | 'cancel';
const CHOICES: readonly Choice[] = ['succeed', 'succeedLate', 'succeedTwice', 'fail', 'cancel'];

/** Sends a callback to the app: the plugin wires it to the app itself (demo mode runs in one process). */
export type Deliver = (url: string, body: unknown, headers: Record<string, string>) => Promise<void>;

export class DemoPaymentProvider implements PaymentProvider {
  readonly name = 'demo';
  private readonly payments = new Map<string, DemoPayment>();
  deliver: Deliver = async () => {
    throw new Error('the demo payment provider has no way to call back (mount it with demoPaymentPages)');
  };

  constructor(private readonly secret: string) {}

  async create(request: CreatePaymentRequest): Promise<{ reference: string; redirectUrl: string }> {
    const reference = `DEMO-${randomUUID()}`;
    this.payments.set(reference, { ...request, reference, status: 'pending', refundedOre: 0, refundIds: new Set() });
    return { reference, redirectUrl: `${new URL(request.returnUrl).origin}${TEST_PAY_PATH}/${reference}` };
  }

  private find(reference: string): DemoPayment {
    const p = this.payments.get(reference);
    if (!p) throw new Error(`the demo provider has no payment ${reference}`);
    return p;
  }

  /** The payment as the provider holds it (its pages; tests). */
  payment(reference: string): Readonly<DemoPayment> | undefined {
    return this.payments.get(reference);
  }

  async status(_tenantId: string, reference: string): Promise<ProviderPaymentStatus> {
    const p = this.payments.get(reference);
    if (!p) return { status: 'failed', amountOre: 0, refundedOre: 0 };
    return { status: p.status, amountOre: p.amountOre, refundedOre: p.refundedOre };
  }

  async refund(_tenantId: string, reference: string, amountOre: number, refundId: string): Promise<void> {
    const p = this.find(reference);
    if (p.refundIds.has(refundId)) return;
    if (p.status !== 'paid' || amountOre <= 0 || p.refundedOre + amountOre > p.amountOre) throw new Error('the demo provider refuses the refund');
    p.refundIds.add(refundId);
    p.refundedOre += amountOre;
  }

  async capture(_tenantId: string, reference: string, amountOre?: number): Promise<void> {
    const p = this.find(reference);
    if (p.status !== 'authorised') throw new Error('only a held payment can be captured');
    if (amountOre !== undefined) {
      if (amountOre <= 0 || amountOre > p.amountOre) throw new Error('cannot capture more than was held');
      p.amountOre = amountOre;
    }
    p.status = 'paid';
  }

  async release(_tenantId: string, reference: string): Promise<void> {
    const p = this.find(reference);
    if (p.status !== 'authorised') throw new Error('only a held payment can be released');
    p.status = 'released';
  }

  /** The payer's choice on the provider's page; returns how many callbacks to send now. */
  choose(reference: string, choice: Choice): number {
    const p = this.find(reference);
    if (p.status === 'pending') {
      if (choice === 'fail') p.status = 'failed';
      else if (choice === 'cancel') p.status = 'cancelled';
      else p.status = p.hold ? 'authorised' : 'paid';
    }
    return choice === 'succeedLate' ? 0 : choice === 'succeedTwice' ? 2 : 1;
  }

  sign(reference: string, sentAt: string): string {
    return createHmac('sha256', this.secret).update(`${reference}.${sentAt}`).digest('base64url');
  }

  /** Sends the callback for a payment now (the "late" button; tests). */
  async sendCallback(reference: string): Promise<void> {
    const p = this.find(reference);
    const sentAt = new Date().toISOString();
    await this.deliver(p.callbackUrl, { reference, sentAt }, { [SIGNATURE_HEADER]: this.sign(reference, sentAt) });
  }

  verifyCallback(headers: Record<string, string | string[] | undefined>, body: unknown): { reference: string } | undefined {
    const b = body as { reference?: unknown; sentAt?: unknown } | undefined;
    const sig = headers[SIGNATURE_HEADER];
    if (!b || typeof b.reference !== 'string' || typeof b.sentAt !== 'string' || typeof sig !== 'string') return undefined;
    const expected = Buffer.from(this.sign(b.reference, b.sentAt));
    const given = Buffer.from(sig);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    return { reference: b.reference };
  }
}

function PayFrame({ locale, t, title, children }: { locale: Locale; t: Translate; title: string; children: ComponentChildren }) {
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} – ${t('payments.demo.serviceName')}`}</title>
        <link rel="stylesheet" href={CSS_PATH} />
      </head>
      <body>
        {/* In the banner landmark: content outside every landmark is missed by people who move by landmarks. */}
        <header class="pay-banner">{t('payments.demo.serviceName')}</header>
        <main class="pay-main" id="main">
          {children}
        </main>
      </body>
    </html>
  );
}

function PayPage({ p, locale }: { p: DemoPayment; locale: Locale }) {
  const t = translator(locale);
  const title = t('payments.demo.title');
  const action = `${TEST_PAY_PATH}/${p.reference}`;
  return (
    <PayFrame locale={locale} t={t} title={title}>
      <h1>{title}</h1>
      <p>{p.description}</p>
      <p>
        <strong>
          {t('payments.demo.amount')}: {formatAmount(p.amountOre, locale)}
        </strong>
      </p>
      {p.status === 'pending' ? (
        <form method="post" action={action}>
          <fieldset>
            <legend>{t('payments.demo.choose')}</legend>
            {CHOICES.map((c, i) => (
              <div class="pay-choice" key={c}>
                <input type="radio" name="choice" id={`choice-${c}`} value={c} checked={i === 0} />
                <label for={`choice-${c}`}>{t(`payments.demo.choice.${c}`)}</label>
              </div>
            ))}
          </fieldset>
          <div class="pay-actions">
            <button class="pay-primary" type="submit">
              {t('payments.demo.continue')}
            </button>
          </div>
        </form>
      ) : (
        <>
          <p>{t(`payments.demo.status.${p.status}`)}</p>
          <form method="post" action={`${action}/callback`} class="pay-actions">
            <button class="pay-secondary" type="submit">
              {t('payments.demo.sendCallback')}
            </button>
            <a href={p.returnUrl}>{t('payments.demo.back')}</a>
          </form>
        </>
      )}
    </PayFrame>
  );
}

const routeConfig = { tenantless: true, csrf: false };
const css = readFileSync(new URL('./demo-provider.css', import.meta.url), 'utf8');

/** Mounts the demo provider's pages and wires its callbacks to this app. Demo mode and tests only. */
export async function demoPaymentPages(app: FastifyInstance, provider: DemoPaymentProvider): Promise<void> {
  provider.deliver = async (url, body, headers) => {
    const u = new URL(url);
    const r = await app.inject({ method: 'POST', url: u.pathname, headers: { host: u.host, 'content-type': 'application/json', ...headers }, payload: JSON.stringify(body) });
    if (r.statusCode >= 300) app.log.warn({ status: r.statusCode }, 'demo payment provider: the callback was not accepted');
  };
  const sendPage = (reply: import('fastify').FastifyReply, body: string, status = 200) =>
    reply
      .code(status)
      .header('content-security-policy', "default-src 'self'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(body);
  const notFound = (reply: import('fastify').FastifyReply) => reply.code(404).type('text/plain; charset=utf-8').send('Not found');

  app.get(CSS_PATH, { config: routeConfig }, async (_req, reply) => reply.header('content-type', 'text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(css));

  app.get(`${TEST_PAY_PATH}/:reference`, { config: routeConfig }, async (req, reply) => {
    const p = provider.payment((req.params as { reference: string }).reference);
    if (!p) return notFound(reply);
    return sendPage(reply, renderDocument(<PayPage p={p as DemoPayment} locale={p.locale} />));
  });

  app.post(`${TEST_PAY_PATH}/:reference`, { config: routeConfig }, async (req, reply) => {
    const { reference } = req.params as { reference: string };
    const p = provider.payment(reference);
    if (!p) return notFound(reply);
    const choice = (req.body as { choice?: unknown } | undefined)?.choice;
    if (typeof choice !== 'string' || !(CHOICES as readonly string[]).includes(choice)) return reply.redirect(`${TEST_PAY_PATH}/${reference}`, 303);
    const callbacks = provider.choose(reference, choice as Choice);
    for (let i = 0; i < callbacks; i++) await provider.sendCallback(reference);
    return reply.redirect(p.returnUrl, 303);
  });

  app.post(`${TEST_PAY_PATH}/:reference/callback`, { config: routeConfig }, async (req, reply) => {
    const { reference } = req.params as { reference: string };
    if (!provider.payment(reference)) return notFound(reply);
    await provider.sendCallback(reference);
    return reply.redirect(`${TEST_PAY_PATH}/${reference}`, 303);
  });
}
