/** `withdraw`: the applicant withdraws; no decision is made. */
import type { ActionKindHandler } from './types.ts';

export const withdraw: ActionKindHandler = { input: 'none', journal: 'withdrawn', residentSees: true, residentSeesBody: true, apply: () => ({}) };
