/**
 * A small full-text search over a few hundred documents at most (a municipality's services), built
 * once when the catalogue loads and read by every request (ADR 0023). It knows documents, fields and
 * languages, never what a document is about.
 *
 * A query word finds an indexed word (both as stems, text.ts), in order of how sure the match is:
 *   1. the same stem, in either language ("förskolor" → förskol; "nursery" on the Swedish site);
 *   2. a Swedish compound that starts or ends with it ("förskola" in "förskoleplats", "parkering" in
 *      "handikapparkering", "tillstånd" in "serveringstillstånd");
 *   3. failing those, the word split into two indexed words ("förskoleansökan" → förskole + ansökan);
 *   4. failing those too, an indexed word a few edits away ("förksola", "parkerinstillstånd").
 * Scores are BM25 per field (title, keywords, … weighted by the caller), the site's language counting
 * more than the other, and a document must match as many query words as the best document does, so
 * "ansök förskola" lists pre-school services and not every service that is applied for.
 */
import { fuzzyIndex, type FuzzyIndex } from './fuzzy.ts';
import { LANGUAGES, isStopWord, stem, words, type Language } from './text.ts';

export interface SearchField {
  /** Fields of the same name are length-normalised together (BM25's average length). */
  name: string;
  text: string;
  language: Language;
  /** How much a match in this field counts (a title more than a summary). */
  weight: number;
}

export interface SearchDocument<T> {
  item: T;
  fields: readonly SearchField[];
  /** Breaks ties between equal scores: the more used first. */
  popularity: number;
}

export interface SearchHit<T> {
  item: T;
  score: number;
}

export interface SearchIndex<T> {
  /** The documents matching the query, best first; empty for a query with no word to look for. */
  search(query: string, language: Language): SearchHit<T>[];
  readonly size: number;
}

/** At most this many words of a query are looked at (the box takes 200 characters anyway). */
export const MAX_QUERY_WORDS = 12;
/** A match in the other language than the site's counts this much of one in the site's. */
const OTHER_LANGUAGE = 0.7;
/** BM25's constants: term-frequency saturation and length normalisation. */
const K1 = 1.2;
const B = 0.75;
/** Shortest stem that may match as part of a compound (shorter ones are parts of too many words). */
const MIN_PART = 4;
/** Query words remembered with their matches; cleared when full, so no query can grow it. */
const MATCH_CACHE_SIZE = 5000;

interface Alternative {
  /** `${language}:${stem}` */
  key: string;
  language: Language;
  quality: number;
}

/** One query word: each group must be found; a plain word is one group, a split compound two. */
type WordPlan = Alternative[][];

interface Vocabulary {
  stems: Set<string>;
  sorted: string[];
  /** Every stem reversed, sorted: a binary search finds the stems that end with a given one. */
  reversedSorted: string[];
  fuzzy: FuzzyIndex;
}

const reverse = (s: string) => [...s].reverse().join('');

/** Index of the first entry ≥ key. */
function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function startingWith(sorted: readonly string[], prefix: string): string[] {
  const out: string[] = [];
  for (let i = lowerBound(sorted, prefix); i < sorted.length && sorted[i]!.startsWith(prefix); i++) out.push(sorted[i]!);
  return out;
}

/** The content words of a text as stems in a language. */
function stemsOf(text: string, language: Language): string[] {
  return words(text)
    .filter((w) => !isStopWord(w))
    .map((w) => stem(w, language));
}

export function buildSearchIndex<T>(documents: readonly SearchDocument<T>[]): SearchIndex<T> {
  // Average length per field name, for BM25's length normalisation.
  const lengths = new Map<string, { total: number; count: number }>();
  const analysed = documents.map((doc) =>
    doc.fields.map((f) => {
      const stems = stemsOf(f.text, f.language);
      const l = lengths.get(f.name) ?? { total: 0, count: 0 };
      lengths.set(f.name, { total: l.total + stems.length, count: l.count + 1 });
      return { field: f, stems };
    }),
  );

  /** key → document → the document's weighted, saturated term frequency over its fields. */
  const postings = new Map<string, Map<number, number>>();
  const stemsByLanguage: Record<Language, Set<string>> = { sv: new Set(), en: new Set() };
  analysed.forEach((fields, docIndex) => {
    for (const { field, stems } of fields) {
      if (stems.length === 0) continue;
      const l = lengths.get(field.name)!;
      const norm = 1 - B + (B * stems.length) / (l.total / l.count || 1);
      const counts = new Map<string, number>();
      for (const s of stems) counts.set(s, (counts.get(s) ?? 0) + 1);
      for (const [s, tf] of counts) {
        stemsByLanguage[field.language].add(s);
        const key = `${field.language}:${s}`;
        let byDoc = postings.get(key);
        if (!byDoc) postings.set(key, (byDoc = new Map()));
        byDoc.set(docIndex, (byDoc.get(docIndex) ?? 0) + (field.weight * tf * (K1 + 1)) / (tf + K1 * norm));
      }
    }
  });

  const n = documents.length;
  const idf = new Map<string, number>();
  for (const [key, byDoc] of postings) idf.set(key, Math.log(1 + (n - byDoc.size + 0.5) / (byDoc.size + 0.5)));

  const vocabulary = {} as Record<Language, Vocabulary>;
  for (const language of LANGUAGES) {
    const stems = stemsByLanguage[language];
    vocabulary[language] = {
      stems,
      sorted: [...stems].sort(),
      reversedSorted: [...stems].map(reverse).sort(),
      fuzzy: fuzzyIndex(stems),
    };
  }

  /** Exact stems, then compounds that begin or end with the word's stem. */
  function direct(word: string): Alternative[] {
    const out: Alternative[] = [];
    for (const language of LANGUAGES) {
      const v = vocabulary[language];
      const s = stem(word, language);
      if (v.stems.has(s)) out.push({ key: `${language}:${s}`, language, quality: 1 });
      // Snowball drops a final s only when no other ending went first: "förskoleplats" is förskoleplat,
      // "förskoleplatser" förskoleplats. The same word with and without it is near enough.
      if (language === 'sv') {
        const other = s.endsWith('s') ? s.slice(0, -1) : `${s}s`;
        if (other.length >= MIN_PART && v.stems.has(other)) out.push({ key: `sv:${other}`, language, quality: 0.95 });
      }
      // Compounds are Swedish: English writes them apart ("time table" would otherwise find "table").
      if (language !== 'sv' || s.length < MIN_PART) continue;
      // The longer the rest of the compound, the less it is about the word.
      const part = (whole: string) => 0.5 + (0.3 * s.length) / whole.length;
      for (const t of startingWith(v.sorted, s)) if (t !== s) out.push({ key: `${language}:${t}`, language, quality: part(t) });
      for (const r of startingWith(v.reversedSorted, reverse(s))) {
        const t = reverse(r);
        if (t !== s) out.push({ key: `${language}:${t}`, language, quality: part(t) });
      }
    }
    return out;
  }

  /** A Swedish compound not in the index: two indexed words, the first maybe with a linking s or e. */
  function split(word: string): WordPlan | undefined {
    const v = vocabulary.sv;
    let best: { left: string; right: string } | undefined;
    for (let i = MIN_PART - 1; i <= word.length - MIN_PART + 1; i++) {
      const right = stem(word.slice(i), 'sv');
      if (right.length < MIN_PART - 1 || !v.stems.has(right)) continue;
      const head = word.slice(0, i);
      const left = [head, head.replace(/[se]$/, '')].map((h) => stem(h, 'sv')).find((h) => h.length >= MIN_PART - 1 && v.stems.has(h));
      if (left && (!best || Math.min(left.length, right.length) > Math.min(best.left.length, best.right.length))) best = { left, right };
    }
    if (!best) return undefined;
    const alt = (s: string): Alternative[] => [{ key: `sv:${s}`, language: 'sv', quality: 0.8 }];
    return [alt(best.left), alt(best.right)];
  }

  function misspelt(word: string): Alternative[] {
    const out: Alternative[] = [];
    for (const language of LANGUAGES) {
      for (const { word: t, distance } of vocabulary[language].fuzzy.near(stem(word, language))) {
        out.push({ key: `${language}:${t}`, language, quality: distance === 1 ? 0.6 : 0.45 });
      }
    }
    return out;
  }

  const plans = new Map<string, WordPlan>();
  function planOf(word: string): WordPlan {
    let plan = plans.get(word);
    if (plan) return plan;
    const found = direct(word);
    plan = found.length > 0 ? [found] : (split(word) ?? [misspelt(word)]);
    if (plans.size >= MATCH_CACHE_SIZE) plans.clear();
    plans.set(word, plan);
    return plan;
  }

  return {
    size: n,
    search(query, language) {
      const queryWords = [...new Set(words(query).filter((w) => !isStopWord(w)))].slice(0, MAX_QUERY_WORDS);
      const scores = new Float64Array(n);
      const matched = new Uint8Array(n);
      for (const word of queryWords) {
        const plan = planOf(word);
        const wordScores = new Float64Array(n);
        for (const group of plan) {
          // Per document, the best alternative of the group counts.
          const best = new Float64Array(n);
          for (const alt of group) {
            const byDoc = postings.get(alt.key);
            if (!byDoc) continue;
            const factor = alt.quality * idf.get(alt.key)! * (alt.language === language ? 1 : OTHER_LANGUAGE);
            for (const [doc, tf] of byDoc) best[doc] = Math.max(best[doc]!, factor * tf);
          }
          for (let d = 0; d < n; d++) wordScores[d]! += best[d]! / plan.length;
        }
        for (let d = 0; d < n; d++) {
          if (wordScores[d]! > 0) {
            scores[d]! += wordScores[d]!;
            matched[d]! += 1;
          }
        }
      }
      const most = matched.reduce((a, b) => Math.max(a, b), 0);
      if (most === 0) return [];
      const hits: (SearchHit<T> & { popularity: number })[] = [];
      for (let d = 0; d < n; d++) {
        if (matched[d] === most) hits.push({ item: documents[d]!.item, score: scores[d]!, popularity: documents[d]!.popularity });
      }
      hits.sort((a, b) => b.score - a.score || b.popularity - a.popularity);
      return hits.map(({ item, score }) => ({ item, score }));
    },
  };
}
