/** My cases: routes for residents. Each reads the resident, asks the policy, calls the module, renders. */
import { receiptSectionsOf, sectionsOf, type CasesOptions } from './extensions.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../kernel/errors.ts';
import { readMultipartForm } from '../kernel/http/index.ts';
import { isUuid } from '../kernel/ids.ts';
import { pick } from '../kernel/i18n/index.ts';
import type { FieldError } from '../kernel/html/components.tsx';
import { canActAsApplicant, canReadCase } from '../policy/index.ts';
import { requireResident, type Resident } from '../identity/eid/index.ts';
import { openDraftsOf } from '../forms/index.tsx';
import { readJournal } from '../archive/index.ts';
import { documentsOfCase, receiptPdf } from '../documents/index.ts';
import { casesOfApplicant, getCase, type Case } from './cases.repository.ts';
import { nextState, targetsOf } from './workflow.ts';
import { residentMessage, supplement, withdraw } from './actions.ts';
import { checkFiles, insertAttachments, storeFiles, discardFiles, MAX_FILE_BYTES, MAX_FILES, type FileProblem } from './attachments.ts';
import { MyCasesPage, ResidentCasePage, WithdrawPage } from './views/resident.tsx';
import { registeredAddressLines } from './letter-address.ts';
import { attachmentFile, documentFile, sendAttachment, sendDocument } from './downloads.ts';
import './ui-messages.ts';

const MAX_MESSAGE = 4000;
const FLASH: Record<string, string> = { message: 'my.case.messageSent', withdrawn: 'my.case.withdrawn', alreadyWithdrawn: 'my.case.alreadyWithdrawn', supplement: 'my.case.supplementSent' };
const FILE_ERRORS: Record<FileProblem, string> = { type: 'my.case.error.fileType', size: 'my.case.error.fileSize', empty: 'my.case.error.fileEmpty', count: 'my.case.error.fileCount' };

export async function residentCaseRoutes(app: FastifyInstance, opts: CasesOptions = {}): Promise<void> {
  const extensions = opts.extensions ?? [];
  async function loadCase(req: FastifyRequest, reply: FastifyReply): Promise<{ resident: Resident; c: Case } | undefined> {
    const resident = await requireResident(req, reply);
    if (!resident) return undefined;
    const { caseId } = req.params as { caseId: string };
    if (!isUuid(caseId)) throw new AppError('CASE_NOT_FOUND');
    const c = await getCase(req.tdb, caseId);
    // Someone else's case is "not found", not "forbidden": its existence is not ours to reveal.
    if (!c || !canReadCase({ kind: 'resident', id: resident.id }, c)) throw new AppError('CASE_NOT_FOUND');
    return { resident, c };
  }

  const definitionOf = (req: FastifyRequest, c: Case) => {
    const def = app.catalogue.service(req.tenant.id, c.serviceId);
    if (!def) throw new AppError('SERVICE_NOT_FOUND');
    return def;
  };

  const letterContext = async (req: FastifyRequest, c: Case, resident: Resident) => {
    const address = await registeredAddressLines(app, req, resident.personalNumber);
    return {
      receiptSections: await receiptSectionsOf(extensions, req, c, req.locale),
      tenant: req.tenant,
      definition: definitionOf(req, c),
      register: (id: string) => app.catalogue.register(req.tenant.id, id),
      applicantName: `${resident.givenName} ${resident.familyName}`,
      ...(address ? { applicantAddress: address } : {}),
    };
  };

  async function renderCase(req: FastifyRequest, reply: FastifyReply, resident: Resident, c: Case, extra: { messageErrors?: FieldError[]; messageValue?: string; supplementErrors?: FieldError[]; supplementValue?: string } = {}, status = 200) {
    const def = definitionOf(req, c);
    await app.sessions.ensure(req, reply);
    const [entries, documents] = await Promise.all([readJournal(req.tdb, c.id), documentsOfCase(req.tdb, c.id)]);
    const lastRequest = [...entries].reverse().find((e) => e.kind === 'supplement_requested');
    const flashKey = FLASH[(req.query as { done?: string }).done ?? ''];
    const sections = await sectionsOf(extensions.map((e) => e.residentSection?.(req, c)));
    return reply.page(
      <ResidentCasePage
        sections={sections}
        ctx={req.viewContext()}
        c={c}
        definition={def}
        entries={entries}
        documents={documents}
        register={(id) => app.catalogue.register(req.tenant.id, id)}
        canWithdraw={canActAsApplicant({ kind: 'resident', id: resident.id }, c) && nextState(def, c.status, 'withdraw') !== undefined}
        awaitingSupplement={nextState(def, c.status, 'supplementReceived') !== undefined}
        supplementRequest={typeof lastRequest?.payload.body === 'string' ? lastRequest.payload.body : undefined}
        flash={flashKey ? req.t(flashKey) : undefined}
        messageErrors={extra.messageErrors ?? []}
        messageValue={extra.messageValue ?? ''}
        supplementErrors={extra.supplementErrors ?? []}
        supplementValue={extra.supplementValue ?? ''}
      />,
      status,
    );
  }

  app.get('/my/cases', async (req, reply) => {
    const resident = await requireResident(req, reply);
    if (!resident) return reply;
    const now = app.clock.now();
    const [cases, drafts] = await Promise.all([casesOfApplicant(req.tdb, resident.id), openDraftsOf(req.tdb, resident.id, now)]);
    const service = (id: string) => app.catalogue.service(req.tenant.id, id);
    return reply.page(
      <MyCasesPage
        ctx={req.viewContext()}
        cases={cases}
        drafts={drafts.map((d) => ({ id: d.id, serviceTitle: service(d.serviceId) ? pick(service(d.serviceId)!.title, req.locale) : d.serviceId, updatedAt: d.updatedAt, expiresAt: d.expiresAt }))}
        service={service}
      />,
    );
  });

  app.get('/my/cases/:caseId', async (req, reply) => {
    const loaded = await loadCase(req, reply);
    if (!loaded) return reply;
    return renderCase(req, reply, loaded.resident, loaded.c);
  });

  app.post('/my/cases/:caseId/messages', async (req, reply) => {
    const loaded = await loadCase(req, reply);
    if (!loaded) return reply;
    const { resident, c } = loaded;
    if (!canActAsApplicant({ kind: 'resident', id: resident.id }, c)) throw new AppError('CASE_NOT_FOUND');
    const raw = (req.body as { body?: unknown })?.body;
    const body = typeof raw === 'string' ? raw.replace(/\r\n?/g, '\n').trim() : '';
    const error = !body ? req.t('my.case.error.messageRequired') : body.length > MAX_MESSAGE ? req.t('my.case.error.messageTooLong', { max: MAX_MESSAGE }) : undefined;
    if (error) return renderCase(req, reply, resident, c, { messageErrors: [{ field: 'f-message', message: error }], messageValue: typeof raw === 'string' ? raw : '' }, 400);
    await residentMessage(req.tdb, c.id, resident.id, body, app.clock.now());
    return reply.redirect(`/my/cases/${c.id}?done=message`, 303);
  });

  app.get('/my/cases/:caseId/withdraw', async (req, reply) => {
    const loaded = await loadCase(req, reply);
    if (!loaded) return reply;
    const def = definitionOf(req, loaded.c);
    // Nothing to confirm once the case is decided or withdrawn: the case page says where it stands.
    if (nextState(def, loaded.c.status, 'withdraw') === undefined) return reply.redirect(`/my/cases/${loaded.c.id}`, 303);
    await app.sessions.ensure(req, reply);
    return reply.page(<WithdrawPage ctx={req.viewContext()} c={loaded.c} definition={def} />);
  });

  app.post('/my/cases/:caseId/withdraw', async (req, reply) => {
    const loaded = await loadCase(req, reply);
    if (!loaded) return reply;
    const { resident, c } = loaded;
    if (!canActAsApplicant({ kind: 'resident', id: resident.id }, c)) throw new AppError('CASE_NOT_FOUND');
    const def = definitionOf(req, c);
    try {
      await withdraw(req.tdb, def, c.id, resident.id, app.clock.now());
    } catch (err) {
      // Withdrawn already (a double click, a second tab, a retry): that is what was asked for, so
      // the resident lands on the case, told it is withdrawn, as a late second decision does on
      // the staff side. Any other refusal (decided meanwhile) stays one.
      if (!(err instanceof AppError && err.code === 'CASE_ACTION_NOT_ALLOWED')) throw err;
      const current = await getCase(req.tdb, c.id);
      if (current && targetsOf(def, 'withdraw').includes(current.status)) return reply.redirect(`/my/cases/${c.id}?done=alreadyWithdrawn`, 303);
      throw err;
    }
    return reply.redirect(`/my/cases/${c.id}?done=withdrawn`, 303);
  });

  // The kernel has refused an upload without a session, or longer than these limits, without reading
  // it. The form's fields come first (its CSRF token is checked there); its files are read only
  // once the case is found to be the resident's.
  app.post('/my/cases/:caseId/supplement', { config: { multipart: { fileField: 'files', maxFiles: MAX_FILES, maxFileBytes: MAX_FILE_BYTES } } }, async (req, reply) => {
    const form = await readMultipartForm(req);
    const loaded = await loadCase(req, reply);
    if (!loaded) return reply;
    const { resident, c } = loaded;
    if (!canActAsApplicant({ kind: 'resident', id: resident.id }, c)) throw new AppError('CASE_NOT_FOUND');
    const def = definitionOf(req, c);
    const { files, tooManyFiles } = await form.files();
    const text = (form.field('body') ?? '').replace(/\r\n?/g, '\n').trim();
    const problem = tooManyFiles ? 'count' : checkFiles(files);
    const errors: FieldError[] = [];
    if (!text && files.length === 0) errors.push({ field: 'f-supplement', message: req.t('my.case.error.supplementRequired') });
    if (text.length > MAX_MESSAGE) errors.push({ field: 'f-supplement', message: req.t('my.case.error.messageTooLong', { max: MAX_MESSAGE }) });
    if (problem) errors.push({ field: 'f-files', message: req.t(FILE_ERRORS[problem]) });
    if (errors.length) return renderCase(req, reply, resident, c, { supplementErrors: errors, supplementValue: text }, 400);
    const now = app.clock.now();
    // Files go to the blob store before the transaction that records them; if that transaction
    // does not commit (no supplement is asked for any more), they are removed again.
    const stored = await storeFiles(app.blobs, req.tenant.id, files, now);
    try {
      await supplement(req.tdb, def, c.id, resident.id, text, stored, (tx) => insertAttachments(tx, c.id, { kind: 'resident', id: resident.id }, stored, now), now);
    } catch (e) {
      await discardFiles(app.blobs, stored);
      throw e;
    }
    return reply.redirect(`/my/cases/${c.id}?done=supplement`, 303);
  });

  app.get('/my/cases/:caseId/receipt.pdf', async (req, reply) => {
    const loaded = await loadCase(req, reply);
    if (!loaded) return reply;
    const { resident, c } = loaded;
    const pdf = await receiptPdf(req.tdb, app.blobs, c, await letterContext(req, c, resident), req.locale, app.clock.now());
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `inline; filename="${c.reference}-${req.locale === 'sv' ? 'kvitto' : 'receipt'}.pdf"`)
      .header('cache-control', 'private, no-store')
      .send(pdf);
  });

  app.get('/my/cases/:caseId/documents/:docId.pdf', async (req, reply) => {
    const loaded = await loadCase(req, reply);
    if (!loaded) return reply;
    return sendDocument(reply, loaded.c, await documentFile(req, app.blobs, loaded.c, (req.params as { docId: string }).docId));
  });

  app.get('/my/cases/:caseId/attachments/:attachmentId', async (req, reply) => {
    const loaded = await loadCase(req, reply);
    if (!loaded) return reply;
    return sendAttachment(reply, await attachmentFile(req, app.blobs, loaded.c, (req.params as { attachmentId: string }).attachmentId));
  });
}
