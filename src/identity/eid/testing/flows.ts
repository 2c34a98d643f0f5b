/** Sign-in steps the e-ID tests share: start at Medborg, choose a test person, come back. */
import type { Writable } from 'node:stream';
import { PassThrough } from 'node:stream';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { decode, formFields, freePort, TestBrowser, type Page } from './browser.ts';

export interface ListeningApp extends TestApp {
  port: number;
  /** http://127.0.0.1:port — the base URL the app was configured with. */
  base: string;
  /** Origin of a tenant host on this app's port. */
  origin(host: string): string;
  browser(): TestBrowser;
  logs(): string;
}

/** Builds the app for a free port (its issuer URL must name the port) and listens on it. */
export async function listeningApp(opts: { env?: Record<string, string>; demo?: boolean } = {}): Promise<ListeningApp> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const chunks: string[] = [];
  const logStream: Writable = new PassThrough();
  logStream.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  // The test browsers stand behind a "proxy" on loopback: each one sends its own client address in
  // X-Forwarded-For, so per-IP rate limits count each browser separately, as in production.
  const t = await createTestApp({ demo: opts.demo ?? true, env: { BASE_URL: base, PORT: String(port), TRUST_PROXY: '127.0.0.1', ...opts.env }, logStream });
  await t.app.listen({ port, host: '127.0.0.1' });
  return {
    ...t,
    port,
    base,
    origin: (host) => `http://${host}:${port}`,
    browser: () => new TestBrowser(port),
    logs: () => chunks.join(''),
  };
}

/** The value of the radio button labelled with a test person's name on the test provider's page. */
export function personValue(html: string, name: string): string {
  const m = new RegExp(`value="([^"]+)"[^>]*/?>\\s*<label[^>]*>${name}</label>`).exec(html);
  if (!m) throw new Error(`no test person ${name} on the page`);
  return decode(m[1]!);
}

const isCallback = (u: URL) => u.pathname === '/sign-in/callback';

/**
 * Starts a sign-in at origin and chooses `person` at the provider. Stops before the browser
 * returns to Medborg and gives the callback URL, so a test can tamper with it or replay it.
 */
export async function signInUpToCallback(b: TestBrowser, origin: string, person: string, back = '/my/profile'): Promise<string> {
  const login = await b.go(`${origin}/sign-in?back=${encodeURIComponent(back)}`);
  if (login.status !== 200 || !login.body.includes('name="person"')) throw new Error(`expected the test provider's login page, got ${login.status} ${login.url}`);
  const { action, fields } = formFields(login.body, 0);
  const back2 = await b.go(new URL(action, login.url).href, { form: { ...fields, person: personValue(login.body, person) }, stopBefore: isCallback });
  if (back2.status !== 0) throw new Error(`expected a redirect to the callback, got ${back2.status} ${back2.url}`);
  return back2.url;
}

/** The whole sign-in: returns the page the resident lands on. */
export async function signIn(b: TestBrowser, origin: string, person: string, back = '/my/profile'): Promise<Page> {
  return b.go(await signInUpToCallback(b, origin, person, back));
}
