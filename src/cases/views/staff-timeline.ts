/**
 * How a case's history speaks to the member of staff reading it (issue 8): from the reader's side.
 * The resident's message is "Anna Andersson skrev", not the resident's own "Du skrev"; taking the
 * case is "Du tog ärendet" to the one who took it and "Olof Handläggare tog ärendet" to the others;
 * and an entry the resident never sees is said to be internal. The resident's timeline keeps its
 * own words (timeline.tsx); this is only the staff side's.
 */
import type { JournalEntry } from '../../archive/index.ts';
import type { Translate } from '../../kernel/i18n/index.ts';
import type { CaseParty } from '../parties.ts';
import { RESIDENT_HIDDEN_BODIES, RESIDENT_HIDDEN_EVENTS } from '../action-kinds/index.ts';

/** Who reads, and the names the history may use (the case's parties; staff by id). */
export interface StaffReader {
  staffId: string;
  staffNames: ReadonlyMap<string, string>;
  parties: readonly Pick<CaseParty, 'role' | 'residentId' | 'name' | 'email'>[];
}

/** How the resident's side of the case is named to staff: the party that acted, else the applicant, else "the applicant". */
function residentName(t: Translate, reader: StaffReader, actorId: string | null): string {
  const acting = actorId ? reader.parties.find((p) => p.residentId === actorId) : undefined;
  const applicant = reader.parties.find((p) => p.role === 'applicant');
  return acting?.name ?? applicant?.name ?? applicant?.email ?? t('event.staff.theApplicant');
}

/** Who did it, as the reader says it: "du" for themselves, a name for anyone else; undefined for the system. */
export function actorWord(t: Translate, reader: StaffReader, e: Pick<JournalEntry, 'actorKind' | 'actorId'>): string | undefined {
  if (e.actorKind === 'staff' && e.actorId) return e.actorId === reader.staffId ? t('event.staff.you') : (reader.staffNames.get(e.actorId) ?? t('event.staff.aColleague'));
  if (e.actorKind === 'resident') return residentName(t, reader, e.actorId);
  return undefined;
}

/** The reader's own wording of an entry, where the engine has one (messages, assignment); else undefined. */
export function staffTitle(t: Translate, reader: StaffReader, e: JournalEntry): string | undefined {
  const p = e.payload as Record<string, unknown>;
  const me = e.actorKind === 'staff' && e.actorId === reader.staffId;
  const actor = actorWord(t, reader, e) ?? t('event.staff.aColleague');
  if (e.kind === 'message') {
    if (p.direction !== 'to_resident') return t('event.staff.wrote', { name: residentName(t, reader, e.actorId) });
    return me ? t('event.staff.youWroteToApplicant') : t('event.staff.wroteToApplicant', { name: actor });
  }
  if (e.kind === 'assigned') {
    const to = typeof p.assignee === 'string' ? p.assignee : undefined;
    const toName = to === reader.staffId ? t('event.staff.youObject') : typeof p.toName === 'string' ? p.toName : (to && reader.staffNames.get(to)) || t('event.staff.aColleague');
    if (to && to === e.actorId) return me ? t('event.staff.youTook') : t('event.staff.took', { name: actor });
    return me ? t('event.staff.youAssigned', { to: toName }) : t('event.staff.assigned', { name: actor, to: toName });
  }
  return undefined;
}

/** What the resident does not see of an entry: all of it (a note, a referral), its text only, or nothing. */
export function internalPart(e: Pick<JournalEntry, 'kind'> & { payload?: Record<string, unknown> }): 'entry' | 'body' | undefined {
  if (RESIDENT_HIDDEN_EVENTS.has(e.kind)) return 'entry';
  if (RESIDENT_HIDDEN_BODIES.has(e.kind)) return 'body';
  // A transition's text the applicant was not told (ADR 0029).
  if (e.payload?.bodyInternal === true && typeof e.payload.body === 'string') return 'body';
  return undefined;
}
