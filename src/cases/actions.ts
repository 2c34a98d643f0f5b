/**
 * What residents and handlers write on a case besides workflow actions: notes and messages. They
 * change no status; each goes through changeCase so its journal entry and notification commit
 * together. Workflow actions are data and run through run-action.ts (ADR 0014).
 * Authorisation is the caller's job (src/policy) before it calls these.
 */
import type { TenantScope } from '../kernel/db/index.ts';
import type { ServiceDefinition } from '../catalogue/types.ts';
import { changeCase } from './case-changes.ts';
import { notification, type Notify } from './notifications.ts';
import { messageWindow } from './message-window.ts';
import { AppError } from '../kernel/errors.ts';

export type { AttachmentRef, LetterRef } from './action-kinds/index.ts';
export type { Notify } from './notifications.ts';

/** The longest message a resident may write (the case page and the follow page). */
export const MAX_MESSAGE = 4000;

/**
 * A resident's posted message, line breaks normalised and trimmed, or the translated reason it is
 * refused; `raw` is what was posted, to show again with the error.
 */
export function readResidentMessage(posted: unknown, t: (key: string, vars?: Record<string, string | number>) => string): { body: string; raw: string; error?: string } {
  const raw = typeof (posted as { body?: unknown } | undefined)?.body === 'string' ? ((posted as { body: string }).body) : '';
  const body = raw.replace(/\r\n?/g, '\n').trim();
  const error = !body ? t('my.case.error.messageRequired') : body.length > MAX_MESSAGE ? t('my.case.error.messageTooLong', { max: MAX_MESSAGE }) : undefined;
  return error ? { body, raw, error } : { body, raw };
}

/**
 * A resident's message, accepted only while the case's message window is open — decided on the
 * case as read under its lock, so a message racing a decision or the end of its period is either
 * before it or refused (CASE_MESSAGES_CLOSED), never written to a closed case.
 */
export function residentMessage(tdb: TenantScope, def: ServiceDefinition, caseId: string, residentId: string | null, body: string, now: Date) {
  return changeCase(tdb, caseId, now, (c) => {
    if (!messageWindow(def, c, now).open) throw new AppError('CASE_MESSAGES_CLOSED');
    // A representative writes for the person they represent (ADR 0033): the entry says in what capacity.
    const rep = residentId ? c.parties.find((p) => p.role === 'representative' && p.residentId === residentId) : undefined;
    const actedAs = rep ? { actedAs: { party: rep.id, role: 'representative', for: rep.actingFor, ...(typeof rep.details.capacity === 'string' ? { capacity: rep.details.capacity } : {}) } } : {};
    return { journal: [{ kind: 'message', actorKind: 'resident', actorId: residentId, payload: { direction: 'from_resident', body, ...actedAs } }] };
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
    outbox: notification(c, def, notify, { to: 'applicant', template: 'message' }),
  }));
}
