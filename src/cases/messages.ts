import { defineMessages } from '../kernel/i18n/index.ts';

export const caseMessages = defineMessages({
  'cases.mail.received.subject': { sv: 'Vi har tagit emot {yourMatter} {reference}', en: 'We have received {yourMatter} {reference}' },
  'cases.mail.received.body': {
    sv: 'Hej!\n\nVi har tagit emot {yourMatter} "{service}" med referensnummer {reference}.\n\nDu kan följa ärendet och skicka meddelanden under Mina ärenden:\n{url}\n\nDet här mejlet går inte att svara på.',
    en: 'Hello,\n\nWe have received {yourMatter} "{service}" with reference number {reference}.\n\nYou can follow the case and send messages under My cases:\n{url}\n\nPlease do not reply to this e-mail.',
  },
  'cases.mail.message.subject': { sv: 'Nytt meddelande i ärende {reference}', en: 'New message in case {reference}' },
  'cases.mail.message.body': {
    sv: 'Hej!\n\nDu har fått ett nytt meddelande om "{service}" ({reference}). Logga in och läs det under Mina ärenden:\n{url}\n\nAv säkerhetsskäl skickar vi inte innehållet med e-post.',
    en: 'Hello,\n\nYou have a new message about "{service}" ({reference}). Sign in and read it under My cases:\n{url}\n\nFor your security we do not send the content by e-mail.',
  },
  'cases.mail.supplement.subject': { sv: 'Vi behöver fler uppgifter i ärende {reference}', en: 'We need more information in case {reference}' },
  'cases.mail.supplement.body': {
    sv: 'Hej!\n\nFör att kunna handlägga "{service}" ({reference}) behöver vi fler uppgifter från dig. Logga in och komplettera under Mina ärenden:\n{url}',
    en: 'Hello,\n\nTo handle "{service}" ({reference}) we need more information from you. Sign in and add it under My cases:\n{url}',
  },
  'cases.mail.supplementBy.subject': { sv: 'Vi behöver fler uppgifter i ärende {reference} senast {deadline}', en: 'We need more information in case {reference} by {deadline}' },
  'cases.mail.supplementBy.body': {
    sv: 'Hej!\n\nFör att kunna handlägga "{service}" ({reference}) behöver vi fler uppgifter från dig senast {deadline}. Logga in och komplettera under Mina ärenden:\n{url}',
    en: 'Hello,\n\nTo handle "{service}" ({reference}) we need more information from you by {deadline}. Sign in and add it under My cases:\n{url}',
  },
  'cases.mail.withdrawn.subject': { sv: 'Ärende {reference} är återkallat', en: 'Case {reference} has been withdrawn' },
  'cases.mail.withdrawn.body': {
    sv: 'Hej!\n\nDu har återkallat {yourMatter} "{service}" ({reference}). Ärendet är avslutat och vi fattar inget beslut. Du kan se ärendet under Mina ärenden:\n{url}\n\nHar du inte återkallat något själv? Kontakta oss.',
    en: 'Hello,\n\nYou have withdrawn {yourMatter} "{service}" ({reference}). The case is closed and no decision will be made. You can see the case under My cases:\n{url}\n\nDid you not withdraw anything yourself? Contact us.',
  },
  'cases.mail.facts.reference': { sv: 'Ärende: {reference}', en: 'Case: {reference}' },
  'cases.mail.facts.service': { sv: 'E-tjänst: {service}', en: 'E-service: {service}' },
  'cases.mail.decision.subject': { sv: 'Beslut i ärende {reference}', en: 'Decision in case {reference}' },
  'cases.mail.decision.body': {
    sv: 'Hej!\n\nDet finns ett beslut om "{service}" ({reference}). Logga in och läs beslutet under Mina ärenden:\n{url}',
    en: 'Hello,\n\nThere is a decision on "{service}" ({reference}). Sign in and read the decision under My cases:\n{url}',
  },
  // eng-flow: engine templates of the action kinds (a definition may override them by id, ADR 0014).
  'cases.mail.closed.subject': { sv: 'Ärende {reference} är avslutat', en: 'Case {reference} is closed' },
  'cases.mail.closed.body': {
    sv: 'Hej!\n\nVi har avslutat ärendet om "{service}" ({reference}). Läs vårt meddelande under Mina ärenden:\n{url}',
    en: 'Hello,\n\nWe have closed the case about "{service}" ({reference}). Read our message under My cases:\n{url}',
  },
  'cases.mail.referred.subject': { sv: 'Ärende {reference} har skickats på remiss', en: 'Case {reference} has been referred' },
  'cases.mail.referred.body': {
    sv: 'Hej!\n\nVi har skickat ärendet om "{service}" ({reference}) på remiss till {party}. Vi fortsätter när svaret har kommit in. Följ ärendet under Mina ärenden:\n{url}',
    en: 'Hello,\n\nWe have referred the case about "{service}" ({reference}) to {party}. We continue when their reply has arrived. Follow the case under My cases:\n{url}',
  },
});
