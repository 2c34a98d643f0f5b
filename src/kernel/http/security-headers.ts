/**
 * The security headers (helmet's), computed once at start-up and set on every answer.
 *
 * @fastify/helmet builds helmet's middleware anew for every request, parsing and joining the
 * Content-Security-Policy directives each time (4–5% of the server's CPU for a form page in
 * bench:forms, ADR 0019). The headers depend on the configuration only, so helmet runs once here
 * against a recording response and each request gets the recorded headers.
 */
import { createRequire } from 'node:module';

type Middleware = (req: unknown, res: { setHeader(name: string, value: string | number | readonly string[]): unknown; removeHeader(name: string): unknown }, next: (err?: unknown) => void) => void;

// helmet itself, the one @fastify/helmet uses (its dependency, resolved from there), so the
// headers are exactly those the plugin would send; no package of our own.
const fromPlugin = createRequire(createRequire(import.meta.url).resolve('@fastify/helmet'));
const helmet = fromPlugin('helmet') as (options: object) => Middleware;

export interface SecurityHeaders {
  /** Lower-case name → value, in helmet's order. */
  set: [string, string | number | readonly string[]][];
  /** Headers helmet removes (X-Powered-By). */
  remove: string[];
}

/** The headers helmet sets for these options (its own option names, as @fastify/helmet takes them). */
export function securityHeaders(options: object): SecurityHeaders {
  const out: SecurityHeaders = { set: [], remove: [] };
  helmet(options)(
    {},
    {
      setHeader: (name, value) => out.set.push([name.toLowerCase(), value]),
      removeHeader: (name) => out.remove.push(name.toLowerCase()),
    },
    (err) => {
      if (err) throw err;
    },
  );
  return out;
}
