/** The handler's workspace: inbox, case view, and the actions on a case. Every read is audit-logged. */
import { decisionLinesOf, receiptSectionsOf, recordDecisionOf, sectionsOf, type CasesOptions } from './extensions.ts';
import { routedDepartments } from './routing.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../kernel/errors.ts';
import { isUuid } from '../kernel/ids.ts';
import { pick, type Locale } from '../kernel/i18n/index.ts';
import type { FieldError } from '../kernel/html/components.tsx';
import { canDecideCase, canHandleCase, canReadCase, inboxServices, staffPrincipal } from '../policy/index.ts';
import { requireStaff, type StaffMember } from '../identity/staff/index.ts';
import { getResident } from '../identity/eid/index.ts';
import { recordAudit, type AuditRecord } from '../audit/index.ts';
import { readJournal } from '../archive/index.ts';
import { decisionLetter, discardUnrecordedLetters, documentsOfCase, receiptPdf, renderDecisionLetters, recordLetters, type Letter, type LetterContext } from '../documents/index.ts';
import { stockholmToday } from '../forms/dates.ts';
import type { ActionDef, ActionKind, DecisionType, ServiceDefinition } from '../catalogue/types.ts';
import { readMultipartForm } from '../kernel/http/index.ts';
import { applicantIdOf, getCase, type Case, type Decision } from './cases.repository.ts';
import { actionById, actionFieldId, actionOfKind, actorOf, availableActions, isFinalState } from './workflow.ts';
import { note, staffMessage, type Notify } from './actions.ts';
import { applicantNotify } from './notifications.ts';
import { runAction } from './run-action.ts';
import { actionInput, actionTextRules, type ActionInput } from './action-kinds/index.ts';
import { checkDecisionForm, prefillDecision, readDecisionValues } from './decision-form.ts';
import { discardDecisionDrafts, readDecisionDraft, saveDecisionDraft } from './decision-drafts.ts';
import { lastProposal, pendingProposal, type Proposal } from './proposals.ts';
import { checkFiles, discardFiles, insertAttachments, storeFiles, MAX_FILE_BYTES, MAX_FILES, type FileProblem } from './attachments.ts';
import { inbox, staffNames } from './inbox.repository.ts';
import { decodeInboxCursor, encodeInboxCursor, readInboxSort, DEFAULT_SORT } from './inbox-sort.ts';
import { HandlerCasePage, InboxPage } from './views/handler.tsx';
import { DecidePage, DecisionCheckPage, LetterView } from './views/decide.tsx';
import { renderFragment } from '../kernel/html/render.ts';
import { letterRecipient, organisationRecipient } from './letter-address.ts';
import { attachmentFile, documentFile, sendAttachment, sendDocument } from './downloads.ts';
import { definitionsOfCases } from './case-definitions.ts';
import './handler-messages.ts';
import './ui-messages.ts';

const MAX_TEXT = 4000;
const PAGE_SIZE = 25;
/** Longer than any reference or name; a longer search is refused with a message, never cut silently. */
const MAX_SEARCH = 100;
type Flash = { key: string; kind: 'success' | 'info' };
const done = (key: string): Flash => ({ key, kind: 'success' });
/** What the case page says after an action (?done=…); "closed": an action came too late for a closed case. */
const DONE: Record<string, Flash> = {
  note: done('case.done.note'),
  message: done('case.done.message'),
  supplement: done('case.done.supplement'),
  assigned: done('case.done.assigned'),
  decided: done('case.done.decided'),
  status: done('case.done.status'),
  referred: done('case.done.referred'),
  replyRecorded: done('case.done.replyRecorded'),
  closedNow: done('case.done.closedNow'),
  proposed: done('case.done.proposed'),
  returned: done('case.done.returned'),
  closed: { key: 'case.notice.closed', kind: 'info' },
  // Someone else moved the case first (two handlers at once): what this one wrote was not saved.
  notTaken: { key: 'case.notice.notTaken', kind: 'info' },
};
/** The ?done= each kind of action lands on. */
const DONE_OF: Record<ActionKind, string> = {
  transition: 'status',
  assign: 'assigned',
  requestSupplement: 'supplement',
  supplement: 'supplement',
  refer: 'referred',
  referralReply: 'replyRecorded',
  close: 'closedNow',
  proposeDecision: 'proposed',
  approveDecision: 'decided',
  returnDecision: 'returned',
  decide: 'decided',
  withdraw: 'status',
};
type Resolve = (c: Case, def: ServiceDefinition) => ActionDef | undefined;
const FILE_ERRORS: Record<FileProblem, string> = {
  type: 'my.case.error.fileType',
  size: 'my.case.error.fileSize',
  empty: 'my.case.error.fileEmpty',
  count: 'my.case.error.fileCount',
  virus: 'my.case.error.fileVirus',
  scanUnavailable: 'error.virusScannerUnavailable',
};
/** Kinds that make a decision take effect (or send a proposal back): they need the delegation to decide (policy). */
const DECIDES: ReadonlySet<ActionKind> = new Set<ActionKind>(['decide', 'approveDecision', 'returnDecision']);


export async function handlerRoutes(app: FastifyInstance, opts: CasesOptions = {}): Promise<void> {
  const extensions = opts.extensions ?? [];
  // The version of the definition the case was submitted under handles it (ADR 0010).
  const definitionOf = async (req: FastifyRequest, c: Case): Promise<ServiceDefinition> => {
    const def = await app.serviceVersions.definition(req.tdb, c.serviceId, c.serviceVersion);
    if (!def) throw new AppError('SERVICE_NOT_FOUND');
    return def;
  };

  const audit = (req: FastifyRequest, staff: StaffMember, r: Omit<AuditRecord, 'staffId' | 'requestId'>) => recordAudit(req.tdb, { ...r, staffId: staff.id, requestId: req.id }, app.clock.now());

  /** The case, if this staff member may read it; someone else's department's case is "not found". */
  async function loadCase(req: FastifyRequest, reply: FastifyReply): Promise<{ staff: StaffMember; c: Case; def: ServiceDefinition } | undefined> {
    const staff = await requireStaff(req, reply);
    if (!staff) return undefined;
    const { caseId } = req.params as { caseId: string };
    if (!isUuid(caseId)) throw new AppError('CASE_NOT_FOUND');
    const c = await getCase(req.tdb, caseId);
    if (!c) throw new AppError('CASE_NOT_FOUND');
    const def = await definitionOf(req, c);
    if (!canReadCase(staffPrincipal(staff), c, def)) throw new AppError('CASE_NOT_FOUND');
    return { staff, c, def };
  }

  /** The case, if this staff member may work on it (`decide`: may decide it) — else 403. */
  /**
   * The case and the action asked for, if this staff member may take it: deciding kinds need the delegation to
   * decide, the others the role to handle the case (policy). A case they may not read is "not found".
   */
  async function loadForAction(req: FastifyRequest, reply: FastifyReply, resolve: Resolve) {
    const loaded = await loadCase(req, reply);
    if (!loaded) return undefined;
    const action = resolve(loaded.c, loaded.def);
    const allowed = action && DECIDES.has(action.kind) ? canDecideCase : canHandleCase;
    if (!allowed(staffPrincipal(loaded.staff), loaded.c, loaded.def)) throw new AppError('FORBIDDEN');
    return { ...loaded, action };
  }

  /** The applicant as staff see them: the resident's current details, else what the party recorded. */
  async function applicantOf(req: FastifyRequest, c: Case) {
    const party = c.parties.find((p) => p.role === 'applicant');
    const id = applicantIdOf(c);
    const r = id ? await getResident(req.tdb, id) : undefined;
    const personalNumber = r?.personalNumber ?? party?.personalNumber ?? party?.organisationNumber ?? '–';
    return { name: r ? `${r.givenName} ${r.familyName}` : (party?.name ?? '–'), personalNumber, email: r?.email ?? party?.email ?? null, phone: r?.phone ?? null };
  }

  const notifyOf = async (req: FastifyRequest, c: Case): Promise<Notify> => applicantNotify(req.tdb, await definitionOf(req, c), c, `${req.protocol}://${req.host}`);

  /** What letters are written from; the sections other modules add are the receipt's only (a decision letter has none). */
  async function letterContext(req: FastifyRequest, c: Case, def: ServiceDefinition, forReceipt = false): Promise<LetterContext> {
    const a = await applicantOf(req, c);
    // An organisation's letters go to the organisation; a person's to their address, or "c/o" the
    // representative they applied through (ADR 0033, 0035).
    const organisation = await organisationRecipient(app, req, c.parties);
    const to = organisation ? { address: organisation.address, careOf: undefined } : await letterRecipient(app, req, c.parties, a.personalNumber === '–' ? undefined : a.personalNumber);
    const receiptSections = forReceipt ? await receiptSectionsOf(extensions, req, c, 'sv') : [];
    return { tenant: req.tenant, definition: def, register: (id) => app.catalogue.register(req.tenant.id, id), applicantName: a.name, receiptSections, decisionLines: decisionLinesOf(extensions, def), ...(to.address ? { applicantAddress: to.address } : {}), ...(to.careOf ? { careOf: to.careOf } : {}) };
  }

  async function renderCase(req: FastifyRequest, reply: FastifyReply, loaded: { staff: StaffMember; c: Case; def: ServiceDefinition }, extra: { errors?: FieldError[]; values?: Record<string, string> } = {}, status = 200) {
    const { staff, c, def } = loaded;
    await app.sessions.ensure(req, reply);
    const [entries, documents, staffList, applicant, proposal] = await Promise.all([readJournal(req.tdb, c.id), documentsOfCase(req.tdb, c.id), staffNames(req.tdb), applicantOf(req, c), pendingProposal(req.tdb, c.id)]);
    await audit(req, staff, { action: 'case.view', objectType: 'case', objectId: c.id, caseId: c.id });
    const attachments = entries.flatMap((e) => (Array.isArray(e.payload.attachments) ? (e.payload.attachments as { id: string; filename: string; contentType: string }[]) : []));
    const flash = DONE[(req.query as { done?: string }).done ?? ''];
    const sections = await sectionsOf(extensions.map((e) => e.staffSection?.(req, c, canHandleCase(staffPrincipal(staff), c, def))));
    return reply.page(
      <HandlerCasePage
        sections={sections}
        ctx={req.viewContext()}
        c={c}
        definition={def}
        applicant={applicant}
        entries={entries}
        documents={documents}
        attachments={attachments}
        staff={staffList}
        canHandle={canHandleCase(staffPrincipal(staff), c, def)}
        assignable={(s) => canHandleCase(staffPrincipal(s), c, def)}
        register={(id) => app.catalogue.register(req.tenant.id, id)}
        actions={availableActions(def, c.status, 'staff').filter((a) => (DECIDES.has(a.kind) ? canDecideCase : canHandleCase)(staffPrincipal(staff), c, def))}
        proposal={proposal}
        flash={flash ? { text: req.t(flash.key), kind: flash.kind } : undefined}
        errors={extra.errors ?? []}
        values={extra.values ?? {}}
        now={app.clock.now()}
        viewerId={staff.id}
      />,
      status,
    );
  }

  function textOf(req: FastifyRequest): { text: string; error: string | undefined; raw: string } {
    const raw = (req.body as { body?: unknown })?.body;
    const text = typeof raw === 'string' ? raw.replace(/\r\n?/g, '\n').trim() : '';
    const error = !text ? req.t('case.error.textRequired') : text.length > MAX_TEXT ? req.t('case.error.textTooLong', { max: MAX_TEXT }) : undefined;
    return { text, error, raw: typeof raw === 'string' ? raw : '' };
  }

  app.get('/staff/cases', async (req, reply) => {
    const staff = await requireStaff(req, reply);
    if (!staff) return reply;
    const q = req.query as Record<string, string | undefined>;
    const services = inboxServices(staffPrincipal(staff), app.catalogue.services(req.tenant.id));
    // The departments its cases can be routed to (ADR 0020) that are the staff member's own.
    const departments = [...new Set(services.flatMap(routedDepartments))].filter((d) => staff.departments.includes(d));
    const service = services.some((s) => s.id === q.service) ? q.service! : '';
    // A state belongs to its service: two services may both have "submitted", worded and meant
    // differently, so the filter offers each service's states as `<service>:<state>`. A bare state
    // id (an older bookmark) still means that state in any service that has it.
    const shown = service ? services.filter((s) => s.id === service) : services;
    const states = shown.flatMap((s) =>
      s.workflow.states.map((st) => {
        const label = pick(st.staffLabel ?? st.label, req.locale);
        return { id: `${s.id}:${st.id}`, label: shown.length > 1 ? `${label} (${pick(s.title, req.locale)})` : label };
      }),
    );
    const stateIds = new Set(shown.flatMap((s) => s.workflow.states.map((st) => st.id)));
    const wanted = q.status ?? '';
    const filter = {
      service,
      status: wanted === 'all' || states.some((st) => st.id === wanted) || stateIds.has(wanted) ? wanted : 'open',
      assignee: q.assignee === 'me' || q.assignee === 'none' || isUuid(q.assignee) ? q.assignee! : '',
      overdue: q.overdue === '1',
    };
    // The search: part of a reference or of a name, spaces tidied; too long is said, and kept in the field.
    const typed = typeof q.q === 'string' ? q.q.replace(/\s+/g, ' ').trim() : '';
    const searchError = typed.length > MAX_SEARCH ? req.t('inbox.error.searchTooLong', { max: MAX_SEARCH }) : undefined;
    const search = searchError ? '' : typed;
    const sort = readInboxSort(q.sort, q.dir);
    const now = app.clock.now();
    const page = await inbox(req.tdb, {
      departments,
      serviceIds: services.map((s) => s.id),
      serviceId: filter.service || undefined,
      status: filter.status === 'all' ? undefined : filter.status,
      assignee: filter.assignee === 'me' ? staff.id : filter.assignee || undefined,
      overdue: filter.overdue,
      search: search || undefined,
      viewerId: staff.id,
      now,
      sort,
      after: decodeInboxCursor(q.after, sort.key),
      limit: PAGE_SIZE,
    });
    const filters = { service: filter.service, status: filter.status, assignee: filter.assignee, overdue: filter.overdue ? '1' : '', q: search };
    /** A link to the inbox with these filters, in `order` (default: this one), from the first page or after a cursor. */
    const link = (p: { after?: string; order?: typeof sort } = {}) => {
      const order = p.order ?? sort;
      const params = new URLSearchParams(Object.entries(filters).filter(([, v]) => v));
      if (order.key !== DEFAULT_SORT.key || order.dir !== DEFAULT_SORT.dir) {
        params.set('sort', order.key);
        params.set('dir', order.dir);
      }
      if (p.after) params.set('after', p.after);
      return `/staff/cases?${params.toString()}`;
    };
    return reply.page(
      <InboxPage
        ctx={req.viewContext()}
        cases={page.cases}
        services={services}
        definitionOf={await definitionsOfCases(app, req, page.cases)}
        states={states}
        staff={await staffNames(req.tdb)}
        filter={{ ...filter, q: searchError ? typed.slice(0, MAX_SEARCH * 2) : search }}
        searchError={searchError}
        sort={sort}
        sortHref={(order) => link({ order })}
        nextHref={page.next ? link({ after: encodeInboxCursor(page.next) }) : undefined}
        firstHref={q.after ? link() : undefined}
        now={now}
        hasDepartments={departments.length > 0}
        viewer={staffPrincipal(staff)}
      />,
      searchError ? 400 : 200,
    );
  });

  app.get('/staff/cases/:caseId', async (req, reply) => {
    const loaded = await loadCase(req, reply);
    if (!loaded) return reply;
    return renderCase(req, reply, loaded);
  });

  app.post('/staff/cases/:caseId/notes', async (req, reply) => {
    const loaded = await loadForAction(req, reply, () => undefined);
    if (!loaded) return reply;
    const { text, error, raw } = textOf(req);
    if (error) return renderCase(req, reply, loaded, { errors: [{ field: 'f-note', message: error }], values: { note: raw } }, 400);
    await note(req.tdb, loaded.c.id, loaded.staff.id, text, app.clock.now());
    return reply.redirect(`/staff/cases/${loaded.c.id}?done=note`, 303);
  });

  app.post('/staff/cases/:caseId/messages', async (req, reply) => {
    const loaded = await loadForAction(req, reply, () => undefined);
    if (!loaded) return reply;
    const { text, error, raw } = textOf(req);
    if (error) return renderCase(req, reply, loaded, { errors: [{ field: 'f-message', message: error }], values: { message: raw } }, 400);
    await staffMessage(req.tdb, loaded.def, loaded.c.id, loaded.staff.id, text, await notifyOf(req, loaded.c), app.clock.now());
    return reply.redirect(`/staff/cases/${loaded.c.id}?done=message`, 303);
  });

  /**
   * After an action the workflow refused (the case changed since the page was read: a double click,
   * withdrawn meanwhile): a case that is now closed shows why nothing happened; a case already where
   * the action leads just shows itself; anything else is the translated 409 page.
   */
  async function refused(req: FastifyRequest, reply: FastifyReply, def: ServiceDefinition, c: Case, err: unknown, action: ActionDef, wrote = false) {
    if (!(err instanceof AppError && err.code === 'CASE_ACTION_NOT_ALLOWED')) throw err;
    const current = await getCase(req.tdb, c.id);
    if (current && isFinalState(def, current.status)) return reply.redirect(`/staff/cases/${c.id}?done=closed`, 303);
    // Already where the action leads (a colleague took it first): a text written with it was not saved, and the page says so.
    if (current && action.to !== undefined && current.status === action.to) return reply.redirect(`/staff/cases/${c.id}${wrote ? '?done=notTaken' : ''}`, 303);
    throw err;
  }

  /** The staff action of this id on this definition; one the applicant takes is not a staff route's. */
  function staffAction(def: ServiceDefinition, id: string): ActionDef {
    const action = actionById(def, id);
    if (!action || actorOf(action) !== 'staff') throw new AppError('NOT_FOUND');
    return action;
  }

  /** The decision types this decide or proposeDecision action may make. */
  const typesOf = (def: ServiceDefinition, action: ActionDef) => def.decisions.filter((d) => !action.decisions || action.decisions.includes(d.id));

  /** The letter as it will read, from the form's values so far (what is still to be given in brackets): the PDF's own sections. */
  async function previewLetters(req: FastifyRequest, c: Case, def: ServiceDefinition, staff: StaffMember, type: DecisionType, values: Record<string, string>, locales: Locale[]): Promise<Letter[]> {
    const ctx = await letterContext(req, c, def);
    const decision: Decision = { type: type.id, outcome: type.outcome, values, decidedBy: staff.id, decidedAt: app.clock.now().toISOString() };
    return locales.map((l) => decisionLetter(c, ctx, decision, staff.displayName, l, (f) => `[${pick(f.label, l)}]`));
  }

  /** Swedish always, and the applicant's language when it is another (renderDecisionLetters sends the same). */
  const letterLocales = (c: Case): Locale[] => (c.locale === 'sv' ? ['sv'] : ['sv', c.locale]);

  async function decisionPage(req: FastifyRequest, reply: FastifyReply, loaded: { staff: StaffMember; c: Case; def: ServiceDefinition }, action: ActionDef, typeId: string | undefined, values: Record<string, string>, errors: FieldError[], chosenType?: string) {
    const { c, def, staff } = loaded;
    const types = typesOf(def, action);
    const type = types.find((d) => d.id === typeId);
    const preview = type ? (await previewLetters(req, c, def, staff, type, values, ['sv']))[0] : undefined;
    return reply.page(
      <DecidePage ctx={req.viewContext()} c={c} definition={def} action={action} types={types} type={type} chosenType={chosenType} values={values} errors={errors} register={(id) => app.catalogue.register(req.tenant.id, id)} preview={preview} />,
      errors.length ? 400 : 200,
    );
  }

  /** The case and its decide or proposeDecision action, if this staff member may take it and the case is still open; else the reply was sent. */
  async function loadForDecision(req: FastifyRequest, reply: FastifyReply, resolve: Resolve) {
    const loaded = await loadForAction(req, reply, resolve);
    if (!loaded) return undefined;
    const { c, def, action } = loaded;
    // A closed case has nothing left to decide: back to it, saying so.
    if (isFinalState(def, c.status)) {
      reply.redirect(`/staff/cases/${c.id}?done=closed`, 303);
      return undefined;
    }
    if (!action || actionInput(action) !== 'decision') {
      reply.redirect(`/staff/cases/${c.id}`, 303);
      return undefined;
    }
    await app.sessions.ensure(req, reply);
    return { ...loaded, action };
  }

  const draftKey = (c: Case, action: ActionDef, staff: StaffMember) => ({ caseId: c.id, actionId: action.id, staffId: staff.id });

  /**
   * The decision form of a decide or proposeDecision action: first the type, then its fields —
   * what the handler gave before (their draft), else what the application asked for where the
   * definition says so (prefill).
   */
  async function showDecisionForm(req: FastifyRequest, reply: FastifyReply, resolve: Resolve) {
    const loaded = await loadForDecision(req, reply, resolve);
    if (!loaded) return reply;
    const { staff, c, def, action } = loaded;
    // The form shows the applicant and their answers: a read of the case like its page.
    await audit(req, staff, { action: 'case.view', objectType: 'case', objectId: c.id, caseId: c.id });
    const { type: typeId, step, choose } = req.query as { type?: string; step?: string; choose?: string };
    const types = typesOf(def, action);
    const draft = await readDecisionDraft(req.tdb, draftKey(c, action, staff), app.clock.now());
    if (choose !== undefined) return decisionPage(req, reply, loaded, action, undefined, {}, [], draft?.typeId);
    const wanted = typeId ?? (step === undefined ? draft?.typeId : undefined);
    const type = types.find((d) => d.id === wanted);
    // step=type: the choice form was sent (with no radio chosen the browser sends no `type` at all).
    if (!type) return decisionPage(req, reply, loaded, action, undefined, {}, typeId !== undefined || step === 'type' ? [{ field: 'f-type', message: req.t('case.error.chooseType') }] : []);
    // A proposal sent back is proposed again from what it said; otherwise the definition's prefill.
    const returned = !draft && action.kind === 'proposeDecision' ? await lastProposal(req.tdb, c.id) : undefined;
    const values = draft && draft.typeId === type.id ? draft.values : returned && returned.type === type.id ? returned.values : prefillDecision(type, c);
    return decisionPage(req, reply, loaded, action, type.id, values, []);
  }

  /** "Check and send": the decision's values, the letters as they will be sent, who gets them, and the one button that sends. */
  async function showDecisionCheck(req: FastifyRequest, reply: FastifyReply, resolve: Resolve) {
    const loaded = await loadForDecision(req, reply, resolve);
    if (!loaded) return reply;
    const { staff, c, def, action } = loaded;
    const href = `/staff/cases/${c.id}/actions/${action.id}`;
    const draft = await readDecisionDraft(req.tdb, draftKey(c, action, staff), app.clock.now());
    const type = typesOf(def, action).find((d) => d.id === draft?.typeId);
    if (!draft || !type) return reply.redirect(href, 303);
    await audit(req, staff, { action: 'case.view', objectType: 'case', objectId: c.id, caseId: c.id });
    // Checked again: a date may have passed, or a unit left the register, since the draft was saved.
    const { values, errors } = checkDecisionForm(type, draft.values, c, { today: stockholmToday(app.clock.now()), t: req.t, locale: req.locale, definition: def, register: (id) => app.catalogue.register(req.tenant.id, id) });
    if (errors.length) return decisionPage(req, reply, loaded, action, type.id, values, errors);
    const [letters, applicant, notify, ctx] = await Promise.all([previewLetters(req, c, def, staff, type, values, letterLocales(c)), applicantOf(req, c), notifyOf(req, c), letterContext(req, c, def)]);
    return reply.page(
      <DecisionCheckPage
        ctx={req.viewContext()}
        c={c}
        definition={def}
        action={action}
        types={typesOf(def, action)}
        type={type}
        values={values}
        register={(id) => app.catalogue.register(req.tenant.id, id)}
        letters={letters}
        recipient={{ name: applicant.name, address: ctx.applicantAddress, email: notify.email }}
      />,
    );
  }

  /** The live preview (the enhancement script asks as fields change): the letter alone, as HTML. The form's page was the audited read. */
  async function decisionPreview(req: FastifyRequest, reply: FastifyReply, resolve: Resolve) {
    const loaded = await loadForDecision(req, reply, resolve);
    if (!loaded) return reply;
    const { staff, c, def, action } = loaded;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const type = typesOf(def, action).find((d) => d.id === body.type);
    if (!type) throw new AppError('BAD_REQUEST');
    const values = readDecisionValues(type, body);
    await saveDecisionDraft(req.tdb, draftKey(c, action, staff), { typeId: type.id, values }, app.clock.now());
    const [letter] = await previewLetters(req, c, def, staff, type, values, ['sv']);
    return reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(renderFragment(<LetterView letter={letter!} label={req.t('case.decision.letterLabel', { language: req.t(`lang.${letter!.lang}`) })} />));
  }

  /**
   * Every staff action goes through here, whatever its kind: parse what its kind asks for (nothing,
   * a text, a handler, a text with files, a decision), render letters or store files before the
   * transaction, run it, and land on the case. Files and letters of an action that does not commit
   * are removed again: the blob store keeps nothing no row points to.
   */
  async function performAction(req: FastifyRequest, reply: FastifyReply, resolve: Resolve, form?: Awaited<ReturnType<typeof readMultipartForm>>) {
    const loaded = await loadForAction(req, reply, resolve);
    if (!loaded) return reply;
    const { staff, c, def, action } = loaded;
    if (!action) throw new AppError('CASE_ACTION_NOT_ALLOWED');
    const shape = actionInput(action);
    const body = (form ? Object.fromEntries(['body', 'type', 'assignee', 'step'].map((k) => [k, form.field(k)])) : (req.body ?? {})) as Record<string, unknown>;
    const now = app.clock.now();
    const input: ActionInput = {};
    let cleanup = async () => {};
    const fieldId = actionFieldId(action);
    if (shape === 'text' || shape === 'textFiles') {
      const raw = typeof body.body === 'string' ? body.body : '';
      const text = raw.replace(/\r\n?/g, '\n').trim();
      const errors: FieldError[] = [];
      // The definition's own field (ADR 0029) is named in its messages; the kinds' fields keep theirs.
      const rules = actionTextRules(action);
      const named = action.text ? pick(action.text.label, req.locale) : undefined;
      if (!text && rules.required) errors.push({ field: fieldId, message: named ? req.t('case.error.actionTextRequired', { label: named }) : req.t('case.error.textRequired') });
      if (text.length > rules.maxLength) errors.push({ field: fieldId, message: named ? req.t('case.error.actionTextTooLong', { label: named, max: rules.maxLength, length: text.length }) : req.t('case.error.textTooLong', { max: rules.maxLength }) });
      let files: Awaited<ReturnType<NonNullable<typeof form>['files']>>['files'] = [];
      if (shape === 'textFiles') {
        const read = form ? await form.files() : { files: [], tooManyFiles: false };
        files = read.files;
        const problem = read.tooManyFiles ? 'count' : await checkFiles(files, app.virusScanner, (signature) => req.log.warn({ caseId: c.id, signature }, 'an uploaded file was refused by the virus scanner'));
        if (problem) errors.push({ field: `${fieldId}-files`, message: req.t(FILE_ERRORS[problem]) });
        if (!text && files.length === 0) errors.push({ field: fieldId, message: req.t('case.error.textRequired') });
      }
      if (errors.length) return renderCase(req, reply, loaded, { errors, values: { [action.id]: raw } }, 400);
      input.text = text;
      if (files.length) {
        const stored = await storeFiles(app.blobs, req.tenant.id, files, now);
        input.files = stored;
        input.recordFiles = (tx) => insertAttachments(tx, c.id, { kind: 'staff', id: staff.id }, stored, now);
        cleanup = () => discardFiles(app.blobs, stored);
      }
    } else if (shape === 'assign') {
      const chosen = (await staffNames(req.tdb)).find((s) => s.id === body.assignee && s.roles.includes('handler') && s.departments.includes(c.department));
      if (!chosen) return renderCase(req, reply, loaded, { errors: [{ field: fieldId, message: req.t('case.error.chooseHandler') }] }, 400);
      input.assignee = { id: chosen.id, name: chosen.displayName };
    } else if (shape === 'decision') {
      const type = typesOf(def, action).find((d) => d.id === body.type);
      if (!type) throw new AppError('BAD_REQUEST');
      // Decided or withdrawn since the form was opened (a second click, a second tab): nothing to do.
      if (isFinalState(def, c.status)) return reply.redirect(`/staff/cases/${c.id}?done=closed`, 303);
      const step = body.step;
      const key = draftKey(c, action, staff);
      if (step === 'preview') {
        // Without the script: the form again, the letter filled in with what was given; nothing checked yet.
        const values = readDecisionValues(type, body);
        await saveDecisionDraft(req.tdb, key, { typeId: type.id, values }, now);
        await audit(req, staff, { action: 'case.view', objectType: 'case', objectId: c.id, caseId: c.id });
        return decisionPage(req, reply, loaded, action, type.id, values, []);
      }
      const { values, errors } = checkDecisionForm(type, body, c, { today: stockholmToday(now), t: req.t, locale: req.locale, definition: def, register: (id) => app.catalogue.register(req.tenant.id, id) });
      if (step === 'check') await saveDecisionDraft(req.tdb, key, { typeId: type.id, values }, now);
      if (errors.length) {
        await audit(req, staff, { action: 'case.view', objectType: 'case', objectId: c.id, caseId: c.id });
        return decisionPage(req, reply, loaded, action, type.id, values, errors);
      }
      // The form leads to "check and send"; the check page's button (step=send) takes the action.
      if (step === 'check') return reply.redirect(`/staff/cases/${c.id}/actions/${action.id}/check`, 303);
      input.decision = { type: type.id, outcome: type.outcome, values, decidedBy: staff.id, decidedAt: now.toISOString() };
    }
    if (action.kind === 'approveDecision') {
      if (isFinalState(def, c.status)) return reply.redirect(`/staff/cases/${c.id}?done=closed`, 303);
      const pending: Proposal | undefined = await pendingProposal(req.tdb, c.id);
      if (!pending) return refused(req, reply, def, c, new AppError('CASE_ACTION_NOT_ALLOWED'), action);
      if (pending.proposedBy === staff.id) throw new AppError('DECISION_OWN_PROPOSAL');
      input.proposalSeq = pending.seq;
      input.decision = { type: pending.type, outcome: pending.outcome, values: pending.values, decidedBy: staff.id, decidedAt: now.toISOString(), ...(pending.proposedBy ? { proposedBy: pending.proposedBy } : {}) };
    }
    if (action.kind === 'decide' || action.kind === 'approveDecision') {
      // Letters are rendered before the transaction (PDF work holds no lock); the decision records them.
      const decision: Decision = input.decision!;
      const letters = await renderDecisionLetters(req.tenant.id, app.blobs, c, await letterContext(req, c, def), decision, staff.displayName, now);
      input.letters = letters.map((l) => ({ id: l.id, locale: l.locale, sha256: l.sha256 }));
      input.recordLetters = (tx) => recordLetters(tx, c.id, letters, now);
      // What other modules record with the decision (an invoice, ADR 0034), in its transaction.
      input.recordDecision = (tx, locked, seq, d) => recordDecisionOf(extensions, tx, { c: locked, def, decision: d, seq, now });
      cleanup = () => discardUnrecordedLetters(req.tdb, app.blobs, c.id, letters);
    }
    try {
      await runAction(req.tdb, def, c.id, action, { kind: 'staff', id: staff.id }, input, await notifyOf(req, c), now);
    } catch (err) {
      await cleanup();
      return refused(req, reply, def, c, err, action, Boolean(input.text));
    }
    if (shape === 'decision') await discardDecisionDrafts(req.tdb, c.id, action.id);
    return reply.redirect(`/staff/cases/${c.id}?done=${DONE_OF[action.kind]}`, 303);
  }

  const byId = (req: FastifyRequest): Resolve => (_c, def) => staffAction(def, (req.params as { actionId: string }).actionId);

  // The one action route: the action's id names it; its kind says what it takes. A route that takes
  // files (a referral's reply) is multipart; the others send a plain form to the same route. The
  // form's fields come first (its CSRF token is checked there); files are read once the case is
  // found to be one this handler may act on.
  app.post('/staff/cases/:caseId/actions/:actionId', { config: { multipart: { fileField: 'files', maxFiles: MAX_FILES, maxFileBytes: MAX_FILE_BYTES } } }, async (req, reply) => {
    const form = req.isMultipart() ? await readMultipartForm(req) : undefined;
    return performAction(req, reply, byId(req), form);
  });

  app.get('/staff/cases/:caseId/actions/:actionId', async (req, reply) => showDecisionForm(req, reply, byId(req)));
  app.get('/staff/cases/:caseId/actions/:actionId/check', async (req, reply) => showDecisionCheck(req, reply, byId(req)));
  app.post('/staff/cases/:caseId/actions/:actionId/preview', async (req, reply) => decisionPreview(req, reply, byId(req)));

  // The URLs of the fixed verbs before actions were data, kept for pages and bookmarks already out
  // there: each finds the action of its kind that the case's state allows and runs it like any other.
  const legacy = (kind: ActionKind): Resolve => (c, def) => actionOfKind(def, c.status, kind);
  app.post('/staff/cases/:caseId/assign', async (req, reply) => performAction(req, reply, legacy('assign')));
  app.post('/staff/cases/:caseId/start', async (req, reply) => performAction(req, reply, legacy('transition')));
  app.post('/staff/cases/:caseId/supplement-request', async (req, reply) => performAction(req, reply, legacy('requestSupplement')));
  app.get('/staff/cases/:caseId/decide', async (req, reply) => showDecisionForm(req, reply, legacy('decide')));
  app.post('/staff/cases/:caseId/decide', async (req, reply) => performAction(req, reply, legacy('decide')));

  app.get('/staff/cases/:caseId/receipt.pdf', async (req, reply) => {
    const loaded = await loadCase(req, reply);
    if (!loaded) return reply;
    const { staff, c, def } = loaded;
    await audit(req, staff, { action: 'receipt.view', objectType: 'case', objectId: c.id, caseId: c.id });
    const pdf = await receiptPdf(req.tdb, app.blobs, c, await letterContext(req, c, def, true), 'sv', app.clock.now());
    return reply.header('content-type', 'application/pdf').header('content-disposition', `inline; filename="${c.reference}-kvitto.pdf"`).header('cache-control', 'private, no-store').send(pdf);
  });

  app.get('/staff/cases/:caseId/documents/:docId.pdf', async (req, reply) => {
    const loaded = await loadCase(req, reply);
    if (!loaded) return reply;
    const file = await documentFile(req, app.blobs, loaded.c, (req.params as { docId: string }).docId);
    await audit(req, loaded.staff, { action: 'document.view', objectType: 'document', objectId: file.doc.id, caseId: loaded.c.id });
    return sendDocument(reply, loaded.c, file);
  });

  app.get('/staff/cases/:caseId/attachments/:attachmentId', async (req, reply) => {
    const loaded = await loadCase(req, reply);
    if (!loaded) return reply;
    const file = await attachmentFile(req, app.blobs, loaded.c, (req.params as { attachmentId: string }).attachmentId);
    await audit(req, loaded.staff, { action: 'attachment.view', objectType: 'attachment', objectId: file.attachment.id, caseId: loaded.c.id });
    return sendAttachment(reply, file);
  });
}
