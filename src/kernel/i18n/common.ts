/** Texts used by the layout and the kernel's own pages. */
import { defineMessages } from './index.ts';

export const commonMessages = defineMessages({
  'layout.skipToContent': { sv: 'Hoppa till huvudinnehållet', en: 'Skip to main content' },
  'layout.language': { sv: 'In English', en: 'På svenska' },
  'layout.services': { sv: 'E-tjänster', en: 'E-services' },
  'layout.myCases': { sv: 'Mina ärenden', en: 'My cases' },
  'layout.signIn': { sv: 'Logga in', en: 'Sign in' },
  'layout.signOut': { sv: 'Logga ut', en: 'Sign out' },
  'layout.signedInAs': { sv: 'Inloggad som {name}', en: 'Signed in as {name}' },
  'layout.mainNav': { sv: 'Huvudmeny', en: 'Main menu' },
  'layout.footer': { sv: 'Sidfot', en: 'Footer' },
  'layout.accessibility': { sv: 'Tillgänglighetsredogörelse', en: 'Accessibility statement' },
  'layout.privacy': { sv: 'Så hanterar vi personuppgifter', en: 'Privacy notice' },
  'layout.contact': { sv: 'Kontakt', en: 'Contact' },
  'layout.poweredBy': { sv: 'Drivs med Medborg, öppen källkod', en: 'Powered by Medborg, open source' },
  'layout.home': { sv: 'Startsida', en: 'Home' },
  'layout.breadcrumbs': { sv: 'Du är här', en: 'You are here' },
  'layout.staff': { sv: 'Medarbetare', en: 'Staff' },
  'layout.rolesMore': { sv: '{first} och {count} roller till', en: '{first} and {count} more roles' },
  'layout.demoBanner': {
    sv: 'Demoläge: inga riktiga uppgifter. Logga in med en testperson.',
    en: 'Demo mode: no real data. Sign in as a test person.',
  },
  'layout.demoBannerStaff': {
    sv: 'Demoläge: inga riktiga uppgifter. Medarbetarnas lösenord och koder står i README.',
    en: 'Demo mode: no real data. The staff passwords and codes are in the README.',
  },
  'layout.demoResident': { sv: 'E-tjänsterna för invånare', en: 'The e-services for residents' },
  'layout.sessionNotice': {
    sv: 'Du loggas ut efter {minutes} minuter utan aktivitet. Det du har sparat finns kvar, och du fortsätter där du var när du loggar in igen.',
    en: 'You are signed out after {minutes} minutes without activity. What you have saved is kept, and you continue where you were when you sign in again.',
  },
  // The session-timeout warning (kernel/html/enhance.js shows it; {time} is one of the two below).
  'layout.session.warningTitle': { sv: 'Du loggas snart ut', en: 'You will be signed out soon' },
  'layout.session.warningBody': {
    sv: 'Du har inte gjort något på en stund. Om {time} loggas du ut av säkerhetsskäl. Det du har sparat finns kvar.',
    en: 'You have been inactive for a while. In {time} you will be signed out for your security. What you have saved is kept.',
  },
  'layout.session.minute': { sv: 'en minut', en: 'one minute' },
  'layout.session.minutes': { sv: '{minutes} minuter', en: '{minutes} minutes' },
  'layout.session.extend': { sv: 'Fortsätt vara inloggad', en: 'Stay signed in' },
  'layout.session.endedTitle': { sv: 'Du har loggats ut', en: 'You have been signed out' },
  'layout.session.ended': {
    sv: 'Du har loggats ut på grund av inaktivitet. Det du sparat finns kvar.',
    en: 'You have been signed out because you were inactive. What you saved is kept.',
  },
  'layout.session.extendFailed': {
    sv: 'Det gick inte att förlänga inloggningen, så du har loggats ut. Det du sparat finns kvar. Logga in igen för att fortsätta.',
    en: 'Your session could not be extended, so you have been signed out. What you saved is kept. Sign in again to continue.',
  },
  'layout.session.signInAgain': { sv: 'Logga in igen', en: 'Sign in again' },
  'layout.demoMailbox': { sv: 'Skickad e-post', en: 'E-mail sent' },
  'layout.demoStaff': { sv: 'Inloggning för medarbetare', en: 'Staff sign-in' },
  'error.title.403': { sv: 'Du har inte behörighet till sidan', en: 'You do not have access to this page' },
  'error.body.403': {
    sv: 'Sidan finns men du har inte behörighet att se den. Logga in med rätt konto eller gå tillbaka till startsidan.',
    en: 'The page exists but you do not have permission to see it. Sign in with the right account or go back to the home page.',
  },
  'error.title.404': { sv: 'Sidan kunde inte hittas', en: 'Page not found' },
  'error.body.404': {
    sv: 'Kontrollera att adressen är rätt stavad. Om du kopierade adressen, kontrollera att du fick med hela.',
    en: 'If you typed the web address, check it is correct. If you pasted it, check you copied the entire address.',
  },
  'error.title.409': { sv: 'Det gick inte att genomföra', en: 'That could not be done' },
  'error.body.409': {
    sv: 'Det går inte att göra det i ärendets nuvarande läge, kanske för att någon annan just har ändrat det. Ladda om sidan och se vad som har hänt.',
    en: 'That cannot be done in the current state, perhaps because someone else has just changed it. Reload the page to see what has changed.',
  },
  'error.title.419': { sv: 'Formuläret har gått ut', en: 'The form has expired' },
  'error.body.419': {
    sv: 'Av säkerhetsskäl gick formuläret ut. Dina sparade svar finns kvar. Gå tillbaka och skicka igen.',
    en: 'For your security the form expired. Your saved answers are kept. Go back and send it again.',
  },
  'error.title.429': { sv: 'För många försök', en: 'Too many attempts' },
  'error.body.429': {
    sv: 'Du har gjort för många försök på kort tid. Vänta en stund och försök igen.',
    en: 'You have made too many attempts in a short time. Wait a while and try again.',
  },
  'error.title.400': { sv: 'Begäran kunde inte tolkas', en: 'The request could not be understood' },
  'error.body.400': {
    sv: 'Det som skickades gick inte att tolka. Gå tillbaka och försök igen.',
    en: 'What was sent could not be understood. Go back and try again.',
  },
  'error.title.431': { sv: 'Adressen är för lång', en: 'The address is too long' },
  'error.body.431': {
    sv: 'Adressen eller det som skickades med den är längre än vad tjänsten tar emot. Gå tillbaka och försök igen, eller börja om från startsidan.',
    en: 'The address, or what was sent with it, is longer than the service accepts. Go back and try again, or start again from the home page.',
  },
  'error.title.413': { sv: 'Det som skickades är för stort', en: 'What was sent is too large' },
  'error.body.413': {
    sv: 'Det du skickade är större än vad tjänsten tar emot. Gå tillbaka och skicka något mindre.',
    en: 'What you sent is larger than the service accepts. Go back and send something smaller.',
  },
  'error.title.500': { sv: 'Något gick fel hos oss', en: 'Sorry, there is a problem with the service' },
  'error.body.500': {
    sv: 'Ett tekniskt fel uppstod. Det du redan sparat finns kvar. Försök igen om en stund.',
    en: 'A technical error occurred. What you have already saved is kept. Try again later.',
  },
  'error.title.503': { sv: 'Tjänsten är inte tillgänglig just nu', en: 'The service is not available right now' },
  'error.body.503': {
    sv: 'En tjänst som vi hämtar uppgifter från svarar inte. Det du redan sparat finns kvar. Försök igen om en stund.',
    en: 'A service we fetch details from is not answering. What you have already saved is kept. Try again later.',
  },
  'error.title.unknownTenant': { sv: 'Okänd kommun', en: 'Unknown municipality' },
  'error.body.unknownTenant': {
    sv: 'Ingen kommun använder den här adressen i Medborg.',
    en: 'No municipality uses this address in Medborg.',
  },
  'error.reference': { sv: 'Felreferens: {id}', en: 'Error reference: {id}' },
  'error.backHome': { sv: 'Till startsidan', en: 'Go to the home page' },
});
