/** `proposeDecision`: a handler drafts a decision; it takes effect only when someone allowed to decide approves it. */
import type { ActionKindHandler } from './types.ts';

export const proposeDecision: ActionKindHandler = {
  input: 'decision',
  journal: 'decision_proposed',
  residentSees: false,
  residentSeesBody: false,
  apply: ({ input }) => {
    const { type, outcome, values } = input.decision!;
    return { payload: { type, outcome, values, proposedBy: input.decision!.decidedBy } };
  },
};
