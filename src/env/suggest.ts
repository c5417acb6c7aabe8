/** The candidate closest to `word` if it is close enough to be a likely typo. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates];
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of list) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  // A third of the word's length catches `multiAz`, `orders-bd`, `rds.instance.failvoer`
  // without offering `tags` for `region`.
  if (best !== undefined && bestDistance <= Math.max(1, Math.floor(word.length / 3))) return best;
  // A word cut short (`consecutive` for `consecutiveSuccesses`) is far in edits but plain to a reader.
  const lower = word.toLowerCase();
  if (lower.length < 4) return undefined;
  for (const candidate of list) if (candidate.toLowerCase().startsWith(lower)) return candidate;
  return undefined;
}

/** ` (did you mean "x"?)`, or nothing. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const match = closest(word, candidates);
  return match === undefined ? '' : ` (did you mean ${JSON.stringify(match)}?)`;
}

/** `"a", "b" and "c"`; `none` for an empty list. */
export function listOf(items: readonly string[]): string {
  const quoted = items.map((item) => JSON.stringify(item));
  if (quoted.length === 0) return 'none';
  if (quoted.length === 1) return quoted[0]!;
  return `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)!}`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** `an rds-instance`, `a dynamodb-table`: by how the word is said (RDS, S3 are spelt out). */
export function withArticle(word: string): string {
  return `${/^(?:[aeiou]|rds\b|s3\b)/i.test(word) ? 'an' : 'a'} ${word}`;
}
