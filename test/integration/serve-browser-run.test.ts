import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { launchBrowser, screenshotDir, startServe, type Served } from '../helpers/serve.js';

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });

/** A retried step that fails twice, each attempt printing its own lines. */
function retried(dir: string): string {
  const count = join(dir, 'count');
  const file = join(dir, 'retried.yaml');
  writeFileSync(
    file,
    `version: 1
name: retried
steps:
  - id: prepare
    run: echo ready
  - id: flaky
    run: n=$(cat ${count} 2>/dev/null || echo 0); n=$((n+1)); echo $n > ${count}; echo "try $n says hello"; echo "try $n broke" >&2; [ $n -ge 3 ]
    retry: { attempts: 3 }
`,
  );
  return file;
}

describe('the run page in a real browser: attempts', () => {
  const home = tempDir('tasker-browser-run-home-');
  const dir = tempDir('tasker-browser-run-wf-');
  let served: Served;
  let browser: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    const r = await runCli(['run', retried(dir), '--output', 'plain'], { TASKER_HOME: home });
    expect(r.code, r.stderr).toBe(0);
    served = await startServe(home);
    browser = await launchBrowser();
    page = await browser.newPage();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('opens the output of every attempt of a retried step, stdout and stderr', async () => {
    await page.goto(served.url);
    await page.locator('tr.run a', { hasText: 'retried' }).click();
    await page.locator('.row[data-step="flaky"] a.bar').click();
    const nav = page.locator('#attempts');
    await nav.waitFor();
    expect(await nav.locator('a').allTextContents()).toEqual(['attempt 1', 'attempt 2', 'attempt 3']);
    expect(await nav.locator('a.on').textContent()).toBe('attempt 3');
    await page.locator('#output').getByText('try 3 says hello').waitFor();
    for (const n of [1, 2]) {
      await nav.locator(`a[data-attempt="${n}"]`).click();
      await page.locator('#output').getByText(`try ${n} says hello`).waitFor();
      expect(await nav.locator('a.on').textContent()).toBe(`attempt ${n}`);
      expect(await nav.locator(`a[data-attempt="${n}"]`).getAttribute('data-status')).toBe('failed');
      // The stream tab keeps the attempt.
      await page.locator('nav.tabs a', { hasText: 'stderr' }).click();
      await page.locator('#output').getByText(`try ${n} broke`).waitFor();
      expect(new URL(page.url()).search).toBe(`?stream=stderr&attempt=${n}`);
      if (n === 1) await shot(page, 'attempt');
      await page.locator('nav.tabs a', { hasText: 'stdout' }).click();
    }
    // Search stays within the attempt being read.
    await nav.locator('a[data-attempt="2"]').click();
    await page.locator('#output').getByText('try 2 says hello').waitFor();
    await page.fill('#search', 'says');
    await page.press('#search', 'Enter');
    await page.locator('#results a.match').first().waitFor();
    expect(await page.locator('#results code').allTextContents()).toEqual(['try 2 says hello']);
  });
});
