/** `decide`: a direct decision. The letters were rendered before the transaction; their rows are written in it. */
import type { ActionKindHandler } from './types.ts';

export const decide: ActionKindHandler = {
  input: 'decision',
  journal: 'decided',
  residentSees: true,
  residentSeesBody: true,
  apply: async ({ tx, input }) => {
    await input.recordLetters?.(tx);
    return { patch: { decision: input.decision! }, payload: { ...input.decision!, letters: input.letters ?? [] } };
  },
};
