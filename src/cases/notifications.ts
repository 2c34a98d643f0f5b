/**
 * Notifications of a case's parties: a template of the definition (by id) or one of the engine's
 * (`cases.mail.<id>.*`), filled with the case's placeholders, in the case's language. Only the
 * applicant is a party for now; the party is written into the outbox row so it can be told apart
 * when co-applicants and representatives come.
 */
import type { ActionNotification, ServiceDefinition } from '../catalogue/types.ts';
import { pick, translate, type Locale } from '../kernel/i18n/index.ts';
import type { Localised } from '../kernel/tenants.ts';
import type { OutboxMessage } from '../notify/outbox.ts';
import type { Case } from './cases.repository.ts';
import { matterWords } from './matter.ts';
import './messages.ts';

export interface Notify {
  /** Address to notify the applicant at, if any. */
  email: string | undefined;
  siteUrl: string;
}

export function notification(c: Case, def: ServiceDefinition, notify: Notify, n: ActionNotification, extra: { message?: string; party?: Localised } = {}): OutboxMessage[] {
  if (n.to !== 'applicant' || !notify.email) return [];
  const l: Locale = c.locale;
  const vars: Record<string, string> = {
    reference: c.reference,
    service: def.title[l],
    // A person verified by e-mail reads the case at /follow/mine after a new code (ADR 0015); a resident under My cases.
    url: `${notify.siteUrl}${c.parties.find((p) => p.role === 'applicant')?.kind === 'email' ? '/follow/mine' : '/my/cases'}/${c.id}`,
    matter: matterWords(def, l).matter,
    message: extra.message ?? '',
    party: extra.party ? pick(extra.party, l) : '',
  };
  const own = def.templates?.find((x) => x.id === n.template);
  const fill = (s: string) => s.replace(/\{(\w+)\}/g, (m, k: string) => vars[k] ?? m);
  const subject = own ? fill(pick(own.subject, l)) : translate(l, `cases.mail.${n.template}.subject`, vars);
  const text = own ? fill(pick(own.body, l)) : translate(l, `cases.mail.${n.template}.body`, vars);
  return [{ kind: 'email', payload: { to: notify.email, subject, text, party: n.to, template: n.template } }];
}
