/**
 * `refer`: the case goes to an external party the definition names (the police, for a serving
 * licence) and waits until the handler records their reply (`referralReply`). The text is what was
 * asked of them; the handler sends it by the party's own channel, the journal keeps it.
 */
import type { ActionKindHandler } from './types.ts';

export const refer: ActionKindHandler = {
  input: 'text',
  journal: 'referred',
  residentSees: true,
  residentSeesBody: false,
  apply: ({ action, input }) => ({ payload: { body: input.text, party: action.party } }),
};
