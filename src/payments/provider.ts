/**
 * The payment-provider contract. A provider takes payments on its own pages: Medborg creates a
 * payment with a return URL (the payer's browser comes back there) and a callback URL (the provider
 * tells Medborg, server to server), and asks the provider for a payment's status whenever it must
 * decide something — a return or a callback only says "look again", so neither can be forged into
 * a paid state. Refunds (whole or part) and holds (authorise now, capture or release later, for
 * bookings) are part of the contract. Adapters implement it; the demo provider is the reference.
 */

export type ProviderStatus = 'pending' | 'authorised' | 'paid' | 'failed' | 'cancelled' | 'released';

export interface CreatePaymentRequest {
  tenantId: string;
  /** Medborg's id of the payment (the provider's merchant reference). */
  paymentId: string;
  amountOre: number;
  currency: 'SEK';
  /** Shown to the payer on the provider's page. */
  description: string;
  locale: 'sv' | 'en';
  returnUrl: string;
  callbackUrl: string;
  /** Authorise (hold) only; capture or release later. */
  hold?: boolean;
}

export interface ProviderPaymentStatus {
  status: ProviderStatus;
  amountOre: number;
  refundedOre: number;
}

export interface PaymentProvider {
  /** A short name for configuration and the payments table, e.g. "demo". */
  readonly name: string;
  /** Creates the payment; returns the provider's reference and the page to send the payer to. */
  create(request: CreatePaymentRequest): Promise<{ reference: string; redirectUrl: string }>;
  status(tenantId: string, reference: string): Promise<ProviderPaymentStatus>;
  /** Refunds part or all of a paid payment; `refundId` makes a retried request do nothing twice. */
  refund(tenantId: string, reference: string, amountOre: number, refundId: string): Promise<void>;
  /** Takes a held (authorised) payment, whole or part. */
  capture(tenantId: string, reference: string, amountOre?: number): Promise<void>;
  /** Lets a held payment go: nothing is taken. */
  release(tenantId: string, reference: string): Promise<void>;
  /**
   * Checks a callback's authenticity (its signature) and says which payment it is about, or
   * undefined for a callback this provider did not send. Even an authentic callback changes
   * nothing by itself: the status is asked again.
   */
  verifyCallback(headers: Record<string, string | string[] | undefined>, body: unknown): { reference: string } | undefined;
}
