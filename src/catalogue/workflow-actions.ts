/**
 * Workflow actions as data (ADR 0014): the engine's vocabulary of action kinds, what each kind
 * defaults to, and the normalisation of the legacy `transitions: [{from, to, action}]` syntax into
 * actions, so a definition written before actions existed (and every case stored under it) keeps
 * working unchanged: the legacy verbs become actions whose ids are the verbs themselves.
 */
import type { ActionActor, ActionDef, ActionKind, ActionNotification, Matter, Workflow, WorkflowAction } from './types.ts';

export const ACTION_KINDS = [
  'transition',
  'assign',
  'requestSupplement',
  'supplement',
  'refer',
  'referralReply',
  'close',
  'proposeDecision',
  'approveDecision',
  'returnDecision',
  'decide',
  'withdraw',
] as const satisfies readonly ActionKind[];

export const MATTERS = ['application', 'report', 'booking', 'errand'] as const satisfies readonly Matter[];

/** Placeholders every notification template may use. */
export const MESSAGE_PLACEHOLDERS = ['reference', 'service', 'url', 'matter', 'yourMatter', 'message', 'party', 'deadline'] as const;

/** Templates the engine brings (cases/messages.ts, `cases.mail.<id>.subject|body`); a definition may override them by id. */
export const ENGINE_TEMPLATES = ['received', 'message', 'supplement', 'decision', 'closed', 'referred', 'withdrawn'] as const;

/** Who takes an action of this kind unless the definition says otherwise. */
export function defaultActor(kind: ActionKind): ActionActor {
  return kind === 'supplement' || kind === 'withdraw' ? 'applicant' : 'staff';
}

/** Who is told about an action of this kind unless the definition says otherwise. */
export function defaultNotifications(kind: ActionKind): ActionNotification[] {
  switch (kind) {
    case 'requestSupplement':
      return [{ to: 'applicant', template: 'supplement' }];
    case 'decide':
    case 'approveDecision':
      return [{ to: 'applicant', template: 'decision' }];
    case 'close':
      return [{ to: 'applicant', template: 'closed' }];
    // The applicant is told the withdrawal went through (and someone else who withdrew for them is noticed).
    case 'withdraw':
      return [{ to: 'applicant', template: 'withdrawn' }];
    default:
      return [];
  }
}

/** Kinds that end in a decision, so their definition needs decision types. */
export const DECIDING_KINDS: readonly ActionKind[] = ['decide', 'proposeDecision', 'approveDecision'];

const LEGACY_KIND: Record<WorkflowAction, ActionKind> = {
  assign: 'assign',
  start: 'transition',
  requestSupplement: 'requestSupplement',
  supplementReceived: 'supplement',
  decide: 'decide',
  withdraw: 'withdraw',
};

/**
 * The workflow's actions: those declared, then the legacy transitions turned into actions (one
 * per transition; a verb used twice gets a numbered id, `decide2`, as the journal must tell them apart).
 */
export function normaliseActions(workflow: Pick<Workflow, 'transitions' | 'actions' | 'states'>): ActionDef[] {
  const actions: ActionDef[] = [...(workflow.actions ?? [])];
  const used = new Set(actions.map((a) => a.id));
  const take = (base: string) => {
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}${n}`;
    used.add(id);
    return id;
  };
  const open = workflow.states.filter((s) => !s.final).map((s) => s.id);
  for (const t of workflow.transitions ?? []) {
    actions.push({ id: take(t.action), kind: LEGACY_KIND[t.action], from: [...t.from], to: t.to, labelKey: LEGACY_LABEL[t.action] });
    // A legacy assign could always be taken while the case was open; only from its `from` states did it move the case.
    if (t.action === 'assign') {
      const elsewhere = open.filter((s) => !t.from.includes(s));
      if (elsewhere.length) actions.push({ id: take('reassign'), kind: 'assign', from: elsewhere, labelKey: LEGACY_LABEL.assign });
    }
  }
  return actions;
}

/** The buttons the fixed verbs always had (message keys of src/cases). */
const LEGACY_LABEL: Record<WorkflowAction, string> = {
  assign: 'case.assign',
  start: 'case.start',
  requestSupplement: 'case.requestSupplement',
  supplementReceived: 'my.case.supplementSend',
  decide: 'case.decide',
  withdraw: 'my.case.withdraw',
};

const memo = new WeakMap<object, ActionDef[]>();

/** The actions of a definition's workflow (normalised once per workflow object). */
export function actionsOf(def: { workflow: Workflow }): ActionDef[] {
  if (def.workflow.actions && !def.workflow.transitions?.length) return def.workflow.actions;
  let actions = memo.get(def.workflow);
  if (!actions) memo.set(def.workflow, (actions = normaliseActions(def.workflow)));
  return actions;
}
