/**
 * Structured logs (pino through Fastify) with request ids. Personal identity numbers never reach a
 * log: known fields are redacted, and any 12-digit or YYMMDD-NNNN pattern in a message is masked.
 */
import type { FastifyServerOptions } from 'fastify';

const PIN = /\b(\d{2})?\d{6}[-+]?\d{4}\b/g;

export function maskPins(text: string): string {
  return text.replace(PIN, '[personnummer]');
}

export function loggerOptions(level: string, stream?: NodeJS.WritableStream): FastifyServerOptions['logger'] {
  return {
    level,
    ...(stream ? { stream } : {}),
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', '*.personalNumber', '*.personal_number', '*.pin', 'personalNumber', 'pin'],
      censor: '[redacted]',
    },
    serializers: {
      req(req: { method: string; url: string; id: string; hostname?: string }) {
        return { method: req.method, url: maskPins(req.url), id: req.id, host: req.hostname };
      },
    },
    hooks: {
      logMethod(args, method) {
        const masked = args.map((a) => (typeof a === 'string' ? maskPins(a) : a)) as Parameters<typeof method>;
        method.apply(this, masked);
      },
    },
  };
}
