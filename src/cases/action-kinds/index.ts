/** The registry of action kinds: one small handler per kind of the engine's vocabulary (ADR 0014). */
import type { ActionKind } from '../../catalogue/types.ts';
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
import type { ActionKindHandler } from './types.ts';
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

export type { ActionInput, ActionKindHandler, AttachmentRef, InputShape, KindContext, KindResult, LetterRef } from './types.ts';
