/**
 * Where a submitted case goes (ADR 0020): the definition's routing rules, evaluated with the
 * expression language (ADR 0009) on the submitted answers (computed values included); the first
 * rule whose `when` holds wins, and without one the case goes to the service's department with no
 * team. The result is the case's department — which policy/ already reads to decide who may read,
 * handle and decide it, with the service's handling roles — and its team, shown in the inbox.
 */
import type { RoutingRule, ServiceDefinition } from '../catalogue/types.ts';
import { holds, type Expression } from '../expressions/index.ts';
import type { Answers } from '../forms/conditions.ts';

export interface Route {
  department: string;
  team: string | null;
  /** The rule that matched, for the journal; null: the service's default. */
  rule: string | null;
}

// One formatter for the process: making an Intl.DateTimeFormat costs about 0.1 ms, more than the rest
// of a submission's routing (ADR 0019, where the submission's time goes).
const STOCKHOLM_DAY = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' });

export function routeOf(def: Pick<ServiceDefinition, 'department' | 'routing'>, answers: Answers, now: Date): Route {
  const rules = def.routing ?? [];
  // Today's date only when a rule has a condition that could read it.
  const today = rules.some((r) => r.when !== undefined) ? STOCKHOLM_DAY.format(now) : '';
  const match = rules.find((r: RoutingRule) => r.when === undefined || holds(r.when as Expression, answers, { today }));
  if (!match) return { department: def.department, team: null, rule: null };
  return { department: match.department ?? def.department, team: match.team ?? null, rule: match.id };
}

/** Every department a service's cases can be routed to: its own and those its rules name. */
export function routedDepartments(def: Pick<ServiceDefinition, 'department' | 'routing'>): string[] {
  return [...new Set([def.department, ...(def.routing ?? []).flatMap((r) => (r.department ? [r.department] : []))])];
}
