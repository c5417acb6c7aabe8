/**
 * The HTML report in a real browser: Debian's Chromium driven by
 * playwright-core (no browser download). Skipped, saying why, where
 * /usr/bin/chromium is not installed (`apt-get install chromium`).
 */
import { cpSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport } from '../src/report/html/index.js';
import { fixtureHistoryFile, fixtureRunDir, loadFixtureRun, type FixtureRun } from './fixtures/runs/fixture-runs.js';

const CHROMIUM = '/usr/bin/chromium';
const missing = !existsSync(CHROMIUM);
if (missing) console.warn(`test/report-html-browser.test.ts skipped: ${CHROMIUM} is missing (apt-get install chromium)`);

describe.skipIf(missing)(`the HTML report in Chromium${missing ? ` (skipped: ${CHROMIUM} is missing)` : ''}`, { timeout: 60_000 }, () => {
  let browser: Browser;
  const reports = mkdtempSync(join(tmpdir(), 'gameday-report-browser-'));
  const runDirs = new Map<FixtureRun, string>();

  beforeAll(async () => {
    cpSync(fixtureHistoryFile, join(reports, 'history.jsonl'));
    for (const name of ['securecart', 'failing'] as const) {
      const runDir = join(reports, name);
      cpSync(fixtureRunDir(name), runDir, { recursive: true });
      await writeReport(runDir);
      runDirs.set(name, runDir);
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(reports, { recursive: true, force: true });
  });

  /** A fresh page on the run's index.html, recording every request and every console error. */
  async function open(name: FixtureRun, options: BrowserContextOptions = {}): Promise<{ page: Page; url: string; requests: string[]; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
    const page = await context.newPage();
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    const url = pathToFileURL(join(runDirs.get(name)!, 'index.html')).href;
    await page.goto(url);
    return { page, url, requests, errors };
  }

  it('loads nothing but itself and logs no error (a CSP violation would be one)', async () => {
    for (const name of ['securecart', 'failing'] as const) {
      const { page, url, requests, errors } = await open(name);
      await page.locator('details.scenario').first().locator('> summary').click();
      expect(requests).toEqual([url]);
      expect(errors).toEqual([]);
      await page.context().close();
    }
  });

  it('lists every scenario, and unfolding one shows its timeline', async () => {
    const { results } = loadFixtureRun('securecart');
    const { page } = await open('securecart');
    const sections = page.locator('details.scenario');
    await expect.poll(() => sections.count()).toBe(results.scenarios.length);
    for (const scenario of results.scenarios) {
      await expect.poll(() => page.locator('details.scenario > summary', { hasText: scenario.name }).first().isVisible()).toBe(true);
    }
    const pilot = page.locator('details.scenario', { hasText: 'Customers reach the orders service in us-west-2 again' });
    const timeline = pilot.locator('svg[role="img"][aria-label^="Timeline of"]');
    expect(await timeline.isVisible()).toBe(false);
    await pilot.locator('> summary').click();
    expect(await timeline.isVisible()).toBe(true);
    const box = await timeline.boundingBox();
    expect(box?.width).toBeGreaterThan(600);
    await page.context().close();
  });

  it('filters to the failed scenarios, and back', async () => {
    const { page } = await open('failing');
    const visible = () => page.locator('details.scenario:visible').count();
    expect(await visible()).toBe(11);
    await page.getByRole('button', { name: 'Failed only' }).click();
    expect(await visible()).toBe(5);
    expect(await page.locator('#shown-count').textContent()).toBe('5 of 11 scenarios shown');
    await page.getByRole('button', { name: 'All scenarios' }).click();
    expect(await visible()).toBe(11);
    await page.context().close();
  });

  it('prints every scenario unfolded, without the filter buttons, each on its own page', async () => {
    const { results } = loadFixtureRun('failing');
    // emulateMedia fires no beforeprint: this checks the print stylesheet alone unfolds the closed <details>.
    const { page } = await open('failing');
    await page.emulateMedia({ media: 'print' });
    const sections = page.locator('details.scenario');
    expect(await sections.count()).toBe(results.scenarios.length);
    for (let i = 0; i < results.scenarios.length; i++) {
      const section = sections.nth(i);
      expect(await section.evaluate((el) => (el as unknown as { open: boolean }).open)).toBe(false);
      expect(await section.locator('.gherkin').isVisible(), results.scenarios[i]!.name).toBe(true);
    }
    const ran = page.locator('details.scenario', { hasText: 'The primary region loses its orders database' });
    expect(await ran.locator('svg[aria-label^="Timeline of"]').isVisible()).toBe(true);
    expect(await page.locator('#toolbar').isVisible()).toBe(false);
    expect(await sections.nth(1).evaluate((el) => getComputedStyle(el as unknown as Element).breakBefore)).toBe('page');
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.byteLength).toBeGreaterThan(50_000);
    await page.context().close();
  });

  it('works with scripts disabled: every scenario is there and unfolds natively', async () => {
    const { page, errors } = await open('failing', { javaScriptEnabled: false });
    expect(await page.locator('#toolbar').isVisible()).toBe(false);
    expect(await page.locator('details.scenario').count()).toBe(11);
    const section = page.locator('details.scenario', { hasText: 'us-east-1 is lost while order history is being written' });
    await section.locator('> summary').click();
    expect(await section.locator('svg[aria-label^="Timeline of"]').isVisible()).toBe(true);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('follows the reader’s dark mode', async () => {
    const background = async (colorScheme: 'light' | 'dark') => {
      const { page } = await open('securecart', { colorScheme });
      const color = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
      await page.context().close();
      return color;
    };
    expect(await background('light')).toBe('rgb(255, 255, 255)');
    expect(await background('dark')).toBe('rgb(13, 17, 23)');
  });

  it('saves a full-page screenshot beside the report, failed scenarios unfolded', async () => {
    for (const name of ['securecart', 'failing'] as const) {
      const { page } = await open(name);
      const failed = page.locator('details.scenario[data-failed="true"] > summary');
      for (let i = 0; i < (await failed.count()); i++) await failed.nth(i).click();
      if ((await failed.count()) === 0) await page.locator('details.scenario > summary').nth(10).click();
      const path = join(runDirs.get(name)!, 'screenshot.png');
      await page.screenshot({ path, fullPage: true });
      expect(statSync(path).size).toBeGreaterThan(100_000);
      await page.context().close();
    }
  });
});

// `document` and `getComputedStyle` above run in the page; this file compiles without the DOM library.
declare const document: { documentElement: unknown };
declare function getComputedStyle(element: unknown): { backgroundColor: string; breakBefore: string };
