import type { GherkinDocument, Pickle } from '@cucumber/messages';

/** AST node id → its line in the feature file. */
export function lineIndex(document: GherkinDocument): Map<string, number> {
  const lines = new Map<string, number>();
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const record = node as { id?: unknown; location?: { line?: number } };
    if (typeof record.id === 'string' && record.location?.line !== undefined) lines.set(record.id, record.location.line);
    for (const value of Object.values(node)) visit(value);
  };
  visit(document.feature);
  return lines;
}

/** The line a pickle starts at: its example row for an outline, else its scenario. */
export function pickleLine(pickle: Pickle, lines: Map<string, number>): number {
  return lines.get(pickle.astNodeIds.at(-1) ?? '') ?? lines.get(pickle.astNodeIds[0] ?? '') ?? 0;
}
