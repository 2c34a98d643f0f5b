/**
 * The SMTP transport (nodemailer) for production: plain-text UTF-8 messages from SMTP_FROM over a
 * small connection pool. Nodemailer encodes the subject as RFC 2047 words and the body as
 * quoted-printable with charset utf-8, so å, ä and ö survive any relay.
 */
import nodemailer from 'nodemailer';
import type { Config } from '../../kernel/config.ts';
import type { MailTransport, OutgoingEmail } from './base.ts';

export class SmtpTransport implements MailTransport {
  readonly name = 'smtp';
  readonly #transporter: nodemailer.Transporter;
  readonly #from: string;

  constructor(smtp: Config['smtp'] & { host: string }) {
    this.#from = smtp.from;
    this.#transporter = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      auth: smtp.user ? { user: smtp.user, pass: smtp.password ?? '' } : undefined,
      // Never send a password in the clear: with credentials and no implicit TLS, demand STARTTLS.
      requireTLS: Boolean(smtp.user) && !smtp.secure,
      pool: true,
      maxConnections: 2,
      // A hung relay must not hold a worker batch for minutes (the claim's lease is five).
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
  }

  async send(m: OutgoingEmail): Promise<void> {
    await this.#transporter.sendMail({
      // In the municipality's name (ADR 0021); nodemailer encodes a name with å, ä, ö as RFC 2047.
      from: m.from ?? this.#from,
      to: m.to,
      subject: m.subject,
      text: m.text,
      // Stable across retries, so a receiving system can recognise a repeat delivery.
      messageId: `<${m.id}.${m.tenantId}@medborg>`,
    });
  }

  async close(): Promise<void> {
    this.#transporter.close();
  }
}
