/**
 * `transition`: the case changes status. A definition may ask the handler for a text with it (ADR
 * 0029: when and where an interview is); it is kept in the journal entry, and the resident reads it
 * only where the action tells the applicant — otherwise it is marked internal (`bodyInternal`).
 */
import { tellsApplicant } from './tells.ts';
import type { ActionKindHandler } from './types.ts';

export const transition: ActionKindHandler = {
  input: 'none',
  journal: 'status_changed',
  residentSees: true,
  residentSeesBody: true,
  apply: ({ action, input }) => (input.text ? { payload: { body: input.text, ...(tellsApplicant(action) ? {} : { bodyInternal: true }) } } : {}),
};
