/** Co-signing's texts: the request, the answers, the history, the pages (sv and en, ADR 0016). */
import { defineMessages } from '../kernel/i18n/index.ts';

export const coSignMessages = defineMessages({
  // E-mails. None names a person: either party may have a protected identity.
  'cosign.mail.request.subject': { sv: 'Du behöver godkänna {service} ({reference})', en: 'Your approval is needed: {service} ({reference})' },
  'cosign.mail.request.body': {
    sv: 'Hej!\n\n{service} för {subject} ({reference}) behöver ditt godkännande innan det kan handläggas. Logga in med e-legitimation och svara under Mina ärenden senast {due}:\n{url}\n\nDet här mejlet går inte att svara på.',
    en: 'Hello,\n\n{service} for {subject} ({reference}) needs your approval before it can be handled. Sign in with your e-ID and answer under My cases by {due}:\n{url}\n\nPlease do not reply to this e-mail.',
  },
  'cosign.mail.approved.subject': { sv: 'Godkänt: {reference}', en: 'Approved: {reference}' },
  'cosign.mail.approved.body': {
    sv: 'Hej!\n\n{signer} har godkänt "{service}" ({reference}). Ärendet går nu vidare till handläggning. Du kan följa det under Mina ärenden:\n{url}',
    en: 'Hello,\n\n{signer} has approved "{service}" ({reference}). The case now goes on to be handled. You can follow it under My cases:\n{url}',
  },
  'cosign.mail.rejected.subject': { sv: 'Inte godkänt: {reference}', en: 'Not approved: {reference}' },
  'cosign.mail.rejected.body': {
    sv: 'Hej!\n\n{signer} har inte godkänt "{service}" ({reference}), så ärendet kommer inte att handläggas. Läs mer under Mina ärenden:\n{url}',
    en: 'Hello,\n\n{signer} has not approved "{service}" ({reference}), so the case will not be handled. Read more under My cases:\n{url}',
  },
  'cosign.mail.expired.subject': { sv: 'Inte godkänt i tid: {reference}', en: 'Not approved in time: {reference}' },
  'cosign.mail.expired.body': {
    sv: 'Hej!\n\n{signer} godkände inte "{service}" ({reference}) före sista dagen, så ärendet kommer inte att handläggas. Du kan göra en ny ansökan när ni är överens:\n{url}',
    en: 'Hello,\n\n{signer} did not approve "{service}" ({reference}) by the last day, so the case will not be handled. You can apply again when you agree:\n{url}',
  },
  'cosign.signer': { sv: 'Den andra personen', en: 'The other person' },
  'cosign.signer.lower': { sv: 'den andra personen', en: 'the other person' },
  // History (timeline) entries.
  'event.co_sign_requested': { sv: 'Väntar på godkännande från {signer}', en: 'Waiting for approval from {signer}' },
  'event.co_sign_approved': { sv: 'Godkänd av {signer}', en: 'Approved by {signer}' },
  'event.co_sign_rejected': { sv: 'Inte godkänd av {signer}', en: 'Not approved by {signer}' },
  'event.co_sign_expired': { sv: 'Tiden för godkännande gick ut', en: 'The time to approve ran out' },
  // The co-signer's page.
  'cosign.section.title': { sv: 'Godkännande', en: 'Approval' },
  'cosign.ask.title': { sv: 'Godkänner du det här?', en: 'Do you approve this?' },
  'cosign.ask.intro': {
    sv: 'Du är {signer} och ärendet behöver ditt godkännande innan det kan handläggas. Läs svaren nedan. Svara senast {due}.',
    en: 'You are {signer} and the case needs your approval before it can be handled. Read the answers below. Answer by {due}.',
  },
  'cosign.ask.legend': { sv: 'Ditt svar', en: 'Your answer' },
  'cosign.ask.approve': { sv: 'Ja, jag godkänner', en: 'Yes, I approve' },
  'cosign.ask.reject': { sv: 'Nej, jag godkänner inte', en: 'No, I do not approve' },
  'cosign.ask.reason': { sv: 'Varför godkänner du inte? (frivilligt)', en: 'Why do you not approve? (optional)' },
  'cosign.ask.reasonHint': { sv: 'Den som ansökte och handläggaren kan läsa det du skriver.', en: 'The applicant and the case officer can read what you write.' },
  'cosign.ask.submit': { sv: 'Skicka svar', en: 'Send answer' },
  'cosign.error.answer': { sv: 'Välj om du godkänner eller inte', en: 'Select whether you approve or not' },
  'cosign.error.reason': { sv: 'Skälet får vara högst {max} tecken', en: 'The reason must be {max} characters or fewer' },
  'cosign.done.approved': { sv: 'Tack! Du har godkänt. Ärendet går nu vidare till handläggning.', en: 'Thank you. You have approved. The case now goes on to be handled.' },
  'cosign.done.rejected': { sv: 'Du har svarat att du inte godkänner. Den som ansökte får veta det.', en: 'You have answered that you do not approve. The applicant is told.' },
  'cosign.done.closed': { sv: 'Frågan om godkännande är redan avgjord.', en: 'The request for approval has already been settled.' },
  'cosign.status.pending': { sv: 'Väntar på svar, senast {due}', en: 'Waiting for an answer, by {due}' },
  'cosign.status.approved': { sv: 'Godkänt {date}', en: 'Approved {date}' },
  'cosign.status.rejected': { sv: 'Inte godkänt {date}', en: 'Not approved {date}' },
  'cosign.status.expired': { sv: 'Inte besvarat i tid ({date})', en: 'Not answered in time ({date})' },
  'cosign.reason': { sv: 'Skäl', en: 'Reason' },
  'cosign.howToAsk': {
    sv: '{signer} behöver godkänna senast {due}. Be hen logga in med e-legitimation på {site} och gå till Mina ärenden.',
    en: '{signer} needs to approve by {due}. Ask them to sign in with their e-ID at {site} and go to My cases.',
  },
  'cosign.emailed': {
    sv: 'Vi har skickat e-post till {signer} och bett om ett godkännande senast {due}.',
    en: 'We have e-mailed {signer} asking for approval by {due}.',
  },
  'cosign.waitingForYou': { sv: 'Väntar på ditt godkännande', en: 'Waiting for your approval' },
  'cosign.staff.protected': { sv: 'Skyddad identitet – visa inte uppgifterna för andra parter', en: 'Protected identity – do not show the details to other parties' },
  'cosign.staff.signer': { sv: 'Medsökande', en: 'Co-signer' },
  'cosign.protectedParty': { sv: 'Uppgifterna är skyddade', en: 'The details are protected' },
});
