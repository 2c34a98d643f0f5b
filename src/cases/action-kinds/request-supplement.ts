/** `requestSupplement`: the handler asks the applicant for more; the case waits for their `supplement`. */
import type { ActionKindHandler } from './types.ts';

export const requestSupplement: ActionKindHandler = {
  input: 'text',
  journal: 'supplement_requested',
  residentSees: true,
  residentSeesBody: true,
  apply: ({ input }) => ({ payload: { body: input.text } }),
};
