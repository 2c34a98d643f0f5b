/** Helpers for the staff module's tests: a cookie-keeping browser over inject(), staff to sign in as, a tenants file with identity providers. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import YAML from 'yaml';
import { tenantScope } from '../../kernel/db/index.ts';
import { CookieJar, csrfFrom, NORRBY, repoRoot, type TestApp } from '../../../test/helpers/app.ts';
import { createStaffAccount, totpCode, type CreatedStaffAccount } from './index.ts';

export const PASSWORD = 'correct horse battery staple';
/** A fixed base32 TOTP secret, as a demo would document it. */
export const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

export type Form = Record<string, string | string[]>;

/** A browser: keeps cookies, sends the Host header of its municipality and a client IP. */
export class Browser {
  readonly jar = new CookieJar();
  constructor(
    private readonly t: TestApp,
    readonly host = NORRBY,
    readonly ip = '127.0.0.1',
    readonly lang = 'sv',
  ) {}

  get session(): string | undefined {
    return this.jar.cookies.get('mb_sid');
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    const r = await this.t.app.inject({
      method: 'GET',
      url,
      headers: { host: this.host, cookie: this.jar.header(), 'accept-language': this.lang },
      remoteAddress: this.ip,
    });
    this.jar.store(r.headers['set-cookie']);
    return r;
  }

  async post(url: string, form: Form): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) for (const x of [v].flat()) body.append(k, x);
    const r = await this.t.app.inject({
      method: 'POST',
      url,
      headers: {
        host: this.host,
        cookie: this.jar.header(),
        'accept-language': this.lang,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: body.toString(),
      remoteAddress: this.ip,
    });
    this.jar.store(r.headers['set-cookie']);
    return r;
  }

  /** Opens page, then posts form (with the page's CSRF token) to action (default: the page). */
  async submit(page: string, form: Form, action = page): Promise<LightMyRequestResponse> {
    const p = await this.get(page);
    if (p.statusCode !== 200) throw new Error(`GET ${page} answered ${p.statusCode} ${String(p.headers.location ?? '')}`);
    return this.post(action, { _csrf: csrfFrom(p.body), ...form });
  }

  /** Signs in with password and TOTP; returns the final redirect's location. */
  async signIn(username: string, secret = SECRET, password = PASSWORD): Promise<string> {
    const first = await this.submit('/staff/sign-in', { username, password });
    if (first.statusCode !== 303) throw new Error(`password step answered ${first.statusCode}`);
    const second = await this.submit('/staff/sign-in/code', { code: totpCode(secret, this.t.clock.now()) });
    if (second.statusCode !== 303) throw new Error(`code step answered ${second.statusCode}: ${second.body.slice(0, 200)}`);
    return String(second.headers.location);
  }
}

let counter = 0;

/** Creates an enrolled staff member (TOTP secret SECRET unless totp: false) in a tenant. */
export async function makeStaff(
  t: TestApp,
  username: string,
  opts: { tenant?: string; roles?: string[]; departments?: string[]; totp?: boolean; mustChangePassword?: boolean } = {},
): Promise<CreatedStaffAccount> {
  const tenant = t.tenants.byId(opts.tenant ?? 'norrby')!;
  counter += 1;
  return createStaffAccount(tenantScope(t.tdb.db, tenant.id), {
    tenant,
    sessionSecret: t.config.sessionSecret,
    username,
    displayName: `Test Person ${counter}`,
    email: `${username}@example.org`,
    roles: opts.roles ?? ['handler'],
    departments: opts.departments ?? ['education'],
    password: PASSWORD,
    totpSecret: opts.totp === false ? undefined : SECRET,
    mustChangePassword: opts.mustChangePassword,
    now: t.clock.now(),
  });
}

/** Moves the test clock on by one TOTP step, so the next code differs from the last one used. */
export function nextStep(t: TestApp): void {
  t.clock.set(new Date(t.clock.now().getTime() + 30_000));
}

/**
 * The i-th of a run of distinct codes that are all wrong at `now`: none is the code of the current
 * time step or of one either side (which would be accepted for clock drift), nor of the step after.
 */
export function wrongCode(now: Date, i: number, secret = SECRET): string {
  const near = new Set([-1, 0, 1, 2].map((k) => totpCode(secret, new Date(now.getTime() + k * 30_000))));
  const codes: string[] = [];
  for (let n = 1; codes.length <= i; n++) {
    const code = String((Number(totpCode(secret, now)) + n * 7_919) % 1_000_000).padStart(6, '0');
    if (!near.has(code)) codes.push(code);
  }
  return codes[i]!;
}

/**
 * A copy of the shipped tenants file with a staffOidc entry for the given tenants (paths made
 * absolute, so the copy can live in a temporary folder); for MEDBORG_TENANTS. Returns its path and
 * a function that removes it.
 */
export function tenantsFileWithStaffOidc(entries: Record<string, Record<string, unknown>>): { file: string; remove(): void } {
  const doc = YAML.parse(readFileSync(path.join(repoRoot, 'tenants.yaml'), 'utf8')) as { sharedCatalogue?: string; tenants: Record<string, unknown>[] };
  if (doc.sharedCatalogue) doc.sharedCatalogue = path.resolve(repoRoot, doc.sharedCatalogue);
  for (const t of doc.tenants) {
    t.catalogue = path.resolve(repoRoot, String(t.catalogue));
    if (t.logo) t.logo = path.resolve(repoRoot, String(t.logo));
    const entry = entries[String(t.id)];
    if (entry) t.staffOidc = entry;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'medborg-tenants-'));
  const file = path.join(dir, 'tenants.yaml');
  writeFileSync(file, YAML.stringify(doc));
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
