/**
 * The HTTP kernel: what every request shares before a module's route runs. It resolves the
 * tenant from the Host header, the language, and the session; checks CSRF tokens on every
 * unsafe method; sets security headers; serves assets; and renders translated error pages.
 * It breaks Fastify's encapsulation on purpose (fastify-plugin): it is shared infrastructure.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import type { VNode } from 'preact';
import { isConnectionFault, tenantScope, type Database, type TenantScope } from '../db/index.ts';
import type { Config } from '../config.ts';
import type { Clock } from '../clock.ts';
import { AppError, errorCatalogue, type ErrorCode } from '../errors.ts';
import { DEFAULT_LOCALE, isLocale, negotiateLocale, translator, type Locale, type Translate } from '../i18n/index.ts';
import '../i18n/common.ts';
import type { AssetBundle } from '../html/assets.ts';
import type { ViewContext, ViewUser } from '../html/context.ts';
import { renderDocument } from '../html/render.ts';
import type { Tenant, TenantRegistry } from '../tenants.ts';
import { SessionStore, type Session, type SessionCompanion, type SessionKind, type SessionSubject, type SessionWrite } from './session.ts';
import { ErrorPage, UnknownTenantPage } from './error-page.tsx';
import { safeBackPath } from './back-path.ts';
import { cleanInput, cleanString } from './clean-input.ts';
import { securityHeaders } from './security-headers.ts';
import { assertMultipartMayBeRead, readForm, type MultipartForm } from './multipart.ts';

export type { Session, SessionCompanion, SessionKind, SessionSubject, SessionWrite } from './session.ts';
export { SessionStore } from './session.ts';
export { limitAttempt, type AttemptLimit } from './attempt-limit.ts';
export { type MultipartForm, type MultipartLimits, type MultipartConfig, type UploadedFile } from './multipart.ts';
export { clientErrorResponse } from './error-page.tsx';

export const SESSION_COOKIE = 'mb_sid';
export const LANG_COOKIE = 'mb_lang';
/** Retry-After on the "database unavailable" answer: about as long as a restart or failover takes to begin answering. */
const DATABASE_RETRY_AFTER_SECONDS = 5;

declare module 'fastify' {
  interface FastifyRequest {
    tenant: Tenant;
    locale: Locale;
    t: Translate;
    session: Session | undefined;
    /**
     * The row the route's config.withSession asked for, read with the session: null when it has none,
     * undefined when it was not read (no live session, or the route asked for nothing here).
     */
    sessionCompanion: Record<string, unknown> | null | undefined;
    /** The request came with a session cookie whose session has ended (idle or signed out elsewhere). */
    sessionEnded: boolean;
    /**
     * The session was not read before the route (config.sessionWrite, a form post): the route writes
     * with the session checked in its statement (sessions.writeWith), or reads it (sessions.load) and
     * checks the CSRF token (assertCsrf) before anything else.
     */
    sessionDeferred: boolean;
    /** The data layer, scoped to this request's tenant. */
    tdb: TenantScope;
    viewContext(): ViewContext;
  }
  interface FastifyReply {
    /** Renders a page component as a full HTML document. */
    page(vnode: VNode, status?: number): FastifyReply;
  }
  interface FastifyContextConfig {
    /** false: this route takes unsafe methods without a CSRF token (it authenticates otherwise). */
    csrf?: boolean;
    /** true: no tenant is needed (health checks, the test e-ID provider). */
    tenantless?: boolean;
    /** A row to read in the session's own statement (session.ts, SessionCompanion); undefined: none. */
    withSession?: (req: FastifyRequest) => SessionCompanion | undefined;
    /**
     * true: a form post (not multipart) to this route is not preceded by the session read nor the
     * CSRF check: the route tries sessions.writeWith first and otherwise calls sessions.load and
     * assertCsrf itself (req.sessionDeferred says which requests).
     */
    sessionWrite?: boolean;
  }
}

export interface HttpKernelOptions {
  config: Config;
  db: Database;
  tenants: TenantRegistry;
  assets: AssetBundle;
  clock: Clock;
  demo: boolean;
  /** Extra origins forms may post to or redirect through (e-ID providers' sign-out). */
  formActionOrigins?: string[];
  /** Tables of signed-in people, read together with the session (residents, from identity/eid). */
  sessionSubjects?: SessionSubject[];
  /**
   * The names of a signed-in person's roles, from their subject row's `roles` (staff, from
   * identity/staff): the header names them. Read with the session, so a changed role shows at once.
   */
  roleNames?: (req: FastifyRequest, roles: readonly string[]) => string[];
}

/** Who the header says is signed in; the identity modules put displayName in the session at sign-in. */
function viewUserOf(req: FastifyRequest, roleNames: HttpKernelOptions['roleNames']): ViewUser | undefined {
  const session = req.session;
  if (!session || (session.kind !== 'resident' && session.kind !== 'staff')) return undefined;
  const name = typeof session.data.displayName === 'string' ? session.data.displayName : '';
  const roles = session.subject?.roles;
  return { kind: session.kind, name, ...(roleNames && Array.isArray(roles) ? { roles: roleNames(req, roles.map(String)) } : {}) };
}

/** The session data key that sign-in carries from the session before it to the new one (SessionControl.start). */
export const KEPT_THROUGH_SIGN_IN = 'keptThroughSignIn';

/**
 * Throws CSRF_INVALID unless the request carries its session's CSRF token, in the form or the
 * X-CSRF-Token header. The kernel checks every unsafe request; a route configured with
 * `csrf: false` (sign-out, which must work after the session expired) calls it itself.
 * `formToken`: the form's `_csrf` value(s) (readMultipartForm passes those of a multipart form).
 */
export function assertCsrf(req: FastifyRequest, formToken: unknown = (req.body as Record<string, unknown> | undefined)?._csrf): void {
  const sent = formToken ?? req.headers['x-csrf-token'];
  if (!req.session || typeof sent !== 'string' || !tokensEqual(sent, req.session.csrfToken)) {
    throw new AppError('CSRF_INVALID');
  }
}

/**
 * Reads the multipart form of a route that declares `config: { multipart: limits }`: the CSRF token
 * is checked before the first file is read, and each file is kept only up to its limit
 * (kernel/http/multipart.ts). Field values are cleaned like every posted string.
 */
export function readMultipartForm(req: FastifyRequest): Promise<MultipartForm> {
  return readForm(req, (formToken) => assertCsrf(req, formToken), cleanString);
}

function tokensEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Sessions for one request: create, rotate at sign-in, end. */
export interface SessionControl {
  /** The current session, creating an anonymous one when there is none (forms need a CSRF token). */
  ensure(req: FastifyRequest, reply: FastifyReply): Promise<Session>;
  /** Starts a fresh session (a new token: rotation at sign-in) and ends the old one. */
  start(req: FastifyRequest, reply: FastifyReply, kind: SessionKind, subjectId: string | null, data?: Record<string, unknown>): Promise<Session>;
  update(req: FastifyRequest, patch: Partial<Pick<Session, 'data' | 'locale'>>): Promise<Session>;
  end(req: FastifyRequest, reply: FastifyReply): Promise<void>;
  endAllFor(req: FastifyRequest, subjectId: string): Promise<void>;
  /**
   * A deferred request (req.sessionDeferred): the route's write with the session and the posted CSRF
   * token checked in its statement (SessionWrite). Its rows; none when nothing was written (no
   * cookie, no token posted, the session ended, needs its touch or has another token, or the
   * statement's own conditions did not hold): the route then calls load() and assertCsrf().
   */
  writeWith<R>(req: FastifyRequest, write: SessionWrite): Promise<R[]>;
  /** A deferred request: reads the session (and the route's companion) as the kernel does before other routes. */
  load(req: FastifyRequest, reply: FastifyReply): Promise<void>;
  store: SessionStore;
}

declare module 'fastify' {
  interface FastifyInstance {
    sessions: SessionControl;
    clock: Clock;
    appConfig: Config;
    demo: boolean;
    db: Database;
    tenants: TenantRegistry;
    /** Every route registered after the kernel, as registered (no HEAD twins): tests cover each one. */
    routeTable: readonly RouteEntry[];
  }
}

export interface RouteEntry {
  method: string;
  url: string;
}

async function httpKernel(app: FastifyInstance, opts: HttpKernelOptions): Promise<void> {
  const { config, db, tenants, assets, clock } = opts;
  const secure = config.baseUrl.startsWith('https://');
  const store = new SessionStore(config.sessionIdleMinutes * 60_000, opts.sessionSubjects ?? []);

  app.decorate('clock', clock);
  app.decorate('appConfig', config);
  app.decorate('demo', opts.demo);
  app.decorate('db', db);
  app.decorate('tenants', tenants);
  // Fastify has no public route list; the isolation tests need one to prove every route with an
  // id is covered. Recording it costs one array push per route at start-up.
  const routeTable: RouteEntry[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routeTable.push({ method, url: route.url });
  });

  await app.register(cookie, { secret: config.sessionSecret });
  await app.register(formbody, { bodyLimit: 256 * 1024 });
  // Multipart bodies are only marked here, never read: a route that takes files reads its form with
  // readMultipartForm, after the checks below. The limits are the route's (config.multipart).
  await app.register(multipart, { throwFileSizeLimit: false });
  // Helmet's headers, computed once (security-headers.ts): they depend on the configuration only.
  const security = securityHeaders({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        // The location field's map tiles, when a tile server is configured (ADR 0020).
        imgSrc: ["'self'", 'data:', ...(config.map ? [config.map.imgOrigin] : [])],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'", ...(opts.formActionOrigins ?? [])],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
        ...(secure ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    hsts: secure ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'same-origin' },
  });

  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure };

  app.decorateRequest('tenant', null as unknown as Tenant);
  app.decorateRequest('locale', DEFAULT_LOCALE);
  app.decorateRequest('t', null as unknown as Translate);
  app.decorateRequest('session', undefined);
  app.decorateRequest('sessionCompanion', undefined);
  app.decorateRequest('sessionEnded', false);
  app.decorateRequest('sessionDeferred', false);
  app.decorateRequest('tdb', null as unknown as TenantScope);
  app.decorateRequest('viewContext', function (this: FastifyRequest): ViewContext {
    const theme = assets.themes.get(this.tenant.id)!;
    return {
      tenant: this.tenant,
      locale: this.locale,
      t: this.t,
      path: this.url,
      csrfToken: this.session?.csrfToken,
      user: viewUserOf(this, opts.roleNames),
      demo: opts.demo,
      assets: { css: assets.css.url, js: assets.js.url, expressions: assets.expressions.url, theme: theme.url, icon: assets.icons.get(this.tenant.id)!.url, logo: assets.logos.get(this.tenant.id)?.url },
      // What is really left (the session was touched above), so the warning comes in time.
      sessionSecondsLeft: this.session && this.session.kind !== 'anonymous' ? store.secondsLeft(this.session, clock.now()) : undefined,
    };
  });
  app.decorateReply('page', function (this: FastifyReply, vnode: VNode, status = 200) {
    // Sent as bytes, encoded once: a rendered page is a rope of many pieces with characters beyond
    // Latin-1 (–, ”), and a string payload is flattened and measured for Content-Length by Fastify,
    // then encoded again by the socket's write (together ~30% of a form step's CPU; ADR 0019).
    const body = Buffer.from(renderDocument(vnode), 'utf8');
    return this.code(status).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
  });

  // One hook before the route: the security headers, then tenant, language and session (one statement).
  app.addHook('onRequest', async (req, reply) => {
    const raw = reply.raw;
    for (const [name, value] of security.set) raw.setHeader(name, value);
    for (const name of security.remove) raw.removeHeader(name);
    const cfg = req.routeOptions.config;
    if (cfg?.tenantless || req.url.startsWith('/assets/')) return;
    const tenant = tenants.forHost(req.headers.host);
    req.locale = isLocale(req.cookies[LANG_COOKIE]) ? (req.cookies[LANG_COOKIE] as Locale) : negotiateLocale(req.headers['accept-language']);
    req.t = translator(req.locale);
    if (!tenant) {
      return reply.code(404).header('content-type', 'text/html; charset=utf-8').send(renderDocument(UnknownTenantPage({ t: req.t, locale: req.locale })));
    }
    req.tenant = tenant;
    req.tdb = tenantScope(db, tenant.id);
    // A form post to a route that checks the session in its own write: read later, if at all.
    if (cfg?.sessionWrite && req.method === 'POST' && (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      req.sessionDeferred = true;
      return;
    }
    await readSession(req, reply);
  });

  /** The session of the cookie (with the route's companion row), touched; an ended one's cookie cleared. */
  async function readSession(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const token = req.cookies[SESSION_COOKIE];
    if (!token) return;
    const now = clock.now();
    const extra = req.routeOptions.config?.withSession?.(req);
    let found: Session | undefined;
    if (extra) {
      const read = await store.findWith(req.tdb, token, now, extra);
      found = read.session;
      req.sessionCompanion = read.companion;
    } else found = await store.find(req.tdb, token, now);
    if (found) req.session = await store.touch(req.tdb, found, now);
    else {
      req.sessionEnded = true;
      reply.clearCookie(SESSION_COOKIE, cookieOptions);
    }
  }

  // NUL cannot be stored in PostgreSQL text or jsonb and no person types it: strip it from every
  // posted string and query parameter before a route sees it (and replace lone surrogates), so
  // hostile input cannot turn into a 500; input nested absurdly deep is a 400 (clean-input.ts).
  // (Callback hooks, not async ones, where nothing is awaited: no promise per request.)
  app.addHook('preValidation', (req, _reply, done) => {
    try {
      if (req.body && typeof req.body === 'object') req.body = cleanInput(req.body);
      if (req.query && typeof req.query === 'object') req.query = cleanInput(req.query);
    } catch (err) {
      return done(err as Error);
    }
    done();
  });

  // CSRF: every unsafe method must carry the session's token, in the form or a header. A multipart
  // body has not been read at this point: what can be decided without it (a session, a route that
  // takes files, a length within its limits) is decided now, and the token before the first file.
  app.addHook('preHandler', (req, _reply, done) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS' || req.sessionDeferred) return done();
    if (req.isMultipart()) {
      assertMultipartMayBeRead(req, assertCsrf).then(() => done(), done);
      return;
    }
    if (req.routeOptions.config?.csrf === false || req.routeOptions.config?.tenantless) return done();
    try {
      assertCsrf(req);
    } catch (err) {
      return done(err as Error);
    }
    done();
  });

  // A body refused before it was all read (an upload without a session, say) is not read to its end
  // afterwards, as Node would to keep the connection: the connection is closed after the answer, so
  // a sender cannot make the server take in tens of megabytes it throws away.
  app.addHook('onSend', (req, reply, payload, done) => {
    // (inject() requests have no socket to close: they say nothing about their body's end.)
    if (req.raw.complete === false && !req.raw.readableEnded && req.raw.socket instanceof Socket) {
      reply.header('connection', 'close');
      closeWithoutReading(req.raw);
    }
    done(null, payload);
  });

  const sessions: SessionControl = {
    store,
    async ensure(req, reply) {
      if (req.session) return req.session;
      const { token, session } = await store.create(req.tdb, { kind: 'anonymous', locale: req.locale }, clock.now());
      reply.setCookie(SESSION_COOKIE, token, cookieOptions);
      req.session = session;
      return session;
    },
    async start(req, reply, kind, subjectId, data) {
      // What the session before sign-in kept for after it (a form page's answers posted after the
      // session ended) goes along; nothing else of the old session does.
      const kept = req.session?.data[KEPT_THROUGH_SIGN_IN];
      if (req.session) await store.destroy(req.tdb, req.session);
      const fresh = { ...(data ?? {}), ...(kept !== undefined ? { [KEPT_THROUGH_SIGN_IN]: kept } : {}) };
      const { token, session } = await store.create(req.tdb, { kind, subjectId, locale: req.locale, data: fresh }, clock.now());
      reply.setCookie(SESSION_COOKIE, token, cookieOptions);
      req.session = session;
      return session;
    },
    async update(req, patch) {
      if (!req.session) throw new Error('No session to update');
      req.session = await store.update(req.tdb, req.session, patch);
      return req.session;
    },
    async end(req, reply) {
      if (req.session) await store.destroy(req.tdb, req.session);
      req.session = undefined;
      reply.clearCookie(SESSION_COOKIE, cookieOptions);
    },
    async endAllFor(req, subjectId) {
      await store.destroyAllFor(req.tdb, subjectId);
    },
    async writeWith<R>(req: FastifyRequest, write: SessionWrite): Promise<R[]> {
      const token = req.cookies[SESSION_COOKIE];
      const sent = (req.body as Record<string, unknown> | undefined)?._csrf;
      if (!req.sessionDeferred || !token || typeof sent !== 'string') return [];
      return store.writeWith<R>(req.tdb, token, clock.now(), sent, write);
    },
    async load(req, reply) {
      if (!req.sessionDeferred) return;
      req.sessionDeferred = false;
      await readSession(req, reply);
    },
  };
  app.decorate('sessions', sessions);

  app.get('/assets/*', async (req, reply) => {
    const asset = assets.byUrl.get(req.url.split('?')[0]!);
    if (!asset) throw new AppError('NOT_FOUND');
    return reply.header('content-type', asset.contentType).header('cache-control', 'public, max-age=31536000, immutable').send(asset.body);
  });

  // Browsers ask for /favicon.ico whatever the page says: send them to the tenant's icon.
  app.get('/favicon.ico', async (req, reply) => reply.header('cache-control', 'public, max-age=86400').redirect(assets.icons.get(req.tenant.id)!.url, 301));

  app.get('/language', async (req, reply) => {
    const { to, back } = req.query as { to?: string; back?: string };
    const locale = isLocale(to) ? to : DEFAULT_LOCALE;
    reply.setCookie(LANG_COOKIE, locale, { ...cookieOptions, maxAge: 365 * 24 * 3600 });
    if (req.session) await sessions.update(req, { locale });
    return reply.redirect(safeBackPath(back), 303);
  });

  app.post('/session/extend', async (req, reply) => {
    if (!req.session) throw new AppError('SIGN_IN_REQUIRED');
    const now = clock.now();
    req.session = await store.touch(req.tdb, req.session, now, true);
    // secondsLeft: the page's script counts from it (its own clock may differ from the server's).
    return reply.send({ expiresAt: req.session.expiresAt.toISOString(), secondsLeft: store.secondsLeft(req.session, now) });
  });

  // The database's own ping: a connection of its own and a short timeout (DATABASE_HEALTH_TIMEOUT_MS),
  // so a stalled database is reported at once rather than after every request it holds.
  app.get('/healthz', { config: { tenantless: true } }, async (_req, reply) => {
    try {
      await db.ping();
      return reply.send({ status: 'ok', database: db.dialect });
    } catch {
      return reply.code(503).header('cache-control', 'no-store').send({ status: 'unavailable', database: db.dialect });
    }
  });

  const wantsJson = (req: FastifyRequest) => req.url.startsWith('/api/') || (req.headers.accept ?? '').startsWith('application/json');

  function sendError(req: FastifyRequest, reply: FastifyReply, code: ErrorCode) {
    const status = errorCatalogue[code].status;
    // The database comes back by itself (a restart, a failover): say when to try again.
    if (code === 'DATABASE_UNAVAILABLE') reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
    if (!req.t) {
      req.locale = DEFAULT_LOCALE;
      req.t = translator(DEFAULT_LOCALE);
    }
    if (wantsJson(req) || !req.tenant) {
      return reply.code(status).send({ code, message: req.t(errorCatalogue[code].message), requestId: req.id });
    }
    const message = errorCatalogue[code].message;
    const detail = message.startsWith('error.title.') ? undefined : message;
    return reply.page(ErrorPage({ ctx: req.viewContext(), status, requestId: req.id, detail }), status);
  }

  app.setNotFoundHandler((req, reply) => sendError(req, reply, 'NOT_FOUND'));

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    if (err instanceof AppError) {
      if (err.status >= 500) req.log.error({ err }, 'application error');
      return sendError(req, reply, err.code);
    }
    // A lost connection or a database timeout is not a bug here: the translated "try again" page.
    if (isConnectionFault(err)) {
      req.log.warn({ err }, 'database unavailable');
      return sendError(req, reply, 'DATABASE_UNAVAILABLE');
    }
    const status = err.statusCode ?? 500;
    if (status === 413 || err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(req, reply, 'PAYLOAD_TOO_LARGE');
    if (status === 429) return sendError(req, reply, 'RATE_LIMITED');
    if (status >= 400 && status < 500) return sendError(req, reply, status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST');
    req.log.error({ err }, 'unhandled error');
    return sendError(req, reply, 'INTERNAL');
  });
}

/** How long a refused sender has to read the answer before its connection is dropped. */
const LINGER_MS = 5_000;

/**
 * Once the answer to a request whose body was not read is sent, closes our side of the connection
 * but reads no more of the body and leaves the socket open for a moment. Node would read the rest
 * to throw it away, then destroy the socket; a socket destroyed with unread data sends a reset,
 * which can reach the sender before it has read the answer (it would see "connection reset" instead
 * of the error page). Meanwhile the kernel's buffers fill and the sender waits.
 */
function closeWithoutReading(raw: IncomingMessage): void {
  const socket = raw.socket as Socket & { destroySoon?: () => void };
  // Node calls destroySoon() right after the "Connection: close" answer is written, just after it
  // set the body flowing to drain it: pausing it there stops that before anything is read.
  socket.destroySoon = () => {
    raw.pause();
    socket.end();
    socket.setTimeout(LINGER_MS, () => socket.destroy());
  };
}

/** A path no route has: rewriteBadUrl sends what the router would refuse here. */
const BAD_URL = '/_/bad-url';
/** find-my-way's default limit on a path parameter; longer ones are refused before any hook. */
const MAX_SEGMENT = 100;

/**
 * For Fastify's rewriteUrl option. The router answers a malformed percent-encoding or an
 * over-long path parameter itself, with untranslated JSON and before any hook. Such a URL names
 * nothing here, so it is rewritten to one that no route matches: the request then runs every
 * hook (tenant, language, security headers) and gets the translated 404 page.
 */
export function rewriteBadUrl(req: { url?: string }): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (path.split('/').some((segment) => segment.length > MAX_SEGMENT)) return BAD_URL;
  if (path.includes('%')) {
    try {
      decodeURIComponent(path);
    } catch {
      return BAD_URL;
    }
  }
  return url;
}

export const httpKernelPlugin = fp(httpKernel, { name: 'medborg-http-kernel', fastify: '5.x' });
export { safeBackPath } from './back-path.ts';
