/**
 * The report's one stylesheet, inlined in a <style> element whose hash the
 * Content-Security-Policy names. No style="" attribute anywhere: the policy
 * would block it. No web font either: the system's sans-serif, so the file
 * makes no request and stays small.
 */
export const REPORT_CSS = String.raw`
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --border: #d1d9e0; --panel: #f6f8fa; --panel-2: #eef1f4;
  --ok: #1a7f37; --ok-bg: #dafbe1; --bad: #cf222e; --bad-bg: #ffebe9; --warn: #9a6700; --warn-bg: #fff8c5;
  --info: #0969da; --fault: #bc4c00; --recovery: #0969da; --dns: #8250df; --note: #6e7781; --target: #1f2328;
  --mono: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --border: #3d444d; --panel: #151b23; --panel-2: #1c2330;
    --ok: #3fb950; --ok-bg: #12261e; --bad: #f85149; --bad-bg: #2d1417; --warn: #d29922; --warn-bg: #272115;
    --info: #4493f8; --fault: #f0883e; --recovery: #4493f8; --dns: #ab7df8; --note: #9198a1; --target: #e6edf3;
  }
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
html { background: var(--bg); color: var(--fg); }
body {
  margin: 0 auto; max-width: 76rem; padding: 1.5rem 1.5rem 4rem;
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", "Liberation Sans", "DejaVu Sans", sans-serif;
}
h1 { font-size: 1.6rem; margin: 0; line-height: 1.25; }
h2 { font-size: 1.15rem; margin: 2rem 0 .6rem; padding-bottom: .3rem; border-bottom: 1px solid var(--border); }
h3 { font-size: .95rem; margin: 1.4rem 0 .5rem; }
p { margin: .4rem 0; }
code, .mono { font-family: var(--mono); font-size: .9em; }
a { color: var(--info); }
table { border-collapse: collapse; width: 100%; font-size: .92em; }
th, td { text-align: left; padding: .35rem .55rem; border-bottom: 1px solid var(--border); vertical-align: top; }
th { font-weight: 600; color: var(--muted); background: var(--panel); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.muted { color: var(--muted); }
.small { font-size: .85em; }
.nowrap { white-space: nowrap; }
.ok { color: var(--ok); }
.bad { color: var(--bad); font-weight: 600; }
.warn { color: var(--warn); }

.masthead { display: flex; justify-content: space-between; align-items: flex-start; gap: 1rem; flex-wrap: wrap; }
.masthead .kicker { text-transform: uppercase; letter-spacing: .08em; font-size: .75rem; color: var(--muted); font-weight: 600; }
.masthead .run-id { font-family: var(--mono); font-size: .85rem; color: var(--muted); }
.verdict {
  display: flex; align-items: center; gap: 1rem; margin: 1.2rem 0; padding: .9rem 1.1rem;
  border: 1px solid var(--border); border-left: .45rem solid var(--muted); border-radius: .4rem; background: var(--panel);
}
.verdict .glyph { font-size: 2rem; line-height: 1; width: 2.4rem; text-align: center; }
.verdict .headline { font-size: 1.35rem; font-weight: 700; letter-spacing: .04em; }
.verdict.passed { border-left-color: var(--ok); background: var(--ok-bg); }
.verdict.passed .glyph, .verdict.passed .headline { color: var(--ok); }
.verdict.failed, .verdict.refused, .verdict.bad-input { border-left-color: var(--bad); background: var(--bad-bg); }
.verdict.failed .glyph, .verdict.failed .headline, .verdict.refused .headline, .verdict.bad-input .headline { color: var(--bad); }
.verdict.interrupted, .verdict.empty { border-left-color: var(--warn); background: var(--warn-bg); }
.verdict.interrupted .glyph, .verdict.interrupted .headline { color: var(--warn); }
.chip {
  display: inline-block; padding: 0 .45rem; border: 1px solid var(--border); border-radius: 1rem;
  font-size: .78rem; color: var(--muted); background: var(--panel); white-space: nowrap; margin-right: .25rem;
}
.chip.drill { color: var(--warn); border-color: var(--warn); }

.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(21rem, 1fr)); gap: .1rem 2rem; margin: 0; }
.facts div { display: flex; gap: .6rem; padding: .2rem 0; border-bottom: 1px dotted var(--border); }
.facts dt { color: var(--muted); min-width: 8rem; flex: none; }
.facts dd { margin: 0; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }

.scorecard { display: grid; grid-template-columns: repeat(auto-fit, minmax(13rem, 1fr)); gap: .8rem; margin-top: 1rem; }
.card { border: 1px solid var(--border); border-radius: .4rem; padding: .7rem .9rem; background: var(--bg); }
.card .label { font-size: .78rem; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); font-weight: 600; }
.card .figure { font-size: 1.9rem; font-weight: 700; line-height: 1.2; font-variant-numeric: tabular-nums; }
.card .figure small { font-size: .95rem; font-weight: 500; color: var(--muted); }
.card .split { display: flex; gap: 1rem; font-size: .92rem; margin-top: .15rem; }
.card.score .figure { font-size: 2.3rem; }
.formula { margin-top: .6rem; padding: .5rem .7rem; border-left: 3px solid var(--border); background: var(--panel); font-size: .85rem; }
.formula code { white-space: normal; }

.notice { border: 1px solid var(--border); border-left: .3rem solid var(--warn); border-radius: .3rem; padding: .5rem .8rem; margin: .5rem 0; background: var(--warn-bg); }
.notes-list { list-style: none; padding: 0; margin: .3rem 0; }
.notes-list li { padding: .35rem .6rem; border-left: 3px solid var(--note); margin: .3rem 0; background: var(--panel); }
.notes-list .who { color: var(--muted); font-size: .85em; }

.toolbar { display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; margin: .5rem 0 .8rem; }
.toolbar button {
  font: inherit; font-size: .85rem; padding: .2rem .7rem; border: 1px solid var(--border); border-radius: .3rem;
  background: var(--panel); color: var(--fg); cursor: pointer;
}
.toolbar button[aria-pressed="true"] { background: var(--fg); color: var(--bg); border-color: var(--fg); }
.toolbar .count { color: var(--muted); font-size: .85rem; margin-left: .3rem; }
.filtered-out { display: none; }

details.scenario { border: 1px solid var(--border); border-radius: .4rem; margin: .5rem 0; background: var(--bg); }
details.scenario > summary {
  cursor: pointer; padding: .55rem .8rem; display: grid; grid-template-columns: 1.6rem 1fr auto; gap: .5rem; align-items: baseline;
  list-style: none; border-left: .3rem solid var(--muted); border-radius: .4rem;
}
details.scenario > summary::-webkit-details-marker { display: none; }
details.scenario > summary::before { content: none; }
details.scenario.status-passed > summary { border-left-color: var(--ok); }
details.scenario.status-failed > summary, details.scenario.status-undefined > summary, details.scenario.status-ambiguous > summary, details.scenario.status-pending > summary { border-left-color: var(--bad); }
details.scenario.status-skipped > summary { border-left-color: var(--warn); }
details.scenario[open] > summary { border-bottom: 1px solid var(--border); border-bottom-left-radius: 0; border-bottom-right-radius: 0; background: var(--panel); }
summary .glyph { font-size: 1.1rem; text-align: center; }
summary .title { font-weight: 600; }
summary .title .fold { color: var(--muted); font-weight: 400; margin-right: .3rem; display: inline-block; transition: transform .1s; }
details[open] > summary .title .fold { transform: rotate(90deg); }
summary .figures { font-size: .85rem; white-space: nowrap; font-variant-numeric: tabular-nums; }
summary .figures span + span { margin-left: .8rem; }
.scenario-body { padding: .4rem 1rem 1rem; }
.scenario-body > h3:first-child { margin-top: .6rem; }
.meta { color: var(--muted); font-size: .85rem; }
.error-box { border: 1px solid var(--bad); border-left: .3rem solid var(--bad); background: var(--bad-bg); border-radius: .3rem; padding: .5rem .8rem; margin: .6rem 0; }
.error-box pre { margin: 0; white-space: pre-wrap; font-family: var(--mono); font-size: .85rem; }

.status-passed .glyph, .st-passed { color: var(--ok); }
.status-failed .glyph, .st-failed, .st-undefined, .st-ambiguous, .st-pending { color: var(--bad); }
.status-skipped .glyph, .st-skipped { color: var(--warn); }

.gherkin { font-family: var(--mono); font-size: .85rem; border: 1px solid var(--border); border-radius: .3rem; background: var(--panel); padding: .3rem 0; margin: 0; list-style: none; }
.gherkin li { display: grid; grid-template-columns: 1.6rem 2rem 1fr auto; gap: .4rem; padding: .1rem .7rem; }
.gherkin li.step-failed { background: var(--bad-bg); }
.gherkin .n { color: var(--muted); text-align: right; }
.gherkin .kw { color: var(--dns); font-weight: 600; }
.gherkin .time { color: var(--muted); white-space: nowrap; font-variant-numeric: tabular-nums; }
.gherkin .step-error { grid-column: 3 / -1; color: var(--bad); white-space: pre-wrap; }
.gherkin .scenario-line { grid-template-columns: 1fr; color: var(--muted); }

.objectives { display: grid; gap: .55rem; }
.objective { display: grid; grid-template-columns: minmax(12rem, 18rem) 1fr; gap: .8rem; align-items: center; }
.objective .what { font-size: .88rem; }
.objective .what strong { font-variant-numeric: tabular-nums; }
.objective svg { width: 100%; height: auto; overflow: visible; }

svg text { fill: var(--fg); font: 11px system-ui, "Liberation Sans", "DejaVu Sans", sans-serif; }
svg .muted-text { fill: var(--muted); }
svg .axis line, svg .grid { stroke: var(--border); stroke-width: 1; }
svg .lane-bg { fill: var(--panel); }
svg .lane-label { fill: var(--muted); font-size: 11px; }
svg .lane-kind { font-size: 9.5px; text-transform: uppercase; letter-spacing: .05em; }
svg .span-fault { fill: var(--fault); fill-opacity: .85; }
svg .span-recovery { fill: var(--recovery); fill-opacity: .85; }
svg .span-dns { fill: var(--dns); fill-opacity: .85; }
svg .span-open { fill-opacity: .45; }
svg .span-text { fill: #ffffff; font-size: 10.5px; }
svg .step-seg { fill: var(--panel-2); stroke: var(--border); }
svg .step-text { fill: var(--muted); font-size: 10px; }
svg .up { fill: var(--ok); }
svg .down { fill: var(--bad); }
svg .tick-up { stroke: var(--ok); stroke-width: 1; }
svg .tick-down { stroke: var(--bad); stroke-width: 1; }
svg .write-ok { stroke: var(--ok); stroke-width: 1; }
svg .write-refused { stroke: var(--muted); stroke-width: 1; }
svg .lost { stroke: var(--bad); stroke-width: 2; }
svg .rpo-window { fill: var(--warn); fill-opacity: .18; }
svg .mark-incident { stroke: var(--bad); stroke-width: 2; }
svg .mark-recovered { stroke: var(--ok); stroke-width: 2; }
svg .mark-rto-target { stroke: var(--target); stroke-width: 1.5; stroke-dasharray: 5 4; }
svg .mark-cleanup { stroke: var(--muted); stroke-width: 1; stroke-dasharray: 2 3; }
svg .mark-note { stroke: var(--note); stroke-width: 1; stroke-dasharray: 1 3; }
svg .label-incident { fill: var(--bad); font-weight: 600; }
svg .label-recovered { fill: var(--ok); font-weight: 600; }
svg .label-rto-target { fill: var(--target); }
svg .label-cleanup, svg .label-note { fill: var(--muted); }
svg .bar-track { fill: var(--panel-2); }
svg .bar-met { fill: var(--ok); }
svg .bar-breached { fill: var(--bad); }
svg .bar-unknown { fill: url(#hatch-bad); stroke: var(--bad); }
svg .hatch-line { stroke: var(--bad); stroke-width: 2; }
svg .target-line { stroke: var(--target); stroke-width: 2; }
svg .whisker { stroke: var(--fg); stroke-width: 1; }
svg .truth { fill: var(--bg); stroke: var(--fg); stroke-width: 1.5; }
svg .trend-line { fill: none; stroke: var(--muted); stroke-width: 1.5; }
svg .trend-target { fill: none; stroke: var(--target); stroke-width: 1.2; stroke-dasharray: 4 3; }
svg .pt-met { fill: var(--ok); }
svg .pt-breached { stroke: var(--bad); stroke-width: 2.2; fill: none; }
svg .pt-current { fill: none; stroke: var(--info); stroke-width: 2; }
svg .current-label { fill: var(--info); font-weight: 600; }
.timeline svg { width: 100%; height: auto; display: block; }
.timeline { border: 1px solid var(--border); border-radius: .3rem; padding: .4rem; background: var(--bg); }
.legend { display: flex; flex-wrap: wrap; gap: .3rem 1rem; font-size: .8rem; color: var(--muted); margin: .4rem .2rem 0; }
.legend .sw { display: inline-block; width: .9rem; height: .6rem; margin-right: .3rem; vertical-align: baseline; border-radius: 2px; }
.sw-fault { background: var(--fault); } .sw-recovery { background: var(--recovery); } .sw-dns { background: var(--dns); }
.sw-up { background: var(--ok); } .sw-down { background: var(--bad); height: .3rem !important; } .sw-rpo { background: var(--warn); opacity: .35; }
.sw-line { display: inline-block; width: 1.2rem; height: 0; border-top: 2px solid; margin-right: .3rem; vertical-align: middle; }
.sw-incident { border-color: var(--bad); } .sw-recovered { border-color: var(--ok); } .sw-target { border-top-style: dashed; border-color: var(--target); }
.sw-note { border-top: 1px dotted var(--note); } .sw-cleanup { border-top: 1px dashed var(--muted); }
.sw-tick { display: inline-block; width: .5rem; height: .8rem; margin-right: .3rem; border-left: 1px solid; vertical-align: baseline; }
.sw-tick.sw-ok { border-color: var(--ok); } .sw-tick.sw-refused { border-color: var(--muted); height: .35rem; }
.sw-x::before { content: "✕"; color: var(--bad); font-weight: 700; margin-right: .3rem; }

.two-col { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
.trend figure { margin: 0; }
.trend figcaption { font-size: .85rem; color: var(--muted); }
.trend svg { width: 100%; height: auto; }
details.raw > summary { cursor: pointer; color: var(--info); font-size: .85rem; }
pre.json { font-family: var(--mono); font-size: .78rem; white-space: pre-wrap; overflow-wrap: anywhere; background: var(--panel); padding: .4rem .6rem; border-radius: .3rem; margin: .3rem 0; }
.outcome-undone { color: var(--ok); }
.outcome-undo-failed, .outcome-pending { color: var(--bad); font-weight: 600; }
.outcome-irreversible, .outcome-no-undo { color: var(--warn); }
footer { margin-top: 3rem; color: var(--muted); font-size: .8rem; border-top: 1px solid var(--border); padding-top: .6rem; }

@media (max-width: 50rem) {
  .two-col, .objective { grid-template-columns: 1fr; }
  summary .figures { display: none; }
}

@media print {
  :root {
    color-scheme: light;
    --bg: #ffffff; --fg: #000000; --muted: #444c56; --border: #b8c0c8; --panel: #f4f6f8; --panel-2: #e8ecf0;
    --ok: #116329; --ok-bg: #eaf7ee; --bad: #b3131d; --bad-bg: #fdeeee; --warn: #7d4e00; --warn-bg: #fdf8e1;
    --info: #0550ae; --fault: #bc4c00; --recovery: #0550ae; --dns: #6639ba; --note: #57606a; --target: #000000;
  }
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  .toolbar, .no-print { display: none !important; }
  .filtered-out { display: block !important; }
  /* CSS cannot open a <details>, but Chromium (131+) hides a closed one's content through
     ::details-content, which print can show (the browser test checks it). The script's
     beforeprint hook also opens them, for engines without ::details-content. */
  details::details-content { content-visibility: visible !important; display: block !important; }
  details.scenario { break-before: page; border: none; }
  details.scenario > summary { border-left-width: .5rem; }
  details.scenario > summary .fold { display: none; }
  details.raw > summary { display: none; }
  .timeline, .objective, .trend figure, tr, .gherkin li { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
}
`;
