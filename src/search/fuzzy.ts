/**
 * Misspellings: which words of the index are within a few edits of a query word. A trigram index
 * picks the candidates (each edit spoils at most three of a word's trigrams, so a word within d edits
 * shares at least |trigrams| − 3d of them), then the restricted Damerau–Levenshtein distance decides,
 * so a swapped pair of letters ("förksola") is one edit, as people make it.
 */

/** The trigrams of a word padded at both ends ("$$dagis$"), so short words and word starts count. */
function trigrams(word: string): Set<string> {
  const padded = `$$${word}$`;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
  return out;
}

/** Edits allowed for a word of this length: none for short words (too many neighbours), then 1, then 2. */
export function allowedEdits(length: number): number {
  return length < 5 ? 0 : length < 9 ? 1 : 2;
}

/** Restricted Damerau–Levenshtein distance, or max + 1 as soon as it must exceed max. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      row.push(d);
      if (d < best) best = d;
    }
    if (best > max) return max + 1;
    prev2 = prev;
    prev = row;
  }
  return prev[b.length]!;
}

export interface FuzzyIndex {
  /** Indexed words within the allowed edits of `word`, with their distance (never 0: exact is not fuzzy). */
  near(word: string): { word: string; distance: number }[];
}

export function fuzzyIndex(vocabulary: Iterable<string>): FuzzyIndex {
  const words = [...new Set(vocabulary)];
  const byTrigram = new Map<string, number[]>();
  words.forEach((w, i) => {
    for (const g of trigrams(w)) {
      let list = byTrigram.get(g);
      if (!list) byTrigram.set(g, (list = []));
      list.push(i);
    }
  });
  return {
    near(word) {
      const max = allowedEdits(word.length);
      if (max === 0) return [];
      const grams = trigrams(word);
      const shared = new Map<number, number>();
      for (const g of grams) for (const i of byTrigram.get(g) ?? []) shared.set(i, (shared.get(i) ?? 0) + 1);
      // A transposition spoils up to four trigrams; one more than the bound keeps those in.
      const needed = Math.max(1, grams.size - 3 * max - 1);
      const out: { word: string; distance: number }[] = [];
      for (const [i, count] of shared) {
        if (count < needed) continue;
        const candidate = words[i]!;
        const distance = editDistance(word, candidate, max);
        if (distance > 0 && distance <= max) out.push({ word: candidate, distance });
      }
      return out;
    },
  };
}
