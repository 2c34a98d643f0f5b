/**
 * Every e-mail about a case says which case it is about, so a parent of three can tell them apart
 * without opening each: the subject line ends with the case's subject ("– Sigge Nord"), and the
 * text ends with the case's reference, its service and its subject. The municipality's sender and
 * signature are added when the message is sent (notify/letterhead.ts), for every e-mail alike.
 */
import type { ServiceDefinition } from '../catalogue/types.ts';
import { pick, translate, type Locale } from '../kernel/i18n/index.ts';
import type { EmailMessage } from '../notify/outbox.ts';
import { namedSubject, type SubjectParty } from './subject.ts';
import './messages.ts';

export function caseMail(c: { reference: string; parties: readonly SubjectParty[] }, def: Pick<ServiceDefinition, 'subject' | 'title'>, l: Locale, mail: Omit<EmailMessage, 'locale'>): EmailMessage {
  const named = namedSubject(c.parties, def, l);
  const facts = [translate(l, 'cases.mail.facts.reference', { reference: c.reference }), translate(l, 'cases.mail.facts.service', { service: pick(def.title, l) })];
  if (named) facts.push(`${named.label}: ${named.name}`);
  return {
    ...mail,
    subject: named && !mail.subject.includes(named.name) ? `${mail.subject} – ${named.name}` : mail.subject,
    text: `${mail.text.trimEnd()}\n\n${facts.join('\n')}`,
    locale: l,
  };
}
