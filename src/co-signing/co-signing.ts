/**
 * Co-signing (docs/adr/0016-co-signing.md): a second signer — the subject child's other custodian
 * from the population register, or the person a field names (a co-owner, a board member) — must
 * approve a submission before it goes on into its workflow. The request is a co_applicant party
 * with status 'pending' and a deadline, written with the case; the answer (approve, reject, or the
 * deadline job's expiry) is decided under the case's lock by one conditional UPDATE, so of any
 * number of concurrent answers exactly one wins.
 */
import type { FastifyInstance } from 'fastify';
import type { CoSignSpec, ServiceDefinition } from '../catalogue/types.ts';
import { caseMail, changeCase, getCase, type Case, type CaseParty, type NewParty } from '../cases/index.ts';
import type { Database, TenantQueryable, TenantScope } from '../kernel/db/index.ts';
import { tenantScope } from '../kernel/db/index.ts';
import { formatDate, pick, translate, type Locale } from '../kernel/i18n/index.ts';
import type { OutboxMessage } from '../notify/outbox.ts';
import { contactEmailOf } from '../forms/contact.ts';
import type { DefinitionVersions } from '../catalogue/index.ts';
import { dueAt as stateDueAt } from '../cases/workflow.ts';
import './messages.ts';

export type CoSignAnswer = 'approved' | 'rejected' | 'expired';

/** Thrown inside the case's transaction when there is no pending request to answer: nothing is written. */
export class CoSignClosedError extends Error {
  constructor() {
    super('no pending co-signing request');
  }
}

/** The person answering: a signed-in resident, or the deadline job. */
export type CoSignActor = { kind: 'resident'; residentId: string; personalNumber: string } | { kind: 'system' };

type Mail = { to: string; subject: string; text: string; template: string; party: string; locale?: Locale };

/** How a party is named to someone who may not see a protected identity. */
export function signerLabel(def: ServiceDefinition, locale: Locale, lower = false): string {
  const own = def.coSign?.signerLabel ? pick(def.coSign.signerLabel, locale) : undefined;
  if (own) return lower ? own.charAt(0).toLowerCase() + own.slice(1) : own;
  return translate(locale, lower ? 'cosign.signer.lower' : 'cosign.signer');
}

export const isProtected = (p: Pick<CaseParty, 'details'>): boolean => p.details?.protected === true;

/**
 * The co-signers a submission asks, added to its parties, and the state the case starts in: the
 * waiting state, or straight to `onApprove` when there is nobody to ask (a sole custodian). The
 * applicant's protected identity, if the register says so, is recorded on their party so that no
 * page shows it to the co-signer. Co-signers the platform has an e-mail address for (a resident
 * who gave one before) are e-mailed in the submission's own statement.
 */
export async function withCoSigners(
  app: FastifyInstance,
  tdb: TenantQueryable,
  def: ServiceDefinition,
  input: { applicantPersonalNumber: string | undefined; answers: Record<string, unknown>; parties: NewParty[]; locale: Locale; siteUrl: string; now: Date },
): Promise<{ parties: NewParty[]; status?: string; mail: Mail[] }> {
  const spec = def.coSign;
  if (!spec) return { parties: input.parties, mail: [] };
  const register = app.populationRegister;
  const signers = await signersOf(app, tdb.tenantId, spec, input);
  // An applicant without e-ID has no register entry to be protected by.
  const applicant = input.applicantPersonalNumber ? await register.lookup(tdb.tenantId, input.applicantPersonalNumber) : undefined;
  const parties = input.parties.map((p) => (p.role === 'applicant' && applicant?.protected ? { ...p, details: { ...(p.details ?? {}), protected: true } } : p));
  if (signers.length === 0) return { parties, status: spec.onApprove, mail: [] };
  const due = new Date(input.now.getTime() + spec.deadlineDays * 86_400_000);
  const mail: Mail[] = [];
  const subject = parties.find((p) => p.role === 'subject')?.name ?? pick(def.title, input.locale);
  for (const s of signers) {
    const known = await residentByNumber(tdb, s.personalNumber);
    const party: NewParty = {
      role: 'co_applicant',
      kind: 'resident',
      personalNumber: s.personalNumber,
      residentId: known?.id ?? null,
      name: s.name,
      details: { ...(s.protected ? { protected: true } : {}), ...(known?.email ? { notifiedByEmail: true } : {}) },
      dueAt: due.toISOString(),
    };
    parties.push(party);
    if (known?.email) {
      const vars = { service: pick(def.title, input.locale), subject, reference: '{reference}', url: '{url}', due: formatDate(due, input.locale) };
      // Named as every case e-mail is (cases/mail.ts); the reference is filled in once the case has one (addressMail).
      mail.push(caseMail({ reference: '{reference}', parties }, def, input.locale, { to: known.email, subject: translate(input.locale, 'cosign.mail.request.subject', vars), text: translate(input.locale, 'cosign.mail.request.body', vars), template: 'cosign_request', party: 'co_applicant' }) as Mail);
    }
  }
  return { parties, status: spec.waitIn, mail };
}

/** Fills the case's reference and address into mail made before the case existed. */
export function addressMail(mail: readonly Mail[], created: { id: string; reference: string }, siteUrl: string): Mail[] {
  const fill = (s: string) => s.replaceAll('{reference}', created.reference).replaceAll('{url}', `${siteUrl}/my/cases/${created.id}`);
  return mail.map((m) => ({ ...m, subject: fill(m.subject), text: fill(m.text) }));
}

async function signersOf(
  app: FastifyInstance,
  tenantId: string,
  spec: CoSignSpec,
  input: { applicantPersonalNumber: string | undefined; answers: Record<string, unknown>; parties: NewParty[] },
): Promise<{ personalNumber: string; name: string | null; protected: boolean }[]> {
  if (spec.from === 'custodiansOfSubject') {
    const child = input.parties.find((p) => p.role === 'subject' && p.kind === 'child')?.personalNumber;
    if (!child) return [];
    const custodians = await app.populationRegister.custodiansOf(tenantId, child);
    return custodians.filter((c) => c.personalNumber !== input.applicantPersonalNumber).map((c) => ({ personalNumber: c.personalNumber, name: c.name, protected: c.protected === true }));
  }
  const answer = spec.field ? input.answers[spec.field] : undefined;
  if (typeof answer !== 'string' || !/^\d{12}$/.test(answer) || answer === input.applicantPersonalNumber) return [];
  const person = await app.populationRegister.lookup(tenantId, answer);
  return [{ personalNumber: answer, name: person?.name ?? null, protected: person?.protected === true }];
}

async function residentByNumber(tdb: TenantQueryable, personalNumber: string): Promise<{ id: string; email: string | null } | undefined> {
  const { rows } = await tdb.query<{ id: string; email: string | null }>('SELECT id, email FROM residents WHERE tenant_id = $1 AND personal_number = $2', [personalNumber]);
  return rows[0];
}

/** The pending request this person may answer on the case, if any. */
export function pendingRequestOf(c: Pick<Case, 'parties'>, person: { residentId: string; personalNumber: string }): CaseParty | undefined {
  return c.parties.find((p) => p.role === 'co_applicant' && p.status === 'pending' && (p.residentId === person.residentId || p.personalNumber === person.personalNumber));
}

/**
 * Answers the co-signing request(s): a resident's own (approve or reject), or every pending request
 * past its deadline (expire, the deadline job). Under the case's lock, one UPDATE … WHERE status =
 * 'pending' per request decides it; when none is pending (answered, expired, withdrawn meanwhile)
 * CoSignClosedError is thrown and nothing is written. The case moves from the waiting state to the
 * definition's state for the answer (approval: once no request is pending), with the journal entry
 * and the applicant's e-mail in the same transaction.
 */
export async function answerCoSign(
  tdb: TenantScope,
  def: ServiceDefinition,
  caseId: string,
  actor: CoSignActor,
  answer: CoSignAnswer,
  opts: { reason?: string | undefined; siteUrl: string; applicantEmail?: string | undefined; now: Date },
): Promise<Case> {
  const spec = def.coSign;
  if (!spec) throw new CoSignClosedError();
  const { case: changed } = await changeCase(tdb, caseId, opts.now, async (c, tx) => {
    const now = opts.now;
    const targets =
      actor.kind === 'resident'
        ? [pendingRequestOf(c, actor)].filter((p): p is CaseParty => p !== undefined && (p.dueAt === null || new Date(p.dueAt) > now))
        : c.parties.filter((p) => p.role === 'co_applicant' && p.status === 'pending' && p.dueAt !== null && new Date(p.dueAt) <= now);
    if (targets.length === 0 || (actor.kind === 'system') !== (answer === 'expired')) throw new CoSignClosedError();
    const answered: string[] = [];
    for (const p of targets) {
      const r = await tx.query(
        `UPDATE case_parties SET status = $3, status_at = $4, status_reason = $5, resident_id = coalesce(resident_id, $6)
          WHERE tenant_id = $1 AND case_id = $2 AND id = $7 AND status = 'pending'`,
        [caseId, answer, now, answer === 'rejected' ? (opts.reason ?? null) : null, actor.kind === 'resident' ? actor.residentId : null, p.id],
      );
      if (r.rowCount === 1) answered.push(p.id);
    }
    if (answered.length === 0) throw new CoSignClosedError();
    const stillPending = c.parties.some((p) => p.role === 'co_applicant' && p.status === 'pending' && !answered.includes(p.id));
    const to = c.status !== spec.waitIn ? c.status : answer === 'approved' ? (stillPending ? c.status : spec.onApprove) : answer === 'rejected' ? spec.onReject : spec.onExpiry;
    const patch = to !== c.status ? { status: to, dueAt: stateDueAt(def, to, now) } : {};
    const outbox: OutboxMessage[] = [];
    if (opts.applicantEmail && (answer !== 'approved' || to !== c.status)) {
      const l = c.locale;
      const vars = { service: pick(def.title, l), reference: c.reference, url: `${opts.siteUrl}/my/cases/${c.id}`, signer: signerLabel(def, l) };
      outbox.push({ kind: 'email', payload: caseMail(c, def, l, { to: opts.applicantEmail, subject: translate(l, `cosign.mail.${answer}.subject`, vars), text: translate(l, `cosign.mail.${answer}.body`, vars), party: 'applicant', template: `cosign_${answer}` }) });
    }
    return {
      patch,
      // The entry names the party by id only: the timeline words it with the definition's label, never a name.
      journal: answered.map((partyId) => ({
        kind: `co_sign_${answer}` as const,
        actorKind: actor.kind,
        actorId: actor.kind === 'resident' ? actor.residentId : null,
        payload: { partyId, from: c.status, to, ...(answer === 'rejected' && opts.reason ? { reason: opts.reason } : {}) },
      })),
      outbox,
    };
  });
  return changed;
}

/** Where the applicant is told: the contact answer, else their account's address. */
export async function applicantEmailOf(tdb: TenantQueryable, def: ServiceDefinition, c: Case): Promise<string | undefined> {
  const own = contactEmailOf(def, c.answers);
  if (own) return own;
  const id = c.parties.find((p) => p.role === 'applicant')?.residentId;
  if (!id) return undefined;
  const { rows } = await tdb.query<{ email: string | null }>('SELECT email FROM residents WHERE tenant_id = $1 AND id = $2', [id]);
  return rows[0]?.email ?? undefined;
}

/**
 * The deadline job: expires every pending request past its deadline, in every tenant, a batch at a
 * time. Safe to run on several nodes at once (the scheduler's lock, and the pending check under
 * the case's lock): a request expires once, and not at all if it was answered first.
 */
export async function expireDueCoSigning(db: Database, versions: DefinitionVersions, now: Date, siteUrlOf: (tenantId: string) => string, limit = 200): Promise<number> {
  const { rows } = await db.query<{ tenant_id: string; case_id: string }>(
    `SELECT DISTINCT tenant_id, case_id FROM case_parties WHERE status = 'pending' AND due_at IS NOT NULL AND due_at <= $1 LIMIT $2`,
    [now, limit],
  );
  let expired = 0;
  for (const r of rows) {
    const tdb = tenantScope(db, r.tenant_id);
    const c = await getCase(tdb, r.case_id);
    const def = c ? await versions.definition(tdb, c.serviceId, c.serviceVersion) : undefined;
    if (!c || !def?.coSign) continue;
    try {
      await answerCoSign(tdb, def, c.id, { kind: 'system' }, 'expired', { siteUrl: siteUrlOf(r.tenant_id), applicantEmail: await applicantEmailOf(tdb, def, c), now });
      expired++;
    } catch (err) {
      if (!(err instanceof CoSignClosedError)) throw err;
    }
  }
  return expired;
}
