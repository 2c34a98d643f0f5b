/**
 * The forms' own words follow the service's matter (cases/matter.ts matterKey): a report is sent as
 * "anmälan", never as "ansökan", on the check page, the confirmation and the changed-service notice.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { ServiceDefinition } from '../catalogue/types.ts';
import { hasMessage, translator, type Locale } from '../kernel/i18n/index.ts';
import { loadTenants } from '../kernel/tenants.ts';
import { renderFragment } from '../kernel/html/render.ts';
import type { ViewContext } from '../kernel/html/context.ts';
import { matterKey } from '../cases/index.ts';
import './messages.ts';
import { CheckPage, ConfirmationPage, ServiceChangedNotice } from './views.tsx';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const tenant = loadTenants(path.join(repoRoot, 'tenants.yaml')).all[0]!;

function ctx(locale: Locale): ViewContext {
  return {
    tenant,
    locale,
    t: translator(locale),
    path: '/',
    csrfToken: 'token',
    user: undefined,
    demo: false,
    assets: { css: '/a.css', js: '/a.js', theme: '/t.css', icon: '/i.svg' },
    sessionSecondsLeft: undefined,
  };
}

const MATTERS = ['application', 'report', 'booking', 'errand'] as const;
const definition = (matter: (typeof MATTERS)[number]) =>
  ({ id: 'x', matter, title: { sv: 'Tjänsten', en: 'The service' }, whatHappensNext: { sv: 'Vi hör av oss.', en: 'We will be in touch.' } }) as unknown as ServiceDefinition;

/** The texts of the pages rendered for a matter, in a locale (tags removed). */
function pagesText(matter: (typeof MATTERS)[number], locale: Locale): string {
  const def = definition(matter);
  const c = ctx(locale);
  const html = [
    renderFragment(CheckPage({ ctx: c, definition: def, draftId: 'd', sections: [], register: () => undefined, children: [], incomplete: false })),
    renderFragment(ConfirmationPage({ ctx: c, definition: def, reference: 'FEL-2026-1', caseId: 'c', email: undefined })),
    renderFragment(ServiceChangedNotice({ ctx: c, definition: def, changed: { added: [], removed: [] } })!),
  ].join(' ');
  return html.replace(/<[^>]+>/g, ' ');
}

test('every text that names the matter has a variant for each kind of matter, in both languages', () => {
  for (const key of ['forms.check.send', 'forms.check.declaration', 'forms.confirm.title', 'forms.resume.title', 'forms.changed.body']) {
    for (const matter of MATTERS) assert.ok(hasMessage(matterKey(key, definition(matter))), `${key} for ${matter}`);
  }
});

test('a report says "anmälan"/"report" and never "ansökan"/"application"', () => {
  const sv = pagesText('report', 'sv');
  assert.match(sv, /Skicka anmälan/);
  assert.match(sv, /När du skickar anmälan intygar du/);
  assert.match(sv, /Anmälan är skickad/);
  assert.match(sv, /Din anmälan fortsätter/);
  assert.doesNotMatch(sv, /ansökan/i);
  const en = pagesText('report', 'en');
  assert.match(en, /Send report/);
  assert.match(en, /Report sent/);
  assert.doesNotMatch(en, /application/i);
});

test('an application keeps its words, and an errand and a booking have their own', () => {
  assert.match(pagesText('application', 'sv'), /Skicka ansökan[\s\S]*Ansökan är skickad/);
  assert.match(pagesText('application', 'en'), /Send application[\s\S]*Application sent/);
  const errand = pagesText('errand', 'sv');
  assert.match(errand, /Skicka ärendet[\s\S]*Ärendet är skickat/);
  assert.doesNotMatch(errand, /ansökan/i);
  const booking = pagesText('booking', 'en');
  assert.match(booking, /Send booking[\s\S]*Booking sent/);
  assert.doesNotMatch(booking, /application/i);
});
