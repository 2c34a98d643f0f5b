/**
 * The one way a workflow action changes a case (ADR 0014): the action must be allowed from the
 * case's state as read under its lock, its kind's handler says what else changes, and the status,
 * its deadline, the journal entry (kind, action id, from, to, payload) and the notifications the
 * action names commit together through changeCase. Authorisation is the caller's job (src/policy).
 */
import type { TenantScope } from '../kernel/db/index.ts';
import { defaultNotifications } from '../catalogue/index.ts';
import type { ActionDef, ServiceDefinition } from '../catalogue/types.ts';
import { AppError } from '../kernel/errors.ts';
import type { ActorKind } from '../archive/index.ts';
import { changeCase } from './case-changes.ts';
import type { CasePatch } from './cases.repository.ts';
import { ACTION_KIND_HANDLERS, type ActionInput } from './action-kinds/index.ts';
import { notification, type Notify } from './notifications.ts';
import { dueAt } from './workflow.ts';

export interface Actor {
  kind: ActorKind;
  id: string | null;
}

export function runAction(tdb: TenantScope, def: ServiceDefinition, caseId: string, action: ActionDef, actor: Actor, input: ActionInput, notify: Notify, now: Date) {
  return changeCase(tdb, caseId, now, async (c, tx) => {
    if (!action.from.includes(c.status)) throw new AppError('CASE_ACTION_NOT_ALLOWED', `${action.id} not allowed from ${c.status}`);
    const handler = ACTION_KIND_HANDLERS[action.kind];
    const to = action.to ?? c.status;
    const out = await handler.apply({ c, tx, def, action, to, actor, input, seq: c.journalSeq + 1 });
    const patch: CasePatch = { ...(to !== c.status ? { status: to, dueAt: dueAt(def, to, now) } : {}), ...out.patch };
    // {deadline}: when the state the case enters is due (a supplement asked for by that date).
    // A transition's text (ADR 0029) goes into its e-mail to the applicant: where the template says {message}, else after it.
    const text = action.kind === 'transition' && action.text && input.text ? { label: action.text.label, body: input.text } : undefined;
    const vars = { message: input.text ?? '', party: action.party, deadline: patch.dueAt ?? null, ...(text ? { text } : {}) };
    return {
      patch,
      journal: [{ kind: handler.journal, actorKind: actor.kind, actorId: actor.id, payload: { ...out.payload, action: action.id, actionKind: action.kind, from: c.status, to } }],
      outbox: (action.notify ?? defaultNotifications(action.kind)).flatMap((n) => notification(c, def, notify, n, vars)),
    };
  });
}
