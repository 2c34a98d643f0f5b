/** My cases: routes for residents. Each reads the resident, asks the policy, calls the module, renders. */
import { decisionLinesOf, listAboutOf, receiptSectionsOf, sectionsOf, type CasesOptions } from './extensions.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../kernel/errors.ts';
import { readMultipartForm } from '../kernel/http/index.ts';
import { isUuid } from '../kernel/ids.ts';
import { pick } from '../kernel/i18n/index.ts';
import type { FieldError } from '../kernel/html/components.tsx';
import { canActAsApplicant, canReadCase, residentPrincipal } from '../policy/index.ts';
import { requireResident, type Resident } from '../identity/eid/index.ts';
import { openDraftsOf, subjectIdentifier } from '../forms/index.tsx';
import { readJournal } from '../archive/index.ts';
import { documentsOfCase, receiptPdf } from '../documents/index.ts';
import { casesOfPerson, getCase, type Case } from './cases.repository.ts';
import type { ActionDef, ActionKind, ServiceDefinition } from '../catalogue/types.ts';
import { actionById, actionOfKind, actorOf, availableActions } from './workflow.ts';
import { MAX_MESSAGE, readResidentMessage, residentMessage } from './actions.ts';
import { runAction } from './run-action.ts';
import { matterKey } from './matter.ts';
import { messageWindow } from './message-window.ts';
import { namedSubject } from './subject.ts';
import { contactEmailOf } from '../forms/contact.ts';
import type { ActionInput } from './action-kinds/index.ts';
import { checkFiles, insertAttachments, storeFiles, discardFiles, MAX_FILE_BYTES, MAX_FILES, type FileProblem } from './attachments.ts';
import { MyCasesPage, ResidentCasePage, WithdrawPage } from './views/resident.tsx';
import { letterRecipient, organisationRecipient, registeredAddressLines } from './letter-address.ts';
import { partyIn, representativeOfApplicant } from './parties.ts';
import { attachmentFile, documentFile, sendAttachment, sendDocument } from './downloads.ts';
import { definitionsOfCases } from './case-definitions.ts';
import './ui-messages.ts';

/**
 * A party with a protected identity (skyddad identitet, ADR 0016) is never shown to another party:
 * when the applicant's identity is protected, whoever else reads the case does not see the answers
 * that carry the applicant's own details (contact, address: prefilled or of those kinds).
 */
function withoutProtectedAnswers(c: Case, def: ServiceDefinition, viewer: Resident): Case {
  const applicant = c.parties.find((p) => p.role === 'applicant');
  if (!applicant || applicant.details?.protected !== true) return c;
  if (applicant.residentId === viewer.id || applicant.personalNumber === viewer.personalNumber) return c;
  const personal = new Set(def.form.steps.flatMap((s) => s.fields).filter((f) => f.prefill !== undefined || ['email', 'phone', 'address'].includes(f.kind)).map((f) => f.id));
  return { ...c, answers: Object.fromEntries(Object.entries(c.answers).filter(([id]) => !personal.has(id))) };
}
const FLASH: Record<string, string> = { message: 'my.case.messageSent', withdrawn: 'my.case.withdrawn', alreadyWithdrawn: 'my.case.alreadyWithdrawn', supplement: 'my.case.supplementSent' };
const FILE_ERRORS: Record<FileProblem, string> = {
  type: 'my.case.error.fileType',
  size: 'my.case.error.fileSize',
  empty: 'my.case.error.fileEmpty',
  count: 'my.case.error.fileCount',
  virus: 'my.case.error.fileVirus',
  scanUnavailable: 'error.virusScannerUnavailable',
};

export async function residentCaseRoutes(app: FastifyInstance, opts: CasesOptions = {}): Promise<void> {
  const extensions = opts.extensions ?? [];
  async function loadCase(req: FastifyRequest, reply: FastifyReply): Promise<{ resident: Resident; c: Case } | undefined> {
    const resident = await requireResident(req, reply);
    if (!resident) return undefined;
    const { caseId } = req.params as { caseId: string };
    if (!isUuid(caseId)) throw new AppError('CASE_NOT_FOUND');
    const c = await getCase(req.tdb, caseId);
    const def = c ? app.catalogue.service(req.tenant.id, c.serviceId) : undefined;
    // Someone else's case is "not found", not "forbidden": its existence is not ours to reveal.
    if (!c || !def || !canReadCase(residentPrincipal(resident), c, def)) throw new AppError('CASE_NOT_FOUND');
    return { resident, c: withoutProtectedAnswers(c, def, resident) };
  }

  // The version of the definition the case was submitted under handles it (ADR 0010).
  const definitionOf = async (req: FastifyRequest, c: Case) => {
    const def = await app.serviceVersions.definition(req.tdb, c.serviceId, c.serviceVersion);
    if (!def) throw new AppError('SERVICE_NOT_FOUND');
    return def;
  };

  const letterContext = async (req: FastifyRequest, c: Case, resident: Resident) => {
    // For an organisation's case the letter goes to the organisation, wherever its representative reads it
    // (ADR 0035). A person who applied through a god man, förvaltare or attorney (ADR 0033): their
    // letters name them, "c/o" the representative, whoever of the two reads it.
    const organisation = await organisationRecipient(app, req, c.parties);
    const through = organisation ? undefined : representativeOfApplicant(c.parties);
    const applicant = through ? partyIn(c.parties, 'applicant') : undefined;
    const to: { address?: string[] | undefined; careOf?: { name: string; capacity: string } | undefined } = organisation
      ? { address: organisation.address }
      : through
        ? await letterRecipient(app, req, c.parties, undefined)
        : { address: await registeredAddressLines(app, req, resident.personalNumber) };
    const def = await definitionOf(req, c);
    return {
      receiptSections: await receiptSectionsOf(extensions, req, c, req.locale),
      tenant: req.tenant,
      definition: def,
      register: (id: string) => app.catalogue.register(req.tenant.id, id),
      decisionLines: decisionLinesOf(extensions, def),
      applicantName: organisation?.name ?? (applicant ? (applicant.name ?? '') : `${resident.givenName} ${resident.familyName}`),
      ...(to.address ? { applicantAddress: to.address } : {}),
      ...(to.careOf ? { careOf: to.careOf } : {}),
    };
  };

  async function renderCase(req: FastifyRequest, reply: FastifyReply, resident: Resident, c: Case, extra: { messageErrors?: FieldError[]; messageValue?: string; supplementErrors?: FieldError[]; supplementValue?: string } = {}, status = 200) {
    const def = await definitionOf(req, c);
    await app.sessions.ensure(req, reply);
    const [entries, documents] = await Promise.all([readJournal(req.tdb, c.id), documentsOfCase(req.tdb, c.id)]);
    const lastRequest = [...entries].reverse().find((e) => e.kind === 'supplement_requested');
    const mine = availableActions(def, c.status, 'applicant');
    const done = (req.query as { done?: string }).done ?? '';
    // An engine's own confirmation after its action on the case (the queue's changed choices).
    const flashKey = Object.hasOwn(FLASH, done) ? FLASH[done] : extensions.find((e) => e.notices && Object.hasOwn(e.notices, done))?.notices?.[done];
    const viewer = { residentId: resident.id, personalNumber: resident.personalNumber };
    const applicant = c.parties.find((p) => p.role === 'applicant');
    const isApplicant = applicant !== undefined && (applicant.residentId === resident.id || applicant.personalNumber === resident.personalNumber);
    // The letter's {applicant} as this reader may see it: a protected identity is not named to another party (ADR 0016).
    const applicantName = isApplicant ? `${resident.givenName} ${resident.familyName}` : applicant?.details?.protected === true ? '' : (applicant?.name ?? '');
    const sections = await sectionsOf(extensions.map((e) => e.residentSection?.(req, c)));
    return reply.page(
      <ResidentCasePage
        sections={sections}
        ctx={req.viewContext()}
        c={c}
        definition={def}
        entries={entries}
        documents={documents}
        decisionLines={decisionLinesOf(extensions, def)}
        register={(id) => app.catalogue.register(req.tenant.id, id)}
        withdrawAction={canActAsApplicant(residentPrincipal(resident), c) ? mine.find((a) => a.kind === 'withdraw') : undefined}
        supplementAction={mine.find((a) => a.kind === 'supplement')}
        canAct={canActAsApplicant(residentPrincipal(resident), c)}
        supplementRequest={typeof lastRequest?.payload.body === 'string' ? lastRequest.payload.body : undefined}
        supplementDue={mine.some((a) => a.kind === 'supplement') ? (c.dueAt ?? undefined) : undefined}
        flash={flashKey ? { text: req.t(flashKey.includes('ithdrawn') ? matterKey(flashKey, def) : flashKey) } : undefined}
        about={namedSubject(c.parties, def, req.locale, viewer)}
        applicantName={applicantName}
        messageWindow={messageWindow(def, c, app.clock.now())}
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
    const [all, drafts] = await Promise.all([casesOfPerson(req.tdb, resident), openDraftsOf(req.tdb, resident.id, now)]);
    const viewer = { residentId: resident.id, personalNumber: resident.personalNumber };
    const service = (id: string) => app.catalogue.service(req.tenant.id, id);
    // Every case the resident is a reading party to (applicant, co-applicant, a subject let read…), each read
    // with the definition version it was submitted under.
    const caseDefinition = await definitionsOfCases(app, req, all);
    const cases = all.filter((c) => {
      const def = caseDefinition(c);
      return def !== undefined && canReadCase(residentPrincipal(resident), c, def);
    });
    // A draft is named by its subject once it has been answered: a child by the name the register
    // gives the resident's children (asked once, and only when a draft has a child to name; a
    // register that does not answer leaves the names out rather than the page), anything else by
    // the answer that identifies it.
    const children = drafts.some((d) => service(d.serviceId)?.subject?.kind === 'child')
      ? await app.populationRegister.lookup(req.tenant.id, resident.personalNumber).then((p) => p?.children ?? [], () => [])
      : [];
    const draftSubjects = (d: (typeof drafts)[number]) => {
      const def = service(d.serviceId);
      const answer = def ? subjectIdentifier(def, d.answers) : undefined;
      if (!def || !answer) return undefined;
      const name = def.subject!.kind === 'child' ? children.find((ch) => ch.personalNumber === answer)?.name : answer;
      return name ? namedSubject([{ role: 'subject', name }], def, req.locale) : undefined;
    };
    // A case without a subject may still be about something the list can name (a booking's place and time).
    const about = await listAboutOf(extensions, req, cases);
    // A co-signing request this person has yet to answer (ADR 0016) is what they look for first.
    const waiting = (c: Case) => c.parties.some((p) => p.role === 'co_applicant' && p.status === 'pending' && (p.residentId === resident.id || p.personalNumber === resident.personalNumber));
    return reply.page(
      <MyCasesPage
        ctx={req.viewContext()}
        cases={cases}
        waitingForYou={waiting}
        drafts={drafts.map((d) => ({ id: d.id, serviceTitle: service(d.serviceId) ? pick(service(d.serviceId)!.title, req.locale) : d.serviceId, updatedAt: d.updatedAt, expiresAt: d.expiresAt, about: draftSubjects(d) }))}
        service={(id, version) => (version === undefined ? service(id) : caseDefinition({ serviceId: id, serviceVersion: version }))}
        subjectOf={(c) => {
          const def = caseDefinition(c);
          return def ? namedSubject(c.parties, def, req.locale, viewer) : undefined;
        }}
        aboutOf={(c) => about.get(c.id)}
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
    // A party who reads the case but does not act on it (a co-applicant) knows it exists: 403.
    if (!canActAsApplicant(residentPrincipal(resident), c)) throw new AppError('FORBIDDEN');
    const { body, raw, error } = readResidentMessage(req.body, req.t);
    if (error) return renderCase(req, reply, resident, c, { messageErrors: [{ field: 'f-message', message: error }], messageValue: raw }, 400);
    await residentMessage(req.tdb, await definitionOf(req, c), c.id, resident.id, body, app.clock.now());
    return reply.redirect(`/my/cases/${c.id}?done=message`, 303);
  });

  type Resolve = (c: Case, def: ServiceDefinition) => ActionDef | undefined;
  const byId = (req: FastifyRequest): Resolve => (_c, def) => {
    const a = actionById(def, (req.params as { actionId: string }).actionId);
    if (!a || actorOf(a) !== 'applicant') throw new AppError('NOT_FOUND');
    return a;
  };
  const legacy = (kind: ActionKind): Resolve => (c, def) => actionOfKind(def, c.status, kind);

  /** The confirmation an action without a form asks for (withdrawing); once it cannot be taken, the case page says where it stands. */
  async function confirmPage(req: FastifyRequest, reply: FastifyReply, resolve: Resolve) {
    const loaded = await loadCase(req, reply);
    if (!loaded) return reply;
    // A party who reads the case but does not act on it (a co-applicant) knows it exists: 403.
    if (!canActAsApplicant(residentPrincipal(loaded.resident), loaded.c)) throw new AppError('FORBIDDEN');
    const def = await definitionOf(req, loaded.c);
    const action = resolve(loaded.c, def);
    if (!action || action.kind !== 'withdraw' || !action.from.includes(loaded.c.status)) return reply.redirect(`/my/cases/${loaded.c.id}`, 303);
    await app.sessions.ensure(req, reply);
    return reply.page(<WithdrawPage ctx={req.viewContext()} c={loaded.c} definition={def} action={action} />);
  }

  /**
   * Every action the applicant takes goes through here: a withdrawal, a supplement with its files.
   * The kernel has refused an upload without a session, or longer than the route's limits, without
   * reading it. The form's fields come first (its CSRF token is checked there); its files are read
   * only once the case is found to be the resident's.
   */
  async function performAction(req: FastifyRequest, reply: FastifyReply, resolve: Resolve) {
    const form = req.isMultipart() ? await readMultipartForm(req) : undefined;
    const loaded = await loadCase(req, reply);
    if (!loaded) return reply;
    const { resident, c } = loaded;
    // A party who reads the case but does not act on it (a co-applicant) knows it exists: 403.
    if (!canActAsApplicant(residentPrincipal(resident), c)) throw new AppError('FORBIDDEN');
    const def = await definitionOf(req, c);
    const action = resolve(c, def);
    if (!action) throw new AppError('CASE_ACTION_NOT_ALLOWED');
    const now = app.clock.now();
    const input: ActionInput = {};
    let cleanup = async () => {};
    if (action.kind === 'supplement') {
      const { files, tooManyFiles } = form ? await form.files() : { files: [], tooManyFiles: false };
      const text = ((form ? form.field('body') : (req.body as { body?: unknown })?.body) ?? '').toString().replace(/\r\n?/g, '\n').trim();
      const problem = tooManyFiles ? 'count' : await checkFiles(files, app.virusScanner, (signature) => req.log.warn({ caseId: c.id, signature }, 'an uploaded file was refused by the virus scanner'));
      const errors: FieldError[] = [];
      if (!text && files.length === 0) errors.push({ field: 'f-supplement', message: req.t('my.case.error.supplementRequired') });
      if (text.length > MAX_MESSAGE) errors.push({ field: 'f-supplement', message: req.t('my.case.error.messageTooLong', { max: MAX_MESSAGE }) });
      if (problem) errors.push({ field: 'f-files', message: req.t(FILE_ERRORS[problem]) });
      if (errors.length) return renderCase(req, reply, resident, c, { supplementErrors: errors, supplementValue: text }, 400);
      // Files go to the blob store before the transaction that records them; if that transaction
      // does not commit (no supplement is asked for any more), they are removed again.
      const stored = await storeFiles(app.blobs, req.tenant.id, files, now);
      input.text = text;
      input.files = stored;
      input.recordFiles = (tx) => insertAttachments(tx, c.id, { kind: 'resident', id: resident.id }, stored, now);
      cleanup = () => discardFiles(app.blobs, stored);
    }
    try {
      await runAction(req.tdb, def, c.id, action, { kind: 'resident', id: resident.id }, input, { email: contactEmailOf(def, c.answers) ?? resident.email ?? undefined, siteUrl: `${req.protocol}://${req.host}` }, now);
    } catch (err) {
      await cleanup();
      // Withdrawn already (a double click, a second tab, a retry): that is what was asked for, so
      // the resident lands on the case, told it is withdrawn, as a late second decision does on
      // the staff side. Any other refusal (decided meanwhile) stays one.
      if (!(err instanceof AppError && err.code === 'CASE_ACTION_NOT_ALLOWED') || action.kind !== 'withdraw') throw err;
      const current = await getCase(req.tdb, c.id);
      if (current && current.status === action.to) return reply.redirect(`/my/cases/${c.id}?done=alreadyWithdrawn`, 303);
      throw err;
    }
    return reply.redirect(`/my/cases/${c.id}?done=${action.kind === 'withdraw' ? 'withdrawn' : 'supplement'}`, 303);
  }

  const uploads = { config: { multipart: { fileField: 'files', maxFiles: MAX_FILES, maxFileBytes: MAX_FILE_BYTES } } };
  app.get('/my/cases/:caseId/actions/:actionId', async (req, reply) => confirmPage(req, reply, byId(req)));
  app.post('/my/cases/:caseId/actions/:actionId', uploads, async (req, reply) => performAction(req, reply, byId(req)));
  // The URLs of the fixed verbs before actions were data, kept for pages and bookmarks already out there.
  app.get('/my/cases/:caseId/withdraw', async (req, reply) => confirmPage(req, reply, legacy('withdraw')));
  app.post('/my/cases/:caseId/withdraw', async (req, reply) => performAction(req, reply, legacy('withdraw')));
  app.post('/my/cases/:caseId/supplement', uploads, async (req, reply) => performAction(req, reply, legacy('supplement')));

  app.get('/my/cases/:caseId/receipt.pdf', async (req, reply) => {
    const loaded = await loadCase(req, reply);
    if (!loaded) return reply;
    const { resident, c } = loaded;
    // The receipt is the applicant's (made once, with their name and address); a co-signer reads the case page.
    if (!canActAsApplicant(residentPrincipal(resident), c)) throw new AppError('FORBIDDEN');
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
