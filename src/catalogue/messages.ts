/** Texts of the service list and the service pages. */
import { defineMessages } from '../kernel/i18n/index.ts';

export const catalogueMessages = defineMessages({
  'catalogue.list.title': { sv: 'E-tjänster', en: 'E-services' },
  'catalogue.list.lead': {
    sv: 'Här hittar du e-tjänsterna hos {tenant}, ordnade efter område.',
    en: 'Here you find the e-services of {tenant}, by area.',
  },
  'catalogue.list.areaLead': { sv: '{tenant}s e-tjänster inom området {area}.', en: 'The e-services of {tenant} in the area {area}.' },
  'catalogue.list.areaEmpty': { sv: 'Det finns inga e-tjänster inom det här området ännu.', en: 'There are no e-services in this area yet.' },
  'catalogue.list.allAreas': { sv: 'Alla e-tjänster efter område', en: 'All e-services by area' },
  'catalogue.list.empty': { sv: 'Det finns inga e-tjänster här ännu.', en: 'There are no e-services here yet.' },
  'catalogue.service.needs': { sv: 'Det här behöver du', en: 'What you need' },
  'catalogue.service.facts': { sv: 'Bra att veta', en: 'Good to know' },
  'catalogue.service.duration': { sv: 'Så lång tid tar det', en: 'How long it takes' },
  'catalogue.service.handlingTime': { sv: 'När du får besked', en: 'When you get a decision' },
  'catalogue.service.decidedBy': { sv: 'Vem som beslutar', en: 'Who decides' },
  'catalogue.service.audience': { sv: 'Vem som kan använda e-tjänsten', en: 'Who can use the e-service' },
  'catalogue.service.department': { sv: 'Ansvarig förvaltning', en: 'Responsible department' },
  'catalogue.service.start': { sv: 'Starta e-tjänsten', en: 'Start now' },
  'catalogue.service.signIn': {
    sv: 'Du loggar in med e-legitimation, till exempel BankID eller Freja, när du startar.',
    en: 'You sign in with an e-ID, for example BankID or Freja, when you start.',
  },
  'catalogue.service.noSignIn': { sv: 'Du behöver inte logga in.', en: 'You do not need to sign in.' },
  'catalogue.service.next': { sv: 'Vad händer sedan?', en: 'What happens next?' },
  'catalogue.service.privacyTitle': { sv: 'Dina personuppgifter', en: 'Your personal data' },
  'catalogue.service.privacy': {
    sv: '{tenant} behandlar de personuppgifter du lämnar för att handlägga ditt ärende, enligt dataskyddsförordningen (GDPR).',
    en: '{tenant} processes the personal data you give us to handle your case, in line with the General Data Protection Regulation (GDPR).',
  },
  'catalogue.service.confidential': {
    sv: 'Uppgifterna i ärendet kan omfattas av sekretess och lämnas inte ut till obehöriga.',
    en: 'The information in the case may be confidential and is not disclosed to anyone without the right to see it.',
  },
  'catalogue.service.privacyLink': { sv: 'Läs om hur vi hanterar personuppgifter', en: 'Read how we handle personal data' },
  'catalogue.audience.anyone': { sv: 'alla, utan inloggning', en: 'anyone, without signing in' },
  'catalogue.audience.email': { sv: 'du som bekräftar din e-postadress med en kod', en: 'anyone who confirms their e-mail address with a code' },
  'catalogue.audience.eid': { sv: 'du som har svensk e-legitimation', en: 'anyone with a Swedish e-ID' },
  'catalogue.audience.custodian': { sv: 'vårdnadshavare för barnet', en: 'a custodian (parent or guardian) of the child' },
  'catalogue.audience.representative': {
    sv: 'den som företräder ett företag eller en förening',
    en: 'someone who represents a company or an association',
  },
});
