import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keptOnPage } from './harness.ts';

// The check that "the other answers are kept" must be able to fail: a value not on the page, a radio
// not checked, an option not selected are not kept.
test('keptOnPage finds a kept answer in each kind of input, and only there', () => {
  const html = [
    '<input type="text" name="name" value="Exempeltext">',
    '<input type="radio" name="yes" value="yes" checked><input type="radio" name="yes" value="no">',
    '<input type="checkbox" name="extras" value="power">',
    '<textarea name="long">En rad\nTvå</textarea>',
    '<select name="pick"><option value="a">A</option><option value="b" selected>B</option></select>',
    '<input name="pnr" value="19121212-1212"><input name="amp" value="A &amp; B">',
  ].join('');
  assert.ok(keptOnPage(html, 'name', 'Exempeltext'));
  assert.ok(!keptOnPage(html, 'name', 'Annan text'));
  assert.ok(keptOnPage(html, 'yes', 'yes'));
  assert.ok(!keptOnPage(html, 'yes', 'no'), 'a radio shown but not checked is not kept');
  assert.ok(!keptOnPage(html, 'extras', 'power'), 'a checkbox shown but not ticked is not kept');
  assert.ok(keptOnPage(html, 'long', 'En rad\nTvå'));
  assert.ok(keptOnPage(html, 'pick', 'b'));
  assert.ok(!keptOnPage(html, 'pick', 'a'));
  assert.ok(keptOnPage(html, 'pnr', '191212121212'), 'shown in its display form');
  assert.ok(keptOnPage(html, 'amp', 'A & B'));
  assert.ok(!keptOnPage(html, 'missing', 'x'));
});
