/** The texts of renewal (ADR 0047), in Swedish and English: the place's end on the case page, renewing, its e-mails. */
import { defineMessages } from '../kernel/i18n/index.ts';

export const renewalMessages = defineMessages({
  'queue.renewal.until': { sv: 'Din plats i kön gäller till och med {date}.', en: 'Your place in the queue lasts until {date}.' },
  'queue.renewal.untilStaff': { sv: 'Platsen i kön gäller till och med {date}.', en: 'The place in the queue lasts until {date}.' },
  'queue.renewal.overdue': {
    sv: 'Din plats gick ut {date}. Förnya den senast {lastDay}, annars lämnar ansökan kön.',
    en: 'Your place ran out on {date}. Renew it by {lastDay}, or the application leaves the queue.',
  },
  'queue.renewal.openFrom': { sv: 'Du kan förnya den från och med {date}.', en: 'You can renew it from {date}.' },
  'queue.renewal.fee': { sv: 'Att förnya kostar {amount}.', en: 'Renewing costs {amount}.' },
  'queue.renewal.submit': { sv: 'Förnya din plats i kön', en: 'Renew your place in the queue' },
  'queue.renewal.submitFee': { sv: 'Förnya och betala {amount}', en: 'Renew and pay {amount}' },
  'queue.renewal.done': { sv: 'Din plats i kön är förnyad', en: 'Your place in the queue has been renewed' },
  'queue.renewal.notNow': {
    sv: 'Platsen kan inte förnyas nu: den är redan förnyad, det är inte tid ännu, eller ansökan står inte längre i kön.',
    en: 'The place cannot be renewed now: it has already been renewed, it is not yet time, or the application no longer stands in the queue.',
  },
  'queue.renewal.title': { sv: 'Förnya din plats i kön', en: 'Renew your place in the queue' },
  'event.queue_renewed': { sv: 'Platsen i kön förnyades', en: 'The place in the queue was renewed' },
  'event.queue_renewal_lapsed': { sv: 'Platsen i kön gick ut utan att förnyas', en: 'The place in the queue ran out without being renewed' },
  'queue.renewal.mail.subject': { sv: 'Din plats i kön är förnyad – {reference}', en: 'Your place in the queue has been renewed – {reference}' },
  'queue.renewal.mail.body': {
    sv: 'Hej!\n\nDin plats i kön ({service}) är förnyad och gäller nu till och med {until}. Ködatumet är kvar. Ärendet finns under Mina ärenden: {url}',
    en: 'Hello,\n\nYour place in the queue ({service}) has been renewed and now lasts until {until}. Your queue date stays. The case is under My cases: {url}',
  },
  'event.queue_renewal_reminded': { sv: 'Påminnelse om att förnya platsen i kön skickades', en: 'A reminder to renew the place in the queue was sent' },
  'queue.renewal.reminder.fee': { sv: ' Att förnya kostar {amount}.', en: ' Renewing costs {amount}.' },
  'queue.renewal.reminder.mail.subject': { sv: 'Dags att förnya din plats i kön – {reference}', en: 'Time to renew your place in the queue – {reference}' },
  'queue.renewal.reminder.mail.body': {
    sv: 'Hej!\n\nDin plats i kön ({service}) gäller till och med {until}. Förnya den senast {lastDay} så behåller du ditt ködatum; annars lämnar ansökan kön.{fee} Du förnyar på ärendets sida under Mina ärenden: {url}',
    en: 'Hello,\n\nYour place in the queue ({service}) lasts until {until}. Renew it by {lastDay} to keep your queue date; otherwise the application leaves the queue.{fee} You renew on the case page under My cases: {url}',
  },
  'queue.renewal.lapsed.mail.subject': { sv: 'Din plats i kön har gått ut – {reference}', en: 'Your place in the queue has run out – {reference}' },
  'queue.renewal.lapsed.mail.body': {
    sv: 'Hej!\n\nDin plats i kön ({service}) gällde till och med {until} och förnyades inte, så ansökan står inte längre i kön. Du kan ställa dig i kön igen, men med ett nytt ködatum: {url}',
    en: 'Hello,\n\nYour place in the queue ({service}) lasted until {until} and was not renewed, so the application no longer stands in the queue. You can join the queue again, with a new queue date: {url}',
  },
});
