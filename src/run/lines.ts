import type { GherkinDocument, Pickle, Scenario, TableRow } from '@cucumber/messages';

/** AST node id → its line in the feature file, and for steps their keyword ("Given", "And", …). */
export interface NodeIndex {
  lines: Map<string, number>;
  keywords: Map<string, string>;
}

export function nodeIndex(document: GherkinDocument): NodeIndex {
  const index: NodeIndex = { lines: new Map(), keywords: new Map() };
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const record = node as { id?: unknown; location?: { line?: number }; keyword?: unknown };
    if (typeof record.id === 'string' && record.location?.line !== undefined) {
      index.lines.set(record.id, record.location.line);
      if (typeof record.keyword === 'string') index.keywords.set(record.id, record.keyword.trim());
    }
    for (const value of Object.values(node)) visit(value);
  };
  visit(document.feature);
  return index;
}

/** AST node id → its line in the feature file. */
export function lineIndex(document: GherkinDocument): Map<string, number> {
  return nodeIndex(document).lines;
}

/** The line a pickle starts at: its example row for an outline, else its scenario. */
export function pickleLine(pickle: Pickle, lines: Map<string, number>): number {
  return lines.get(pickle.astNodeIds.at(-1) ?? '') ?? lines.get(pickle.astNodeIds[0] ?? '') ?? 0;
}

/** Every scenario (and outline) of a document, Rules included. */
function scenariosOf(document: GherkinDocument): Scenario[] {
  const found: Scenario[] = [];
  for (const child of document.feature?.children ?? []) {
    if (child.scenario) found.push(child.scenario);
    for (const inner of child.rule?.children ?? []) if (inner.scenario) found.push(inner.scenario);
  }
  return found;
}

/** Where a pickle comes from in its document: the scenario, and for an outline the example row and its table. */
export interface PickleOrigin {
  scenario: Scenario;
  /** Outline pickles only. */
  example?: { headers: string[]; values: string[]; rowLine: number; tableLine: number };
}

export function pickleOrigin(document: GherkinDocument, pickle: Pickle): PickleOrigin | undefined {
  const [scenarioId, rowId] = pickle.astNodeIds;
  const scenario = scenariosOf(document).find((s) => s.id === scenarioId);
  if (!scenario) return undefined;
  if (rowId === undefined) return { scenario };
  for (const examples of scenario.examples) {
    const row: TableRow | undefined = examples.tableBody.find((r) => r.id === rowId);
    if (!row) continue;
    return {
      scenario,
      example: {
        headers: examples.tableHeader?.cells.map((c) => c.value) ?? [],
        values: row.cells.map((c) => c.value),
        rowLine: row.location.line,
        tableLine: examples.location.line,
      },
    };
  }
  return { scenario };
}

/**
 * The lines that select a pickle with `file.feature:LINE`, as cucumber-js
 * selects (the scenario's line; an outline's line selects all its examples;
 * an example row's line selects that row) and one more: an Examples table's
 * line selects that table's rows.
 */
export function selectingLines(origin: PickleOrigin): number[] {
  const lines = [origin.scenario.location.line];
  if (origin.example) lines.push(origin.example.rowLine, origin.example.tableLine);
  return lines;
}
