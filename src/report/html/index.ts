/**
 * The HTML game-day report (DESIGN §4, §7): `reports/<runId>/index.html`,
 * one self-contained file rendered on the server from the run folder.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { JournalEntry } from '../../harness/index.js';
import { parseJsonLines, readOptional, RUN_FILES } from '../../run/run-folder.js';
import type { HistoryEntry, RunResults } from '../types.js';
import { renderDocument } from './render.js';
import { reportData } from './report-data.js';
import type { ReportInput } from './types.js';

export type { ReportData, ReportInput } from './types.js';
export { DATA_ISLAND_ID } from './ReportDocument.js';
export { resilienceScore, SCORE_FORMULA, SCORE_WEIGHTS } from './score.js';
export { reportData } from './report-data.js';

/** The whole HTML document for a run. Pure: the same input gives the same bytes. */
export function renderReport(input: ReportInput): string {
  return renderDocument(reportData(input));
}

export interface WriteReportOptions {
  /** Default: `<runDir>/../history.jsonl` (reports/history.jsonl); a missing file is no history. */
  historyFile?: string;
  /** The commit of the feature files, when the caller knows it. */
  specsCommit?: string;
}

/**
 * Read a run folder (results.json; journal.ndjson, which may be missing or
 * empty; the history) and write `<runDir>/index.html`. Returns its path.
 * A missing or unreadable results.json is an error: there is no report
 * without it.
 * Lines of the journal or history that cannot be parsed (a crash can cut the
 * last one short) are left out and named on the page, not dropped silently.
 */
export async function writeReport(runDir: string, options: WriteReportOptions = {}): Promise<string> {
  const results = JSON.parse(await readFile(join(runDir, RUN_FILES.results), 'utf8')) as RunResults;
  const readProblems: string[] = [];
  const journalFile = join(runDir, RUN_FILES.journal);
  const journal = parseJsonLines<JournalEntry>(await readOptional(journalFile), journalFile, readProblems);
  const historyFile = options.historyFile ?? join(dirname(runDir), 'history.jsonl');
  const history = parseJsonLines<HistoryEntry>(await readOptional(historyFile), historyFile, readProblems);
  const html = renderReport({
    results,
    journal,
    history,
    ...(options.specsCommit !== undefined ? { specsCommit: options.specsCommit } : {}),
    ...(readProblems.length > 0 ? { readProblems } : {}),
  });
  const path = join(runDir, RUN_FILES.html);
  // Write beside and rename: a reader (or a crash) never sees half a report.
  const partial = `${path}.partial`;
  await writeFile(partial, html, 'utf8');
  await rename(partial, path);
  return path;
}
