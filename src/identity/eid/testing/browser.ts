/**
 * A minimal browser for tests that must go over real HTTP (the OIDC flows): it connects to the
 * app's loopback port whatever host a URL names (Node does not resolve *.localhost here), sends
 * that host in the Host header, keeps cookies per host and path, and follows redirects.
 */
import http from 'node:http';

export interface Page {
  url: string;
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

interface StoredCookie {
  name: string;
  value: string;
  path: string;
}

let browsersMade = 0;
/** 198.18.0.0/15 is reserved for benchmarking and testing (RFC 2544): 131,070 distinct addresses. */
function nextClientAddress(): string {
  const n = ++browsersMade;
  return `198.${18 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
}

export class TestBrowser {
  private readonly jars = new Map<string, StoredCookie[]>();
  /** Every URL this browser requested, in order. */
  readonly visited: string[] = [];
  /**
   * Each browser looks like its own client address to the app (rate limits count per address).
   * Addresses are handed out in turn, never drawn at random: two browsers of one test file sharing
   * an address would share a rate-limit counter, and a limit test would fail by chance.
   */
  readonly ip = nextClientAddress();

  constructor(
    private readonly port: number,
    private readonly headers: Record<string, string> = {},
  ) {}

  cookies(host: string): StoredCookie[] {
    return this.jars.get(host) ?? [];
  }

  cookie(host: string, name: string): string | undefined {
    return this.cookies(host).find((c) => c.name === name)?.value;
  }

  setCookie(host: string, name: string, value: string, path = '/'): void {
    const jar = this.cookies(host).filter((c) => !(c.name === name && c.path === path));
    jar.push({ name, value, path });
    this.jars.set(host, jar);
  }

  private store(host: string, setCookie: string[] | undefined): void {
    for (const line of setCookie ?? []) {
      const [pair, ...attrs] = line.split(';').map((s) => s.trim());
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i);
      const value = pair!.slice(i + 1);
      const path = attrs.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) || '/';
      const expired = attrs.some((a) => /^expires=Thu, 01 Jan 1970/i.test(a) || /^max-age=0$/i.test(a)) || value === '';
      const jar = this.cookies(host).filter((c) => !(c.name === name && c.path === path));
      if (!expired) jar.push({ name, value, path });
      this.jars.set(host, jar);
    }
  }

  async request(url: string, opts: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<Page> {
    const u = new URL(url);
    const cookieHeader = this.cookies(u.hostname)
      .filter((c) => u.pathname === c.path || u.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
    const body = opts.form ? new URLSearchParams(opts.form).toString() : undefined;
    this.visited.push(url);
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          // Every URL is served on loopback; its host name only goes in the Host header.
          host: '127.0.0.1',
          port: u.port ? Number(u.port) : this.port,
          method: opts.method ?? (opts.form ? 'POST' : 'GET'),
          path: u.pathname + u.search,
          headers: {
            host: u.host,
            'x-forwarded-for': this.ip,
            'accept-language': 'sv',
            ...this.headers,
            ...(cookieHeader ? { cookie: cookieHeader } : {}),
            ...(body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) } : {}),
            ...opts.headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            this.store(u.hostname, res.headers['set-cookie']);
            resolve({ url, status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
          });
        },
      );
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  /**
   * Requests url and follows redirects (as GET) until a page that is not a redirect, or until
   * `stopBefore` says a location should not be requested (it is then returned unvisited, status 0).
   */
  async go(
    url: string,
    opts: { method?: string; form?: Record<string, string>; stopBefore?: (location: URL) => boolean } = {},
  ): Promise<Page> {
    let page = await this.request(url, opts);
    for (let i = 0; i < 15 && page.status >= 300 && page.status < 400 && page.headers.location; i++) {
      const next = new URL(page.headers.location, page.url);
      if (opts.stopBefore?.(next)) return { url: next.href, status: 0, headers: {}, body: '' };
      page = await this.request(next.href);
    }
    return page;
  }
}

/** Reads a form's action and fields from HTML (enough for the pages under test). */
export function formFields(html: string, index = 0): { action: string; fields: Record<string, string> } {
  const forms = [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)];
  const form = forms[index];
  if (!form) throw new Error(`no form #${index} in page`);
  const action = /action="([^"]*)"/.exec(form[1]!)?.[1] ?? '';
  const fields: Record<string, string> = {};
  for (const m of form[2]!.matchAll(/<input\b([^>]*)>/g)) {
    const name = /name="([^"]*)"/.exec(m[1]!)?.[1];
    const type = /type="([^"]*)"/.exec(m[1]!)?.[1];
    if (name && type === 'hidden') fields[name] = decode(/value="([^"]*)"/.exec(m[1]!)?.[1] ?? '');
  }
  return { action: decode(action), fields };
}

export function decode(s: string): string {
  return s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}

/** A free TCP port on the loopback interface, for an app that must know its own address before it listens. */
export async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
