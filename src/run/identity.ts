/**
 * Who a scenario is, across runs and edits: its feature's path, its name and,
 * for an outline's example, the example's values. Never its line, so adding a
 * comment above it changes neither its id nor its seed. Scenarios that would
 * still be the same (two of one name in a file) are told apart by their
 * order, and the run warns about it.
 */
export interface IdentitySource {
  uri: string;
  name: string;
  /** An outline's example: the header and the row's values. */
  example?: { headers: readonly string[]; values: readonly string[] };
  /** Where it is, for the warning only. */
  line: number;
}

export interface ScenarioIdentity {
  /** Readable and stable: `features/x.feature#the-scenario-name`, `…#name:us-west-2-large`, `…~2`. */
  id: string;
  /** What the scenario's seed derives from (scenarioSeed). */
  key: string;
}

function slug(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || '-'
  );
}

/**
 * Identities of every scenario of a run, in the order given (the order in
 * their files), with a warning for each that shares its name and example
 * with an earlier one of the same file.
 */
export function identify(sources: readonly IdentitySource[]): { identities: ScenarioIdentity[]; warnings: { uri: string; line: number; message: string }[] } {
  const seen = new Map<string, { count: number; firstLine: number }>();
  const taken = new Set<string>();
  const warnings: { uri: string; line: number; message: string }[] = [];
  const identities = sources.map((source) => {
    const values = source.example?.values ?? [];
    const base = `${source.uri}\n${source.name}${source.example ? `\n${values.join('\t')}` : ''}`;
    const earlier = seen.get(base);
    const ordinal = (earlier?.count ?? 0) + 1;
    seen.set(base, { count: ordinal, firstLine: earlier?.firstLine ?? source.line });
    if (earlier) {
      warnings.push({
        uri: source.uri,
        line: source.line,
        message: `another scenario of this file is named "${source.name}"${source.example ? ` with the same example values` : ''} (line ${earlier.firstLine}): they are told apart by their order, so reordering them swaps their ids and seeds; give them different names`,
      });
    }
    const key = ordinal > 1 ? `${base}\n#${ordinal}` : base;
    let id = `${source.uri}#${slug(source.name)}${source.example ? `:${slug(values.join(' '))}` : ''}`;
    // Names that differ only in punctuation slug alike: keep ids unique all the same.
    if (ordinal > 1 || taken.has(id)) {
      let n = Math.max(ordinal, 2);
      while (taken.has(`${id}~${n}`)) n++;
      id = `${id}~${n}`;
    }
    taken.add(id);
    return { id, key };
  });
  return { identities, warnings };
}
