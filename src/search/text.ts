/**
 * Words as the search engine sees them: folded (lower case, no diacritics, so "gang" typed on a
 * keyboard without å/ä/ö finds "gång"), cut at anything that is not a letter or digit, stop words
 * dropped, and reduced to a stem by a light stemmer per language.
 *
 * The Swedish stemmer is Snowball's Swedish algorithm (snowballstem.org) run on folded text, with the
 * definite "-an"/"-ans"/"-et" that Snowball leaves ("skolan", "klottret") added: the catalogue is small and its texts
 * are everyday Swedish, so a light stemmer with compound and fuzzy matching on top (engine.ts) finds
 * more than a heavier one would. The English one strips plural and -ing/-ed endings only.
 */

export type Language = 'sv' | 'en';
export const LANGUAGES: readonly Language[] = ['sv', 'en'];

/** Lower case without diacritics, so å/ä/ö match a/a/o and É matches e. */
export function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLocaleLowerCase('sv');
}

/** Longest word looked at: anything longer is no word a person types, and edit distances stay cheap. */
export const MAX_WORD_LENGTH = 40;

/**
 * The folded words of a text. A hyphenated word gives its parts and the parts joined ("pre-school" →
 * pre, school, preschool; "P-tillstånd" → p, tillstand, ptillstand), so either spelling finds it.
 */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const chunk of fold(text).split(/[^\p{L}\p{N}-]+/u)) {
    const parts = chunk.split('-').filter(Boolean);
    for (const p of parts) out.push(p.slice(0, MAX_WORD_LENGTH));
    if (parts.length > 1) out.push(parts.join('').slice(0, MAX_WORD_LENGTH));
  }
  return out;
}

/**
 * Words too common to tell services apart, in either language (folded). Queries are often questions
 * ("hur ansöker jag om bygglov", "how do I apply for a permit"): only the content words count.
 */
const STOP_WORDS = new Set(
  (
    'och i att det som en pa ar av for med till den har de inte om ett han men var jag sig fran vi sa kan nar ' +
    'hur vad var vem vilken vilka min mitt mina din ditt dina man ska vill behover jag mig oss er ni du eller ' +
    'the a an and or of to in on for with my our your i we you how what where who can do does is are be ' +
    'at by from as it this that want need get'
  ).split(' '),
);

export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word);
}

// ----- Swedish (Snowball, on folded text: å/ä → a, ö → o, which are vowels all the same) -----

const SV_VOWEL = /[aeiouy]/;
const SV_S_ENDING = /[bcdfghjklmnoprtvy]$/;
/** Step 1's suffixes, longest first so the first that fits is the longest. */
const SV_SUFFIXES = [
  'heterna', 'hetens', 'anden', 'andes', 'andet', 'arens', 'arnas', 'ernas', 'heten', 'heter', 'ornas',
  'ande', 'arne', 'aren', 'arna', 'erna', 'orna', 'ades', 'aste', 'erns',
  'ade', 'are', 'ern', 'ens', 'het', 'ast', 'ans',
  'ad', 'en', 'ar', 'er', 'or', 'as', 'es', 'at', 'an', 'et',
  'a', 'e',
];

/** Where R1 starts: after the first non-vowel that follows a vowel, and at least 3 letters in. */
function svR1(word: string): number {
  for (let i = 1; i < word.length; i++) {
    if (!SV_VOWEL.test(word[i]!) && SV_VOWEL.test(word[i - 1]!)) return Math.max(3, i + 1);
  }
  return word.length;
}

export function stemSwedish(word: string): string {
  if (word.length < 4 || /\d/.test(word)) return word;
  const r1 = svR1(word);
  let w = word;
  const inR1 = (suffix: string) => w.endsWith(suffix) && w.length - suffix.length >= r1;
  // Step 1: the longest suffix in R1; a final s after a valid s-ending.
  const suffix = SV_SUFFIXES.find(inR1);
  if (suffix) w = w.slice(0, -suffix.length);
  else if (inR1('s') && SV_S_ENDING.test(w.slice(0, -1))) w = w.slice(0, -1);
  // Step 2: a double consonant (or dt, gt, kt) left at the end loses its last letter.
  if (/(dd|gd|nn|dt|gt|kt|tt)$/.test(w) && w.length - 2 >= r1) w = w.slice(0, -1);
  // Step 3
  if (inR1('fullt') || inR1('lost')) w = w.slice(0, -1);
  else if (inR1('lig') || inR1('els')) w = w.slice(0, -3);
  else if (inR1('ig')) w = w.slice(0, -2);
  return w;
}

// ----- English (plural, -ing, -ed) -----

export function stemEnglish(word: string): string {
  if (word.length < 4 || /\d/.test(word)) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(ss|us)$/.test(word)) return word;
  if (/(sses|xes|ches|shes)$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s')) return word.slice(0, -1);
  if (word.endsWith('ing') && word.length > 5) return word.slice(0, -3);
  if (word.endsWith('ed') && word.length > 4) return word.slice(0, -2);
  return word;
}

export function stem(word: string, language: Language): string {
  return language === 'sv' ? stemSwedish(word) : stemEnglish(word);
}
