import { defineMessages } from '../kernel/i18n/index.ts';

export const mailboxMessages = defineMessages({
  'mailbox.title': { sv: 'Testbrevlåda', en: 'Test mailbox' },
  'mailbox.intro': {
    sv: 'Det här är demoläget. E-post som {tenant} skickar hamnar här i stället för att gå iväg på riktigt, så att du kan se vad invånare och handläggare skulle få.',
    en: 'This is demo mode. E-mail that {tenant} sends lands here instead of actually being sent, so you can see what residents and case handlers would receive.',
  },
  'mailbox.empty': { sv: 'Inga e-postmeddelanden har skickats ännu.', en: 'No e-mail has been sent yet.' },
  'mailbox.caption': { sv: 'Skickad e-post, nyaste först', en: 'Sent e-mail, newest first' },
  'mailbox.col.sent': { sv: 'Skickat', en: 'Sent' },
  'mailbox.col.to': { sv: 'Till', en: 'To' },
  'mailbox.col.subject': { sv: 'Ämne', en: 'Subject' },
  'mailbox.noSubject': { sv: '(inget ämne)', en: '(no subject)' },
  'mailbox.older': { sv: 'Äldre meddelanden', en: 'Older messages' },
  'mailbox.newest': { sv: 'Till de nyaste meddelandena', en: 'To the newest messages' },
  'mailbox.from': { sv: 'Från', en: 'From' },
  'mailbox.to': { sv: 'Till', en: 'To' },
  'mailbox.sent': { sv: 'Skickat', en: 'Sent' },
  'mailbox.message': { sv: 'Meddelande', en: 'Message' },
  'mailbox.details': { sv: 'Uppgifter om meddelandet', en: 'Message details' },
  'mailbox.back': { sv: 'Tillbaka till testbrevlådan', en: 'Back to the test mailbox' },
  'mailbox.externalLinks': {
    sv: 'Länkar som går till andra webbplatser visas som text och går inte att klicka på.',
    en: 'Links to other websites are shown as text and cannot be clicked.',
  },
});
