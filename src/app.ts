/**
 * Builds the HTTP application from the modules. Split from listen() so tests drive it with
 * inject() or on a real port (STYLE 8).
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './kernel/config.ts';
import type { Database } from './kernel/db/index.ts';
import type { TenantRegistry } from './kernel/tenants.ts';
import type { Clock } from './kernel/clock.ts';
import { systemClock } from './kernel/clock.ts';
import { buildAssets } from './kernel/html/assets.ts';
import { clientErrorResponse, httpKernelPlugin, rewriteBadUrl } from './kernel/http/index.ts';
import { translate } from './kernel/i18n/index.ts';
import { AccessLog, loggerOptions } from './kernel/log.ts';
import { publicPagesPlugin } from './public-pages/index.tsx';
import { eidPlugin, eidFormActionOrigins, RESIDENT_SESSION_SUBJECT } from './identity/eid/index.ts';
import { roleNames, staffPlugin, STAFF_SESSION_SUBJECT } from './identity/staff/index.ts';
import { searchPlugin } from './search/index.ts';
import { cataloguePlugin, loadCatalogue, storeDefinitionVersions, type Catalogue } from './catalogue/index.ts';
import { resolveBlobStore, type BlobStore } from './integrations/blob-store/index.ts';
import { resolveVirusScanner } from './integrations/virus-scan/index.ts';
import { formsPlugin, servicePageNotice, type ChoiceStep } from './forms/index.tsx';
import { registersPlugin, type RegisterAdapters } from './integrations/registers/index.ts';
import { paymentsPlugin, paymentCaseExtension, invoiceCaseExtension, type PaymentProvider } from './payments/index.tsx';
import { casesPlugin, caseLinksExtension, ensureReferenceSequences, inboxHomeSection } from './cases/index.ts';
import { coSigningRoutes, coSigningCaseExtension } from './co-signing/index.ts';
import { notifyPlugin } from './notify/index.ts';
import { auditPlugin } from './audit/routes.tsx';
import { followPlugin } from './follow/index.tsx';
import { emailVerificationRoutes } from './identity/email/index.tsx';
import { queueCaseExtension, queueCompanion, queuesHomeSection, queuesPlugin } from './queues/index.ts';
import { allocationCaseExtension, allocationHomeSection, allocationRoundsPlugin } from './allocation/index.ts';
import { bookingCaseExtension, bookingPlugin, bookingsHomeSection, bookingStaffPlugin, bookingStep, seasonCaseExtension, seasonStaffPlugin, seasonStep } from './booking/index.ts';

export interface AppDeps {
  config: Config;
  db: Database;
  tenants: TenantRegistry;
  clock?: Clock;
  /** Demo mode: the built-in test e-ID provider, demo register, dev mailbox. Refused in production. */
  demo: boolean;
  /** Log destination for tests that read the logs. */
  logStream?: NodeJS.WritableStream;
  /** The service catalogue; read from the tenants' folders when absent, so a bad definition stops buildApp. */
  catalogue?: Catalogue;
  /** Where attachments and documents go; the configured store (BLOB_STORE) when absent. */
  blobs?: BlobStore;
  /** Register adapters to use for every tenant instead of the configured ones (tests). */
  registers?: Partial<RegisterAdapters>;
  /** A payment provider instead of the configured one (tests). */
  paymentProvider?: PaymentProvider;
}

/** The steps other engines put in front of a form's questions (ADR 0039): the booking engine's time. */
export const choiceStepsOf = (app: FastifyInstance): ChoiceStep[] => [bookingStep(app), seasonStep(app)];

/** Trust the nearest `n` proxies (Fastify's types take a number only as a function). */
const hopsOf = (n: number) => (_address: string, hop: number) => hop < n;

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  if (deps.demo && deps.config.env === 'production') {
    throw new Error('Demo mode is refused when MEDBORG_ENV is production');
  }
  // Before anything is built: an invalid catalogue throws CatalogueError listing every problem.
  const catalogue = deps.catalogue ?? loadCatalogue(deps.tenants);
  const app = Fastify({
    logger: loggerOptions(deps.config.logLevel, deps.logStream),
    logController: new AccessLog(),
    trustProxy: typeof deps.config.trustProxy === 'number' ? hopsOf(deps.config.trustProxy) : deps.config.trustProxy,
    bodyLimit: 1024 * 1024,
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: false,
    rewriteUrl: rewriteBadUrl,
    // Start-up work is real (the test e-ID makes its signing keys, the catalogue compiles its
    // validators): on a crowded two-core machine a plugin took over Fastify's default 10 s and the
    // start failed though nothing hung. A plugin that truly hangs still fails, after a minute.
    pluginTimeout: 60_000,
    // Refused by Node's parser (a 100 KB address, not HTTP): a translated page rather than Fastify's JSON.
    clientErrorHandler: (err: NodeJS.ErrnoException, socket) => {
      if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy(err);
      socket.end(clientErrorResponse(err.code, translate));
    },
  });
  const assets = buildAssets(deps.tenants.all);
  await app.register(httpKernelPlugin, {
    config: deps.config,
    db: deps.db,
    tenants: deps.tenants,
    assets,
    clock: deps.clock ?? systemClock,
    demo: deps.demo,
    formActionOrigins: eidFormActionOrigins(deps.config, deps.tenants, deps.demo),
    sessionSubjects: [RESIDENT_SESSION_SUBJECT, STAFF_SESSION_SUBJECT],
    roleNames: (req, roles) => roleNames(req.t, req.locale, app.catalogue.staffRoles(req.tenant.id), roles),
  });
  await app.register(publicPagesPlugin);
  await app.register(registersPlugin, { overrides: deps.registers });
  await app.register(eidPlugin);
  await app.register(staffPlugin, { homeSections: [inboxHomeSection, bookingsHomeSection, queuesHomeSection, allocationHomeSection], declaredRoles: (tenantId) => app.catalogue.staffRoles(tenantId) });
  await app.register(cataloguePlugin, { catalogue, servicePageNotice });
  await app.register(searchPlugin);
  app.decorate('blobs', deps.blobs ?? resolveBlobStore(deps.config));
  app.decorate('virusScanner', resolveVirusScanner(deps.config, deps.demo));
  await ensureReferenceSequences(deps.db, deps.tenants.all.map((t) => t.id));
  await app.register(paymentsPlugin, deps.paymentProvider ? { provider: deps.paymentProvider } : {});
  // Every definition is stored as its version; an edit that would strand cases stops start-up (CatalogueError).
  await storeDefinitionVersions(deps.db, deps.tenants.all, catalogue);
  await app.register(formsPlugin, { choiceSteps: choiceStepsOf(app), companions: [queueCompanion(app)] });
  const invoices = invoiceCaseExtension((req, c) => app.serviceVersions.definition(req.tdb, c.serviceId, c.serviceVersion));
  await app.register(casesPlugin, { extensions: [paymentCaseExtension, invoices, bookingCaseExtension(app), seasonCaseExtension(app), queueCaseExtension(app), allocationCaseExtension(), coSigningCaseExtension, caseLinksExtension] });
  await app.register(queuesPlugin);
  await app.register(bookingPlugin);
  await app.register(bookingStaffPlugin);
  await app.register(seasonStaffPlugin);
  await app.register(allocationRoundsPlugin);
  await app.register(coSigningRoutes);
  await app.register(notifyPlugin);
  await app.register(auditPlugin);
  await app.register(emailVerificationRoutes);
  await app.register(followPlugin, { extensions: [bookingCaseExtension(app), seasonCaseExtension(app), queueCaseExtension(app), allocationCaseExtension()] });
  return app;
}
