/**
 * `decide`: a direct decision. The letters were rendered before the transaction; their rows are
 * written in it, with what other modules record for the decision (an invoice, ADR 0034). A case may
 * be decided again later where its workflow leads to another decide action (ADR 0034).
 */
import type { ActionKindHandler } from './types.ts';

export const decide: ActionKindHandler = {
  input: 'decision',
  journal: 'decided',
  residentSees: true,
  residentSeesBody: true,
  apply: async ({ tx, c, input, seq }) => {
    await input.recordLetters?.(tx);
    const recorded = (await input.recordDecision?.(tx, c, seq, input.decision!)) ?? {};
    return { patch: { decision: input.decision! }, payload: { ...recorded, ...input.decision!, letters: input.letters ?? [] } };
  },
};
