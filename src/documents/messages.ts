import { defineMessages } from '../kernel/i18n/index.ts';

export const documentMessages = defineMessages({
  'documents.receipt.title': { sv: 'Kvitto: {service}', en: 'Receipt: {service}' },
  'documents.receipt.intro': {
    sv: 'Vi har tagit emot {yourMatter} {date}. Spara kvittot; ange referensnumret om du kontaktar oss.',
    en: 'We received {yourMatter} on {date}. Keep this receipt; quote the reference number if you contact us.',
  },
  'documents.receipt.answers': { sv: 'Dina svar', en: 'Your answers' },
  'documents.receipt.applicant': { sv: 'Sökande', en: 'Applicant' },
  'documents.receipt.reference': { sv: 'Referensnummer', en: 'Reference number' },
  'documents.receipt.next': { sv: 'Vad händer nu', en: 'What happens next' },
  'documents.letter.title': { sv: 'Beslut: {service}', en: 'Decision: {service}' },
  'documents.letter.decision': { sv: 'Beslut', en: 'Decision' },
  'documents.letter.details': { sv: 'Uppgifter i beslutet', en: 'Details of the decision' },
  'documents.letter.decidedBy': { sv: 'Beslutet är fattat av {name}, {department}.', en: 'The decision was made by {name}, {department}.' },
  'documents.letter.appeal': { sv: 'Om du vill överklaga', en: 'If you want to appeal' },
  'documents.letter.appealText': {
    sv: 'Du kan överklaga beslutet. Skriv till kommunen inom tre veckor från den dag du fick del av beslutet. Ange beslutet du överklagar, referensnumret och vilken ändring du vill ha.',
    en: 'You can appeal the decision. Write to the municipality within three weeks of the day you received it. State the decision you appeal, the reference number and the change you want.',
  },
  'documents.footer': {
    sv: '{tenant} · {address} · {phone} · {email}. Dokumentet är framställt i Medborg och gäller utan underskrift.',
    en: '{tenant} · {address} · {phone} · {email}. This document was produced in Medborg and is valid without a signature.',
  },
});
