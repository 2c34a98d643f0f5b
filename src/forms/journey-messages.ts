/**
 * Texts of the journey's guards and pages around the steps: who cannot apply and why, an open case
 * for the same subject, the saved-draft page, the page after a session ended, and the notices that
 * say why the form moved someone. {matter}, {TheMatter}, {yourMatter}: the service's matter words.
 */
import { defineMessages } from '../kernel/i18n/index.ts';

defineMessages({
  // Eligibility: checked on the service page and at the start, before any draft.
  'forms.ineligible.title': { sv: 'Du kan inte använda den här e-tjänsten', en: 'You cannot use this service' },
  'forms.ineligible.noChildren': {
    sv: 'Enligt folkbokföringen är du inte vårdnadshavare för något barn. E-tjänsten gäller barn som du är vårdnadshavare för.',
    en: 'According to the population register you are not the custodian of any child. The service is for children you are the custodian of.',
  },
  'forms.ineligible.tooOld': {
    sv: 'Enligt folkbokföringen har du inget barn som är {max} år eller yngre. E-tjänsten gäller bara barn till och med {max} års ålder.',
    en: 'According to the population register you have no child aged {max} or younger. The service is only for children up to the age of {max}.',
  },
  // A child field's ages (ADR 0030): no child of the register is inside them.
  'forms.ineligible.childAges': {
    sv: 'Enligt folkbokföringen har du inget barn som är {min}–{max} år. E-tjänsten gäller bara barn i den åldern.',
    en: 'According to the population register you have no child aged {min} to {max}. The service is only for children of that age.',
  },
  'forms.ineligible.childAgesYear': {
    sv: 'Enligt folkbokföringen har du inget barn som fyller {min}–{max} år i år. E-tjänsten gäller bara barn som fyller så många år i år.',
    en: 'According to the population register you have no child who turns {min} to {max} this year. The service is only for children of that age.',
  },
  'forms.ineligible.childMin': {
    sv: 'Enligt folkbokföringen har du inget barn som har fyllt {min} år. E-tjänsten gäller bara barn från {min} års ålder.',
    en: 'According to the population register you have no child aged {min} or older. The service is only for children from the age of {min}.',
  },
  'forms.ineligible.childMinYear': {
    sv: 'Enligt folkbokföringen har du inget barn som fyller {min} år eller mer i år. E-tjänsten gäller bara barn som fyller minst {min} år i år.',
    en: 'According to the population register you have no child who turns {min} or more this year. The service is only for children who turn at least {min} this year.',
  },
  'forms.ineligible.tooOldYear': {
    sv: 'Enligt folkbokföringen har du inget barn som fyller {max} år eller mindre i år. E-tjänsten gäller bara barn som fyller högst {max} år i år.',
    en: 'According to the population register you have no child who turns {max} or less this year. The service is only for children who turn at most {max} this year.',
  },
  // The applicant's own age, from their e-ID (ADR 0030): {age} is theirs, counted as the rule counts.
  'forms.ineligible.age': {
    sv: 'E-tjänsten är för dig som är {min}–{max} år. Enligt ditt personnummer är du {age} år.',
    en: 'The service is for people aged {min} to {max}. According to your personal identity number you are {age}.',
  },
  'forms.ineligible.ageMin': {
    sv: 'E-tjänsten är för dig som har fyllt {min} år. Enligt ditt personnummer är du {age} år.',
    en: 'The service is for people aged {min} or over. According to your personal identity number you are {age}.',
  },
  'forms.ineligible.ageMax': {
    sv: 'E-tjänsten är för dig som är högst {max} år. Enligt ditt personnummer är du {age} år.',
    en: 'The service is for people aged {max} or under. According to your personal identity number you are {age}.',
  },
  'forms.ineligible.ageYear': {
    sv: 'E-tjänsten är för dig som fyller {min}–{max} år i år. Enligt ditt personnummer fyller du {age} år i år.',
    en: 'The service is for people who turn {min} to {max} this year. According to your personal identity number you turn {age} this year.',
  },
  'forms.ineligible.ageMinYear': {
    sv: 'E-tjänsten är för dig som fyller {min} år eller mer i år. Enligt ditt personnummer fyller du {age} år i år.',
    en: 'The service is for people who turn {min} or more this year. According to your personal identity number you turn {age} this year.',
  },
  'forms.ineligible.ageMaxYear': {
    sv: 'E-tjänsten är för dig som fyller högst {max} år i år. Enligt ditt personnummer fyller du {age} år i år.',
    en: 'The service is for people who turn {max} or less this year. According to your personal identity number you turn {age} this year.',
  },
  'forms.ineligible.ageRegister': {
    sv: 'Åldern räknas från födelsedatumet i ditt personnummer. Har du frågor om vem som kan ansöka kan du kontakta oss.',
    en: 'The age is counted from the date of birth in your personal identity number. If you have questions about who can apply, contact us.',
  },
  'forms.ineligible.whatNow': { sv: 'Vad du kan göra', en: 'What you can do' },
  'forms.ineligible.register': {
    sv: 'Stämmer inte uppgifterna i folkbokföringen? Kontakta Skatteverket, som för folkbokföringen. När uppgifterna är rättade kan du ansöka här.',
    en: 'Is the population register wrong? Contact the Swedish Tax Agency (Skatteverket), which keeps it. Once it is corrected you can apply here.',
  },
  'forms.ineligible.contact': { sv: 'Kontakta {tenant} om du har frågor', en: 'Contact {tenant} if you have questions' },
  'forms.ineligible.others': { sv: 'Se alla e-tjänster', en: 'See all services' },
  // Duplicates: an open case of the same service for the same subject.
  'forms.duplicate.title': { sv: 'Det finns redan en öppen {matter} för {subject}', en: 'There is already an open {matter} for {subject}' },
  'forms.duplicate.warn': {
    sv: 'Du kan skicka en ny ändå, men kontrollera först att den inte gäller samma sak. Vill du ändra något i den du redan har skickat kan du skriva ett meddelande i ärendet.',
    en: 'You can still send a new one, but first check that it is not about the same thing. To change something in the one already sent, write a message in that case.',
  },
  'forms.duplicate.refuse': {
    sv: 'Du kan inte skicka en ny förrän den är avslutad. Vill du ändra något kan du skriva ett meddelande i ärendet.',
    en: 'You cannot send a new one until it is closed. To change something, write a message in that case.',
  },
  'forms.duplicate.refuseOther': {
    sv: 'Den skickades av någon annan, till exempel den andra vårdnadshavaren. Du kan inte skicka en ny förrän den är avslutad.',
    en: 'It was sent by someone else, for example the other custodian. You cannot send a new one until it is closed.',
  },
  'forms.duplicate.open': { sv: 'Öppna ärende {reference}', en: 'Open case {reference}' },
  'forms.duplicate.error': { sv: 'Det finns redan en öppen {matter} för {subject} ({reference}). Välj en annan eller vänta tills den är avslutad.', en: 'There is already an open {matter} for {subject} ({reference}). Choose another or wait until it is closed.' },
  'forms.duplicate.errorOther': { sv: 'Det finns redan en öppen {matter} för {subject}. Välj en annan eller vänta tills den är avslutad.', en: 'There is already an open {matter} for {subject}. Choose another or wait until it is closed.' },
  // Save and continue later.
  'forms.saved.title': { sv: '{TheMatter} är sparad', en: 'Your {matter} is saved' },
  'forms.saved.resident': {
    sv: 'Du hittar den under Mina ärenden, bland påbörjade. Där väljer du ”Fortsätt” och kommer till den första frågan du inte har svarat på.',
    en: 'You will find it under My cases, among those started. Choose "Continue" there and you come to the first question you have not answered.',
  },
  'forms.saved.anonymous': {
    sv: 'Den är sparad i den här webbläsaren, utan inloggning. Öppna e-tjänsten igen i samma webbläsare för att fortsätta. Stänger du webbläsaren eller är borta länge kan svaren inte hämtas igen.',
    en: 'It is saved in this browser, without signing in. Open the service again in the same browser to continue. If you close the browser or stay away long, the answers cannot be fetched again.',
  },
  'forms.saved.expires': { sv: 'Skickar du den inte tas den bort {date}.', en: 'If you do not send it, it is deleted on {date}.' },
  'forms.saved.myCases': { sv: 'Till Mina ärenden', en: 'Go to My cases' },
  'forms.saved.continue': { sv: 'Fortsätt nu', en: 'Continue now' },
  // Why the form moved someone to this step.
  'forms.moved.unfinished': { sv: 'Svara på frågorna på den här sidan först', en: 'Answer the questions on this page first' },
  'forms.moved.unfinishedBody': {
    sv: 'Du har inte svarat på allt här än. Dina andra svar är sparade, och du kommer vidare när den här sidan är klar.',
    en: 'You have not answered everything here yet. Your other answers are saved, and you go on once this page is done.',
  },
  'forms.moved.resumed': { sv: 'Du fortsätter där du slutade', en: 'You continue where you left off' },
  'forms.moved.resumedBody': { sv: 'Det här är den första frågan du inte har svarat på. Dina tidigare svar är sparade.', en: 'This is the first question you have not answered. Your earlier answers are saved.' },
  'forms.check.notAccepted': { sv: 'Inte godkänt: {message}', en: 'Not accepted: {message}' },
  // The session ended.
  'forms.ended.title': { sv: 'Du har blivit utloggad', en: 'You have been signed out' },
  'forms.ended.body': {
    sv: 'Du var inaktiv för länge, så vi loggade ut dig för att skydda dina uppgifter. Svaren du redan hade sparat finns kvar.',
    en: 'You were inactive for too long, so we signed you out to protect your information. The answers you had already saved are kept.',
  },
  'forms.ended.kept': {
    sv: 'Det du skrev på sidan du skickade har vi också sparat. Logga in igen så kommer du tillbaka till samma sida med svaren ifyllda. Kontrollera dem och välj Fortsätt.',
    en: 'What you wrote on the page you sent is kept too. Sign in again and you return to the same page with the answers filled in. Check them and choose Continue.',
  },
  'forms.ended.notKept': {
    sv: 'Det du skrev på sidan du skickade kunde inte sparas (filer sparas aldrig utan inloggning). Logga in igen så kommer du tillbaka till samma sida – fyll i den igen.',
    en: 'What you wrote on the page you sent could not be kept (files are never kept without signing in). Sign in again and you return to the same page – fill it in again.',
  },
  'forms.ended.anonymous': {
    sv: 'Började du utan e-legitimation var svaren knutna till den tidigare sessionen, och de kan inte hämtas igen. Då behöver du börja om.',
    en: 'If you started without e-ID, the answers belonged to the earlier session and cannot be fetched again. Then you need to start again.',
  },
  'forms.ended.signIn': { sv: 'Logga in igen', en: 'Sign in again' },
  'forms.ended.restored': { sv: 'Svaren du skrev innan du loggades ut är ifyllda', en: 'The answers you wrote before you were signed out are filled in' },
  'forms.ended.restoredBody': { sv: 'De är inte sparade än. Kontrollera dem och välj Fortsätt.', en: 'They are not saved yet. Check them and choose Continue.' },
});

// Applying for someone one represents (ADR 0033, representation.tsx).
defineMessages({
  'forms.representation.title': { sv: 'Vem gäller ansökan?', en: 'Who is the application for?' },
  'forms.representation.hint': {
    sv: 'Enligt registret över gode män, förvaltare och fullmakter kan du ansöka för någon du företräder.',
    en: 'According to the register of trustees (gode män), administrators (förvaltare) and powers of attorney, you can apply for someone you represent.',
  },
  'forms.representation.self': { sv: 'Mig själv', en: 'Myself' },
  'forms.representation.as': { sv: 'Du är {capacity}.', en: 'You are their {capacity}.' },
  'forms.representation.asUntil': { sv: 'Du är {capacity} till och med {until}.', en: 'You are their {capacity} until {until}.' },
  'forms.representation.capacity.godman': { sv: 'god man', en: 'trustee (god man)' },
  'forms.representation.capacity.forvaltare': { sv: 'förvaltare', en: 'administrator (förvaltare)' },
  'forms.representation.capacity.fullmakt': { sv: 'ombud med fullmakt', en: 'attorney (power of attorney)' },
  'forms.representation.cannot': { sv: 'Du kan inte ansöka för', en: 'You cannot apply for' },
  'forms.representation.unusable.kind': {
    sv: '{name}: den här e-tjänsten tar inte emot ansökningar från {capacity}. Kontakta kommunen.',
    en: '{name}: this service does not take applications from an {capacity}. Contact the municipality.',
  },
  'forms.representation.unusable.notYetStarted': { sv: '{name}: ditt uppdrag som {capacity} börjar gälla {from}.', en: '{name}: your appointment as {capacity} starts on {from}.' },
  'forms.representation.unusable.ended': { sv: '{name}: ditt uppdrag som {capacity} gällde till och med {until}.', en: '{name}: your appointment as {capacity} ended on {until}.' },
  'forms.representation.unusable.outOfScope': {
    sv: '{name}: din fullmakt gäller inte den här sortens ärenden.',
    en: '{name}: your power of attorney does not cover this kind of matter.',
  },
  'forms.representation.error.choose': { sv: 'Välj vem ansökan gäller', en: 'Select who the application is for' },
  'forms.representation.error.notRepresented': {
    sv: 'Du kan inte ansöka för den personen. Registret över gode män, förvaltare och fullmakter visar inget uppdrag som gäller den här e-tjänsten i dag.',
    en: 'You cannot apply for that person. The register of trustees, administrators and powers of attorney shows no appointment that covers this service today.',
  },
  'forms.representation.ended.title': { sv: 'Du kan inte längre skicka ansökan för {name}', en: 'You can no longer send the application for {name}' },
  'forms.representation.ended.body': {
    sv: 'Enligt registret över gode män, förvaltare och fullmakter företräder du inte längre {name} i den här sortens ärenden. Ansökan har inte skickats. Kontakta kommunen om du tycker att det är fel.',
    en: 'According to the register of trustees, administrators and powers of attorney you no longer represent {name} in this kind of matter. The application has not been sent. Contact the municipality if you think this is wrong.',
  },
  'forms.representation.onBehalf': { sv: 'Du ansöker för {name} som {capacity}.', en: 'You are applying for {name} as their {capacity}.' },
});
