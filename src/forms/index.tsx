/**
 * The forms engine: renders a service definition's steps one page at a time, validates on the
 * server, saves a draft at every step, shows "check your answers", and submits the application
 * as a case in one transaction — idempotently, so a double click or ten concurrent posts give one
 * case and the same reference.
 */
import { hasForm } from '../catalogue/engines.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Field, ServiceDefinition, Step } from '../catalogue/types.ts';
import { AppError } from '../kernel/errors.ts';
import { isUuid, uuidv7 } from '../kernel/ids.ts';
import type { FieldError } from '../kernel/html/components.tsx';
import type { TenantQueryable } from '../kernel/db/index.ts';
import { caseMail, createCase, createCaseIf, getCase, type CaseLinkInput, type NewParty } from '../cases/index.ts';
import { addressMail, confirmationNotice, withCoSigners } from '../co-signing/index.ts';
import { caseLinksOf, earlierCaseOptions } from './earlier-cases.ts';
import { propertiesFor } from './properties.ts';
import { registerMapAssets } from './map/index.ts';
import { feeAmountOre, formatAmount, LOST, type Payment } from '../payments/index.tsx';
import type { Locale } from '../kernel/i18n/index.ts';
import { fieldErrorMessage } from './field-errors.ts';
import { addressOf, childrenOf, contactMode, currentApplicant, registerPersonOf, submissionParties, updateContact, type Applicant } from './applicant.ts';
import { asksWhomFor, representationRoutes, stillRepresents } from './representation.tsx';
import { RepresentationEndedPage } from './journey-views.tsx';
import { verifyEmailHref } from '../identity/email/index.tsx';
import { newFollowLink } from '../follow/index.tsx';
import { enqueueStatement } from '../notify/index.ts';
import { translate } from '../kernel/i18n/index.ts';
import { organisationRoutes, needsOrganisation } from './organisation.tsx';
import { computedFor, type Answers } from './conditions.ts';
import { COMPUTED_KEY } from '../expressions/index.ts';
import { pick } from '../kernel/i18n/index.ts';
import { stockholmToday } from './dates.ts';
import { contactEmailOf } from './contact.ts';
import { compact, isStorable, readStepAnswers } from './answers.ts';
import { versionOf } from '../catalogue/index.ts';
import { compileService, conditionalOnStep, dependsOnSameStep, inPageOrder, isShown, shownAnswers, validateSteps, withDefaults, type CompiledService, type FieldProblem, type ValidationContext } from './validator.ts';
import { createDraft, draftForSubmitWithSession, draftFromCompanion, draftServiceRef, draftWithSession, findDraft, findOpenDraft, lockDraftForPayment, paidDraftSubmittedStatement, readDraftForSubmit, saveAnswers, saveChosen, submitReadFromCompanion, saveCompleteStepWithSession, submittedStatement, isActingForPerson, type ActingFor, type Draft } from './drafts.repository.ts';
import { CheckPage, ConfirmationPage, StepPage, type ServiceChange, type CheckFee } from './views.tsx';
import { applyGroupAction, inputId, kindOf, parseFileAction, parseGroupAction, type PrefillSource } from './kinds/index.ts';
import { acceptUploads, attachmentsFor, fileFieldsOf, releaseDraftFiles, removeDraftFile, uploadLimits } from './draft-files.ts';
import { assertCsrf, KEPT_THROUGH_SIGN_IN, readMultipartForm, type MultipartLimits, type SessionCompanion } from '../kernel/http/index.ts';
import { CannotApplyPage, applicantAgeIneligibility, ineligibilityFor } from './eligibility.tsx';
import { readsApplicantFacts, withApplicantFacts } from './ages.ts';
import { claimStatement, duplicateMode, duplicateProblem, isClaimTaken, openCaseFor, releaseClosedClaim, subjectName, subjectOf } from './duplicates.ts';
import { DuplicateNotice, MovedNotice, SavedPage, SessionEndedPage, type MovedReason } from './journey-views.tsx';
import { opensWithoutEid } from './applicant.ts';
import type { VNode } from 'preact';
import { memoPerDefinition } from './memo.ts';
import { ChoiceLostError, choiceStepsOf, unchosenStep, type ChoiceStep, type StepDraft } from './choice-step.ts';
import { prepareCompanions, type CaseCompanion } from './case-companion.ts';
import './messages.ts';

export { openDraftsOf, type ActingFor } from './drafts.repository.ts';
export { ChoiceLostError, type ChoiceStep, type StepDraft, type StepSubmission } from './choice-step.ts';
export { servicePageNotice } from './eligibility.tsx';
export { purgeExpiredDrafts } from './draft-files.ts';
export { compileService, conditionalOnStep, isShown, validateSteps } from './validator.ts';
export { readStepAnswers, subjectIdentifier } from './answers.ts';
export { fieldErrorMessage, fieldErrorName } from './field-errors.ts';
export { contactEmailOf } from './contact.ts';
export type { Answers } from './conditions.ts';
export { prepareCompanions, type CaseCompanion, type CompanionInput, type PreparedCompanion } from './case-companion.ts';
export { allKinds, kindOf, displayAnswer, type FieldKind, type PostedForm, type ExampleContext } from './kinds/index.ts';

/** A submission's transaction found its draft changed (its guard matched nothing): rolled back, and the draft read again. */
class DraftChangedError extends Error {}

/** The session's key for a start link's parameters on their way to a choice step (ADR 0039). */
const CARRIED = 'carriedToStep';

/** The session's key for the follow links of drafts it sent without e-ID, by draft id. */
const FOLLOW_LINKS = 'followLinks';

/**
 * Where the receipt goes: for a resident, the form's address or their profile's; without e-ID only
 * an address verified by code — never one merely typed, so nobody can make us mail a stranger.
 */
function receiptAddress(def: ServiceDefinition, applicant: Applicant, answers: Answers): string | undefined {
  if (!applicant.resident) return contactMode(def) === 'none' ? undefined : applicant.verifiedEmail?.email;
  return contactEmailOf(def, answers) ?? applicant.email ?? undefined;
}

export interface FormsOptions {
  /** Steps other engines put in front of a form's questions (ADR 0039): the booking engine's time. */
  choiceSteps?: readonly ChoiceStep[];
  /** What other engines write with a new case (ADR 0043): the queue engine's places. */
  companions?: readonly CaseCompanion[];
}

export async function formsPlugin(app: FastifyInstance, opts: FormsOptions = {}): Promise<void> {
  const choiceSteps = opts.choiceSteps ?? [];
  const companions = opts.companions ?? [];
  const retentionDays = app.appConfig.draftRetentionDays;
  // The location field's map, only when a tile server is configured (ADR 0020).
  const map = app.appConfig.map ? { ...app.appConfig.map, ...registerMapAssets(app) } : undefined;
  // Compile each service's answer schema once, at start-up.
  const compiled = new Map<string, CompiledService>();
  for (const tenant of app.tenants.all) {
    for (const def of app.catalogue.services(tenant.id)) {
      if (!hasForm(def)) continue;
      compiled.set(`${tenant.id}/${def.id}`, compileService(def, (id) => app.catalogue.register(tenant.id, id)));
    }
  }

  function serviceOf(req: FastifyRequest, serviceId: string): CompiledService {
    const c = compiled.get(`${req.tenant.id}/${serviceId}`);
    if (!c) throw new AppError('SERVICE_NOT_FOUND');
    return c;
  }

  // A draft resumes on the version of the definition it was started under (ADR 0010): its answers
  // were given to those questions. Older versions are compiled when first needed, then kept.
  const olderCompiled = new Map<string, CompiledService>();
  async function compiledVersion(tdb: TenantQueryable, serviceId: string, version: number): Promise<CompiledService> {
    const current = compiled.get(`${tdb.tenantId}/${serviceId}`);
    if (current && versionOf(current.definition) === version) return current;
    const key = `${tdb.tenantId}/${serviceId}/${version}`;
    let c = olderCompiled.get(key);
    if (!c) {
      const def = await app.serviceVersions.definition(tdb, serviceId, version);
      if (!def || !hasForm(def)) throw new AppError('SERVICE_NOT_FOUND');
      c = compileService(def, (id) => app.catalogue.register(tdb.tenantId, id));
      olderCompiled.set(key, c);
    }
    return c;
  }
  function draftServiceOf(req: FastifyRequest, draft: Pick<Draft, 'serviceId' | 'serviceVersion'>): Promise<CompiledService> {
    return compiledVersion(req.tdb, draft.serviceId, draft.serviceVersion);
  }

  /** What changed in the service since the draft's version, for the notice on its pages; undefined when nothing did. */
  function changedSince(req: FastifyRequest, c: CompiledService): ServiceChange | undefined {
    const now = app.catalogue.service(req.tenant.id, c.definition.id);
    if (!now || versionOf(now) === versionOf(c.definition)) return undefined;
    const had = new Set(c.definition.form.steps.map((s) => s.id));
    const has = new Set(now.form.steps.map((s) => s.id));
    return {
      added: now.form.steps.filter((s) => !had.has(s.id)).map((s) => s.title),
      removed: c.definition.form.steps.filter((s) => !has.has(s.id)).map((s) => s.title),
    };
  }

  // --- fees (eng-reg) ---
  /** What a paid draft carries to become a case: the answers that were paid for, checked at submission. */
  interface PaidSubmission {
    answers: Answers;
    parties: NewParty[];
    email: string | undefined;
    locale: Locale;
    siteUrl: string;
    /** The definition version the answers were checked against (absent in payments made before it was kept). */
    version?: number;
    links?: CaseLinkInput[];
    /** What a choice step holds while this is paid (a booking's time, ADR 0040). */
    held?: string;
    /** Whose registered address is home, for what other engines write with the case (a queue's distance). */
    home?: string;
    /** What the receipt e-mail says of the choice (a booking's time and place). */
    receiptLines?: string[];
  }

  // A draft paid for becomes its case in the transaction that marks the payment paid (the payment's
  // row locked): from the return or the callback, whichever comes first, and only once.
  app.payments.registerPurpose('draft', {
    async complete(tx, payment: Payment, now) {
      const draft = await lockDraftForPayment(tx, payment.purposeId);
      // Already sent, by another payment for it (two tabs, a second try): this one paid for nothing
      // and is refunded in full (ADR 0040), never kept against the case.
      if (draft?.submittedCaseId) return LOST;
      const s = payment.context as unknown as PaidSubmission;
      // The case is created under the version the paid answers were checked against, not whatever
      // version is current when the provider calls back.
      const c = s.version ? await compiledVersion(tx, payment.serviceId, s.version) : compiled.get(`${tx.tenantId}/${payment.serviceId}`);
      if (!c) throw new Error(`payment ${payment.id} is for service ${payment.serviceId}, which ${tx.tenantId} no longer offers`);
      // A held choice (a booking's time): confirmed first; lost meanwhile, the payment is refunded (ADR 0040).
      let held: { attach(caseId: string): Promise<void> } | undefined;
      if (s.held) {
        const step = choiceStepsOf(choiceSteps, c.definition)[0];
        held = step?.confirmHeld ? await step.confirmHeld(tx, s.held, now) : undefined;
        if (!held) return LOST;
      }
      // The paid answers' files become the case's attachments in the same transaction.
      const files = draft ? await attachmentsFor(tx, payment.purposeId, c.fields.values(), s.answers, { kind: 'resident', id: payment.payerId }, now) : undefined;
      const companion = await prepareCompanions(companions, tx, { definition: c.definition, answers: s.answers, homePersonalNumber: s.home, now });
      const created = await createCase(tx, {
        definition: c.definition,
        parties: s.parties,
        answers: s.answers,
        locale: s.locale,
        draftId: payment.purposeId,
        email: s.email,
        siteUrl: s.siteUrl,
        now,
        links: s.links ?? [],
        receiptLines: s.receiptLines ?? [],
        payment: { id: payment.id, amountOre: payment.amountOre, currency: payment.currency, providerRef: payment.providerRef },
        record: companion.record,
        alsoWrite: (made) => [...(draft ? [paidDraftSubmittedStatement(payment.purposeId, made.id, now), ...(files?.writes(made.id) ?? [])] : []), ...companion.writes(made)],
      });
      await held?.attach(created.id);
      return created.id;
    },
    returnTo(payment, outcome) {
      if (outcome === 'paid') return `/apply/${payment.purposeId}/confirmation`;
      // Paid for nothing (the draft sent meanwhile, or its held choice lost): the page that says why.
      if (outcome === 'refunded') return `/apply/${payment.purposeId}/refunded${(payment.context as { held?: unknown }).held ? '?held=1' : ''}`;
      return `/apply/${payment.purposeId}/check?payment=${outcome}`;
    },
  });

  /** The fee for these answers, for "check your answers"; undefined when none (or not computable yet). */
  function feeOf(req: FastifyRequest, c: CompiledService, answers: Answers, today: string): CheckFee | undefined {
    const fee = c.definition.fee;
    if (!fee) return undefined;
    let ore: number;
    try {
      ore = feeAmountOre(fee, shownAnswers(c, answers, today));
    } catch {
      return undefined; // answers still missing: the amount shows once they are given
    }
    if (ore === 0) return undefined;
    const vat = fee.vatRate ? Math.round((ore * fee.vatRate) / (100 + fee.vatRate)) : 0;
    return { amount: formatAmount(ore, req.locale), description: fee.description[req.locale], vat: vat ? `${formatAmount(vat, req.locale)} (${fee.vatRate} %)` : undefined };
  }

  const PAYMENT_NOTICES: Record<string, { kind: 'warning' | 'info'; key: string }> = {
    failed: { kind: 'warning', key: 'payments.notice.failed' },
    cancelled: { kind: 'info', key: 'payments.notice.cancelled' },
    pending: { kind: 'info', key: 'payments.notice.pending' },
    refunded: { kind: 'info', key: 'payments.notice.refunded' },
  };
  // --- end eng-reg ---

  function problemsToErrors(req: FastifyRequest, c: CompiledService, problems: FieldProblem[]): FieldError[] {
    return problems.map((p) => {
      const field = p.nameField ?? c.fields.get(p.labelOf ?? p.field)!;
      // The field's own `errors` are those of the question the problem is shown at.
      const owner = p.nameField ?? c.fields.get(p.field) ?? field;
      return { field: inputId(p.at ?? p.field), message: p.message ? pick(p.message, req.locale) : fieldErrorMessage(req.locale, p.key, field, p.vars, owner) };
    });
  }

  /**
   * What validation and the pages need beyond the answers. The population register is asked only
   * when the service has a field that needs it (a child field): a service without one works with
   * no register configured, and costs the register nothing.
   */
  async function context(req: FastifyRequest, applicant: Applicant, c: CompiledService, draft?: Pick<Draft, 'answers' | 'actingFor'>): Promise<ValidationContext> {
    const children = c.needsChildren ? await childrenOf(app, req.tenant.id, applicant) : [];
    // The applicant's earlier cases, only for a service with a case-reference field.
    const earlier = c.needsEarlierCases ? await earlierCaseOptions(app, req, applicant) : undefined;
    // The applicant's properties and those the answers name, only for a service with a property field (ADR 0035).
    const properties = c.needsProperties ? await propertiesFor(app, req, applicant, draft?.actingFor, c.fields.values(), draft ? [draft.answers] : []) : undefined;
    return { today: stockholmToday(app.clock.now()), children, ...(earlier ? { earlierCases: earlier } : {}), ...(properties ? { properties } : {}) };
  }

  // --- session ended (ADR 0022) ---
  /**
   * A form posted after its session ended (the CSRF check finds no session): instead of "the form
   * has expired", the page says what happened and offers "Sign in again" back to the same step. The
   * answers posted to the step are kept in a new anonymous session, which sign-in carries over
   * (KEPT_THROUGH_SIGN_IN), and shown on the step — not saved — once its owner is signed in again.
   */
  app.setErrorHandler(async (err, req, reply) => {
    if (!(err instanceof AppError) || err.code !== 'CSRF_INVALID' || req.session || !req.sessionEnded || req.method !== 'POST') throw err;
    const { draftId, stepId } = req.params as { draftId?: string; stepId?: string };
    if (!draftId || !isUuid(draftId)) throw err;
    if (!stepId || stepId === 'submit') return sessionEndedPage(req, reply, `/apply/${draftId}/check`, undefined, 419);
    // A step's follow-up page (ADR 0026) is returned to as itself.
    const page = `/apply/${draftId}/${stepId}${(req.query as { part?: string }).part === 'more' ? '?part=more' : ''}`;
    return sessionEndedPage(req, reply, page, await keepPosted(req, reply, draftId, stepId, page), 419);
  });

  /** Keeps a step's posted answers for after sign-in; false when they cannot be (files, too much, no such step). */
  async function keepPosted(req: FastifyRequest, reply: FastifyReply, draftId: string, stepId: string, page: string): Promise<boolean> {
    if (req.isMultipart()) return false;
    const ref = await draftServiceRef(req.tdb, draftId);
    const step = ref ? (await draftServiceOf(req, ref)).definition.form.steps.find((s) => s.id === stepId) : undefined;
    if (!step) return false;
    // Only the step's own names: nothing else of the post is carried.
    const body = (req.body ?? {}) as Record<string, unknown>;
    const names = step.fields.map((f) => f.id);
    const form = Object.fromEntries(Object.entries(body).filter(([k]) => names.some((n) => k === n || k.startsWith(`${n}.`))));
    if (JSON.stringify(form).length > 32_000) return false;
    const session = await app.sessions.ensure(req, reply);
    await app.sessions.update(req, { data: { ...session.data, [KEPT_THROUGH_SIGN_IN]: { path: page, form } } });
    return true;
  }

  async function sessionEndedPage(req: FastifyRequest, reply: FastifyReply, back: string, kept: boolean | undefined, status: number) {
    const { draftId } = req.params as { draftId?: string };
    const ref = draftId && isUuid(draftId) ? await draftServiceRef(req.tdb, draftId) : undefined;
    const def = ref ? app.catalogue.service(req.tenant.id, ref.serviceId) : undefined;
    return reply.page(<SessionEndedPage ctx={req.viewContext()} back={back} kept={kept} withoutEid={def ? opensWithoutEid(def.audience) : false} />, status);
  }
  // --- end session ended ---

  /** Route config for a draft's pages: the draft is read in the session's statement (kernel SessionCompanion). */
  const withCompanion = (companion: (draftId: string) => SessionCompanion) => (req: FastifyRequest) => {
    const { draftId } = req.params as { draftId?: string };
    return draftId && isUuid(draftId) ? companion(draftId) : undefined;
  };
  const withDraft = withCompanion(draftWithSession);

  async function loadDraft(req: FastifyRequest, reply: FastifyReply): Promise<{ applicant: Applicant; draft: Draft; c: CompiledService } | undefined> {
    // The session ended while the page was open: say so, with "Sign in again" back to this page.
    if (!req.session && req.sessionEnded) {
      // 401: the page needs a sign-in again (and says so); nothing of the draft is shown.
      await sessionEndedPage(req, reply, req.url, undefined, 401);
      return undefined;
    }
    const applicant = await currentApplicant(req, reply);
    if (!applicant) return undefined;
    const { draftId } = req.params as { draftId: string };
    if (!isUuid(draftId)) throw new AppError('NOT_FOUND');
    // Read with the session when the route asked for it (withDraft): one round trip fewer.
    const draft = req.sessionCompanion !== undefined ? draftFromCompanion(req.sessionCompanion, applicant.id) : await findDraft(req.tdb, draftId, applicant.id, app.clock.now());
    if (!draft) throw new AppError('NOT_FOUND');
    const c = await draftServiceOf(req, draft);
    const today = stockholmToday(app.clock.now());
    // Who the service is for by age (ADR 0030) is checked on every page of a draft too: a draft
    // made before the rule, or a page posted directly, meets the same explanation as the start.
    // For a person the resident represents (ADR 0033), it is that person's age.
    const pin = registerPersonOf(applicant, draft.actingFor);
    const why = pin && !draft.submittedCaseId ? applicantAgeIneligibility(c.definition, pin, today) : undefined;
    if (why) {
      await reply.page(<CannotApplyPage ctx={req.viewContext()} definition={c.definition} why={why} />, 403);
      return undefined;
    }
    // The applicant's facts (birth date, age) beside the answers, for the definition's expressions.
    return { applicant, draft: withFacts(draft, applicant), c };
  }

  /** The capacity of the representative the draft is made through (ADR 0033); undefined: the resident's own. */
  const capacityOf = (draft: Draft) => (isActingForPerson(draft.actingFor) ? draft.actingFor.capacity : undefined);

  /** The draft with the applicant's facts (ADR 0030) beside its answers; never written back. */
  function withFacts(draft: Draft, applicant: Applicant): Draft {
    return { ...draft, answers: withApplicantFacts(draft.answers, registerPersonOf(applicant, draft.actingFor), stockholmToday(app.clock.now()), capacityOf(draft)) };
  }

  /** The computed values that have a label, for check your answers (from the answers shown). */
  function labelledComputed(c: CompiledService, answers: Answers, today: string) {
    const values = computedFor(c.definition, answers, today);
    return (c.definition.computed ?? []).filter((v) => v.label).map((v) => ({ label: v.label!, value: values[v.id] }));
  }

  function shownSteps(def: ServiceDefinition, answers: Answers, today: string): Step[] {
    return def.form.steps.filter((s) => !s.when || isShown({ id: '', kind: 'yesNo', label: s.title }, s, answers, today, def));
  }

  function firstUnfinished(def: ServiceDefinition, draft: Draft, today: string): Step | undefined {
    return shownSteps(def, draft.answers, today).find((s) => !draft.completedSteps.includes(s.id));
  }

  // --- conditional questions (ADR 0026) ---
  /** Whether the request is for a step's follow-up page (`?part=more`). */
  const isFollowUp = (req: FastifyRequest) => (req.query as { part?: string }).part === 'more';
  /** The step's questions that depend on an answer on it and apply to these answers: its follow-up page's. */
  const followUpFields = (c: CompiledService, step: Step, answers: Answers, today: string) =>
    conditionalOnStep(step, c.definition).filter((f) => isShown(f, step, answers, today, c.definition));
  /** A step's address, its follow-up page's when `more`, keeping `return=check` (and `validate`). */
  function stepHref(req: FastifyRequest, draftId: string, step: Step, more: boolean, validate = false): string {
    const q = [more ? 'part=more' : '', (req.query as { return?: string }).return === 'check' ? 'return=check' : '', validate ? 'validate=1' : ''].filter(Boolean).join('&');
    return `/apply/${draftId}/${step.id}${q ? `?${q}` : ''}`;
  }
  /** The names a post says were asked on its page (the enhancement enables a revealed question's "_asked"). */
  function askedIn(body: Record<string, unknown>): Set<string> {
    const v = body._asked;
    return new Set((Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string'));
  }
  /** The step's questions its page asked: those not conditional on it, and those the enhancement revealed. */
  function askedOnStep(c: CompiledService, step: Step, body: Record<string, unknown>): { asked: Set<string>; offered: Field[] } {
    const asked = askedIn(body);
    return { asked, offered: step.fields.filter((f) => !dependsOnSameStep(f, step, c.definition) || asked.has(f.id)) };
  }
  /**
   * Removes from a step's answers (in place) those of its questions whose condition does not hold
   * (the person changed the answer it depends on), in page order so a question that depends on a
   * removed one goes too; returns their ids, to drop from the draft. Files are kept by their own table.
   */
  function withoutHidden(c: CompiledService, step: Step, answers: Answers, posted: Answers, today: string): string[] {
    const dropped: string[] = [];
    for (const f of step.fields) {
      if (!f.when || kindOf(f).takesFiles || isShown(f, step, answers, today, c.definition)) continue;
      delete answers[f.id];
      delete posted[f.id];
      dropped.push(f.id);
    }
    return dropped;
  }
  // --- end conditional questions ---

  async function renderStep(req: FastifyRequest, reply: FastifyReply, c: CompiledService, draft: Draft, step: Step, answers: Answers, problems: FieldProblem[], vctx: ValidationContext, status = 200, moved?: MovedReason) {
    const def = c.definition;
    const steps = shownSteps(def, answers, vctx.today);
    const index = Math.max(0, steps.findIndex((s) => s.id === step.id));
    const returnToCheck = (req.query as { return?: string }).return === 'check';
    const prev = steps[index - 1];
    // The follow-up page asks the questions its step's answers made apply; its back link is the step.
    const followUp = isFollowUp(req);
    const fields = followUp
      ? followUpFields(c, step, answers, vctx.today).map((f) => ({ field: f, conditionalOnPage: false }))
      : inPageOrder(
          step.fields.filter((f) => isShown(f, step, answers, vctx.today, def) || dependsOnSameStep(f, step, def)),
          step,
          def,
        ).map((f) => ({ field: f, conditionalOnPage: dependsOnSameStep(f, step, def) }));
    return reply.page(
      <StepPage
        ctx={req.viewContext()}
        definition={def}
        changed={changedSince(req, c)}
        draftId={draft.id}
        step={step}
        stepNumber={index + 1}
        stepCount={steps.length}
        fields={fields}
        followUp={followUp}
        answers={withDefaults(c, step, answers, vctx.today)}
        errors={problemsToErrors(req, c, problems)}
        backHref={followUp ? stepHref(req, draft.id, step, false) : returnToCheck ? `/apply/${draft.id}/check` : prev ? `/apply/${draft.id}/${prev.id}` : `/services/${def.id}`}
        returnToCheck={returnToCheck}
        register={(id) => app.catalogue.register(req.tenant.id, id)}
        children={vctx.children}
        earlierCases={vctx.earlierCases}
        properties={vctx.properties}
        map={map}
        today={vctx.today}
        draftRetentionDays={retentionDays}
        notice={moved ? <MovedNotice ctx={req.viewContext()} reason={moved} /> : undefined}
      />,
      status,
    );
  }

  // Start or resume an application.
  app.get('/services/:serviceId/apply', async (req, reply) => {
    const { serviceId } = req.params as { serviceId: string };
    const c = serviceOf(req, serviceId);
    const applicant = await currentApplicant(req, reply, c.definition.audience);
    if (!applicant) return reply;
    // Audience `email` without `anyone`: the address is verified before the first question.
    if (!applicant.resident && !c.definition.audience.includes('anyone') && !applicant.verifiedEmail) return reply.redirect(verifyEmailHref(req.url), 303);
    // Who cannot apply is told why before any draft is made (the register's answer, not a blank step).
    const why = await ineligibilityFor(req, c.definition, applicant);
    if (why) return reply.page(<CannotApplyPage ctx={req.viewContext()} definition={c.definition} why={why} />, 403);
    await keepCarried(req, c.definition);
    // Audience `representative`: the organisation is chosen (and checked) first.
    if (needsOrganisation(c.definition, applicant)) return reply.redirect(`/services/${serviceId}/organisation`, 303);
    // A definition with `representation`, a resident who represents someone: whom it is for, first (ADR 0033).
    if (await asksWhomFor(app, req, c.definition, applicant)) return reply.redirect(`/services/${serviceId}/on-behalf`, 303);
    return reply.redirect(await startDraft(req, c, applicant), 303);
  });

  /**
   * A start link's parameters for a choice step (a time chosen on a public page): kept in the session
   * while the person says whom it is for (those pages lose the query), and carried to the step when
   * the draft goes there.
   */
  async function keepCarried(req: FastifyRequest, def: ServiceDefinition): Promise<void> {
    const step = choiceStepsOf(choiceSteps, def)[0];
    if (!step?.carries || !req.session) return;
    const query = req.query as Record<string, unknown>;
    const carried = Object.fromEntries(step.carries.filter((k) => typeof query[k] === 'string').map((k) => [k, String(query[k]).slice(0, 200)]));
    if (Object.keys(carried).length) await app.sessions.update(req, { data: { ...req.session.data, [CARRIED]: { service: def.id, carried } } });
  }
  async function withCarried(req: FastifyRequest, def: ServiceDefinition, to: string): Promise<string> {
    const step = choiceStepsOf(choiceSteps, def)[0];
    const kept = req.session?.data[CARRIED] as { service?: unknown; carried?: Record<string, string> } | undefined;
    if (!step || !kept || kept.service !== def.id) return to;
    const { [CARRIED]: _used, ...rest } = req.session!.data;
    await app.sessions.update(req, { data: rest });
    if (!to.endsWith(`/${step.path}`) || !kept.carried) return to;
    return `${to}?${new URLSearchParams(kept.carried)}`;
  }

  /** Finds or starts the applicant's draft of the service (for an organisation: that one's) and says where it continues. */
  async function startDraft(req: FastifyRequest, c: CompiledService, applicant: Applicant, actingFor?: ActingFor): Promise<string> {
    const serviceId = c.definition.id;
    const now = app.clock.now();
    let draft = await findOpenDraft(req.tdb, applicant.id, serviceId, now, actingFor);
    // A draft of an older version resumes on it (its steps may differ from the current ones).
    const dc = draft ? await draftServiceOf(req, draft) : c;
    if (!draft) {
      const prefill: Answers = {};
      const fields = [...c.fields.values()];
      // The register is asked for the address only by a service whose form prefills one.
      const needsAddress = fields.some((f) => kindOf(f).prefillNeedsAddress?.(f));
      // For a person the resident represents, their registered address (ADR 0033); the contact
      // details stay the resident's own: they are the one we write to.
      const source: PrefillSource = { email: applicant.email, phone: applicant.phone, address: needsAddress ? await addressOf(app, req.tenant.id, applicant, actingFor) : undefined };
      for (const f of fields) {
        const v = kindOf(f).prefill?.(f, source);
        if (v !== undefined) prefill[f.id] = v;
      }
      draft = await createDraft(req.tdb, applicant.id, serviceId, prefill, now, retentionDays, versionOf(c.definition), actingFor);
    }
    // Where it resumes is decided with the applicant's facts beside the answers, as on its pages: a
    // step may be asked only of some (ADR 0030), or only without a representative (ADR 0033).
    return withCarried(req, dc.definition, resumeAt(dc.definition, withFacts(draft, applicant), stockholmToday(now), false));
  }

  /** Where a draft continues: its first unfinished step (`say`: the page says so when some are done), else check your answers. */
  function resumeAt(def: ServiceDefinition, draft: Draft, today: string, say: boolean): string {
    const choice = unchosenStep(choiceSteps, def, draft);
    if (choice) return `/apply/${draft.id}/${choice.path}`;
    const next = firstUnfinished(def, draft, today);
    if (!next) return `/apply/${draft.id}/check`;
    return `/apply/${draft.id}/${next.id}${say && draft.completedSteps.length ? '?moved=resumed' : ''}`;
  }

  // "Continue with the application" (My cases, the saved page): the first step not yet answered.
  app.get('/apply/:draftId', { config: { withSession: withDraft } }, async (req, reply) => {
    const loaded = await loadDraft(req, reply);
    if (!loaded) return reply;
    const { draft, c } = loaded;
    if (draft.submittedCaseId) return reply.redirect(`/apply/${draft.id}/confirmation`, 303);
    return reply.redirect(resumeAt(c.definition, draft, stockholmToday(app.clock.now()), true), 303);
  });

  // After "Save and continue later": how to come back, and when the draft is deleted.
  app.get('/apply/:draftId/saved', { config: { withSession: withDraft } }, async (req, reply) => {
    const loaded = await loadDraft(req, reply);
    if (!loaded) return reply;
    const { draft, c, applicant } = loaded;
    if (draft.submittedCaseId) return reply.redirect(`/apply/${draft.id}/confirmation`, 303);
    return reply.page(<SavedPage ctx={req.viewContext()} definition={c.definition} draftId={draft.id} expiresAt={draft.expiresAt} resident={!!applicant.resident} />);
  });

  // The steps other engines put before the questions (ADR 0039): their pages under the draft, which
  // is loaded and checked to be the person's own here, as every step's.
  for (const step of choiceSteps) {
    const stepDraft = (req: FastifyRequest, { draft, c, applicant }: { draft: Draft; c: CompiledService; applicant: Applicant }): StepDraft => ({
      draft,
      definition: c.definition,
      applicant,
      async choose(chosen) {
        const now = app.clock.now();
        if (!(await saveChosen(req.tdb, draft.id, applicant.id, chosen, now, retentionDays))) throw new AppError('NOT_FOUND');
        if ((req.query as { return?: string }).return === 'check') return `/apply/${draft.id}/check`;
        return resumeAt(c.definition, { ...draft, chosen }, stockholmToday(now), false);
      },
      async keep(chosen) {
        if (!(await saveChosen(req.tdb, draft.id, applicant.id, chosen, app.clock.now(), retentionDays))) throw new AppError('NOT_FOUND');
      },
    });
    const loadFor = async (req: FastifyRequest, reply: FastifyReply) => {
      const loaded = await loadDraft(req, reply);
      if (!loaded) return undefined;
      if (loaded.draft.submittedCaseId) {
        await reply.redirect(`/apply/${loaded.draft.id}/confirmation`, 303);
        return undefined;
      }
      if (!step.appliesTo(loaded.c.definition)) throw new AppError('NOT_FOUND');
      return loaded;
    };
    app.get(`/apply/:draftId/${step.path}`, { config: { withSession: withDraft } }, async (req, reply) => {
      const loaded = await loadFor(req, reply);
      if (!loaded) return reply;
      await app.sessions.ensure(req, reply);
      return step.show(req, reply, stepDraft(req, loaded));
    });
    app.post(`/apply/:draftId/${step.path}`, async (req, reply) => {
      const loaded = await loadFor(req, reply);
      if (!loaded) return reply;
      return step.post(req, reply, stepDraft(req, loaded));
    });
  }

  await organisationRoutes(app, { serviceOf, startDraft });
  await representationRoutes(app, { serviceOf, startDraft });

  app.get('/apply/:draftId/check', async (req, reply) => {
    const loaded = await loadDraft(req, reply);
    if (!loaded) return reply;
    const { applicant, draft, c } = loaded;
    if (draft.submittedCaseId) return reply.redirect(`/apply/${draft.id}/confirmation`, 303);
    const vctx = await context(req, applicant, c, draft);
    // Check your answers comes after every step: an unfinished one is shown first, saying why
    // (never a page of "Not answered" rows).
    const unfinished = firstUnfinished(c.definition, draft, vctx.today);
    if (unfinished) return reply.redirect(`/apply/${draft.id}/${unfinished.id}?moved=unfinished`, 303);
    const unchosen = unchosenStep(choiceSteps, c.definition, draft);
    if (unchosen) return reply.redirect(`/apply/${draft.id}/${unchosen.path}`, 303);
    const chosenStep = choiceStepsOf(choiceSteps, c.definition)[0];
    await app.sessions.ensure(req, reply);
    const steps = shownSteps(c.definition, draft.answers, vctx.today);
    const problems = validateSteps(c, steps, draft.answers, vctx);
    const notice = PAYMENT_NOTICES[(req.query as { payment?: string }).payment ?? ''];
    // An answer validation refuses now (a date that has passed, a choice no longer offered) is
    // shown as not accepted, with why.
    const refused = new Map(problems.map((p) => [p.field, problemsToErrors(req, c, [p])[0]!.message]));
    return reply.page(
      <CheckPage
        ctx={req.viewContext()}
        definition={c.definition}
        changed={changedSince(req, c)}
        draftId={draft.id}
        sections={steps.map((step) => ({
          step,
          // A question revealed under another on its step is changed on the step's follow-up page (ADR 0026).
          rows: step.fields
            .filter((f) => isShown(f, step, draft.answers, vctx.today, c.definition))
            .map((field) => ({ field, value: draft.answers[field.id], ...(dependsOnSameStep(field, step, c.definition) ? { followUp: true } : {}) })),
        }))}
        computed={labelledComputed(c, shownAnswers(c, draft.answers, vctx.today), vctx.today)}
        register={(id) => app.catalogue.register(req.tenant.id, id)}
        children={vctx.children}
        earlierCases={vctx.earlierCases}
        incomplete={problems.length > 0}
        fee={feeOf(req, c, draft.answers, vctx.today)}
        paymentNotice={notice ? { kind: notice.kind, text: req.t(notice.key) } : undefined}
        contact={contactPrompt(req, c, applicant, draft)}
        actingFor={draft.actingFor}
        refused={refused}
        notice={await duplicateNotice(req, c, applicant, draft.answers, vctx)}
        chosen={chosenStep && draft.chosen ? await chosenStep.checkSection(req, c.definition, { ...draft, chosen: draft.chosen }) : undefined}
      />,
    );
  });

  /** The warning (or refusal) of an open case of the service for the subject these answers name. */
  async function duplicateNotice(req: FastifyRequest, c: CompiledService, applicant: Applicant, answers: Answers, vctx: ValidationContext): Promise<VNode | undefined> {
    const def = c.definition;
    const mode = duplicateMode(def);
    const subject = subjectOf(def, answers);
    if (mode === 'allow' || !subject) return undefined;
    const open = await openCaseFor(req.tdb, def, subject, applicant.id);
    return open ? <DuplicateNotice ctx={req.viewContext()} definition={def} open={open} subject={subjectName(def, subject, vctx.children)} refuse={mode === 'refuse'} /> : undefined;
  }

  /** Where the definition refuses a second open case: the subject question's problem when there is one. */
  async function duplicateProblems(req: FastifyRequest, c: CompiledService, applicant: Applicant, step: Step, answers: Answers, vctx: ValidationContext, problems: FieldProblem[]): Promise<FieldProblem[]> {
    const def = c.definition;
    const subject = subjectOf(def, answers);
    if (duplicateMode(def) !== 'refuse' || !subject || !step.fields.some((f) => f.id === def.subject!.field) || problems.some((p) => p.field === def.subject!.field)) return [];
    const open = await openCaseFor(req.tdb, def, subject, applicant.id);
    return open ? [duplicateProblem(def, open, subjectName(def, subject, vctx.children))] : [];
  }

  /** Without e-ID: the address we will write to, or where to verify one (ADR 0015). */
  function contactPrompt(req: FastifyRequest, c: CompiledService, applicant: Applicant, draft: Draft) {
    if (applicant.resident || contactMode(c.definition) === 'none') return undefined;
    if (applicant.verifiedEmail) return { verified: applicant.verifiedEmail.email };
    return { verifyHref: verifyEmailHref(`/apply/${draft.id}/check`, contactEmailOf(c.definition, draft.answers)), required: contactMode(c.definition) === 'required' };
  }

  // A payment refunded in full because what it paid for could not be had (ADR 0040): the draft was
  // sent meanwhile by another payment (its confirmation, saying this one comes back), or the time it
  // held was lost (choose again, the answers kept), or otherwise check your answers.
  app.get('/apply/:draftId/refunded', async (req, reply) => {
    const loaded = await loadDraft(req, reply);
    if (!loaded) return reply;
    const { draft, c } = loaded;
    if (draft.submittedCaseId) return reply.redirect(`/apply/${draft.id}/confirmation?refunded=1`, 303);
    const step = (req.query as { held?: string }).held ? choiceStepsOf(choiceSteps, c.definition)[0] : undefined;
    return reply.redirect(step ? `/apply/${draft.id}/${step.path}?lost=1&refunded=1` : `/apply/${draft.id}/check?payment=refunded`, 303);
  });

  app.get('/apply/:draftId/confirmation', async (req, reply) => {
    const loaded = await loadDraft(req, reply);
    if (!loaded) return reply;
    const { draft, c, applicant } = loaded;
    if (!draft.submittedCaseId) return reply.redirect(`/apply/${draft.id}/check`, 303);
    const caseRow = await getCase(req.tdb, draft.submittedCaseId);
    if (!caseRow) throw new AppError('CASE_NOT_FOUND');
    const email = receiptAddress(c.definition, applicant, caseRow.answers);
    const coSign = confirmationNotice(c.definition, caseRow, req.locale, req.host);
    // Sent without e-ID: the follow link this session was given when it sent the draft (ADR 0015).
    const token = applicant.resident ? undefined : (req.session?.data[FOLLOW_LINKS] as Record<string, string> | undefined)?.[draft.id];
    const follow = token ? { href: `/follow/${token}`, url: `${req.protocol}://${req.host}/follow/${token}` } : undefined;
    const choice = choiceStepsOf(choiceSteps, c.definition)[0];
    const chosen = await choice?.confirmationSection?.(req, c.definition, caseRow.id, !!applicant.resident);
    const refunded = (req.query as { refunded?: string }).refunded !== undefined ? req.t('payments.notice.paidTwice') : undefined;
    return reply.page(<ConfirmationPage ctx={req.viewContext()} definition={c.definition} reference={caseRow.reference} caseId={caseRow.id} email={email} coSign={coSign} follow={follow} chosen={chosen} refunded={refunded} />);
  });

  app.get('/apply/:draftId/:stepId', { config: { withSession: withDraft } }, async (req, reply) => {
    const loaded = await loadDraft(req, reply);
    if (!loaded) return reply;
    const { applicant, draft, c } = loaded;
    if (draft.submittedCaseId) return reply.redirect(`/apply/${draft.id}/confirmation`, 303);
    const step = c.definition.form.steps.find((s) => s.id === (req.params as { stepId: string }).stepId);
    if (!step) throw new AppError('NOT_FOUND');
    await app.sessions.ensure(req, reply);
    const vctx = await context(req, applicant, c, draft);
    const query = req.query as { validate?: string; moved?: string };
    // A follow-up page with no question that applies (the answer it depends on changed): the step.
    const pending = followUpFields(c, step, draft.answers, vctx.today);
    if (isFollowUp(req) && !pending.length) return reply.redirect(stepHref(req, draft.id, step, false), 303);
    // After a refused submission the step is shown with its problems; those of its follow-up
    // questions are the follow-up page's (without JavaScript they are not on the step's page).
    let problems = query.validate ? validateSteps(c, [step], draft.answers, vctx) : [];
    if (query.validate) problems.push(...(await duplicateProblems(req, c, applicant, step, draft.answers, vctx, problems)));
    if (query.validate && pending.length) {
      const onFollowUp = (p: FieldProblem) => pending.some((f) => f.id === p.field);
      if (!isFollowUp(req) && problems.length && problems.every(onFollowUp)) return reply.redirect(stepHref(req, draft.id, step, true, true), 303);
      problems = problems.filter((p) => onFollowUp(p) === isFollowUp(req));
    }
    // Moved here by the form (an unfinished step, a resumed draft): the page says why.
    let moved: MovedReason | undefined = query.moved === 'unfinished' || query.moved === 'resumed' ? query.moved : undefined;
    let answers = draft.answers;
    // Answers posted to this page after the session ended, kept through sign-in: shown, not yet saved.
    const kept = req.session?.data[KEPT_THROUGH_SIGN_IN] as { path?: unknown; form?: Record<string, unknown> } | undefined;
    if (kept?.path === `/apply/${draft.id}/${step.id}${isFollowUp(req) ? '?part=more' : ''}` && kept.form && typeof kept.form === 'object') {
      // Only what that page asked: its follow-up questions, or the step's others and those revealed on it.
      const conditional = new Set(conditionalOnStep(step, c.definition));
      const form = kept.form;
      const asked = isFollowUp(req) ? pending : step.fields.filter((f) => !conditional.has(f) || Object.keys(form).some((k) => k === f.id || k.startsWith(`${f.id}.`)));
      answers = { ...draft.answers, ...readStepAnswers({ ...step, fields: asked }, form) };
      moved = 'restored';
      const { [KEPT_THROUGH_SIGN_IN]: _used, ...rest } = req.session!.data;
      await app.sessions.update(req, { data: rest });
    }
    return renderStep(req, reply, c, draft, step, answers, problems, vctx, problems.length ? 400 : 200, moved);
  });


  app.post('/apply/:draftId/submit', { config: { withSession: withCompanion(draftForSubmitWithSession) } }, async (req, reply) => {
    const applicant = await currentApplicant(req, reply);
    if (!applicant) return reply;
    const { draftId } = req.params as { draftId: string };
    if (!isUuid(draftId)) throw new AppError('NOT_FOUND');
    const now = app.clock.now();
    let vctx: ValidationContext | undefined;
    const siteUrl = `${req.protocol}://${req.host}`;
    const confirmation = `/apply/${draftId}/confirmation`;
    // Optimistic: read the draft (taking a case number), validate, and write the case, its journal
    // entry, the receipt e-mail and the draft's "submitted" mark in one statement that first
    // re-checks that the draft is still unsubmitted and unchanged. No transaction is held open
    // across validation and no row is locked, and the read comes with the session's: a submission
    // costs two round trips. When the check fails (a concurrent submit, a step saved in another
    // tab), read again: a double click or ten concurrent posts still give one case and the same
    // reference.
    for (let attempt = 1; ; attempt++) {
      // The first read came with the session (one round trip fewer); a retry reads again.
      const read = attempt === 1 && req.sessionCompanion !== undefined ? submitReadFromCompanion(req.sessionCompanion, applicant.id) : await readDraftForSubmit(req.tdb, draftId, applicant.id, now);
      if (!read) throw new AppError('NOT_FOUND');
      const { draft, caseNumber, recordedAt } = read;
      // Already submitted (a double click, a retry, a concurrent post): same case, same reference.
      if (draft.submittedCaseId || caseNumber === null) return reply.redirect(confirmation, 303);
      const c = await draftServiceOf(req, draft);
      vctx ??= await context(req, applicant, c, draft);
      // Refused by the applicant's age (ADR 0030) whatever was posted: no case is made.
      const pin = registerPersonOf(applicant, draft.actingFor);
      const tooOld = pin ? applicantAgeIneligibility(c.definition, pin, vctx.today) : undefined;
      if (tooOld) return reply.page(<CannotApplyPage ctx={req.viewContext()} definition={c.definition} why={tooOld} />, 403);
      // For a person the resident represents (ADR 0033): the register must still say so today — an
      // appointment may have ended, a power of attorney run out, since the draft was started.
      if (isActingForPerson(draft.actingFor) && !(applicant.resident && (await stillRepresents(app, req, c.definition, applicant.resident.personalNumber, draft.actingFor)))) {
        return reply.page(<RepresentationEndedPage ctx={req.viewContext()} definition={c.definition} name={draft.actingFor.name} />, 403);
      }
      // The answers with the applicant's facts beside them; the draft itself stays as read (the
      // statement below checks it is unchanged).
      const given = withApplicantFacts(draft.answers, pin, vctx.today, capacityOf(draft));
      const steps = shownSteps(c.definition, given, vctx.today);
      const problems = validateSteps(c, steps, given, vctx);
      if (problems.length) return reply.redirect(`/apply/${draftId}/${c.stepOf.get(problems[0]!.field)!.id}?validate=1`, 303);
      const shown = shownAnswers(c, given, vctx.today);
      // The computed values (a fee, weekly hours) are kept with the answers they came from, under
      // a key no field id can take, and computed from those answers only: an answer to a question
      // no longer shown counts for nothing. The cast is only there because Answers holds field values.
      const answers: Answers = c.definition.computed?.length
        ? ({ ...shown, [COMPUTED_KEY]: computedFor(c.definition, shown, vctx.today) } as unknown as Answers)
        : shown;
      // Without e-ID, a definition that must be able to answer asks for a verified address first.
      if (!applicant.resident && !applicant.verifiedEmail && contactMode(c.definition) === 'required') {
        return reply.redirect(verifyEmailHref(`/apply/${draftId}/check`, contactEmailOf(c.definition, answers)), 303);
      }
      const email = receiptAddress(c.definition, applicant, answers);
      const asked = await withCoSigners(app, req.tdb, c.definition, { applicantPersonalNumber: applicant.resident?.personalNumber, answers, parties: submissionParties(c.definition, applicant, answers, vctx.children, draft.actingFor), locale: req.locale, siteUrl, now });
      const parties = asked.parties;
      // The earlier cases the answers refer to, linked both ways with the new case in its statement.
      const links = caseLinksOf(c, answers, vctx.earlierCases);
      // A definition that refuses a second open case for the subject: refused here when one is
      // seen, and decided by the claim written with the case when two are sent at once. The case
      // this draft already became is not another one: the statement below finds the draft sent
      // and the next read leads to its confirmation.
      const subject = duplicateMode(c.definition) === 'refuse' ? subjectOf(c.definition, answers) : undefined;
      const subjectStep = `/apply/${draftId}/${c.definition.subject ? c.stepOf.get(c.definition.subject.field)?.id : ''}?validate=1`;
      if (subject && (await openCaseFor(req.tdb, c.definition, subject, applicant.id, draft.id))) return reply.redirect(subjectStep, 303);
      const choice = choiceStepsOf(choiceSteps, c.definition)[0];
      if (choice && unchosenStep(choiceSteps, c.definition, draft)) return reply.redirect(`/apply/${draftId}/${choice.path}`, 303);
      // A choice paid for first (a booking's price, ADR 0040): held while the person pays; the case
      // is made with it when the payment arrives.
      const chosenNow = draft.chosen;
      // What the receipt says of the choice (a booking's time and place), whichever way the case is made.
      const receiptLines = choice && chosenNow ? (choice.receiptLines?.(req.tenant.id, c.definition, { ...draft, chosen: chosenNow }, req.locale) ?? []) : [];
      const choiceFee = choice && chosenNow ? choice.fee?.(req.tenant.id, c.definition, { ...draft, chosen: chosenNow }, applicant, now) : undefined;
      if (choice?.hold && chosenNow && choiceFee && choiceFee.amountOre > 0) {
        let held: string;
        try {
          held = await choice.transaction(req.tdb, (tx) => choice.hold!(tx, { definition: c.definition, draft: { ...draft, chosen: chosenNow }, applicant, now }));
        } catch (err) {
          if (err instanceof ChoiceLostError) return reply.redirect(`/apply/${draftId}/${err.path}?lost=1`, 303);
          throw err;
        }
        const context: PaidSubmission = { answers, parties, email, locale: req.locale, siteUrl, version: versionOf(c.definition), links, held, receiptLines, ...(pin ? { home: pin } : {}) };
        const redirect = await app.payments.start(req.tdb, {
          purpose: 'draft',
          purposeId: draft.id,
          payerId: applicant.id,
          serviceId: c.definition.id,
          amountOre: choiceFee.amountOre,
          description: choiceFee.description,
          locale: req.locale,
          siteUrl,
          context: context as unknown as Record<string, unknown>,
        });
        return reply.redirect(redirect, 303);
      }
      // --- fees (eng-reg) ---
      // A service with a fee: the applicant pays first; the case is created when the payment
      // succeeds, from what was checked here (payments/service.ts settles it).
      const fee = c.definition.fee;
      const amountOre = fee ? feeAmountOre(fee, answers) : 0;
      if (fee && amountOre > 0) {
        const context: PaidSubmission = { answers, parties, email, locale: req.locale, siteUrl, version: versionOf(c.definition), links, ...(pin ? { home: pin } : {}) };
        const redirect = await app.payments.start(req.tdb, {
          purpose: 'draft',
          purposeId: draft.id,
          payerId: applicant.id,
          serviceId: c.definition.id,
          amountOre,
          description: fee.description,
          ...(fee.vatRate !== undefined ? { vatRate: fee.vatRate } : {}),
          locale: req.locale,
          siteUrl,
          context: context as unknown as Record<string, unknown>,
        });
        return reply.redirect(redirect, 303);
      }
      // --- end eng-reg ---
      // The answers' files become the case's attachments in the statement that creates it.
      const files = await attachmentsFor(req.tdb, draft.id, c.fields.values(), answers, { kind: 'resident', id: applicant.id }, now);
      // Sent without e-ID: the case gets a private follow link, written with it; the receipt is
      // ours (with the link) rather than the engine's (which points at My cases).
      let follow: { token: string } | undefined;
      let created: { id: string; reference: string } | undefined;
      // Other engines' rows with the case (the queue's places, ADR 0043), in its statement.
      const companion = await prepareCompanions(companions, req.tdb, { definition: c.definition, answers, homePersonalNumber: pin, now });
      try {
        // The case's id is made first, so a step that writes before the case (a booking) names it in its own row.
        const caseId = uuidv7(now.getTime());
        const chosen = draft.chosen;
        // A step whose choice is written in the case's own statement (a booking of one resource): one
        // round trip, no transaction; otherwise the step writes first in the case's transaction (below).
        const withCase = choice && chosen ? choice.writeWithCase?.(req.tenant.id, { definition: c.definition, draft: { ...draft, chosen }, applicant, now, caseId }) : undefined;
        const make = (q: TenantQueryable) =>
          createCaseIf(q, {
          id: caseId,
          definition: c.definition,
          parties,
          answers,
          locale: req.locale,
          draftId: draft.id,
          email: applicant.resident ? email : undefined,
          siteUrl,
          now,
          links,
          receiptLines,
          caseNumber,
          recordedAt,
          ...(asked.status ? { status: asked.status } : {}),
          mailFor: (made) => addressMail(asked.mail, made, siteUrl),
          guard: (made) => submittedStatement(draft, made.id, now),
          record: companion.record,
          ...(withCase ? { prelude: withCase.prelude } : {}),
          alsoWrite: (made) => {
            const writes = [...files.writes(made.id), ...(subject ? [claimStatement(c.definition, subject, made.id, now)] : []), ...(withCase?.inserts ?? []), ...companion.writes(made)];
            if (applicant.resident) return writes;
            const link = newFollowLink(made.id, now);
            follow = link;
            if (!email) return [...writes, link.statement];
            const l = req.locale;
            const vars = { reference: made.reference, service: c.definition.title[l], url: `${siteUrl}/follow/${link.token}` };
            const mail = enqueueStatement({ kind: 'email', payload: caseMail({ reference: made.reference, parties }, c.definition, l, { to: email, subject: translate(l, 'follow.mail.subject', vars), text: [translate(l, 'follow.mail.body', vars), ...receiptLines].join('\n\n') }) }, now);
            return [...writes, link.statement, mail.statement];
          },
        });
        // A step of another engine (a booking's time) writes what it chose in the case's transaction
        // or statement: both are made, or neither (ADR 0039).
        created = withCase
          ? await withCase.run(() => make(req.tdb))
          : choice && chosen
          ? await choice
              .transaction(req.tdb, async (tx) => {
                const written = await choice.write(tx, { definition: c.definition, draft: { ...draft, chosen }, applicant, now, caseId });
                const made = await make(tx);
                // The draft changed meanwhile: nothing of this attempt is kept, and it is read again.
                if (!made) throw new DraftChangedError();
                await written.attach(made.id);
                return made;
              })
              .catch((e: unknown) => {
                if (e instanceof DraftChangedError) return undefined;
                throw e;
              })
          : await make(req.tdb);
      } catch (err) {
        // What the step chose was taken meanwhile (the time booked by someone else): choose again, answers kept.
        if (err instanceof ChoiceLostError) return reply.redirect(`/apply/${draftId}/${err.path}?lost=1`, 303);
        if (!subject || !isClaimTaken(err)) throw err;
        // Another case holds the subject: try again if its case has closed since, else say so at the question.
        if (attempt < 10 && (await releaseClosedClaim(req.tdb, c.definition, subject))) continue;
        return reply.redirect(subjectStep, 303);
      }
      if (created && follow && req.session) {
        // The token is shown on the confirmation page of this session only (the database keeps its hash).
        const links = { ...((req.session.data[FOLLOW_LINKS] as Record<string, string> | undefined) ?? {}), [draft.id]: follow.token };
        await app.sessions.update(req, { data: { ...req.session.data, [FOLLOW_LINKS]: links } });
      }
      if (created) {
        if (files.ids.length || c.definition.form.steps.some((st) => fileFieldsOf(st).length)) await releaseDraftFiles(req.tdb, app.blobs, draft.id, files.ids);
        return reply.redirect(confirmation, 303);
      }
      // The draft changed under us without ever settling (it cannot, short of a loop of saves).
      if (attempt === 10) throw new Error(`draft ${draftId} kept changing during submission`);
    }
  });

  // --- file field (files) ---
  /**
   * The limits of a multipart post to a step, from its file questions (the kernel refuses a body
   * over them, or to a step without any, before reading it). Nothing is shown, so no owner check.
   */
  async function stepUploadLimits(req: FastifyRequest): Promise<MultipartLimits | undefined> {
    const { draftId, stepId } = req.params as { draftId: string; stepId: string };
    if (!isUuid(draftId)) return undefined;
    const ref = await draftServiceRef(req.tdb, draftId);
    if (!ref) return undefined;
    const step = (await draftServiceOf(req, ref)).definition.form.steps.find((s) => s.id === stepId);
    return step ? uploadLimits(step) : undefined;
  }
  // --- end file field ---

  // --- an answer in one statement (ADR 0019, fourth pass) ---
  /** Per tenant: the current service whose form has a step of that id, when exactly one has (null: several). */
  const byStep = new Map<string, Map<string, CompiledService | null>>();
  function serviceOfStep(tenantId: string, stepId: string): CompiledService | undefined {
    let steps = byStep.get(tenantId);
    if (!steps) {
      byStep.set(tenantId, (steps = new Map()));
      for (const [key, c] of compiled) {
        if (!key.startsWith(`${tenantId}/`)) continue;
        for (const s of c.definition.form.steps) steps.set(s.id, steps.has(s.id) ? null : c);
      }
    }
    return steps.get(stepId) ?? undefined;
  }

  /** Whether a step's questions alone allow the one statement: no files, no contact details to remember, no duplicate check. */
  const mayAnswerInOneStatement = memoPerDefinition(
    (step: Step, def?: ServiceDefinition) =>
      !fileFieldsOf(step).length &&
      !step.fields.some((f) => f.prefill === 'profile.email' || f.prefill === 'profile.phone') &&
      !(def && duplicateMode(def) === 'refuse' && step.fields.some((f) => f.id === def.subject?.field)),
  );

  /**
   * A valid answer to a step whose validation reads nothing but its own answers, saved in one
   * statement that also checks the session, its CSRF token, the owner and the draft's service version
   * (kernel SessionWrite): one round trip instead of two. Undefined whenever that does not apply — a
   * step of several services, files, register data, the profile's contact details, a duplicate
   * check, a group or file button, a problem, a condition or rule that reads another step's answer,
   * or a statement that wrote nothing (another person's draft, an older version, a session that
   * ended or is due its touch, a wrong token) — it answers nothing (false): the route then reads the session and the draft and
   * does what it always did, so every answer and page is the same as on that path.
   */
  async function saveInOneStatement(req: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    const { draftId, stepId } = req.params as { draftId: string; stepId: string };
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!isUuid(draftId) || (body.action !== undefined && body.action !== 'save')) return false;
    const c = serviceOfStep(req.tenant.id, stepId);
    if (!c || c.needsChildren || c.needsEarlierCases || c.needsProperties) return false;
    const def = c.definition;
    // A service restricted by age checks the applicant on the ordinary path (ADR 0030), and one whose
    // expressions read the applicant's facts finds the next step with them there (the facts are
    // never stored with the draft, so the statement's answers lack them).
    if (def.applicantAge || readsApplicantFacts(def)) return false;
    const step = def.form.steps.find((s) => s.id === stepId)!;
    if (!mayAnswerInOneStatement(step, def)) return false;
    const now = app.clock.now();
    const today = stockholmToday(now);
    // The step's follow-up page, and a question that now applies but was not asked on the page, take
    // the ordinary path (ADR 0026); only the questions the page asked are read, as there.
    if (isFollowUp(req)) return false;
    const { asked, offered } = askedOnStep(c, step, body);
    const stepAnswers = compact(readStepAnswers({ ...step, fields: offered }, body), c.fields);
    // Validated with this step's answers only: a read of anything else sends the post the ordinary way.
    const own = new Set(step.fields.map((f) => f.id));
    let outside = false;
    const seen = new Proxy(stepAnswers, {
      get: (target, key) => {
        if (typeof key !== 'string' || !own.has(key)) outside = true;
        return Reflect.get(target, key);
      },
      has: (target, key) => {
        if (typeof key !== 'string' || !own.has(key)) outside = true;
        return Reflect.has(target, key);
      },
      ownKeys: (target) => {
        outside = true;
        return Reflect.ownKeys(target);
      },
    });
    // As on the ordinary path: answers whose condition no longer holds are dropped, and a question that
    // now applies but was not asked is the follow-up page's.
    const drop = withoutHidden(c, step, seen, stepAnswers, today);
    if (followUpFields(c, step, seen, today).some((f) => !asked.has(f.id))) return false;
    const problems = validateSteps(c, [step], seen, { today, children: [] });
    if (outside || problems.length) return false;
    const storable = Object.fromEntries(Object.entries(stepAnswers).filter(([id, v]) => isStorable(c.fields.get(id)!, v)));
    const [saved] = await app.sessions.writeWith<{ answers: Answers; completed_steps: string[] }>(req, saveCompleteStepWithSession(draftId, storable, step.id, now, retentionDays, def.id, versionOf(def), drop));
    if (!saved) return false;
    const to = (url: string) => {
      reply.redirect(url, 303);
      return true;
    };
    if (body.action === 'save') return to(`/apply/${draftId}/saved`);
    if ((req.query as { return?: string }).return === 'check') return to(`/apply/${draftId}/check`);
    const answers = saved.answers ?? {};
    const shown = shownSteps(def, answers, today);
    const next = shown.find((s) => !(saved.completed_steps ?? []).includes(s.id));
    if (!next) return to(`/apply/${draftId}/check`);
    const order = shown.map((s) => s.id);
    const back = order.indexOf(next.id) < order.indexOf(step.id);
    return to(`/apply/${draftId}/${next.id}${back ? '?moved=unfinished' : ''}`);
  }
  // --- end an answer in one statement ---

  app.post('/apply/:draftId/:stepId', { config: { multipart: stepUploadLimits, withSession: withDraft, sessionWrite: true } }, async (req, reply) => {
    if (req.sessionDeferred) {
      // (A reply is thenable: the helper says whether it answered rather than returning it.)
      if (await saveInOneStatement(req, reply)) return reply;
      // The ordinary path: the session and the draft in one read, then the CSRF check the kernel
      // makes before other routes.
      await app.sessions.load(req, reply);
      assertCsrf(req);
    }
    // A step with file questions is multipart: its fields up to the first file are read and the
    // CSRF token checked; its files only once the draft is found to be the sender's (ADR 0008).
    const form = req.isMultipart() ? await readMultipartForm(req) : undefined;
    const loaded = await loadDraft(req, reply);
    if (!loaded) return reply;
    const { applicant, c } = loaded;
    let { draft } = loaded;
    if (draft.submittedCaseId) return reply.redirect(`/apply/${draft.id}/confirmation`, 303);
    const step = c.definition.form.steps.find((s) => s.id === (req.params as { stepId: string }).stepId);
    if (!step) throw new AppError('NOT_FOUND');
    const uploads = form ? await form.files() : undefined;
    const body = (form ? form.all() : (req.body ?? {})) as Record<string, unknown>;
    const now = app.clock.now();
    const vctx = await context(req, applicant, c, draft);
    // Files first: each question's accepted files are recorded with the draft (kept when other
    // answers fail), a refused one is its question's problem; the draft is read again with them.
    const uploadProblems = uploads?.files.length || uploads?.tooManyIn.length
      ? await acceptUploads(
          { tdb: req.tdb, blobs: app.blobs, scanner: app.virusScanner, found: (signature) => req.log.warn({ draftId: draft.id, signature }, 'an uploaded file was refused by the virus scanner') },
          draft,
          step,
          uploads,
          now,
          retentionDays,
          req.locale,
        )
      : [];
    const fileAction = parseFileAction(body.action);
    if (fileAction?.kind === 'remove' && fileFieldsOf(step).some((f) => f.id === fileAction.field)) {
      await removeDraftFile(req.tdb, app.blobs, draft.id, fileAction.field, fileAction.fileId, now);
    }
    if (uploads || fileAction) draft = withFacts((await findDraft(req.tdb, draft.id, applicant.id, now)) ?? draft, applicant);
    // Only the questions the page asked are read (ADR 0026): on the step, those not conditional on
    // it and those the enhancement revealed ("_asked"); on its follow-up page, the ones it shows.
    // A question not asked keeps its stored answer, unless its condition no longer holds.
    const followUp = isFollowUp(req);
    const onStep = askedOnStep(c, step, body);
    const asked = onStep.asked;
    const offered = followUp ? followUpFields(c, step, draft.answers, vctx.today) : onStep.offered;
    if (followUp && !offered.length) return reply.redirect(stepHref(req, draft.id, step, false), 303);
    const posted = readStepAnswers({ ...step, fields: offered }, body);
    // A designation typed on this page is looked up before it is validated (ADR 0035).
    if (c.needsProperties) vctx.properties = await propertiesFor(app, req, applicant, draft.actingFor, c.fields.values(), [posted], vctx.properties);
    const stepAnswers = compact(posted, c.fields, vctx);
    const answers: Answers = { ...draft.answers, ...stepAnswers };
    const dropped = withoutHidden(c, step, answers, stepAnswers, vctx.today);
    // Questions that now apply but were not on this page: asked next, on the follow-up page.
    const pending = followUp ? [] : followUpFields(c, step, answers, vctx.today).filter((f) => !asked.has(f.id));
    // "Upload" and "Remove" of a file question: save what was typed (not validating it yet) and
    // show the step again at the question, with a refused file's problem.
    if (fileAction && !uploadProblems.length) {
      const storable = Object.fromEntries(Object.entries(stepAnswers).filter(([id, v]) => isStorable(c.fields.get(id)!, v)));
      await saveAnswers(req.tdb, draft.id, storable, step.id, false, now, retentionDays);
      const query = (req.query as { return?: string }).return === 'check' ? '?return=check' : '';
      return reply.redirect(`/apply/${draft.id}/${step.id}${query}#${inputId(fileAction.field)}`, 303);
    }
    // "Add another" and "Remove" of a repeating group: save what was typed, change the items and
    // show the step again (no validation yet). Plain submit buttons, so it works without JavaScript.
    const groupAction = parseGroupAction(body.action);
    const group = groupAction ? step.fields.find((f) => f.id === groupAction.group) : undefined;
    if (groupAction && group?.kind === 'group') {
      const items = applyGroupAction(group, stepAnswers[group.id], groupAction);
      const edited = { ...stepAnswers, [group.id]: items };
      const storable = Object.fromEntries(Object.entries(edited).filter(([id, v]) => isStorable(c.fields.get(id)!, v)));
      await saveAnswers(req.tdb, draft.id, storable, step.id, false, now, retentionDays);
      const target = groupAction.add ? `${group.id}.${items.length - 1}.${group.fields[0]!.id}` : group.id;
      const query = (req.query as { return?: string }).return === 'check' ? '?return=check' : '';
      return reply.redirect(`/apply/${draft.id}/${step.id}${query}#${inputId(target)}`, 303);
    }
    // A refused file is its question's problem, before what validation says of the files kept.
    const refused = new Set(uploadProblems.map((p) => p.field));
    const all = [...uploadProblems, ...validateSteps(c, [step], answers, vctx).filter((p) => !refused.has(p.field))];
    all.push(...(await duplicateProblems(req, c, applicant, step, answers, vctx, all)));
    // The page's own problems: on the step those of the questions it asked; on the follow-up page its questions'.
    const shownHere = new Set(offered.map((f) => f.id));
    const problems = all.filter((p) => (followUp ? shownHere.has(p.field) : !pending.some((f) => f.id === p.field)));
    const finished = !all.length && !pending.length;
    const completed = new Set(draft.completedSteps);
    if (!finished) completed.delete(step.id);
    else completed.add(step.id);
    // Saved at every step, valid or not: nothing typed is lost, and the step stays unfinished until
    // valid. A value of the wrong shape (repeated keys) is reported but not stored: the answer
    // stored before stays.
    const storable = Object.fromEntries(Object.entries(stepAnswers).filter(([id, v]) => isStorable(c.fields.get(id)!, v)));
    await saveAnswers(req.tdb, draft.id, storable, step.id, finished, now, retentionDays, dropped);
    if (!all.length) {
      // Contact details are asked once and remembered for the next application.
      const email = step.fields.find((f) => f.prefill === 'profile.email');
      const phone = step.fields.find((f) => f.prefill === 'profile.phone');
      if ((email || phone) && applicant.resident) {
        await updateContact(req.tdb, applicant.id, {
          email: email ? String(answers[email.id] ?? '') || null : (applicant.email ?? null),
          phone: phone ? String(answers[phone.id] ?? '') || null : (applicant.phone ?? null),
        });
      }
    }
    if (body.action === 'save' && !uploadProblems.length) return reply.redirect(`/apply/${draft.id}/saved`, 303);
    if (problems.length) {
      // Show what was typed, but where the kind shows its normalised answer (a ranking closed up,
      // so a problem names the control that shows it).
      const typed = Object.fromEntries(Object.entries(posted).filter(([id]) => !kindOf(c.fields.get(id)!).showsNormalised));
      return renderStep(req, reply, c, { ...draft, answers }, step, { ...answers, ...typed }, problems, vctx, 400);
    }
    // The step's questions asked, its follow-up questions not yet: the follow-up page. A follow-up
    // page whose step has a problem of its own (changed in another tab): the step, with it.
    if (pending.length) return reply.redirect(stepHref(req, draft.id, step, true), 303);
    if (!finished) return reply.redirect(stepHref(req, draft.id, step, false, true), 303);
    if ((req.query as { return?: string }).return === 'check') return reply.redirect(`/apply/${draft.id}/check`, 303);
    const next = firstUnfinished(c.definition, { ...draft, answers, completedSteps: [...completed] }, vctx.today);
    if (!next) return reply.redirect(`/apply/${draft.id}/check`, 303);
    // Sent back to an earlier step (one left unfinished): the page says why.
    const order = shownSteps(c.definition, answers, vctx.today).map((s) => s.id);
    const back = order.indexOf(next.id) < order.indexOf(step.id);
    return reply.redirect(`/apply/${draft.id}/${next.id}${back ? '?moved=unfinished' : ''}`, 303);
  });
}
