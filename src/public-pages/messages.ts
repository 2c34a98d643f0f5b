import { defineMessages } from '../kernel/i18n/index.ts';

export const publicPageMessages = defineMessages({
  'home.title': { sv: 'E-tjänster i {tenant}', en: 'E-services in {tenant}' },
  'home.lead': {
    sv: 'Här ansöker du, bokar, anmäler och följer dina ärenden hos kommunen – när det passar dig.',
    en: 'Apply, book, report and follow your cases with the municipality – whenever it suits you.',
  },
  'home.allServices': { sv: 'Alla e-tjänster', en: 'All e-services' },
  'home.mostUsed': { sv: 'Mest använda e-tjänster', en: 'Most used e-services' },
  'home.areas': { sv: 'E-tjänster efter område', en: 'E-services by area' },
  'home.areaCountOne': { sv: '(1 e-tjänst)', en: '(1 e-service)' },
  'home.areaCount': { sv: '({count} e-tjänster)', en: '({count} e-services)' },
  'home.myCases': { sv: 'Se dina ärenden', en: 'See your cases' },
  'home.myCasesBody': {
    sv: 'Logga in med e-legitimation för att se hur det går med det du har skickat in.',
    en: 'Sign in with your e-ID to see how things you have sent in are progressing.',
  },
  'a11y.title': { sv: 'Tillgänglighetsredogörelse', en: 'Accessibility statement' },
  'a11y.intro': {
    sv: '{tenant} står bakom den här webbplatsen. Vi vill att så många som möjligt ska kunna använda den. Här beskriver vi hur webbplatsen uppfyller lagen om tillgänglighet till digital offentlig service, kända brister och hur du kan rapportera problem.',
    en: '{tenant} is responsible for this website. We want as many people as possible to be able to use it. This statement describes how the website meets the Swedish Act on accessibility to digital public services, known shortcomings, and how you can report problems.',
  },
  'a11y.statusTitle': { sv: 'Hur tillgänglig är webbplatsen?', en: 'How accessible is this website?' },
  'a11y.status': {
    sv: 'Webbplatsen är delvis förenlig med lagen om tillgänglighet till digital offentlig service, på grund av de brister som beskrivs nedan. Den är byggd för att uppfylla WCAG 2.1 nivå AA (EN 301 549): alla sidor fungerar med tangentbord, med skärmläsare och utan JavaScript, och du kan förstora texten till 200 procent.',
    en: 'This website is partially compliant with the Swedish Act on accessibility to digital public services, because of the shortcomings described below. It is built to meet WCAG 2.1 level AA (EN 301 549): every page works with a keyboard, with a screen reader and without JavaScript, and you can enlarge the text to 200 percent.',
  },
  'a11y.knownTitle': { sv: 'Kända brister', en: 'Known shortcomings' },
  'a11y.known': { sv: 'Vi känner till följande brister och arbetar med att åtgärda dem:', en: 'We know of the following shortcomings and are working on them:' },
  'a11y.known.dates': {
    sv: 'Datumfält använder webbläsarens egen datumväljare. Hur den ser ut och i vilken ordning den visar år, månad och dag styrs av webbläsaren och kan skilja sig från formatet i hjälptexten (ÅÅÅÅ-MM-DD).',
    en: 'Date fields use the browser’s own date picker. How it looks and in which order it shows year, month and day is up to the browser, and may differ from the format in the hint (YYYY-MM-DD).',
  },
  'a11y.known.pdf': {
    sv: 'Kvitton och beslutsbrev i PDF är taggade och har angivet språk, men har inte granskats manuellt med skärmläsare. Behöver du ett brev i ett annat format, kontakta oss.',
    en: 'Receipts and decision letters in PDF are tagged and state their language, but have not been reviewed by hand with a screen reader. If you need a letter in another format, contact us.',
  },
  'a11y.known.manual': {
    sv: 'Granskningen är hittills automatisk och med tangentbord; test tillsammans med användare av hjälpmedel har inte gjorts ännu.',
    en: 'So far the review is automated and by keyboard; testing with users of assistive technology has not been done yet.',
  },
  'a11y.updated': { sv: 'Redogörelsen granskades senast den {date}.', en: 'This statement was last reviewed on {date}.' },
  'a11y.testedTitle': { sv: 'Hur vi testat webbplatsen', en: 'How we tested this website' },
  'a11y.tested': {
    sv: 'Varje ändring av plattformen testas automatiskt: alla sidor i e-tjänsternas flöden granskas med verktyget axe mot WCAG 2.1 A och AA, på svenska och engelska, och flödena genomförs med enbart tangentbord och utan JavaScript.',
    en: 'Every change to the platform is tested automatically: every page of the e-services’ journeys is checked with the axe tool against WCAG 2.1 A and AA, in Swedish and English, and the journeys are completed by keyboard alone and without JavaScript.',
  },
  'a11y.reportTitle': { sv: 'Rapportera brister', en: 'Report a problem' },
  'a11y.report': {
    sv: 'Om du stöter på hinder eller behöver innehåll i ett annat format, kontakta oss på {email} eller {phone}.',
    en: 'If you meet a barrier or need content in another format, contact us at {email} or {phone}.',
  },
  'a11y.enforcementTitle': { sv: 'Tillsyn', en: 'Enforcement' },
  'a11y.enforcement': {
    sv: 'Myndigheten för digital förvaltning (Digg) har ansvaret för tillsyn över lagen om tillgänglighet till digital offentlig service. Om du inte är nöjd med hur vi hanterar dina synpunkter kan du kontakta Digg.',
    en: 'The Agency for Digital Government (Digg) supervises the Act on accessibility to digital public services. If you are not satisfied with how we handle your report, you can contact Digg.',
  },
  'privacy.title': { sv: 'Så hanterar vi personuppgifter', en: 'How we handle personal data' },
  'privacy.intro': {
    sv: '{tenant} är personuppgiftsansvarig för de uppgifter du lämnar i e-tjänsterna.',
    en: '{tenant} is the controller of the personal data you give in the e-services.',
  },
  'privacy.whatTitle': { sv: 'Vilka uppgifter vi sparar', en: 'What we store' },
  'privacy.what': {
    sv: 'När du loggar in med e-legitimation får vi ditt namn och personnummer. Adress och uppgifter om dina barn hämtas från folkbokföringen. Vi sparar de uppgifter du själv lämnar: e-postadress, telefonnummer, dina svar i e-tjänsterna, meddelanden och bifogade filer.',
    en: 'When you sign in with an e-ID we receive your name and personal identity number. Your address and details of your children come from the population register. We store what you give us: e-mail address, phone number, your answers in the e-services, messages and attached files.',
  },
  'privacy.whyTitle': { sv: 'Varför', en: 'Why' },
  'privacy.why': {
    sv: 'Uppgifterna behövs för att handlägga ditt ärende, fatta beslut och meddela dig. Den rättsliga grunden är myndighetsutövning och uppgift av allmänt intresse.',
    en: 'We need the data to handle your case, make decisions and inform you. The legal basis is the exercise of official authority and a task in the public interest.',
  },
  'privacy.howLongTitle': { sv: 'Hur länge', en: 'How long' },
  'privacy.howLong': {
    sv: 'Ett påbörjat utkast som du inte skickar in raderas efter {days} dagar utan aktivitet. Inskickade ärenden är allmänna handlingar och bevaras eller gallras enligt kommunens dokumenthanteringsplan. Du loggas ut efter {minutes} minuters inaktivitet.',
    en: 'A draft you do not send is deleted after {days} days without activity. Cases you send are official documents and are kept or disposed of according to the municipality’s records management plan. You are signed out after {minutes} minutes of inactivity.',
  },
  'privacy.cookiesTitle': { sv: 'Kakor', en: 'Cookies' },
  'privacy.cookies': {
    sv: 'Vi använder bara nödvändiga kakor: en sessionskaka som håller dig inloggad och skyddar formulären, och en kaka som minns ditt språkval. Vi använder inga kakor för statistik eller marknadsföring.',
    en: 'We only use essential cookies: a session cookie that keeps you signed in and protects the forms, and a cookie that remembers your choice of language. We use no cookies for statistics or marketing.',
  },
  'privacy.rightsTitle': { sv: 'Dina rättigheter', en: 'Your rights' },
  'privacy.rights': {
    sv: 'Du har rätt att få veta vilka uppgifter vi har om dig, att få felaktiga uppgifter rättade och att klaga hos Integritetsskyddsmyndigheten (IMY). Kontakta oss på {email}.',
    en: 'You have the right to know what data we hold about you, to have wrong data corrected, and to complain to the Swedish Authority for Privacy Protection (IMY). Contact us at {email}.',
  },
  'contact.title': { sv: 'Kontakta oss', en: 'Contact us' },
  'contact.email': { sv: 'E-post', en: 'E-mail' },
  'contact.phone': { sv: 'Telefon', en: 'Phone' },
  'contact.address': { sv: 'Adress', en: 'Address' },
});
