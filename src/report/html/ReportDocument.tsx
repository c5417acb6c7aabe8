import { RunHeader } from './RunHeader.js';
import { RunNotes } from './RunNotes.js';
import { ScenarioSection } from './ScenarioSection.js';
import { Scorecard } from './Scorecard.js';
import { StrategyTable } from './StrategyTable.js';
import { Toolbar } from './Toolbar.js';
import { JournalTable } from './JournalTable.js';
import type { ReportData } from './types.js';

export const DATA_ISLAND_ID = 'gameday-report-data';

export interface DocumentParts {
  data: ReportData;
  /** The stylesheet and the script, exactly as the policy's hashes were computed over them. */
  css: string;
  script: string;
  /** The data as script-safe JSON (see data-island.ts). */
  island: string;
  contentSecurityPolicy: string;
}

/** The whole page. Every part is rendered on the server; the script only adds filters. */
export function ReportDocument({ data, css, script, island, contentSecurityPolicy }: DocumentParts) {
  const title = `${data.verdict.headline}: game day ${data.run.environment}, ${data.run.runId}`;
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta httpEquiv="Content-Security-Policy" content={contentSecurityPolicy} />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="generator" content={`gameday ${data.run.gamedayVersion ?? ''}`.trim()} />
        <meta name="referrer" content="no-referrer" />
        <title>{title}</title>
        <style dangerouslySetInnerHTML={{ __html: css }} />
      </head>
      <body>
        <svg width="0" height="0" aria-hidden="true" focusable="false" className="defs">
          <defs>
            <pattern id="hatch-bad" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
              <line className="hatch-line" x1="0" y1="0" x2="0" y2="6" />
            </pattern>
          </defs>
        </svg>
        <RunHeader run={data.run} verdict={data.verdict} />
        <main>
          <Scorecard scenarios={data.scenarios} score={data.score} />
          <StrategyTable groups={data.strategies} checks={data.scenarios.filter((s) => !s.strategy && s.objectives.length === 0)} />
          <RunNotes warnings={data.warnings} notes={data.notes} readProblems={data.readProblems} />
          <section aria-labelledby="scenarios-title">
            <h2 id="scenarios-title">Scenarios ({data.scenarios.length})</h2>
            <Toolbar />
            {data.scenarios.length === 0 ? <p className="muted">No scenario ran.</p> : null}
            {data.scenarios.map((scenario) => (
              <ScenarioSection key={scenario.id} scenario={scenario} run={data.run} />
            ))}
          </section>
          {data.unmatchedJournal.length > 0 ? (
            <section aria-labelledby="journal-title">
              <h2 id="journal-title">Journal entries of no scenario in these results</h2>
              <JournalTable calls={data.unmatchedJournal} />
            </section>
          ) : null}
        </main>
        <footer>
          Written by gameday {data.run.gamedayVersion ?? ''} from run {data.run.runId}. This file is self-contained: it loads nothing from the network, and its data is embedded as JSON
          (element <code>#{DATA_ISLAND_ID}</code>, format <code>{data.format}</code>).
        </footer>
        <script type="application/json" id={DATA_ISLAND_ID} dangerouslySetInnerHTML={{ __html: island }} />
        <script dangerouslySetInnerHTML={{ __html: script }} />
      </body>
    </html>
  );
}
