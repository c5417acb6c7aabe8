import { render } from 'ink-testing-library';
import { stripVTControlCharacters } from 'node:util';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { App } from './App.js';
import { ColourContext } from './colour.js';
import { LiveRegion } from './LiveRegion.js';
import { createViewState, reduce, type ViewInput } from './state.js';
import {
  DNS_FAILOVER,
  longPlan,
  multiAzFinished,
  objective,
  PILOT_LIGHT,
  pilotLightStory,
  RUN_DIR,
  runFinished,
  runResults,
  runStarted,
  scenarioFinished,
  scenarioResult,
  timeline,
} from './test-support.js';
import { ViewStore } from './view-store.js';

afterEach(() => cleanup());

/** React renders on the next turn after the store announces a frame. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

async function showApp(events: ViewInput[], size = { columns: 80, rows: 24 }) {
  const store = new ViewStore(0, createViewState(size));
  const control = { abort: vi.fn(), note: vi.fn() };
  const ui = render(<App store={store} control={control} interactive colour={false} onSpeed={() => {}} onPause={() => {}} />);
  for (const event of events) store.dispatch(event);
  await settle();
  return stripVTControlCharacters(ui.lastFrame() ?? '');
}

/** The live region alone (what Ink redraws in place), as its lines. */
function liveLines(events: ViewInput[], size: { columns: number; rows: number }): string[] {
  const state = createViewState(size);
  for (const event of events) reduce(state, event);
  const ui = render(
    <ColourContext.Provider value={false}>
      <LiveRegion view={state} abilities={{ speed: true, pause: true }} />
    </ColourContext.Provider>,
  );
  return stripVTControlCharacters(ui.lastFrame() ?? '').split('\n');
}

const duringRecovery = (until: number) => [runStarted(), ...multiAzFinished(), ...pilotLightStory({ incidentAt: 60, recoverAfter: 2000, until })];

describe('Header', () => {
  test('says environment, target with account and regions, seed, run id, scenario n of m, virtual and wall time, and the speed', async () => {
    const frame = await showApp(duringRecovery(360));
    const lines = frame.split('\n');
    expect(lines).toContain('securecart on sim · us-east-1, us-west-2 · run 2026-12-07T13-00-00-000Z-seed42');
    expect(lines).toContainEqual(expect.stringMatching(/^scenario 2 of 3 · virtual 10 min · wall \d+(\.\d)? s · seed 42 · speed 100×$/));
  });

  test('an aws run shows its account; its pace is real time, so no speed', async () => {
    const frame = await showApp([runStarted({ target: 'aws', account: '123456789012', speed: 1 }), ...pilotLightStory({ until: 30 })]);
    const lines = frame.split('\n');
    // At 80 columns the account and regions take one line and the run id another: cut, neither would be of use.
    expect(lines).toContain('securecart on aws 123456789012 · us-east-1, us-west-2');
    expect(lines).toContain('run 2026-12-07T13-00-00-000Z-seed42');
    expect(frame).not.toContain('speed');
  });
});

describe('ScenarioList', () => {
  test('shows each scenario with a mark, and measured RTO/RPO against target once known', async () => {
    const lines = liveLines(duringRecovery(360), { columns: 80, rows: 40 });
    expect(lines.find((l) => l.includes('A forced failover'))).toMatch(/^✔ A forced failover.* RTO 1m35s\/5m ✔ +RPO 0s\/0s ✔/);
    expect(lines.find((l) => l.startsWith('▶ The primary region'))).toContain('running RTO 33% of 15m');
    expect(lines.find((l) => l.includes('Customers reach'))).toMatch(/^○ Customers reach.* RTO –\/45m +RPO –\/1m/);
  });

  test('a dozen scenarios are cut to fit, the running one kept, with a count of the rest', () => {
    const lines = liveLines([runStarted({ plan: longPlan(9) }), ...multiAzFinished(), ...pilotLightStory({ recoverAfter: 2000, until: 360 })], { columns: 80, rows: 24 });
    expect(lines.some((l) => l.startsWith('▶ The primary region loses'))).toBe(true);
    expect(lines.find((l) => l.startsWith('  … '))).toMatch(/… (1 done above, )?\d+ more to run/);
  });
});

describe('RunningScenario', () => {
  test('before the incident: steps with their state, the RTO budget waiting for the incident, writes acknowledged', () => {
    const lines = liveLines([runStarted(), ...pilotLightStory({ incidentAt: 60, until: 50 })], { columns: 80, rows: 30 });
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}✔ And "orders-db" is healthy +9 s$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}· When the primary region "us-east-1" becomes unavailable$/));
    expect(lines).toContain('RTO 15 min budget starts at the incident');
    expect(lines).toContainEqual(expect.stringMatching(/^RPO 1 min · orders-db 10 acknowledged · lost \?/));
    expect(lines).toContainEqual(expect.stringMatching(/^probe orders-db ▇+ up 10 · down 0 · UP now$/));
  });

  test('during recovery: FIS experiment and recovery action states, the budget filling, the probe strip down, writes refused', () => {
    const lines = liveLines(duringRecovery(360), { columns: 80, rows: 40 });
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}FIS EXP7f3a9c primary-region-outage: running · gameday:sim:region-outage/));
    expect(lines).toContain('  → promote read replica orders-db-replica (us-west-2) running 4 min 58 s');
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}▶ And the read replica "orders-db-replica" is promoted +4 min 58 s…$/));
    const budget = lines.find((l) => l.startsWith('RTO '))!;
    expect(budget).toMatch(/^RTO █+░+ 5 min of 15 min 33%$/);
    expect(lines).toContainEqual(expect.stringMatching(/^probe orders-db [▇x]*x+ up 11 · down 61 · DOWN now$/));
    expect(lines).toContainEqual(expect.stringMatching(/^RPO 1 min · orders-db 11 acknowledged, 61 refused/));
  });

  test('past 75% of the RTO the budget line says 75%!', () => {
    const budget = liveLines(duringRecovery(60 + 700), { columns: 80, rows: 40 }).find((l) => l.startsWith('RTO '))!;
    expect(budget).toMatch(/11 min 40 s of 15 min 77% 75%!$/);
  });

  test('past 100% of the RTO the bar is full and the line says OVER', () => {
    const budget = liveLines(duringRecovery(60 + 950), { columns: 80, rows: 40 }).find((l) => l.startsWith('RTO '))!;
    expect(budget).toMatch(/^RTO █+ 15 min 50 s of 15 min 105% OVER$/);
  });

  test('once measured, the budget freezes on the verdict and the RPO line on the readback', () => {
    const lines = liveLines([runStarted(), ...pilotLightStory({ recoverAfter: 400, lost: [11, 12], until: 465 })], { columns: 100, rows: 40 });
    expect(lines.find((l) => l.startsWith('RTO '))).toMatch(/recovered in 6 min 40 s ±5 s of 15 min 44% ✔ met$/);
    expect(lines.find((l) => l.startsWith('RPO '))).toMatch(/^RPO 10 s ±5 s of 1 min: ✔ met · 2 writes lost · orders-db/);
  });

  test('a failed scenario is printed with ✘, failed and the breach, and the list marks it too', async () => {
    const rto = objective(900, null, 5, { observedSeconds: 1200 });
    const failed = scenarioResult(PILOT_LIGHT, 'failed', { rto, error: 'orders-db was not healthy again within 15 min (watched 20 min)' });
    const frame = await showApp([runStarted(), ...pilotLightStory({ until: 1000 }), scenarioFinished(PILOT_LIGHT, failed, 1260)]);
    expect(frame).toContain('✘ The primary region loses its orders database: failed');
    expect(frame).toContain('RTO not recovered of 15 min: ✘ BREACHED');
    expect(frame).toContain('✘ orders-db was not healthy again within 15 min (watched 20 min)');
    expect(frame).toMatch(/✘ The primary region loses its orders d.* RTO none\/15m ✘/);
  });

  test('under --parallel the newest running scenario is in detail and the other takes one line', () => {
    const dns = timeline(DNS_FAILOVER, 30, { kind: 'probe.started', detail: { probe: 'probe:orders-api', kind: 'http', target: 'orders-api', resolutionSeconds: 10 } });
    const lines = liveLines([runStarted({ parallel: 2 }), ...pilotLightStory({ recoverAfter: 2000, until: 360 }), dns], { columns: 80, rows: 30 });
    expect(lines).toContainEqual(expect.stringMatching(/^▶ The primary region loses its orders database t\+06:00 · step 6\/8 · RTO 33%$/));
    expect(lines).toContainEqual(expect.stringMatching(/^▶ Customers reach the orders service in us-west-2 again t\+00:30$/));
  });
});

describe('Summary', () => {
  test('the table has measured RTO and RPO against target and a verdict per scenario, then the report path', async () => {
    const multiAz = scenarioResult(PILOT_LIGHT, 'passed', { rto: objective(300, 95, 5), rpo: objective(0, 0, 5, { lostWrites: 0 }) });
    const pilot = scenarioResult(PILOT_LIGHT, 'failed', { rto: objective(900, 1010, 5), rpo: objective(60, 10, 5, { lostWrites: 2 }) });
    const dns = scenarioResult(DNS_FAILOVER, 'skipped');
    const results = runResults([{ ...multiAz, name: 'A forced failover injected by FIS' }, pilot, dns]);
    const frame = await showApp([runStarted(), runFinished(results)], { columns: 100, rows: 30 });
    const lines = frame.split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^Scenario +RTO measured\/target +RPO measured\/target +Verdict$/));
    expect(lines).toContainEqual(expect.stringMatching(/^A forced failover injected by FIS +1m35s\/5m ✔ met +0s\/0s ✔ met +✔ passed$/));
    expect(lines).toContainEqual(expect.stringMatching(/^The primary region loses its orders database 16m50s\/15m ✘ BREACHED +10s\/1m ✔ met +✘ failed$/));
    expect(lines).toContainEqual(expect.stringMatching(/^Customers reach the orders service in us-we… +— +— +– skipped$/));
    expect(frame).toContain('3 scenarios: 1 passed, 1 failed, 1 skipped · objectives: 3 met, 1 breached');
    expect(frame).toContain(`report: ${RUN_DIR}/index.html`);
  });

  test('once the run is over the live region is gone: the summary is the last thing on screen', () => {
    const lines = liveLines([runStarted(), runFinished(runResults([]))], { columns: 80, rows: 24 });
    expect(lines).toEqual(['']);
  });
});

describe('the last frame', () => {
  test('once the CLI finishes the view without a run.finished (the run failed), the frame stays but offers no keys', () => {
    const open = liveLines([runStarted(), ...pilotLightStory({ until: 100 })], { columns: 80, rows: 24 });
    expect(open.at(-1)).toBe('q abort · n note · +/- speed · space pause');
    const closed = liveLines([runStarted(), ...pilotLightStory({ until: 100 }), { kind: 'view.closed' }], { columns: 80, rows: 24 });
    expect(closed.some((line) => line.includes('q abort'))).toBe(false);
    expect(closed.some((line) => line.startsWith('RTO '))).toBe(true);
  });
});

describe('layout', () => {
  const busy = (): ViewInput[] => [
    runStarted({ plan: longPlan(9) }),
    ...multiAzFinished(),
    ...pilotLightStory({ incidentAt: 60, recoverAfter: 2000, until: 700 }),
    ...Array.from({ length: 14 }, (_, i) => timeline(PILOT_LIGHT, 700, { kind: 'info', detail: { message: `replication lag ${i} s on orders-db-replica, which is a long remark that would wrap` } })),
  ];

  test('80×24: the live frame is shorter than 24 lines and no line is wider than 80', () => {
    const lines = liveLines(busy(), { columns: 80, rows: 24 });
    expect(lines.length).toBeLessThan(24);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80);
    expect(lines.some((l) => l.startsWith('RTO '))).toBe(true);
    expect(lines.some((l) => l.startsWith('RPO '))).toBe(true);
  });

  test('100×30: taller and wider, with the probe strip and an event tail', () => {
    const lines = liveLines(busy(), { columns: 100, rows: 30 });
    expect(lines.length).toBeLessThan(30);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(100);
    expect(lines.some((l) => l.startsWith('probe orders-db '))).toBe(true);
    expect(lines.some((l) => /^t\+11:40 i replication lag 13 s/.test(l))).toBe(true);
  });

  test('a narrow terminal (60 columns) drops the probe strip and the event tail, and still fits', () => {
    const lines = liveLines(busy(), { columns: 60, rows: 24 });
    expect(lines.length).toBeLessThan(24);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(60);
    expect(lines.some((l) => l.startsWith('probe '))).toBe(false);
    expect(lines.some((l) => l.startsWith('t+'))).toBe(false);
  });

  test('80×24 while aborting and with the note input open still fits', () => {
    const lines = liveLines([...busy(), { kind: 'view.interrupt' }, { kind: 'view.note', draft: 'x'.repeat(200) }], { columns: 80, rows: 24 });
    expect(lines.length).toBeLessThan(24);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80);
    expect(lines.some((l) => l.startsWith('note> …xxx'))).toBe(true);
  });
});
