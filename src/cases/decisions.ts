/**
 * The decisions of a case, in the order they were made (ADR 0034). A case may be decided more than
 * once — a building permit, later the start notice for the same project — so the decisions are read
 * from the journal: each `decided` entry holds the decision (type, outcome, values, who, when) and
 * the letters rendered for it. `cases.decision` keeps the latest, for what depends on "the decision"
 * (the message window after it).
 */
import type { JournalEntry } from '../archive/index.ts';
import type { Case, Decision } from './cases.repository.ts';

export interface DecisionRecord {
  /** The seq of its journal entry: what identifies one decision of a case (its invoice, its letters). */
  seq: number;
  decision: Decision;
  /** The ids of its letters (documents), one per language. */
  letterIds: string[];
  /** What other modules recorded with it (an invoice: ADR 0034), as the journal entry keeps it. */
  payload: Record<string, unknown>;
}

const isDecision = (p: Record<string, unknown>): boolean => typeof p.type === 'string' && typeof p.outcome === 'string' && typeof p.decidedAt === 'string';

/** The case's decisions, first first; a case decided before decisions were journaled like this shows its one decision. */
export function decisionsOf(c: Pick<Case, 'decision'>, entries: readonly JournalEntry[]): DecisionRecord[] {
  const records = entries
    .filter((e) => e.kind === 'decided' && isDecision(e.payload))
    .map((e) => {
      const p = e.payload;
      const decision: Decision = {
        type: p.type as string,
        outcome: p.outcome as Decision['outcome'],
        values: (p.values ?? {}) as Record<string, string>,
        decidedBy: String(p.decidedBy ?? ''),
        decidedAt: p.decidedAt as string,
        ...(typeof p.proposedBy === 'string' ? { proposedBy: p.proposedBy } : {}),
      };
      const letters = Array.isArray(p.letters) ? (p.letters as { id?: unknown }[]) : [];
      return { seq: e.seq, decision, letterIds: letters.map((l) => String(l.id)), payload: p };
    });
  if (records.length === 0 && c.decision) return [{ seq: 0, decision: c.decision, letterIds: [], payload: {} }];
  return records;
}
