/** `transition`: the case changes status, nothing more (start handling, say). */
import type { ActionKindHandler } from './types.ts';

export const transition: ActionKindHandler = { input: 'none', journal: 'status_changed', residentSees: true, residentSeesBody: true, apply: () => ({}) };
