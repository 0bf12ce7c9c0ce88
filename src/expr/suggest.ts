/**
 * "Did you mean" for names: the closest candidate within a small edit distance, else undefined.
 * Case, `_` and `-` differences count as a perfect match (`startsWith` → `starts_with`).
 */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  const norm = (s: string): string => s.toLowerCase().replace(/[_-]/g, '');
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const c of candidates) {
    if (norm(c) === norm(word)) return c;
    // Length difference is a lower bound on distance; it also keeps huge keys cheap.
    if (Math.abs(c.length - word.length) > limit) continue;
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** `did you mean "x"?`, or the fallback when nothing is close. */
export function didYouMean(
  word: string,
  candidates: Iterable<string>,
  fallback?: string,
): string | undefined {
  const match = suggest(word, candidates);
  return match === undefined ? fallback : `did you mean "${match}"?`;
}

/** Damerau-Levenshtein distance (optimal string alignment): a swap of neighbours costs 1. */
export function distance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i, ...new Array<number>(b.length).fill(0)]);
  const row0 = rows[0]!;
  for (let j = 0; j <= b.length; j++) row0[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i]!;
    const prev = rows[i - 1]!;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      row[j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}
