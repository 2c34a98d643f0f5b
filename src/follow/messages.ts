/** Texts of the private follow pages. */
import { defineMessages } from '../kernel/i18n/index.ts';

export const followMessages = defineMessages({
  'follow.title': { sv: 'Ditt ärende {reference}', en: 'Your case {reference}' },
  'follow.intro': {
    sv: 'Den här sidan visar hur det går med ärendet. Länken är personlig: den som har den kan läsa ärendet och skriva till oss. Dela den inte.',
    en: 'This page shows how the case is going. The link is personal: whoever has it can read the case and write to us. Do not share it.',
  },
  'follow.mine.title': { sv: 'Dina ärenden', en: 'Your cases' },
  'follow.mine.intro': { sv: 'Ärenden där du har lämnat e-postadressen {email}.', en: 'Cases where you gave the e-mail address {email}.' },
  'follow.mine.none': { sv: 'Du har inga ärenden med den här e-postadressen.', en: 'You have no cases with this e-mail address.' },
  'follow.sent': { sv: 'Meddelandet är skickat.', en: 'Your message has been sent.' },
  'follow.confirmation.title': { sv: 'Följ ärendet med din personliga länk', en: 'Follow the case with your personal link' },
  'follow.confirmation.body': {
    sv: 'Spara länken. Med den ser du vad som händer i ärendet och kan skriva till oss, utan att logga in. Den som har länken kan läsa ärendet, så dela den inte.',
    en: 'Keep the link. With it you see what happens in the case and can write to us, without signing in. Whoever has the link can read the case, so do not share it.',
  },
  'follow.mail.subject': { sv: 'Vi har tagit emot ditt ärende {reference}', en: 'We have received your case {reference}' },
  'follow.mail.body': {
    sv: 'Tack! Vi har tagit emot ditt ärende {reference} ({service}).\n\nHär ser du hur det går och kan skriva till oss:\n{url}\n\nLänken är personlig. Dela den inte.',
    en: 'Thank you! We have received your case {reference} ({service}).\n\nHere you can see how it is going and write to us:\n{url}\n\nThe link is personal. Do not share it.',
  },
});
