/** Texts of e-mail verification. */
import { defineMessages } from '../../kernel/i18n/index.ts';

export const emailMessages = defineMessages({
  'email.start.title': { sv: 'Vilken e-postadress vill du använda?', en: 'Which e-mail address do you want to use?' },
  'email.start.hint': {
    sv: 'Vi skickar en kod till adressen. Med koden visar du att adressen är din.',
    en: 'We will send a code to the address. The code shows that the address is yours.',
  },
  'email.start.label': { sv: 'E-postadress', en: 'E-mail address' },
  'email.start.send': { sv: 'Skicka kod', en: 'Send code' },
  'email.code.title': { sv: 'Skriv koden från e-postmeddelandet', en: 'Enter the code from the e-mail' },
  'email.code.hint': { sv: 'Vi har skickat en kod med sex siffror till {email}. Koden gäller i 15 minuter.', en: 'We have sent a six-digit code to {email}. The code is valid for 15 minutes.' },
  'email.code.label': { sv: 'Kod', en: 'Code' },
  'email.code.check': { sv: 'Fortsätt', en: 'Continue' },
  'email.code.again': { sv: 'Skicka en ny kod', en: 'Send a new code' },
  'email.error.address': { sv: 'Skriv en e-postadress i rätt format, till exempel namn@exempel.se', en: 'Enter an e-mail address in the correct format, like name@example.com' },
  'email.error.wrong': {
    sv: 'Koden stämmer inte. Kontrollera siffrorna och försök igen. Du har {left} försök kvar.',
    en: 'The code is not right. Check the digits and try again. You have {left} attempts left.',
  },
  'email.error.empty': { sv: 'Skriv koden med sex siffror', en: 'Enter the six-digit code' },
  'email.error.expired': { sv: 'Koden har slutat gälla. Skicka en ny kod.', en: 'The code has expired. Send a new code.' },
  'email.error.exhausted': {
    sv: 'Du har skrivit fel kod för många gånger. Skicka en ny kod.',
    en: 'You have entered a wrong code too many times. Send a new code.',
  },
  'email.mail.subject': { sv: 'Din kod: {code}', en: 'Your code: {code}' },
  'email.mail.body': {
    sv: 'Din kod för att bekräfta e-postadressen hos {tenant} är {code}.\n\nKoden gäller i 15 minuter. Har du inte bett om en kod kan du bortse från det här meddelandet.',
    en: 'Your code to confirm your e-mail address with {tenant} is {code}.\n\nThe code is valid for 15 minutes. If you did not ask for a code, you can ignore this message.',
  },
  'email.verified': { sv: 'Din e-postadress {email} är bekräftad.', en: 'Your e-mail address {email} is confirmed.' },
});
