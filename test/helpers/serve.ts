import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { collect, repoRoot, startCli, waitForOutput } from './cli.js';

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

export const screenshotDir = join(repoRoot, 'reports', 'screenshots');

/** Debian's chromium, headless, with a fresh profile and nothing that reaches the network by itself. */
export async function launchBrowser(): Promise<BrowserContext> {
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
