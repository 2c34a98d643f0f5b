/** The workflow engine: which actions a case's state allows, read from its service definition. */
import type { ServiceDefinition, WorkflowAction, WorkflowState } from '../catalogue/types.ts';
import { AppError } from '../kernel/errors.ts';

export function stateOf(def: ServiceDefinition, id: string): WorkflowState {
  const s = def.workflow.states.find((x) => x.id === id);
  if (!s) throw new Error(`Service ${def.id} has no state ${id}`);
  return s;
}

/** The state an action leads to from `from`, or undefined when the workflow does not allow it. */
export function nextState(def: ServiceDefinition, from: string, action: WorkflowAction): string | undefined {
  return def.workflow.transitions.find((t) => t.action === action && t.from.includes(from))?.to;
}

export function requireTransition(def: ServiceDefinition, from: string, action: WorkflowAction): string {
  const to = nextState(def, from, action);
  if (!to) throw new AppError('CASE_ACTION_NOT_ALLOWED', `${action} not allowed from ${from}`);
  return to;
}

/** Whether the case's state ends it (decided, withdrawn): nothing more is done to it. */
export function isFinalState(def: ServiceDefinition, id: string): boolean {
  return def.workflow.states.find((s) => s.id === id)?.final === true;
}

/** The states an action can lead to, from wherever it is allowed. */
export function targetsOf(def: ServiceDefinition, action: WorkflowAction): string[] {
  return [...new Set(def.workflow.transitions.filter((t) => t.action === action).map((t) => t.to))];
}

export function allowedActions(def: ServiceDefinition, from: string): WorkflowAction[] {
  return [...new Set(def.workflow.transitions.filter((t) => t.from.includes(from)).map((t) => t.action))];
}

/** When a case entering `state` at `at` becomes overdue; null for states without a deadline. */
export function dueAt(def: ServiceDefinition, state: string, at: Date): Date | null {
  const days = stateOf(def, state).deadlineDays;
  return days === undefined ? null : new Date(at.getTime() + days * 86_400_000);
}
