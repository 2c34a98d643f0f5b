/**
 * The workflow engine: which actions a case's state allows, read from its service definition's
 * actions (ADR 0014; legacy transitions arrive here already turned into actions).
 */
import { actionsOf, defaultActor } from '../catalogue/index.ts';
import type { ActionActor, ActionDef, ActionKind, ServiceDefinition, WorkflowAction, WorkflowState } from '../catalogue/types.ts';
import { AppError } from '../kernel/errors.ts';

export function stateOf(def: ServiceDefinition, id: string): WorkflowState {
  const s = def.workflow.states.find((x) => x.id === id);
  if (!s) throw new Error(`Service ${def.id} has no state ${id}`);
  return s;
}

export const actorOf = (a: ActionDef): ActionActor => a.by ?? defaultActor(a.kind);

export function actionById(def: ServiceDefinition, id: string): ActionDef | undefined {
  return actionsOf(def).find((a) => a.id === id);
}

/** The actions `actor` may take on a case in state `from`, in the definition's order. */
export function availableActions(def: ServiceDefinition, from: string, actor: ActionActor): ActionDef[] {
  return actionsOf(def).filter((a) => a.from.includes(from) && actorOf(a) === actor);
}

/** The action, if the case's state allows it; otherwise CASE_ACTION_NOT_ALLOWED (409). */
export function requireAction(def: ServiceDefinition, from: string, id: string): ActionDef {
  const a = actionById(def, id);
  if (!a || !a.from.includes(from)) throw new AppError('CASE_ACTION_NOT_ALLOWED', `${id} not allowed from ${from}`);
  return a;
}

/** The first action of a kind allowed from `from` (or, when none is, of that kind at all): the legacy routes' way in. */
export function actionOfKind(def: ServiceDefinition, from: string, kind: ActionKind): ActionDef | undefined {
  const all = actionsOf(def).filter((a) => a.kind === kind);
  return all.find((a) => a.from.includes(from)) ?? all[0];
}

const LEGACY_KIND: Record<WorkflowAction, ActionKind> = { assign: 'assign', start: 'transition', requestSupplement: 'requestSupplement', supplementReceived: 'supplement', decide: 'decide', withdraw: 'withdraw' };

/** The state a legacy verb leads to from `from`, or undefined when the workflow does not allow it. */
export function nextState(def: ServiceDefinition, from: string, action: WorkflowAction): string | undefined {
  const a = actionsOf(def).find((x) => x.kind === LEGACY_KIND[action] && x.from.includes(from));
  return a ? (a.to ?? from) : undefined;
}

/** Whether the case's state ends it (decided, withdrawn, closed): nothing more is done to it. */
export function isFinalState(def: ServiceDefinition, id: string): boolean {
  return def.workflow.states.find((s) => s.id === id)?.final === true;
}

/** The states reached by actions of a kind. */
export function statesReachedBy(def: ServiceDefinition, kinds: readonly ActionKind[]): string[] {
  return [...new Set(actionsOf(def).filter((a) => kinds.includes(a.kind) && a.to !== undefined).map((a) => a.to!))];
}

/** When a case entering `state` at `at` becomes overdue; null for states without a deadline. */
export function dueAt(def: ServiceDefinition, state: string, at: Date): Date | null {
  const days = stateOf(def, state).deadlineDays;
  return days === undefined ? null : new Date(at.getTime() + days * 86_400_000);
}

/** The form field of an action's text or handler (the legacy actions keep the ids their pages always had). */
export function actionFieldId(a: ActionDef): string {
  if (a.labelKey && a.kind === 'assign') return 'f-assignee';
  if (a.labelKey && a.kind === 'requestSupplement') return 'f-supplement';
  return `f-${a.id}`;
}
