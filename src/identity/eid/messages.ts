/** Texts of e-ID sign-in, sign-out and the contact-details page. */
import { defineMessages } from '../../kernel/i18n/index.ts';

export const eidMessages = defineMessages({
  'eid.failed.title': { sv: 'Inloggningen misslyckades', en: 'Signing in failed' },
  'eid.failed.body': {
    sv: 'Vi kunde inte bekräfta inloggningen med din e-legitimation. Inget konto har skapats. Försök igen.',
    en: 'We could not confirm the sign-in with your e-ID. No account has been created. Please try again.',
  },
  'eid.cancelled.title': { sv: 'Du avbröt inloggningen', en: 'You cancelled signing in' },
  'eid.cancelled.body': { sv: 'Du är inte inloggad. Du kan logga in igen när du vill.', en: 'You are not signed in. You can sign in again whenever you like.' },
  'eid.expired.title': { sv: 'Inloggningen tog för lång tid', en: 'Signing in took too long' },
  'eid.expired.body': {
    sv: 'Inloggningen hann gå ut eller startades i ett annat fönster. Börja om från början.',
    en: 'The sign-in expired or was started in another window. Please start again.',
  },
  'eid.noIdentityNumber.title': { sv: 'Inloggningen saknade personnummer', en: 'The sign-in had no personal identity number' },
  'eid.noIdentityNumber.body': {
    sv: 'E-legitimationen skickade inget giltigt svenskt personnummer, och det behövs för kommunens e-tjänster. Inget konto har skapats. Logga in med en e-legitimation som är kopplad till ditt personnummer.',
    en: 'The e-ID did not send a valid Swedish personal identity number, which the municipality’s e-services need. No account has been created. Sign in with an e-ID linked to your personal identity number.',
  },
  'eid.assurance.title': { sv: 'E-legitimationen räcker inte för tjänsten', en: 'The e-ID is not strong enough for this service' },
  'eid.assurance.body': {
    sv: 'Tjänsten kräver en e-legitimation med högre tillitsnivå, till exempel BankID eller Freja+. Inget konto har skapats.',
    en: 'The service needs an e-ID with a higher level of assurance, such as BankID or Freja+. No account has been created.',
  },
  'eid.unavailable.title': { sv: 'E-legitimationen går inte att nå just nu', en: 'The e-ID service cannot be reached right now' },
  'eid.unavailable.body': {
    sv: 'Inloggningen med e-legitimation fungerar inte för tillfället. Försök igen om en stund.',
    en: 'Signing in with an e-ID is not working at the moment. Please try again in a while.',
  },
  'eid.notConfigured.title': { sv: 'Inloggning med e-legitimation finns inte här', en: 'Signing in with an e-ID is not available here' },
  'eid.notConfigured.body': {
    sv: 'Kommunen har inte ställt in någon e-legitimation ännu. Kontakta kommunen om du behöver hjälp.',
    en: 'The municipality has not set up an e-ID service yet. Contact the municipality if you need help.',
  },
  'eid.tryAgain': { sv: 'Försök logga in igen', en: 'Try signing in again' },
  'eid.backHome': { sv: 'Till startsidan', en: 'Go to the home page' },
  'eid.signedOut.title': { sv: 'Du är utloggad', en: 'You are signed out' },
  'eid.signedOut.body': {
    sv: 'Du är utloggad från kommunens e-tjänster. Stäng webbläsaren om du använder en dator som andra också använder.',
    en: 'You are signed out of the municipality’s e-services. Close the browser if you are using a computer that others also use.',
  },
  'eid.signedOut.signInAgain': { sv: 'Logga in igen', en: 'Sign in again' },
  'eid.profile.title': { sv: 'Dina kontaktuppgifter', en: 'Your contact details' },
  'eid.profile.lead': {
    sv: 'Vi använder e-postadressen och telefonnumret för att meddela dig om dina ärenden. Du behöver bara lämna dem en gång; e-tjänsterna fyller i dem åt dig.',
    en: 'We use your e-mail address and phone number to tell you about your cases. You only need to give them once; the e-services fill them in for you.',
  },
  'eid.profile.aboutYou': { sv: 'Uppgifter om dig', en: 'About you' },
  'eid.profile.name': { sv: 'Namn', en: 'Name' },
  'eid.profile.personalNumber': { sv: 'Personnummer', en: 'Personal identity number' },
  'eid.profile.address': { sv: 'Folkbokföringsadress', en: 'Registered address' },
  'eid.profile.fromRegister': {
    sv: 'Namn och personnummer kommer från din e-legitimation, adressen från folkbokföringen. Ändringar gör du hos Skatteverket.',
    en: 'Your name and personal identity number come from your e-ID, your address from the population register. Changes are made with the Swedish Tax Agency.',
  },
  'eid.profile.notInRegister': { sv: 'Finns inte i folkbokföringen', en: 'Not found in the population register' },
  'eid.profile.contactHeading': { sv: 'Hur vi når dig', en: 'How we reach you' },
  'eid.profile.email': { sv: 'E-postadress', en: 'E-mail address' },
  'eid.profile.emailHint': { sv: 'Till exempel namn@exempel.se', en: 'For example name@example.com' },
  'eid.profile.phone': { sv: 'Telefonnummer (frivilligt)', en: 'Phone number (optional)' },
  'eid.profile.phoneHint': { sv: 'Till exempel 070-123 45 67', en: 'For example +46 70 123 45 67' },
  'eid.profile.save': { sv: 'Spara kontaktuppgifter', en: 'Save contact details' },
  'eid.profile.saved': { sv: 'Dina kontaktuppgifter är sparade.', en: 'Your contact details have been saved.' },
  'eid.profile.errorSummary': { sv: 'Det finns ett problem', en: 'There is a problem' },
  'eid.profile.error.emailMissing': { sv: 'Skriv din e-postadress', en: 'Enter your e-mail address' },
  'eid.profile.error.emailInvalid': {
    sv: 'Skriv e-postadressen i rätt format, till exempel namn@exempel.se',
    en: 'Enter the e-mail address in the correct format, like name@example.com',
  },
  'eid.profile.error.phoneInvalid': {
    sv: 'Skriv telefonnumret med 7–15 siffror, till exempel 070-123 45 67',
    en: 'Enter the phone number with 7 to 15 digits, like +46 70 123 45 67',
  },
});
