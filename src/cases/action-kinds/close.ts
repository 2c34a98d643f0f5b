/** `close`: the case ends without a decision (a fixed street fault), with a message to the applicant or reporter. */
import type { ActionKindHandler } from './types.ts';

export const close: ActionKindHandler = {
  input: 'text',
  journal: 'closed',
  residentSees: true,
  residentSeesBody: true,
  apply: ({ input }) => ({ payload: { body: input.text } }),
};
