/**
 * Notifications of a case's parties: a template of the definition (by id) or one of the engine's
 * (`cases.mail.<id>.*`), filled with the case's placeholders, in the case's language. Only the
 * applicant is a party for now; the party is written into the outbox row so it can be told apart
 * when co-applicants and representatives come.
 */
import type { ActionNotification, ServiceDefinition } from '../catalogue/types.ts';
import { formatDate, pick, translate, type Locale } from '../kernel/i18n/index.ts';
import type { Localised } from '../kernel/tenants.ts';
import type { OutboxMessage } from '../notify/outbox.ts';
import type { TenantQueryable } from '../kernel/db/index.ts';
import { getResident } from '../identity/eid/index.ts';
import { contactEmailOf } from '../forms/contact.ts';
import { applicantIdOf, type Case } from './cases.repository.ts';
import { representativeOfApplicant } from './parties.ts';
import { matterWords } from './matter.ts';
import { caseMail } from './mail.ts';
import './messages.ts';

export interface Notify {
  /** Address to notify the applicant at, if any. */
  email: string | undefined;
  siteUrl: string;
}

/** Where the case's applicant is written to: the form's address, their own, or their representative's. */
export async function applicantNotify(q: TenantQueryable, def: ServiceDefinition, c: Case, siteUrl: string): Promise<Notify> {
  const id = applicantIdOf(c);
  const applicant = c.parties.find((p) => p.role === 'applicant');
  // Sent without e-ID: only an address verified by code is written to, never one typed in the form (ADR 0015).
  if (!applicant || applicant.kind === 'email') return { email: applicant?.emailVerifiedAt ? (applicant.email ?? undefined) : undefined, siteUrl };
  // A person who applied through a representative (ADR 0033) is written to through them.
  const through = representativeOfApplicant(c.parties)?.residentId;
  const email = contactEmailOf(def, c.answers) ?? (id ? (await getResident(q, id))?.email : undefined) ?? applicant.email ?? (through ? (await getResident(q, through))?.email : undefined) ?? undefined;
  return { email, siteUrl };
}

/**
 * Where the applicant reads the case, for their e-mail: a person verified by e-mail at /follow/mine
 * after a new code (ADR 0015), a resident under My cases.
 */
export const caseUrlOf = (c: Pick<Case, 'id' | 'parties'>, siteUrl: string): string =>
  `${siteUrl}${c.parties.find((p) => p.role === 'applicant')?.kind === 'email' ? '/follow/mine' : '/my/cases'}/${c.id}`;

export function notification(c: Case, def: ServiceDefinition, notify: Notify, n: ActionNotification, extra: { message?: string; party?: Localised; deadline?: Date | null; text?: { label: Localised; body: string } } = {}): OutboxMessage[] {
  if (n.to !== 'applicant' || !notify.email) return [];
  const l: Locale = c.locale;
  const vars: Record<string, string> = {
    reference: c.reference,
    service: def.title[l],
    url: caseUrlOf(c, notify.siteUrl),
    matter: matterWords(def, l).matter,
    yourMatter: matterWords(def, l).yourMatter,
    message: extra.message ?? '',
    party: extra.party ? pick(extra.party, l) : '',
    // The date a supplement is asked for by (a definition's own template may say {deadline}).
    deadline: extra.deadline ? formatDate(extra.deadline, l) : '',
  };
  // The engine's request for a supplement says by when, when there is a deadline.
  const key = n.template === 'supplement' && extra.deadline ? 'supplementBy' : n.template;
  const own = def.templates?.find((x) => x.id === n.template);
  const fill = (s: string) => s.replace(/\{(\w+)\}/g, (m, k: string) => vars[k] ?? m);
  const subject = own ? fill(pick(own.subject, l)) : translate(l, `cases.mail.${key}.subject`, vars);
  const body = own ? pick(own.body, l) : translate(l, `cases.mail.${key}.body`);
  const filled = own ? fill(body) : translate(l, `cases.mail.${key}.body`, vars);
  // An action's text the template does not place itself follows it, under the field's label (ADR 0029).
  const text = extra.text && !body.includes('{message}') ? `${filled.trimEnd()}\n\n${pick(extra.text.label, l)}:\n${extra.text.body}` : filled;
  return [{ kind: 'email', payload: caseMail(c, def, l, { to: notify.email, subject, text, party: n.to, template: n.template }) }];
}
