/**
 * What residents and handlers do to a case. Each action checks the workflow, then changes the case
 * through changeCase, so the change, its journal entry and its notification commit together.
 * Authorisation is the caller's job (src/policy) before it calls these.
 */
import type { TenantScope, TenantQueryable } from '../kernel/db/index.ts';
import type { ServiceDefinition } from '../catalogue/types.ts';
import { translate, type Locale } from '../kernel/i18n/index.ts';
import type { OutboxMessage } from '../notify/outbox.ts';
import { changeCase } from './case-changes.ts';
import type { Case, Decision } from './cases.repository.ts';
import { dueAt, nextState, requireTransition } from './workflow.ts';
import { AppError } from '../kernel/errors.ts';
import './messages.ts';

export interface AttachmentRef {
  id: string;
  filename: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
}

export interface Notify {
  /** Address to notify the applicant at, if any. */
  email: string | undefined;
  siteUrl: string;
}

function notice(c: Case, def: ServiceDefinition, notify: Notify, key: 'message' | 'supplement' | 'decision'): OutboxMessage[] {
  if (!notify.email) return [];
  const l: Locale = c.locale;
  return [
    {
      kind: 'email',
      payload: {
        to: notify.email,
        subject: translate(l, `cases.mail.${key}.subject`, { reference: c.reference }),
        text: translate(l, `cases.mail.${key}.body`, { reference: c.reference, service: def.title[l], url: `${notify.siteUrl}/my/cases/${c.id}` }),
      },
    },
  ];
}

const open = (def: ServiceDefinition, c: Case) => !def.workflow.states.find((s) => s.id === c.status)?.final;

/** The resident writes to the handler. */
export function residentMessage(tdb: TenantScope, caseId: string, residentId: string, body: string, now: Date) {
  return changeCase(tdb, caseId, now, () => ({
    journal: [{ kind: 'message', actorKind: 'resident', actorId: residentId, payload: { direction: 'from_resident', body } }],
  }));
}

/** The resident withdraws the application; allowed until a decision. */
export function withdraw(tdb: TenantScope, def: ServiceDefinition, caseId: string, residentId: string, now: Date) {
  return changeCase(tdb, caseId, now, (c) => {
    const to = requireTransition(def, c.status, 'withdraw');
    return {
      patch: { status: to, dueAt: null },
      journal: [{ kind: 'withdrawn', actorKind: 'resident', actorId: residentId, payload: { from: c.status, to } }],
    };
  });
}

/** The resident sends the supplement asked for; files are in the blob store, their rows written in this transaction. */
export function supplement(
  tdb: TenantScope,
  def: ServiceDefinition,
  caseId: string,
  residentId: string,
  body: string,
  files: AttachmentRef[],
  recordFiles: (tx: TenantQueryable) => Promise<void>,
  now: Date,
) {
  return changeCase(tdb, caseId, now, async (c, tx) => {
    const to = requireTransition(def, c.status, 'supplementReceived');
    await recordFiles(tx);
    return {
      patch: { status: to, dueAt: dueAt(def, to, now) },
      journal: [
        {
          kind: 'supplement_received',
          actorKind: 'resident',
          actorId: residentId,
          payload: { body, attachments: files.map((f) => ({ id: f.id, filename: f.filename, contentType: f.contentType, sizeBytes: f.sizeBytes, sha256: f.sha256 })), from: c.status, to },
        },
      ],
    };
  });
}

/** A handler takes the case (or gives it to another handler of the department). */
export function assign(tdb: TenantScope, def: ServiceDefinition, caseId: string, staffId: string, assigneeId: string, assigneeName: string, now: Date) {
  return changeCase(tdb, caseId, now, (c) => {
    if (!open(def, c)) throw new AppError('CASE_ACTION_NOT_ALLOWED');
    const to = nextState(def, c.status, 'assign') ?? c.status;
    return {
      patch: { assigneeId, ...(to !== c.status ? { status: to, dueAt: dueAt(def, to, now) } : {}) },
      journal: [{ kind: 'assigned', actorKind: 'staff', actorId: staffId, payload: { from: c.assigneeId, to: assigneeId, toName: assigneeName, status: to } }],
    };
  });
}

/**
 * A handler starts handling the case ("submitted" → "being handled", as the workflow's `start`
 * transition says). The status change and its journal entry commit together.
 */
export function start(tdb: TenantScope, def: ServiceDefinition, caseId: string, staffId: string, now: Date) {
  return changeCase(tdb, caseId, now, (c) => {
    const to = requireTransition(def, c.status, 'start');
    return {
      patch: { status: to, dueAt: dueAt(def, to, now) },
      journal: [{ kind: 'status_changed', actorKind: 'staff', actorId: staffId, payload: { action: 'start', from: c.status, to } }],
    };
  });
}

/** An internal note: never shown to the resident. */
export function note(tdb: TenantScope, caseId: string, staffId: string, body: string, now: Date) {
  return changeCase(tdb, caseId, now, () => ({
    journal: [{ kind: 'note', actorKind: 'staff', actorId: staffId, payload: { body } }],
  }));
}

/** A handler writes to the resident, who is told by e-mail. */
export function staffMessage(tdb: TenantScope, def: ServiceDefinition, caseId: string, staffId: string, body: string, notify: Notify, now: Date) {
  return changeCase(tdb, caseId, now, (c) => ({
    journal: [{ kind: 'message', actorKind: 'staff', actorId: staffId, payload: { direction: 'to_resident', body } }],
    outbox: notice(c, def, notify, 'message'),
  }));
}

/** A handler asks the resident for more information or documents. */
export function requestSupplement(tdb: TenantScope, def: ServiceDefinition, caseId: string, staffId: string, body: string, notify: Notify, now: Date) {
  return changeCase(tdb, caseId, now, (c) => {
    const to = requireTransition(def, c.status, 'requestSupplement');
    return {
      patch: { status: to, dueAt: dueAt(def, to, now) },
      journal: [{ kind: 'supplement_requested', actorKind: 'staff', actorId: staffId, payload: { body, from: c.status, to } }],
      outbox: notice(c, def, notify, 'supplement'),
    };
  });
}

export interface LetterRef {
  id: string;
  locale: string;
  sha256: string;
}

/**
 * A handler decides. The letters were rendered beforehand (decidedAt fixed in `decision`);
 * `recordLetters` stores their rows in this transaction and the journal entry carries their hashes.
 */
export function decide(
  tdb: TenantScope,
  def: ServiceDefinition,
  caseId: string,
  staffId: string,
  decision: Decision,
  letters: LetterRef[],
  recordLetters: (tx: TenantQueryable) => Promise<void>,
  notify: Notify,
  now: Date,
) {
  return changeCase(tdb, caseId, now, async (c, tx) => {
    const to = requireTransition(def, c.status, 'decide');
    await recordLetters(tx);
    return {
      patch: { status: to, dueAt: null, decision },
      journal: [{ kind: 'decided', actorKind: 'staff', actorId: staffId, payload: { ...decision, letters, from: c.status, to } }],
      outbox: notice(c, def, notify, 'decision'),
    };
  });
}
