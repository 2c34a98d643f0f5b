/** The handler's workspace: inbox, case view, and the actions on a case. Every read is audit-logged. */
import { receiptSectionsOf, sectionsOf, type CasesOptions } from './extensions.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../kernel/errors.ts';
import { isUuid } from '../kernel/ids.ts';
import { decodePageCursor, encodePageCursor } from '../kernel/page-cursor.ts';
import { pick } from '../kernel/i18n/index.ts';
import type { FieldError } from '../kernel/html/components.tsx';
import { canHandleCase, canReadCase, inboxDepartments, staffPrincipal } from '../policy/index.ts';
import { requireStaff, type StaffMember } from '../identity/staff/index.ts';
import { getResident } from '../identity/eid/index.ts';
import { recordAudit, type AuditRecord } from '../audit/index.ts';
import { readJournal } from '../archive/index.ts';
import { discardUnrecordedLetters, documentsOfCase, receiptPdf, renderDecisionLetters, recordLetters, type LetterContext } from '../documents/index.ts';
import { isIsoDate, stockholmToday } from '../forms/dates.ts';
import type { ServiceDefinition, WorkflowAction } from '../catalogue/types.ts';
import { getCase, type Case, type Decision } from './cases.repository.ts';
import { allowedActions, isFinalState, targetsOf } from './workflow.ts';
import { assign, decide, note, requestSupplement, staffMessage, start, type Notify } from './actions.ts';
import { inbox, staffNames } from './inbox.repository.ts';
import { DecidePage, HandlerCasePage, InboxPage } from './views/handler.tsx';
import { registeredAddressLines } from './letter-address.ts';
import { attachmentFile, documentFile, sendAttachment, sendDocument } from './downloads.ts';
import './handler-messages.ts';
import './ui-messages.ts';

const MAX_TEXT = 4000;
const PAGE_SIZE = 25;
type Flash = { key: string; kind: 'success' | 'info' };
const done = (key: string): Flash => ({ key, kind: 'success' });
/** What the case page says after an action (?done=…); "closed": an action came too late for a closed case. */
const DONE: Record<string, Flash> = {
  note: done('case.done.note'),
  message: done('case.done.message'),
  supplement: done('case.done.supplement'),
  assigned: done('case.done.assigned'),
  decided: done('case.done.decided'),
  started: done('case.done.started'),
  closed: { key: 'case.notice.closed', kind: 'info' },
};


export async function handlerRoutes(app: FastifyInstance, opts: CasesOptions = {}): Promise<void> {
  const extensions = opts.extensions ?? [];
  const definitionOf = (req: FastifyRequest, c: Case): ServiceDefinition => {
    const def = app.catalogue.service(req.tenant.id, c.serviceId);
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
    if (!c || !canReadCase(staffPrincipal(staff), c)) throw new AppError('CASE_NOT_FOUND');
    return { staff, c, def: definitionOf(req, c) };
  }

  async function loadForAction(req: FastifyRequest, reply: FastifyReply) {
    const loaded = await loadCase(req, reply);
    if (loaded && !canHandleCase(staffPrincipal(loaded.staff), loaded.c)) throw new AppError('FORBIDDEN');
    return loaded;
  }

  async function applicantOf(req: FastifyRequest, c: Case) {
    const r = await getResident(req.tdb, c.applicantId);
    return { name: r ? `${r.givenName} ${r.familyName}` : '–', personalNumber: r?.personalNumber ?? '–', email: r?.email ?? null, phone: r?.phone ?? null };
  }

  async function notifyOf(req: FastifyRequest, c: Case): Promise<Notify> {
    const email = typeof c.answers.email === 'string' && c.answers.email ? c.answers.email : ((await getResident(req.tdb, c.applicantId))?.email ?? undefined);
    return { email, siteUrl: `${req.protocol}://${req.host}` };
  }

  async function letterContext(req: FastifyRequest, c: Case, def: ServiceDefinition): Promise<LetterContext> {
    const a = await applicantOf(req, c);
    const address = a.personalNumber === '–' ? undefined : await registeredAddressLines(app, req, a.personalNumber);
    const receiptSections = await receiptSectionsOf(extensions, req, c, 'sv');
    return { tenant: req.tenant, definition: def, register: (id) => app.catalogue.register(req.tenant.id, id), applicantName: a.name, receiptSections, ...(address ? { applicantAddress: address } : {}) };
  }

  async function renderCase(req: FastifyRequest, reply: FastifyReply, loaded: { staff: StaffMember; c: Case; def: ServiceDefinition }, extra: { errors?: FieldError[]; values?: Record<string, string> } = {}, status = 200) {
    const { staff, c, def } = loaded;
    await app.sessions.ensure(req, reply);
    const [entries, documents, staffList, applicant] = await Promise.all([readJournal(req.tdb, c.id), documentsOfCase(req.tdb, c.id), staffNames(req.tdb), applicantOf(req, c)]);
    await audit(req, staff, { action: 'case.view', objectType: 'case', objectId: c.id, caseId: c.id });
    const attachments = entries.flatMap((e) => (Array.isArray(e.payload.attachments) ? (e.payload.attachments as { id: string; filename: string; contentType: string }[]) : []));
    const flash = DONE[(req.query as { done?: string }).done ?? ''];
    const sections = await sectionsOf(extensions.map((e) => e.staffSection?.(req, c, canHandleCase(staffPrincipal(staff), c))));
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
        register={(id) => app.catalogue.register(req.tenant.id, id)}
        actions={canHandleCase(staffPrincipal(staff), c) ? allowedActions(def, c.status) : []}
        flash={flash ? { text: req.t(flash.key), kind: flash.kind } : undefined}
        errors={extra.errors ?? []}
        values={extra.values ?? {}}
        now={app.clock.now()}
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
    const departments = inboxDepartments(staffPrincipal(staff));
    const services = app.catalogue.services(req.tenant.id).filter((s) => departments.includes(s.department));
    const states = new Map<string, string>();
    const finals = new Set<string>();
    for (const s of services) {
      for (const st of s.workflow.states) {
        if (!states.has(st.id)) states.set(st.id, pick(st.staffLabel ?? st.label, req.locale));
        if (st.final) finals.add(st.id);
      }
    }
    const filter = {
      service: services.some((s) => s.id === q.service) ? q.service! : '',
      status: q.status === 'all' || states.has(q.status ?? '') ? q.status! : 'open',
      assignee: q.assignee === 'me' || q.assignee === 'none' || isUuid(q.assignee) ? q.assignee! : '',
      overdue: q.overdue === '1',
    };
    const now = app.clock.now();
    const page = await inbox(req.tdb, {
      departments,
      serviceId: filter.service || undefined,
      status: filter.status === 'all' ? undefined : filter.status,
      finalStates: [...finals],
      assignee: filter.assignee === 'me' ? staff.id : filter.assignee || undefined,
      overdue: filter.overdue,
      now,
      after: decodePageCursor(q.after),
      limit: PAGE_SIZE,
    });
    const base = new URLSearchParams(Object.entries({ service: filter.service, status: filter.status, assignee: filter.assignee, overdue: filter.overdue ? '1' : '' }).filter(([, v]) => v));
    const link = (after?: string) => {
      const p = new URLSearchParams(base);
      if (after) p.set('after', after);
      return `/staff/cases?${p.toString()}`;
    };
    return reply.page(
      <InboxPage
        ctx={req.viewContext()}
        cases={page.cases}
        services={services}
        states={[...states].map(([id, label]) => ({ id, label }))}
        staff={await staffNames(req.tdb)}
        filter={filter}
        nextHref={page.next ? link(encodePageCursor(page.next)) : undefined}
        firstHref={q.after ? link() : undefined}
        now={now}
        hasDepartments={departments.length > 0}
      />,
    );
  });

  app.get('/staff/cases/:caseId', async (req, reply) => {
    const loaded = await loadCase(req, reply);
    if (!loaded) return reply;
    return renderCase(req, reply, loaded);
  });

  app.post('/staff/cases/:caseId/assign', async (req, reply) => {
    const loaded = await loadForAction(req, reply);
    if (!loaded) return reply;
    const { staff, c, def } = loaded;
    const assignee = (req.body as { assignee?: unknown })?.assignee;
    const handler = (await staffNames(req.tdb)).find((s) => s.id === assignee && s.roles.includes('handler') && s.departments.includes(c.department));
    if (!handler) return renderCase(req, reply, loaded, { errors: [{ field: 'f-assignee', message: req.t('case.error.chooseHandler') }] }, 400);
    await assign(req.tdb, def, c.id, staff.id, handler.id, handler.displayName, app.clock.now());
    return reply.redirect(`/staff/cases/${c.id}?done=assigned`, 303);
  });

  app.post('/staff/cases/:caseId/notes', async (req, reply) => {
    const loaded = await loadForAction(req, reply);
    if (!loaded) return reply;
    const { text, error, raw } = textOf(req);
    if (error) return renderCase(req, reply, loaded, { errors: [{ field: 'f-note', message: error }], values: { note: raw } }, 400);
    await note(req.tdb, loaded.c.id, loaded.staff.id, text, app.clock.now());
    return reply.redirect(`/staff/cases/${loaded.c.id}?done=note`, 303);
  });

  app.post('/staff/cases/:caseId/messages', async (req, reply) => {
    const loaded = await loadForAction(req, reply);
    if (!loaded) return reply;
    const { text, error, raw } = textOf(req);
    if (error) return renderCase(req, reply, loaded, { errors: [{ field: 'f-message', message: error }], values: { message: raw } }, 400);
    await staffMessage(req.tdb, loaded.def, loaded.c.id, loaded.staff.id, text, await notifyOf(req, loaded.c), app.clock.now());
    return reply.redirect(`/staff/cases/${loaded.c.id}?done=message`, 303);
  });

  app.post('/staff/cases/:caseId/supplement-request', async (req, reply) => {
    const loaded = await loadForAction(req, reply);
    if (!loaded) return reply;
    const { text, error, raw } = textOf(req);
    if (error) return renderCase(req, reply, loaded, { errors: [{ field: 'f-supplement', message: error }], values: { supplement: raw } }, 400);
    await requestSupplement(req.tdb, loaded.def, loaded.c.id, loaded.staff.id, text, await notifyOf(req, loaded.c), app.clock.now());
    return reply.redirect(`/staff/cases/${loaded.c.id}?done=supplement`, 303);
  });

  /**
   * After an action the workflow refused (the case changed since the page was read: a double click,
   * withdrawn meanwhile): a case that is now closed shows why nothing happened; a case already where
   * the action leads just shows itself; anything else is the translated 409 page.
   */
  async function refused(req: FastifyRequest, reply: FastifyReply, def: ServiceDefinition, c: Case, err: unknown, action: WorkflowAction) {
    if (!(err instanceof AppError && err.code === 'CASE_ACTION_NOT_ALLOWED')) throw err;
    const current = await getCase(req.tdb, c.id);
    if (current && isFinalState(def, current.status)) return reply.redirect(`/staff/cases/${c.id}?done=closed`, 303);
    if (current && targetsOf(def, action).includes(current.status)) return reply.redirect(`/staff/cases/${c.id}`, 303);
    throw err;
  }

  app.post('/staff/cases/:caseId/start', async (req, reply) => {
    const loaded = await loadForAction(req, reply);
    if (!loaded) return reply;
    const { staff, c, def } = loaded;
    try {
      await start(req.tdb, def, c.id, staff.id, app.clock.now());
    } catch (err) {
      return refused(req, reply, def, c, err, 'start');
    }
    return reply.redirect(`/staff/cases/${c.id}?done=started`, 303);
  });

  app.get('/staff/cases/:caseId/decide', async (req, reply) => {
    const loaded = await loadForAction(req, reply);
    if (!loaded) return reply;
    const { staff, c, def } = loaded;
    // A closed case has nothing left to decide: back to it, saying so.
    if (isFinalState(def, c.status)) return reply.redirect(`/staff/cases/${c.id}?done=closed`, 303);
    await app.sessions.ensure(req, reply);
    // The form shows the applicant and their answers: a read of the case like its page.
    await audit(req, staff, { action: 'case.view', objectType: 'case', objectId: c.id, caseId: c.id });
    const { type: typeId, step } = req.query as { type?: string; step?: string };
    const type = def.decisions.find((d) => d.id === typeId);
    // step=type: the choice form was sent (with no radio chosen the browser sends no `type` at all).
    const errors = (typeId !== undefined || step === 'type') && !type ? [{ field: 'f-type', message: req.t('case.error.chooseType') }] : [];
    return reply.page(<DecidePage ctx={req.viewContext()} c={c} definition={def} type={type} values={{}} errors={errors} register={(id) => app.catalogue.register(req.tenant.id, id)} applicantName={(await applicantOf(req, c)).name} />, errors.length ? 400 : 200);
  });

  app.post('/staff/cases/:caseId/decide', async (req, reply) => {
    const loaded = await loadForAction(req, reply);
    if (!loaded) return reply;
    const { staff, c, def } = loaded;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const type = def.decisions.find((d) => d.id === body.type);
    if (!type) throw new AppError('BAD_REQUEST');
    // Decided or withdrawn since the form was opened (a second click, a second tab): nothing to do.
    if (isFinalState(def, c.status)) return reply.redirect(`/staff/cases/${c.id}?done=closed`, 303);
    const now = app.clock.now();
    const today = stockholmToday(now);
    const values: Record<string, string> = {};
    const errors: FieldError[] = [];
    for (const f of type.fields) {
      const raw = body[f.id];
      const v = typeof raw === 'string' ? raw.replace(/\r\n?/g, '\n').trim() : '';
      values[f.id] = v;
      const label = pick(f.label, req.locale);
      if (!v && f.required !== false) errors.push({ field: `f-${f.id}`, message: req.t('case.error.decisionField', { label }) });
      else if (v.length > MAX_TEXT) errors.push({ field: `f-${f.id}`, message: req.t('case.error.textTooLong', { max: MAX_TEXT }) });
      else if (f.kind === 'date' && v && !isIsoDate(v)) errors.push({ field: `f-${f.id}`, message: req.t('case.error.decisionDate', { label }) });
      // A date a decision sets (a place from…) cannot already have passed, counted in Stockholm.
      else if (f.kind === 'date' && v && v < today) errors.push({ field: `f-${f.id}`, message: req.t('case.error.decisionDatePast', { label }) });
      else if (f.kind === 'rankedChoiceAnswer' && v) {
        const chosen = c.answers[f.from ?? ''];
        if (!Array.isArray(chosen) || !chosen.includes(v)) errors.push({ field: `f-${f.id}`, message: req.t('case.error.decisionChoice', { label }) });
      }
    }
    if (errors.length) {
      await audit(req, staff, { action: 'case.view', objectType: 'case', objectId: c.id, caseId: c.id });
      return reply.page(<DecidePage ctx={req.viewContext()} c={c} definition={def} type={type} values={values} errors={errors} register={(id) => app.catalogue.register(req.tenant.id, id)} applicantName={(await applicantOf(req, c)).name} />, 400);
    }
    const decision: Decision = { type: type.id, outcome: type.outcome, values, decidedBy: staff.id, decidedAt: now.toISOString() };
    // Letters are rendered before the transaction (PDF work holds no lock); the decision records them.
    // If the decision does not commit (decided meanwhile by a second click, withdrawn), the stored
    // letters are removed again: the blob store keeps no letter that no case points to.
    const letters = await renderDecisionLetters(req.tenant.id, app.blobs, c, await letterContext(req, c, def), decision, staff.displayName, now);
    try {
      await decide(
        req.tdb,
        def,
        c.id,
        staff.id,
        decision,
        letters.map((l) => ({ id: l.id, locale: l.locale, sha256: l.sha256 })),
        (tx) => recordLetters(tx, c.id, letters, now),
        await notifyOf(req, c),
        now,
      );
    } catch (err) {
      await discardUnrecordedLetters(req.tdb, app.blobs, c.id, letters);
      return refused(req, reply, def, c, err, 'decide');
    }
    return reply.redirect(`/staff/cases/${c.id}?done=decided`, 303);
  });

  app.get('/staff/cases/:caseId/receipt.pdf', async (req, reply) => {
    const loaded = await loadCase(req, reply);
    if (!loaded) return reply;
    const { staff, c, def } = loaded;
    await audit(req, staff, { action: 'receipt.view', objectType: 'case', objectId: c.id, caseId: c.id });
    const pdf = await receiptPdf(req.tdb, app.blobs, c, await letterContext(req, c, def), 'sv', app.clock.now());
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
