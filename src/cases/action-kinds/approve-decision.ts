/**
 * `approveDecision`: someone allowed to decide approves the pending proposal, which takes effect as
 * the decision (letters, notification). Nobody approves their own proposal: the second pair of eyes
 * is the point of the two steps. The proposal approved must be the one the approver read.
 */
import { AppError } from '../../kernel/errors.ts';
import { pendingProposal } from '../proposals.ts';
import type { ActionKindHandler } from './types.ts';

export const approveDecision: ActionKindHandler = {
  input: 'none',
  journal: 'decided',
  residentSees: true,
  residentSeesBody: true,
  apply: async ({ tx, c, input, actor, seq }) => {
    const pending = await pendingProposal(tx, c.id);
    if (!pending || pending.seq !== input.proposalSeq) throw new AppError('CASE_ACTION_NOT_ALLOWED', 'the proposal changed');
    if (pending.proposedBy === actor.id) throw new AppError('DECISION_OWN_PROPOSAL');
    await input.recordLetters?.(tx);
    const recorded = (await input.recordDecision?.(tx, c, seq, input.decision!)) ?? {};
    return { patch: { decision: input.decision! }, payload: { ...recorded, ...input.decision!, letters: input.letters ?? [], proposal: pending.seq } };
  },
};
