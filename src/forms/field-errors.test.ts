import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Field } from '../catalogue/types.ts';
import { fieldErrorMessage } from './field-errors.ts';

const field = (label: { sv: string; en: string }, errorName?: { sv: string; en: string }): Field => ({ id: 'x', kind: 'text', label, ...(errorName ? { errorName } : {}) }) as Field;

test('an answer is named mid-sentence in lower case, and a message starting with it is capitalised', () => {
  const child = field({ sv: 'Barn', en: 'Child' });
  assert.equal(fieldErrorMessage('sv', 'forms.error.choose', child), 'Välj barn');
  assert.equal(fieldErrorMessage('en', 'forms.error.choose', child), 'Select child');
  assert.equal(fieldErrorMessage('sv', 'forms.error.pattern', field({ sv: 'E-postadress', en: 'E-mail address' })), 'E-postadress har fel format');
  assert.equal(fieldErrorMessage('sv', 'forms.error.required', field({ sv: 'SMS-nummer', en: 'SMS number' })), 'Fyll i SMS-nummer', 'acronyms keep their capitals');
  assert.equal(fieldErrorMessage('sv', 'forms.error.required', field({ sv: 'E-postadress', en: 'E-mail address' })), 'Fyll i e-postadress');
  assert.equal(fieldErrorMessage('en', 'forms.error.required', field({ sv: 'E-postadress', en: 'E-mail address' })), 'Enter e-mail address');
});

test('a question label is named by its errorName', () => {
  const needs = field({ sv: 'Har barnet behov av särskilt stöd?', en: 'Does your child need special support?' }, { sv: 'om barnet behöver särskilt stöd', en: 'whether your child needs special support' });
  assert.equal(fieldErrorMessage('sv', 'forms.error.choose', needs), 'Välj om barnet behöver särskilt stöd');
  assert.equal(fieldErrorMessage('en', 'forms.error.invalid', needs), 'Whether your child needs special support could not be understood. Fill it in again.');
});

test('a label is named without its parenthesis, and a question label is quoted rather than lower-cased mid-sentence', () => {
  assert.equal(fieldErrorMessage('sv', 'forms.error.required', field({ sv: 'Telefonnummer (frivilligt)', en: 'Phone number (optional)' })), 'Fyll i telefonnummer');
  assert.equal(fieldErrorMessage('en', 'forms.error.required', field({ sv: 'Telefonnummer (frivilligt)', en: 'Phone number (optional)' })), 'Enter phone number');
  const question = field({ sv: 'Vilka förskolor vill du ha?', en: 'Which pre-schools would you like?' });
  assert.equal(fieldErrorMessage('sv', 'forms.error.choose', question), 'Välj ”Vilka förskolor vill du ha?”');
  assert.equal(fieldErrorMessage('en', 'forms.error.choose', question), 'Select “Which pre-schools would you like?”');
});

test('small counts are words: "minst ett alternativ", "at least one option", "högst tre filer"', () => {
  const f = field({ sv: 'Förskolor', en: 'Pre-schools' });
  assert.equal(fieldErrorMessage('sv', 'forms.error.rankedMinOne', f, { min: 1 }), 'Välj minst ett alternativ för förskolor');
  assert.equal(fieldErrorMessage('en', 'forms.error.rankedMinOne', f, { min: 1 }), 'Select at least one option for pre-schools');
  assert.equal(fieldErrorMessage('sv', 'forms.error.rankedMin', f, { min: 2 }), 'Välj minst två alternativ för förskolor');
  assert.equal(fieldErrorMessage('en', 'forms.error.rankedMin', f, { min: 2 }), 'Select at least two options for pre-schools');
  assert.equal(fieldErrorMessage('sv', 'forms.error.fileCount', f, { max: 3 }), 'Du kan ladda upp högst tre filer för förskolor');
  assert.equal(fieldErrorMessage('sv', 'forms.error.groupMin', f, { min: 1 }), 'Lägg till minst en för förskolor');
  assert.equal(fieldErrorMessage('sv', 'forms.error.tooLong', f, { max: 500 }), 'Förskolor får vara högst 500 tecken', 'a length stays in digits');
});

test("a definition's own message is used per error and language, with its placeholders filled in; otherwise the engine's", () => {
  const start = {
    ...field({ sv: 'Önskat startdatum', en: 'Start date you would like' }),
    errors: {
      required: { sv: 'Ange önskat startdatum', en: 'Enter the date you would like your child to start' },
      tooLate: { sv: 'Startdatumet kan vara senast {date}', en: 'The start date can be {max} at the latest' },
      tooEarly: { sv: 'Startdatumet måste vara {date} eller senare', en: 'The start date must be {date} or later' },
    },
  } as Field;
  assert.equal(fieldErrorMessage('sv', 'forms.error.required', start), 'Ange önskat startdatum');
  assert.equal(fieldErrorMessage('en', 'forms.error.required', start), 'Enter the date you would like your child to start');
  assert.equal(fieldErrorMessage('sv', 'forms.error.dateTooLate', start, { max: '2028-05-23' }), 'Startdatumet kan vara senast 23 maj 2028');
  assert.equal(fieldErrorMessage('en', 'forms.error.dateTooLate', start, { max: '2028-05-23' }), 'The start date can be 23 May 2028 at the latest');
  // No format message of its own: the engine's.
  assert.equal(fieldErrorMessage('sv', 'forms.error.date', start), 'Önskat startdatum måste vara ett riktigt datum, till exempel 2027-03-15');
  // A placeholder this problem has no value for: the engine's message instead of a brace.
  assert.doesNotMatch(fieldErrorMessage('sv', 'forms.error.timeMin', start), /^Startdatumet/);
  assert.equal(fieldErrorMessage('sv', 'forms.error.dateInPast', start, { min: '2026-11-23' }), 'Startdatumet måste vara 23 november 2026 eller senare');
  // The message of the question it is shown at, naming another (a reason for an early date).
  const reason = { ...field({ sv: 'Varför?', en: 'Why?' }), errors: { required: { sv: 'Skriv varför, eller välj ett datum efter {date}', en: 'Say why, or choose a date after {date}' } } } as Field;
  assert.equal(fieldErrorMessage('sv', 'forms.error.dateTooEarlyReason', start, { min: '2027-03-23' }, reason), 'Skriv varför, eller välj ett datum efter 23 mars 2027');
  assert.equal(fieldErrorMessage('sv', 'forms.error.fileVirus', start, {}, reason).includes('virus'), true, 'a message about the system is always the engine’s');
});
