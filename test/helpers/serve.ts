import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { collect, repoRoot, runCli, startCli, waitForOutput, type CliResult } from './cli.js';

export interface Served {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts the BUILT `tasker serve` on a free loopback port over `home` and waits for its URL. */
export async function startServe(
  home: string,
  args: readonly string[] = [],
  env: Record<string, string> = {},
): Promise<Served> {
  const child = startCli(['serve', '--listen', '127.0.0.1:0', '--state-home', home, ...args], {
    TASKER_HOME: home,
    ...env,
  });
  let text = '';
  child.stdout?.on('data', (d: Buffer) => (text += d.toString()));
  await waitForOutput(child, (t) => /http:\/\/\S+\//.test(t));
  const url = /(http:\/\/\S+\/)/.exec(text)![1]!;
  const done = collect(child);
  return {
    url,
    child,
    stop: async () => {
      child.kill('SIGTERM');
      await done;
    },
  };
}

/** Runs the BUILT `tasker run FILE --output plain ARGS` into the history of `home`; fails unless it exits `code`. */
export async function recordRun(
  home: string,
  file: string,
  code: number,
  args: readonly string[] = [],
): Promise<CliResult> {
  const r = await runCli(['run', file, '--output', 'plain', ...args], { TASKER_HOME: home });
  expect(r.code, r.stderr.slice(-2000)).toBe(code);
  return r;
}

/**
 * A command for a `retry:` step that fails until attempt `okAt`, counting attempts in `countFile`
 * and printing `stdout` and `stderr` (where `$n` is the attempt) on each.
 */
export function failsUntil(countFile: string, okAt: number, stdout: string, stderr: string): string {
  return `n=$(cat ${countFile} 2>/dev/null || echo 0); n=$((n+1)); echo $n > ${countFile}; echo "${stdout}"; echo "${stderr}" >&2; [ $n -ge ${okAt} ]`;
}

/** GETs `path` (from the root) of the served API; fails unless it answers `status`; parses its JSON. */
export async function apiGet<T>(served: Served, path: string, status = 200): Promise<T> {
  const res = await fetch(served.url + path.slice(1));
  expect(res.status, path).toBe(status);
  return (await res.json()) as T;
}

export const screenshotDir = join(repoRoot, 'reports', 'screenshots');

/** A full-page screenshot of `page` in reports/screenshots/NAME.png, for a person to look at. */
export const screenshot = (page: Page, name: string): Promise<Buffer> =>
  page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });

/** Debian's chromium, headless, with a fresh profile and nothing that reaches the network by itself. */
async function launchBrowser(): Promise<BrowserContext> {
  mkdirSync(screenshotDir, { recursive: true });
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'tasker-chromium-')), {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 860 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** `tasker serve` over a state home, and Chromium with one blank page open. */
export interface ServedBrowser {
  served: Served;
  browser: BrowserContext;
  page: Page;
}

/**
 * For the describe block it is called in: before its tests, `prepare` (real runs into `home`, say),
 * then `tasker serve` over `home` (with `env`) and a Chromium page; after them, both closed.
 * The fields of the answer are set once the block's tests start.
 */
export function servedBrowser(
  home: string,
  opts: { prepare?: () => Promise<unknown>; env?: Record<string, string>; timeout?: number } = {},
): ServedBrowser {
  const ui: Partial<ServedBrowser> = {};
  beforeAll(async () => {
    await opts.prepare?.();
    ui.served = await startServe(home, [], opts.env);
    ui.browser = await launchBrowser();
    ui.page = await ui.browser.newPage();
  }, opts.timeout ?? 90_000);
  afterAll(async () => {
    await ui.browser?.close();
    await ui.served?.stop();
  });
  return ui as ServedBrowser;
}
