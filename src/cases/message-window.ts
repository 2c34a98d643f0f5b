/**
 * Whether a resident may still write on a case. While the case is open, yes. A final state closes
 * the conversation — except after a decision whose type gives `messagesOpenDays`: the letter asks
 * the resident to answer ("write within 14 days"), so the page must let them, to the end of the
 * day that many days after the decision's date in Stockholm. Decided on the case as read under its
 * lock when a message is written (actions.ts), and by the same function when a page shows the form.
 */
import type { ServiceDefinition } from '../catalogue/types.ts';
import { stockholmToday } from '../forms/dates.ts';
import type { Case } from './cases.repository.ts';

export type MessageWindow =
  /** Open; `lastDay` (YYYY-MM-DD, Stockholm) when only a decision's period keeps it so. */
  | { open: true; lastDay?: string }
  /** Closed: the case ended without such a period (`lastDay` absent), or the period ended after `lastDay`. */
  | { open: false; lastDay?: string };

const DAY_MS = 86_400_000;

/** YYYY-MM-DD plus whole days (calendar arithmetic in UTC: no daylight-saving hour to trip over). */
const plusDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

export function messageWindow(def: ServiceDefinition, c: Pick<Case, 'status' | 'decision'>, now: Date): MessageWindow {
  if (!def.workflow.states.find((s) => s.id === c.status)?.final) return { open: true };
  const days = c.decision ? def.decisions.find((d) => d.id === c.decision!.type)?.messagesOpenDays : undefined;
  if (!days || !c.decision) return { open: false };
  const lastDay = plusDays(stockholmToday(new Date(c.decision.decidedAt)), days);
  // Dates in the same form compare as strings: open through the whole of the last day in Stockholm.
  return stockholmToday(now) <= lastDay ? { open: true, lastDay } : { open: false, lastDay };
}
