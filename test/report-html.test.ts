import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DATA_ISLAND_ID, renderReport, reportData, writeReport, type ReportData, type ReportInput } from '../src/report/html/index.js';
import { timelineLayout } from '../src/report/html/timeline-layout.js';
import { fixtureHistoryFile, fixtureRunDir, loadFixtureRun, type FixtureRun } from './fixtures/runs/fixture-runs.js';

const SPECS_COMMIT = '3f9c2a1e8b7d6c5f4a3b2c1d0e9f8a7b6c5d4e3f';

function input(name: FixtureRun): ReportInput {
  return { ...loadFixtureRun(name), specsCommit: SPECS_COMMIT };
}

/** The page's text as a reader sees it: no tags, entities decoded, spaces collapsed. */
function textOf(html: string): string {
  return html
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

function islandOf(html: string): string {
  const match = new RegExp(`<script type="application/json" id="${DATA_ISLAND_ID}">([\\s\\S]*?)</script>`).exec(html);
  if (!match) throw new Error('no data island');
  return match[1]!;
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

const rendered = new Map<FixtureRun, { html: string; text: string; data: ReportData }>();
function report(name: FixtureRun) {
  let entry = rendered.get(name);
  if (!entry) {
    const html = renderReport(input(name));
    entry = { html, text: textOf(html), data: reportData(input(name)) };
    rendered.set(name, entry);
  }
  return entry;
}

describe('the HTML report of a passing SecureCart run', () => {
  const { results } = loadFixtureRun('securecart');

  it('names every scenario, with its verdict', () => {
    const { text } = report('securecart');
    for (const scenario of results.scenarios) expect(text).toContain(`${scenario.name} — passed`);
    expect(text).toContain('PASSED All 18 scenarios passed and all 20 objectives were met.');
  });

  it('states the run’s facts', () => {
    const { text } = report('securecart');
    for (const fact of ['Environment securecart', 'Target sim', 'Account 123456789012', 'Regions us-east-1, us-west-2', 'Seed 42', 'Started 2026-02-17 06:00:04 UTC', 'Exit code 0', 'gameday 0.1.0', `Specs commit ${SPECS_COMMIT}`]) {
      expect(text).toContain(fact);
    }
    expect(text).toContain('Simulated time 9 h 23 min');
  });

  it('prints the score with its formula and this run’s figures', () => {
    const { text, data } = report('securecart');
    expect(data.score.value).toBe(100);
    expect(text).toContain('Resilience score 100 / 100 ⌊100 × (0.6 × 20/20 + 0.4 × 18/18)⌋ = 100');
    expect(text).toContain('score = ⌊100 × (0.6 × objectives met ÷ objectives measured + 0.4 × scenarios passed ÷ scenarios planned)⌋');
  });

  it('has a row per strategy exercised, targets against measured figures', () => {
    const { text, data } = report('securecart');
    // The suite tags backups @backup, not @backup-and-restore: the run core gives them no strategy.
    expect(data.strategies.map((g) => g.label)).toEqual(['Pilot light', 'Warm standby', 'Multi-site active-active', 'No DR-strategy tag']);
    expect(text).toContain('Pilot light The primary region loses its orders database 15 min 4 min 12 s ±5 s ✔ met 1 min 0 s ±5 s ✔ met ✔ passed');
    expect(text).toContain('Customers reach the orders service in us-west-2 again 45 min 21 min 55 s ±5 s ✔ met 1 min 5.6 s ±5 s ✔ met ✔ passed');
  });

  it('draws a timeline per scenario that ran over time, described in words', () => {
    const { html } = report('securecart');
    const timelines = html.match(/<svg viewBox="0 0 1000 [\d.]+" role="img" aria-label="Timeline of [^"]*"/g) ?? [];
    expect(timelines.length).toBeGreaterThanOrEqual(12);
    expect(html).toContain(
      'aria-label="Timeline of “Customers reach the orders service in us-west-2 again” over 22:14; fault primary-region-outage: region-outage 0:06–22:14; ' +
        'recovery promote read replica orders-db-replica 0:06–5:20; recovery scale up standby orders-api in us-west-2 5:20–21:04; ' +
        'DNS change DNS failover api.securecart.example → us-west-2 21:04–22:04; orders-api down 0:13–22:00; incident at 0:06; recovered +21 min 55 s at 22:00; ' +
        'RTO target 45 min at 45:06, past the end of the chart; 1 acknowledged write to orders-db lost (#2)."',
    );
  });

  it('shows RTO and RPO trends over the last ten runs, marking this one', () => {
    const { data, html } = report('securecart');
    const pilot = data.scenarios.find((s) => s.name === 'Customers reach the orders service in us-west-2 again')!;
    expect(pilot.trend?.points).toHaveLength(10);
    expect(pilot.trend?.points.at(-1)).toMatchObject({ current: true, runId: results.runId, rto: { measuredSeconds: pilot.rto!.measuredSeconds } });
    expect(pilot.trend?.points.slice(0, -1).every((p) => p.startedAt < results.startedAt)).toBe(true);
    expect(html).toMatch(/aria-label="RTO over the last 10 runs: 02-04: [^"]*; 02-12: [^";]* met \(target 45 min\); this run: 21 min 55 s met \(target 45 min\)"/);
  });

  it('stays well under 1.5 MB, probe samples and canary writes summarised', () => {
    const { html, data } = report('securecart');
    expect(Buffer.byteLength(html)).toBeLessThan(1.5 * 1024 * 1024);
    const events = data.scenarios.flatMap((s) => s.events);
    expect(events.some((e) => e.kind === 'probe.sample' || e.kind === 'canary.write')).toBe(false);
    const samples = results.scenarios.flatMap((s) => s.timeline).filter((e) => e.kind === 'probe.sample').length;
    const runs = data.scenarios.flatMap((s) => s.probes).reduce((sum, p) => sum + p.runs.length, 0);
    expect(runs * 10).toBeLessThan(samples);
  });

  it('stays small for a day-long game day sampled every second', () => {
    const long = structuredClone(input('securecart'));
    const scenario = long.results.scenarios.find((s) => s.name === 'Customers reach the orders service in us-west-2 again')!;
    const start = Date.parse(scenario.timeline[0]!.at);
    for (let i = 0; i < 86_400; i++) {
      // Probe answers jitter by a fraction of a second; the outage lasts twenty minutes.
      const t = i + ((i * 37) % 100) / 400;
      const ok = i < 3600 || i > 4800;
      const at = new Date(start + t * 1000).toISOString();
      scenario.timeline.push({ at, t, kind: 'probe.sample', detail: { probe: 'probe:orders-api', ok, status: ok ? 'HTTP 200' : 'timeout' } });
      scenario.timeline.push({ at, t, kind: 'canary.write', detail: { canary: 'orders-db', seq: 1000 + i, ok } });
    }
    scenario.simulatedSeconds = 86_400;
    const html = renderReport(long);
    expect(Buffer.byteLength(html) - Buffer.byteLength(report('securecart').html)).toBeLessThan(100_000);
  });

  it('renders the same bytes every time', () => {
    expect(renderReport(input('securecart'))).toBe(report('securecart').html);
  });
});

describe('the page is self-contained and locked down', () => {
  const { html } = report('securecart');

  it('has a strict Content-Security-Policy naming its inline style and script by hash', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1]?.replace(/&#x27;/g, "'");
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(csp).toBe(`default-src 'none'; style-src ${sha256(style)}; script-src ${sha256(script)}; img-src data:; base-uri 'none'; form-action 'none'`);
  });

  it('loads nothing: no external script, stylesheet, font, image or link', () => {
    expect(html).not.toMatch(/<link\b/);
    expect(html).not.toMatch(/<(img|iframe|object|embed|audio|video|source)\b/);
    expect(html).not.toMatch(/\b(src|href|action|srcset)="(?!#)/);
    expect(html).not.toMatch(/url\((?!#)/);
    expect(html).not.toMatch(/@import|@font-face/);
    expect(html).not.toMatch(/style="/);
    expect(html.match(/<script\b/g)).toHaveLength(2);
  });

  it.each(['securecart', 'failing', 'drill', 'aborted'] as const)('%s: embeds its data as JSON that reads back to exactly what was rendered', (name) => {
    const { data, html } = report(name);
    expect(JSON.parse(islandOf(html))).toEqual(data);
    expect(data.format).toBe('gameday-report/1');
  });
});

describe('a scenario name cannot break out of the page', () => {
  const hostile = '</script><script>alert(1)</script><!-- \u2028';
  const base = input('failing');
  const results = structuredClone(base.results);
  results.scenarios[0]!.name = hostile;
  results.notes.push({ at: '2026-02-18T06:00:05.000Z', text: '<img src=x onerror=alert(2)> & </style>', scenarioId: results.scenarios[0]!.id, t: 3 });
  const html = renderReport({ ...base, results });

  it('keeps exactly the page’s own two scripts', () => {
    expect(html.match(/<script\b/g)).toHaveLength(2);
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).not.toMatch(/<img\b/);
    expect(html.match(/<\/style>/g)).toHaveLength(1);
  });

  it('round-trips the name through the data island unchanged', () => {
    const island = islandOf(html);
    expect(island).not.toMatch(/[<>&\u2028\u2029]/);
    const data = JSON.parse(island) as ReportData;
    expect(data.scenarios[0]!.name).toBe(hostile);
    expect(textOf(html)).toContain('</script><script>alert(1)</script><!--');
  });
});

describe('the HTML report of a run with failures', () => {
  const { text, data, html } = report('failing');

  it('says FAILED, and how many scenarios and objectives failed', () => {
    expect(data.verdict).toMatchObject({ outcome: 'failed', headline: 'FAILED', detail: '5 of 11 scenarios failed; 3 of 14 objectives breached.' });
    expect(text).toContain('✘ 5 failed');
    expect(text).toContain('✘ 3 BREACHED');
  });

  it('scores 68 and shows the working', () => {
    expect(data.score.value).toBe(68);
    expect(text).toContain('⌊100 × (0.6 × 11/14 + 0.4 × 6/11)⌋ = 68');
  });

  it('shows a breached RTO with its figure, and one not recovered with how long it was watched', () => {
    expect(text).toContain('The primary region loses its orders database 3 min 4 min 31 s ±5 s ✘ BREACHED');
    expect(text).toContain('Customers reach the orders service in us-west-2 again 45 min not recovered (watched 2 h) ✘ BREACHED');
    expect(text).toContain('RTO breached: orders-api did not recover within 2 h of the incident (target 45 min)');
    expect(html).toMatch(/<rect class="bar-unknown"/);
  });

  it('lists the lost write, the failed check’s evidence, the warning and the room’s notes', () => {
    expect(text).toContain('✘ 2 lost: #6–#7 (2 writes, written 0:05–0:06)');
    expect(text).toContain('✘ FAILED automated backup retention orders-db BackupRetentionPeriod 3 days (at least 7 required)');
    expect(text).toContain('⚠ Warning features/active-active.feature:9 : the RPO of 0 s is finer than the canary');
    expect(text).toContain('✎1 No servers in us-west-2: the scale-up step was removed from the runbook by mistake.');
  });

  it('marks each step with its status, the breach under its step', () => {
    expect(text).toMatch(/8 ✘ Then "orders-api" is healthy again within the RTO \(failed\) 5:32–2:00:06 · 1 s wall RTO breached: orders-api did not recover within 2 h/);
    expect(text).toMatch(/4 ○ And orders are written to "orders-db" every 30 seconds \(not run\)/);
  });

  it('gives the failed scenarios to the filter, and the trend marks this run’s breach', () => {
    expect(html.match(/data-failed="true"/g)).toHaveLength(5);
    expect(html).toMatch(/aria-label="RTO over the last 10 runs: [^"]*this run: 4 min 31 s BREACHED \(target 3 min\)"/);
  });
});

describe('the HTML report of a drill', () => {
  const { text, data } = report('drill');

  it('calls the incident planned, on the page and in the timeline', () => {
    expect(data.run.drill).toBe(true);
    expect(text).toContain('drill: planned incidents, no fault injected');
    expect(text).toContain('Planned incident (drill) at 0:00 (2026-01-05 09:00:00 UTC): forced failover of securecart-orders');
    const layout = timelineLayout(data.scenarios[0]!);
    expect(layout.marks.find((m) => m.kind === 'incident')).toMatchObject({ t: 0, label: 'planned incident' });
    expect(layout.marks.find((m) => m.kind === 'recovered')).toMatchObject({ t: 105, label: 'recovered +1 min 45 s' });
  });

  it('says there is no trend yet for a scenario never run before', () => {
    expect(text).toContain('No earlier run of this scenario on securecart in the history');
  });
});

describe('the HTML report of an interrupted run', () => {
  const { text, data } = report('aborted');

  it('says INTERRUPTED with exit 130, and which scenarios never started', () => {
    expect(data.verdict).toMatchObject({ outcome: 'interrupted', headline: 'INTERRUPTED' });
    expect(text).toContain('Stopped before the end (exit 130), then cleaned up: 1 passed, 1 failed or stopped, 2 never started, of 4 scenarios.');
    expect(text.match(/○ Never started: the run was interrupted before this scenario began\./g)).toHaveLength(2);
    expect(data.score.value).toBe(70);
  });

  it('shows the objectives the interrupted scenario set but never measured', () => {
    expect(text).toContain('⚠ Objectives set (RTO 45 min, RPO 1 min) but not measured');
    expect(text).toContain('Customers reach the orders service in us-west-2 again 45 min not measured 1 min not measured ✘ failed');
  });

  it('shows cleanup and the journal: undone, and the promotion that stays changed', () => {
    expect(text).toContain('✔ StopExperiment (experiment for primary-region-outage): done');
    expect(text).toMatch(/promotion of securecart-orders-replica rds:PromoteReadReplica \(us-west-2\) input \{[^}]*\} none possible ⚠ irreversible: left changed/);
    expect(text).toMatch(/experiment for primary-region-outage fis:StartExperiment \(us-east-1\) input \{[^}]*\} \} fis:StopExperiment \(us-east-1\) ✔ undone/);
  });

  it('draws the unfinished recovery action up to the end of the scenario', () => {
    const layout = timelineLayout(data.scenarios.find((s) => s.name === 'Customers reach the orders service in us-west-2 again')!);
    expect(layout.spans.find((s) => s.lane === 'recovery')).toMatchObject({ label: 'promote read replica orders-db-replica', endT: null });
  });
});

describe('writeReport', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  function copyOf(name: FixtureRun): string {
    const reports = mkdtempSync(join(tmpdir(), 'gameday-report-'));
    dirs.push(reports);
    const runDir = join(reports, name);
    cpSync(fixtureRunDir(name), runDir, { recursive: true });
    return runDir;
  }

  it('writes index.html beside results.json, reading the history from the folder above', async () => {
    const runDir = copyOf('securecart');
    cpSync(fixtureHistoryFile, join(runDir, '..', 'history.jsonl'));
    const path = await writeReport(runDir, { specsCommit: SPECS_COMMIT });
    expect(path).toBe(join(runDir, 'index.html'));
    const html = readFileSync(path, 'utf8');
    expect(html).toBe(renderReport(input('securecart')));
    expect(existsSync(`${path}.partial`)).toBe(false);
  });

  it('takes a missing journal and history as none', async () => {
    const runDir = copyOf('drill');
    rmSync(join(runDir, 'journal.ndjson'));
    const data = JSON.parse(islandOf(readFileSync(await writeReport(runDir), 'utf8'))) as ReportData;
    expect(data.scenarios[0]!.journal).toEqual([]);
    expect(data.scenarios[0]!.trend?.points).toHaveLength(1);
  });

  it('names a journal line it could not read (a crash cut it short) instead of dropping it silently', async () => {
    const runDir = copyOf('aborted');
    const journal = join(runDir, 'journal.ndjson');
    const lines = readFileSync(journal, 'utf8');
    writeFileSync(journal, `${lines}{"runId":"2026-02-20T14-10-41-330Z-seed5","scen`);
    const text = textOf(readFileSync(await writeReport(runDir, { historyFile: fixtureHistoryFile }), 'utf8'));
    expect(text).toMatch(new RegExp(`⚠ Not read journal\\.ndjson line ${lines.split('\n').length}: `));
  });
});
