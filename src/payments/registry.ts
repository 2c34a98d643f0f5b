/**
 * The payment-provider registry: PAYMENT_PROVIDER names one (the demo provider in demo mode when
 * unset; none otherwise, and then a service with a fee answers with the translated 503).
 */
import { ConfigError, type Config } from '../kernel/config.ts';
import type { PaymentProvider } from './provider.ts';
import { DemoPaymentProvider } from './demo-provider.tsx';

export type PaymentProviderFactory = (config: Config) => PaymentProvider;

const factories = new Map<string, PaymentProviderFactory>([['demo', (config) => new DemoPaymentProvider(`${config.sessionSecret}:test-pay`)]]);

/** Makes a provider selectable by name (PAYMENT_PROVIDER=name). */
export function registerPaymentProvider(name: string, factory: PaymentProviderFactory): void {
  factories.set(name, factory);
}

export function resolvePaymentProvider(config: Config, demo: boolean): PaymentProvider | undefined {
  const name = config.paymentProvider ?? (demo ? 'demo' : undefined);
  if (name === undefined || name === 'none') return undefined;
  if (name === 'demo' && config.env === 'production') throw new ConfigError('PAYMENT_PROVIDER', 'the demo payment provider takes no money and is refused in production');
  const factory = factories.get(name);
  if (!factory) throw new ConfigError('PAYMENT_PROVIDER', `unknown payment provider "${name}" (known: ${[...factories.keys()].join(', ')}, none)`);
  return factory(config);
}
