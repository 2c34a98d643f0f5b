import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contentDisposition, safeFilename } from './file-names.ts';

const PDF = 'application/pdf';

test('the extension is the one of the type the bytes say, the base name is kept', () => {
  assert.equal(safeFilename('intyg.html', PDF), 'intyg.pdf');
  assert.equal(safeFilename('beslut.hta', PDF), 'beslut.pdf');
  assert.equal(safeFilename('intyg', PDF), 'intyg.pdf');
  assert.equal(safeFilename('intyg.PDF', PDF), 'intyg.pdf');
  assert.equal(safeFilename('rapport.pdf.exe', PDF), 'rapport.pdf.pdf');
  assert.equal(safeFilename('foto.jpeg', 'image/jpeg'), 'foto.jpeg', 'an extension of the same type is kept');
  assert.equal(safeFilename('foto.png', 'image/jpeg'), 'foto.jpg');
  assert.equal(safeFilename('x.svg', 'image/png'), 'x.png');
});

test('bidirectional overrides, isolates, marks, zero-width and control characters are removed', () => {
  // "intyg‮lmth.pdf" shows as "intygfdp.html" on the reader's screen.
  assert.equal(safeFilename('intyg\u202Elmth.pdf', PDF), 'intyglmth.pdf');
  for (const c of ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C', '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD']) {
    assert.equal(safeFilename(`a${c}b.pdf`, PDF), 'ab.pdf', `U+${c.codePointAt(0)!.toString(16)}`);
  }
  for (const c of ['\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u009b', '\u2028', '\u2029', '\ud800']) {
    assert.equal(safeFilename(`a${c}b.pdf`, PDF), 'ab.pdf', `U+${c.codePointAt(0)!.toString(16)}`);
  }
  assert.equal(safeFilename('a\tb\r\nc.pdf', PDF), 'abc.pdf');
});

test('paths, leading dots, reserved characters and empty names', () => {
  assert.equal(safeFilename('../../etc/passwd.pdf', PDF), 'passwd.pdf');
  assert.equal(safeFilename('..\\..\\windows\\system.ini', PDF), 'system.pdf');
  assert.equal(safeFilename('.bashrc.pdf', PDF), 'bashrc.pdf');
  assert.equal(safeFilename('...', PDF), 'file.pdf');
  assert.equal(safeFilename('', PDF), 'file.pdf');
  assert.equal(safeFilename('\u202E', PDF), 'file.pdf');
  assert.equal(safeFilename('a"b<c>d|e:f*g?.pdf', PDF), 'abcdefg.pdf');
  assert.equal(safeFilename('  mitt   intyg . pdf', PDF), 'mitt intyg.pdf');
  assert.equal(safeFilename('x.pdf', 'text/html'), 'x.bin', 'a type we do not know never gets an extension from the name');
});

test('Unicode is kept in NFC and the length is bounded without splitting a character', () => {
  const decomposed = 'Ba\u0308rbo\u0308rs la\u030akan.pdf';
  assert.equal(safeFilename(decomposed, PDF), 'Bärbörs låkan.pdf');
  assert.equal(safeFilename(decomposed, PDF), safeFilename(decomposed, PDF).normalize('NFC'));
  const long = safeFilename(`${'😀'.repeat(300)}.pdf`, PDF);
  assert.ok([...long].length <= 150, String([...long].length));
  assert.ok(long.endsWith('😀.pdf'), 'no half surrogate pair at the cut');
  assert.ok(!/[\uD800-\uDFFF](?![\uDC00-\uDFFF])/.test(long.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, '')));
});

test('Content-Disposition: an ASCII fallback and the exact name encoded', () => {
  assert.equal(contentDisposition('attachment', 'intyg.pdf'), `attachment; filename="intyg.pdf"; filename*=UTF-8''intyg.pdf`);
  assert.equal(contentDisposition('attachment', 'Läkarintyg (1).pdf'), `attachment; filename="Lakarintyg (1).pdf"; filename*=UTF-8''L%C3%A4karintyg%20%281%29.pdf`);
  assert.equal(contentDisposition('attachment', "100% d'or;x.pdf"), `attachment; filename="100_ d'or_x.pdf"; filename*=UTF-8''100%25%20d%27or%3Bx.pdf`);
  assert.equal(contentDisposition('attachment', '日本.pdf'), `attachment; filename="__.pdf"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.pdf`);
});
