/** Texts of the built-in test e-ID provider's own pages. */
import { defineMessages } from '../../../kernel/i18n/index.ts';

export const testIdpMessages = defineMessages({
  'eid.testIdp.serviceName': { sv: 'Test-e-legitimation', en: 'Test e-ID' },
  'eid.testIdp.loginTitle': { sv: 'Logga in med test-e-legitimation', en: 'Sign in with the test e-ID' },
  'eid.testIdp.intro': {
    sv: 'Det här är en inbyggd testtjänst för e-legitimation i demoläge. Personerna är påhittade och har Skatteverkets testpersonnummer. Använd aldrig riktiga personuppgifter här.',
    en: 'This is a built-in test e-ID service for demo mode. The people are fictional and have the Swedish Tax Agency’s test personal identity numbers. Never use real personal data here.',
  },
  'eid.testIdp.requestedBy': { sv: '{client} vill att du loggar in.', en: '{client} asks you to sign in.' },
  'eid.testIdp.choosePerson': { sv: 'Välj testperson', en: 'Choose a test person' },
  'eid.testIdp.personHint': { sv: 'Personnummer {pin} · {city}', en: 'Personal identity number {pin} · {city}' },
  'eid.testIdp.personHintNoPin': { sv: 'Inget personnummer · {city}', en: 'No personal identity number · {city}' },
  'eid.testIdp.signIn': { sv: 'Logga in', en: 'Sign in' },
  'eid.testIdp.cancel': { sv: 'Avbryt inloggningen', en: 'Cancel signing in' },
  'eid.testIdp.errorSummary': { sv: 'Det finns ett problem', en: 'There is a problem' },
  'eid.testIdp.errorChoose': { sv: 'Välj vilken testperson du vill logga in som', en: 'Choose which test person to sign in as' },
  'eid.testIdp.otherLanguage': { sv: 'In English', en: 'På svenska' },
  'eid.testIdp.logoutTitle': { sv: 'Logga ut från test-e-legitimationen?', en: 'Sign out of the test e-ID?' },
  'eid.testIdp.logoutBody': {
    sv: 'Du har loggat ut från e-tjänsten. Vill du också logga ut från test-e-legitimationen?',
    en: 'You have signed out of the e-service. Do you also want to sign out of the test e-ID?',
  },
  'eid.testIdp.logoutYes': { sv: 'Ja, logga ut', en: 'Yes, sign out' },
  'eid.testIdp.logoutNo': { sv: 'Nej, fortsätt vara inloggad', en: 'No, stay signed in' },
  'eid.testIdp.loggedOutTitle': { sv: 'Du är utloggad', en: 'You are signed out' },
  'eid.testIdp.loggedOutBody': { sv: 'Du är utloggad från test-e-legitimationen.', en: 'You are signed out of the test e-ID.' },
  'eid.testIdp.errorTitle': { sv: 'Inloggningen kunde inte genomföras', en: 'The sign-in could not be completed' },
  'eid.testIdp.errorBody': {
    sv: 'Test-e-legitimationen kunde inte behandla begäran. Gå tillbaka till e-tjänsten och försök logga in igen.',
    en: 'The test e-ID could not process the request. Go back to the e-service and try to sign in again.',
  },
  'eid.testIdp.errorCode': { sv: 'Felkod: {code}', en: 'Error code: {code}' },
});
