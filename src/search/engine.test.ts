/** The search engine on its own: words, stems, edit distance, and how documents are found and ranked. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSearchIndex, editDistance, stemEnglish, stemSwedish, words, type SearchDocument } from './index.ts';

test('words are folded, cut at anything but letters and digits, and hyphenated words give their parts and the whole', () => {
  assert.deepEqual(words('Ansök om FÖRSKOLA!'), ['ansok', 'om', 'forskola']);
  assert.deepEqual(words('pre-school, P-tillstånd'), ['pre', 'school', 'preschool', 'p', 'tillstand', 'ptillstand']);
  assert.deepEqual(words('<script>alert(1)</script>'), ['script', 'alert', '1', 'script']);
  assert.deepEqual(words(''), []);
  assert.equal(words('x'.repeat(500))[0]!.length, 40, 'a word is at most 40 letters');
});

test('the Swedish stemmer gives inflected forms one stem', () => {
  for (const [stem, forms] of [
    ['forskol', ['förskola', 'förskolan', 'förskolor', 'förskolorna', 'förskolans', 'förskole']],
    ['skol', ['skola', 'skolan', 'skolor', 'skolorna']],
    ['omsorgstid', ['omsorgstid', 'omsorgstider', 'omsorgstiden']],
  ] as const) {
    for (const f of forms) assert.equal(stemSwedish(words(f)[0]!), stem, f);
  }
  assert.equal(stemSwedish('hus'), 'hus', 'short words stay');
  assert.equal(stemSwedish('2026'), '2026');
});

test('the English stemmer strips plurals, -ing and -ed', () => {
  assert.equal(stemEnglish('schools'), 'school');
  assert.equal(stemEnglish('nurseries'), 'nursery');
  assert.equal(stemEnglish('parking'), 'park');
  assert.equal(stemEnglish('licences'), 'licence');
  assert.equal(stemEnglish('address'), 'address');
});

test('edit distance counts a swapped pair as one edit and stops early past the limit', () => {
  assert.equal(editDistance('forksola', 'forskola', 2), 1);
  assert.equal(editDistance('dagiss', 'dagis', 1), 1);
  assert.equal(editDistance('kitten', 'sitting', 3), 3);
  assert.equal(editDistance('abc', 'xyzxyz', 1), 2, 'max + 1 when over');
});

const doc = (id: string, sv: string, en: string, extra: Partial<Record<'kw', string>> = {}, popularity = 0): SearchDocument<string> => ({
  item: id,
  popularity,
  fields: [
    { name: 'title', language: 'sv', weight: 4, text: sv },
    { name: 'title', language: 'en', weight: 4, text: en },
    { name: 'keywords', language: 'sv', weight: 3, text: extra.kw ?? '' },
  ],
});

const index = buildSearchIndex([
  doc('bygglov', 'Ansök om bygglov', 'Apply for a building permit', { kw: 'tillbyggnad altan' }),
  doc('bibliotek', 'Lånekort på biblioteket', 'Library card'),
  doc('parkering', 'Boendeparkering', 'Resident parking', {}, 10),
  doc('fiske', 'Fiskekort', 'Fishing licence', {}, 5),
]);
const ids = (q: string, language: 'sv' | 'en' = 'sv') => index.search(q, language).map((h) => h.item);

test('a query finds inflections, compounds, misspellings and the other language', () => {
  assert.deepEqual(ids('bygglovet'), ['bygglov'], 'inflection');
  assert.deepEqual(ids('bibliotekets'), ['bibliotek']);
  assert.deepEqual(ids('parkering'), ['parkering'], 'the head of a compound');
  assert.deepEqual(ids('fiske'), ['fiske'], 'the start of a compound');
  assert.deepEqual(ids('altanbygge'.slice(0, 5)), ['bygglov']);
  assert.deepEqual(ids('bygglovsansökan'), ['bygglov'], 'a compound split into indexed words');
  assert.deepEqual(ids('byglov'), ['bygglov'], 'one letter missing');
  assert.deepEqual(ids('biblitoek'), ['bibliotek'], 'letters swapped');
  assert.deepEqual(ids('library'), ['bibliotek'], 'English on the Swedish site');
  assert.deepEqual(ids('lånekort', 'en'), ['bibliotek'], 'Swedish on the English site');
});

test('documents must match as many query words as the best one; stop words and unknown words do not count', () => {
  assert.deepEqual(ids('ansök om bygglov för altan'), ['bygglov']);
  assert.deepEqual(ids('bygglov xyzzyq'), ['bygglov'], 'an unknown word does not empty the result');
  assert.deepEqual(ids('och i om'), [], 'only stop words');
  assert.deepEqual(ids(''), []);
  assert.deepEqual(new Set(ids('kort')), new Set(['bibliotek', 'fiske']), 'the head of both compounds');
  // Equal scores: the more used first.
  const tie = buildSearchIndex([doc('a', 'Samma titel', 'Same'), doc('b', 'Samma titel', 'Same', {}, 3)]);
  assert.deepEqual(tie.search('titel', 'sv').map((h) => h.item), ['b', 'a']);
});

test('the site’s language counts more than the other', () => {
  const both = buildSearchIndex([doc('sv', 'Park', 'Garden'), doc('en', 'Trädgård', 'Park')]);
  assert.deepEqual(both.search('park', 'sv').map((h) => h.item), ['sv', 'en']);
  assert.deepEqual(both.search('park', 'en').map((h) => h.item), ['en', 'sv']);
});

test('any query is answered quickly, however long or odd', () => {
  const started = process.hrtime.bigint();
  for (const q of ['å'.repeat(10_000), 'a b c d e f g h i j k l m n o p q r s t u v w x y z '.repeat(50), '\u0000\u0007\u001b', '🙂'.repeat(500), "' OR 1=1 --"]) {
    assert.ok(Array.isArray(index.search(q, 'sv')));
  }
  // Generous: the point is no pathological case (an unbounded edit distance over 10,000 letters would take seconds).
  assert.ok(Number(process.hrtime.bigint() - started) / 1e6 < 1000);
});
