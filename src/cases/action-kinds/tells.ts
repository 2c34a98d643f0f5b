/** Whether an action tells the applicant: its own notifications, else its kind's (ADR 0014). */
import { defaultNotifications } from '../../catalogue/index.ts';
import type { ActionDef } from '../../catalogue/types.ts';

export function tellsApplicant(a: ActionDef): boolean {
  return (a.notify ?? defaultNotifications(a.kind)).some((n) => n.to === 'applicant');
}
