/**
 * E-mail in the municipality's name (ADR 0021). Whatever module wrote a message to the outbox, it
 * leaves as the municipality that sent it: from the tenant's sender (tenants.yaml `mail`, default
 * its Swedish name at the address of SMTP_FROM) and ending with a signature of the municipality's
 * name and contact details, in the message's language. Added when the message is sent, in one
 * place, so no e-mail can leave as "Medborg" or without a way to reach a person.
 */
import type { Tenant } from '../kernel/tenants.ts';
import { defineMessages, pick, translate, type Locale } from '../kernel/i18n/index.ts';

defineMessages({
  'mail.signature.phone': { sv: 'Telefon: {phone}', en: 'Phone: {phone}' },
  'mail.signature.email': { sv: 'E-post: {email}', en: 'E-mail: {email}' },
  'mail.signature.address': { sv: 'Adress: {address}', en: 'Address: {address}' },
});

export interface Sender {
  name: string;
  address: string;
}

export interface Letterhead {
  from: Sender;
  /** The signature in a language: after the standard "-- " separator, so mail programs recognise it. */
  signature(l: Locale): string;
}

/** The address part of "Name <address>" or a bare address. */
export function addressOf(from: string): string {
  return /<([^<>]+)>\s*$/.exec(from)?.[1]?.trim() ?? from.trim();
}

export function letterheadOf(tenant: Tenant, installationFrom: string): Letterhead {
  const from = { name: tenant.mail?.fromName ?? tenant.name.sv, address: tenant.mail?.fromAddress ?? addressOf(installationFrom) };
  return {
    from,
    signature: (l) => {
      const c = tenant.contact;
      const lines = [pick(tenant.name, l), translate(l, 'mail.signature.phone', { phone: c.phone }), translate(l, 'mail.signature.email', { email: c.email }), translate(l, 'mail.signature.address', { address: c.address })];
      return `-- \n${lines.join('\n')}`;
    },
  };
}

/** "Söderå kommun <no-reply@sodera.example>", as a header and the demo mailbox show it (quoted when it has to be). */
export function formatSender(s: Sender): string {
  const name = /^[\p{L}\p{N} .'-]+$/u.test(s.name) ? s.name : `"${s.name.replace(/["\\]/g, '')}"`;
  return `${name} <${s.address}>`;
}
