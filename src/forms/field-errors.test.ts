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
