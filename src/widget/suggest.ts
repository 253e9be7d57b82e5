/** "Did you mean" for names a model mistyped: the closest candidate within a small edit distance. */

function distance(a: string, b: string): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > 3) return 99;
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

export function closest(input: string, candidates: readonly string[]): string | undefined {
  const needle = input.trim().toLowerCase();
  // An empty needle is a prefix of every candidate: it would "suggest" the first one.
  if (needle === "" || needle.length > 64) return undefined;
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const hay = c.toLowerCase();
    const edits = distance(needle, hay);
    const d = hay.startsWith(needle) || needle.startsWith(hay) ? Math.min(1, edits) : edits;
    // On a tie the closer spelling wins: "gtee" is "gte", not its prefix "gt".
    if (d < bestScore || (d === bestScore && edits < bestDistance)) {
      bestScore = d;
      bestDistance = edits;
      best = c;
    }
  }
  const limit = Math.max(2, Math.floor(needle.length / 3));
  return bestScore <= limit ? best : undefined;
}

export const didYouMean = (input: string, candidates: readonly string[]): string => {
  const hit = closest(input, candidates);
  return hit ? ` Did you mean "${hit}"?` : "";
};
