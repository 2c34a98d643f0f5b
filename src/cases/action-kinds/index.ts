/** The registry of action kinds: one small handler per kind of the engine's vocabulary (ADR 0014). */
import type { ActionDef, ActionKind } from '../../catalogue/types.ts';
import { approveDecision } from './approve-decision.ts';
import { assign } from './assign.ts';
import { close } from './close.ts';
import { decide } from './decide.ts';
import { proposeDecision } from './propose-decision.ts';
import { refer } from './refer.ts';
import { referralReply } from './referral-reply.ts';
import { requestSupplement } from './request-supplement.ts';
import { returnDecision } from './return-decision.ts';
import { supplement } from './supplement.ts';
import { transition } from './transition.ts';
import type { ActionKindHandler, InputShape } from './types.ts';
import { withdraw } from './withdraw.ts';

export const ACTION_KIND_HANDLERS: Record<ActionKind, ActionKindHandler> = {
  transition,
  assign,
  requestSupplement,
  supplement,
  refer,
  referralReply,
  close,
  proposeDecision,
  approveDecision,
  returnDecision,
  decide,
  withdraw,
};

/** How journal entries of each kind are shown to the resident, whichever action wrote them. */
export const RESIDENT_HIDDEN_EVENTS = new Set<string>(['note', ...Object.values(ACTION_KIND_HANDLERS).filter((h) => !h.residentSees).map((h) => h.journal)]);
export const RESIDENT_HIDDEN_BODIES = new Set<string>(Object.values(ACTION_KIND_HANDLERS).filter((h) => !h.residentSeesBody).map((h) => h.journal));

/** The longest text an action takes, whatever its definition says (ADR 0029). */
export const MAX_ACTION_TEXT = 4000;

/** What the route asks for before it runs this action: its kind's shape, or a text where a transition's definition asks one (ADR 0029). */
export function actionInput(a: ActionDef): InputShape {
  const shape = ACTION_KIND_HANDLERS[a.kind].input;
  return shape === 'none' && a.text ? 'text' : shape;
}

/** The action's text as the handler must give it: required or not, and its longest length. */
export function actionTextRules(a: ActionDef): { required: boolean; maxLength: number } {
  const shape = actionInput(a);
  return { required: shape === 'text' && a.text?.required !== false, maxLength: Math.min(a.text?.maxLength ?? MAX_ACTION_TEXT, MAX_ACTION_TEXT) };
}

export { tellsApplicant } from './tells.ts';

export type { ActionInput, ActionKindHandler, AttachmentRef, InputShape, KindContext, KindResult, LetterRef } from './types.ts';
