/** `returnDecision`: the decider sends a proposal back with a comment; the handler proposes again. */
import { AppError } from '../../kernel/errors.ts';
import { pendingProposal } from '../proposals.ts';
import type { ActionKindHandler } from './types.ts';

export const returnDecision: ActionKindHandler = {
  input: 'text',
  journal: 'decision_returned',
  residentSees: false,
  residentSeesBody: false,
  apply: async ({ tx, c, input }) => {
    const pending = await pendingProposal(tx, c.id);
    if (!pending) throw new AppError('CASE_ACTION_NOT_ALLOWED', 'no proposal to return');
    return { payload: { body: input.text, proposal: pending.seq } };
  },
};
