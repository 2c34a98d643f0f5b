import { defineMessages } from '../kernel/i18n/index.ts';

export const documentMessages = defineMessages({
  'documents.receipt.title': { sv: 'Kvitto: {service}', en: 'Receipt: {service}' },
  'documents.receipt.intro': {
    sv: 'Vi har tagit emot {yourMatter} {date}. Spara kvittot; ange referensnumret om du kontaktar oss.',
    en: 'We received {yourMatter} on {date}. Keep this receipt; quote the reference number if you contact us.',
  },
  'documents.receipt.answers': { sv: 'Dina svar', en: 'Your answers' },
  'documents.receipt.applicant': { sv: 'Sökande', en: 'Applicant' },
  // A person who applied through a god man, förvaltare or attorney (ADR 0033).
  'documents.receipt.representative': { sv: 'Genom', en: 'Through' },
  'documents.receipt.representedBy': { sv: '{name}, {capacity}', en: '{name}, {capacity}' },
  'documents.letter.careOf': { sv: 'c/o {name}, {capacity}', en: 'c/o {name}, {capacity}' },
  'documents.receipt.reference': { sv: 'Referensnummer', en: 'Reference number' },
  'documents.receipt.next': { sv: 'Vad händer nu', en: 'What happens next' },
  'documents.letter.title': { sv: 'Beslut: {service}', en: 'Decision: {service}' },
  'documents.letter.decision': { sv: 'Beslut', en: 'Decision' },
  'documents.letter.details': { sv: 'Uppgifter i beslutet', en: 'Details of the decision' },
  'documents.letter.decidedBy': { sv: 'Beslutet är fattat av {name}, {department}.', en: 'The decision was made by {name}, {department}.' },
  // ADR 0029: the appeal section per route: its heading and text unless the definition words its own.
  // {decider} where no committee is configured (catalogue check refuses that; a letter still reads).
  'documents.appeal.deciderUnknown': { sv: 'kommunen', en: 'the municipality' },
  'documents.appeal.ordinary.heading': { sv: 'Hur man överklagar', en: 'How to appeal' },
  'documents.appeal.ordinary.text': {
    sv: 'Du kan överklaga beslutet hos förvaltningsrätten. Skicka överklagandet till kommunen; det ska ha kommit in inom tre veckor från den dag du fick del av beslutet. Skriv vilket beslut du överklagar och ange referensnumret, vilken ändring du vill ha och varför. Kommunen prövar först om beslutet ska ändras och skickar annars överklagandet vidare till förvaltningsrätten.',
    en: 'You can appeal the decision to the administrative court. Send the appeal to the municipality; it must arrive within three weeks of the day you received the decision. Say which decision you appeal, with its reference number, the change you want and why. The municipality first considers whether to change the decision, and otherwise forwards the appeal to the administrative court.',
  },
  'documents.appeal.legality.heading': { sv: 'Laglighetsprövning', en: 'Review of legality (laglighetsprövning)' },
  'documents.appeal.legality.text': {
    sv: 'Beslutet kan inte överklagas med förvaltningsbesvär. Alla som är medlemmar i kommunen kan däremot begära att förvaltningsrätten prövar om beslutet har kommit till på ett lagligt sätt (laglighetsprövning enligt 13 kap. kommunallagen). Skicka överklagandet direkt till förvaltningsrätten; det ska ha kommit in inom tre veckor från den dag då kommunen tillkännagav på sin anslagstavla att protokollet med beslutet har justerats. Förvaltningsrätten prövar bara om beslutet är lagligt, inte om det är lämpligt, och kan upphäva beslutet men inte ersätta det med ett annat.',
    en: 'The decision cannot be appealed on its merits. Anyone who is a member of the municipality may, however, ask the administrative court to review whether the decision was made lawfully (review of legality under chapter 13 of the Local Government Act). Send the appeal directly to the administrative court; it must arrive within three weeks of the day the municipality announced on its official notice board that the minutes with the decision had been approved. The court only reviews whether the decision is lawful, not whether it is appropriate, and can set the decision aside but not replace it with another.',
  },
  'documents.appeal.authority.heading': { sv: 'Hur man överklagar', en: 'How to appeal' },
  'documents.appeal.authority.text': {
    sv: 'Du kan överklaga beslutet hos {authority}. Skicka överklagandet till kommunen; det ska ha kommit in inom tre veckor från den dag du fick del av beslutet. Skriv vilket beslut du överklagar och ange referensnumret, vilken ändring du vill ha och varför. Kommunen prövar först om beslutet ska ändras och skickar annars överklagandet vidare till {authority}.',
    en: 'You can appeal the decision to {authority}. Send the appeal to the municipality; it must arrive within three weeks of the day you received the decision. Say which decision you appeal, with its reference number, the change you want and why. The municipality first considers whether to change the decision, and otherwise forwards the appeal to {authority}.',
  },
  'documents.appeal.none.heading': { sv: 'Beslutet kan inte överklagas', en: 'This decision cannot be appealed' },
  'documents.appeal.none.text': {
    sv: 'Det finns ingen möjlighet att överklaga det här beslutet. Har du frågor om beslutet, eller har något ändrats, är du välkommen att kontakta oss.',
    en: 'There is no way to appeal this decision. If you have questions about it, or something has changed, you are welcome to contact us.',
  },
  'documents.footer': {
    sv: '{tenant} · {address} · {phone} · {email}. Dokumentet är framställt i Medborg och gäller utan underskrift.',
    en: '{tenant} · {address} · {phone} · {email}. This document was produced in Medborg and is valid without a signature.',
  },
});
