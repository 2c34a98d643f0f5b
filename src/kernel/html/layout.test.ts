import { test } from 'node:test';
import assert from 'node:assert/strict';
import { translator } from '../i18n/index.ts';
import '../i18n/common.ts';
import { staffLinkText } from './layout.tsx';

test("the staff link names the person's roles, two at most, so the header stays a line however many they hold", () => {
  const sv = translator('sv');
  const en = translator('en');
  assert.equal(staffLinkText(undefined, sv), 'Medarbetare');
  assert.equal(staffLinkText([], en), 'Staff');
  assert.equal(staffLinkText(['Handläggare'], sv), 'Handläggare');
  assert.equal(staffLinkText(['Handläggare', 'Administratör'], sv), 'Handläggare, Administratör');
  const eight = ['Handläggare', 'Föreningshandläggare', 'Synpunktssamordnare', 'a', 'b', 'c', 'd', 'e'];
  assert.equal(staffLinkText(eight, sv), 'Handläggare och 7 roller till');
  assert.equal(staffLinkText(['Case handler', 'Association officer', 'Coordinator'], en), 'Case handler and 2 more roles');
});
