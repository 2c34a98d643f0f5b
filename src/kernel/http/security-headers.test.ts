import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import helmet from '@fastify/helmet';
import { securityHeaders } from './security-headers.ts';

const OPTIONS = {
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], formAction: ["'self'", 'https://pay.example'], upgradeInsecureRequests: [] } },
  hsts: { maxAge: 31_536_000, includeSubDomains: true },
  crossOriginEmbedderPolicy: false,
  referrerPolicy: { policy: 'same-origin' as const },
};

// The headers computed once are the ones @fastify/helmet sends when it builds them per request.
test('securityHeaders gives what @fastify/helmet sends, X-Powered-By removed', async () => {
  const plugin = Fastify();
  await plugin.register(helmet, OPTIONS);
  plugin.get('/', async (_req, reply) => reply.send('ok'));
  const once = Fastify();
  const security = securityHeaders(OPTIONS);
  once.addHook('onRequest', (_req, reply, done) => {
    for (const [name, value] of security.set) reply.raw.setHeader(name, value);
    for (const name of security.remove) reply.raw.removeHeader(name);
    done();
  });
  once.get('/', async (_req, reply) => reply.send('ok'));
  const [a, b] = await Promise.all([plugin.inject('/'), once.inject('/')]);
  const strip = (h: Record<string, unknown>) => Object.fromEntries(Object.entries(h).filter(([k]) => !['date', 'x-powered-by'].includes(k)));
  assert.deepEqual(strip(b.headers), strip(a.headers));
  assert.match(String(b.headers['content-security-policy']), /form-action 'self' https:\/\/pay\.example/);
  assert.equal(b.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
  assert.equal(b.headers['x-powered-by'], undefined);
  await Promise.all([plugin.close(), once.close()]);
});
