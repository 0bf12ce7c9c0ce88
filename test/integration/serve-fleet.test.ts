import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDetail, RunList } from '../../src/serve/api-types.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { closedPort } from '../helpers/fake-ssh-server.js';
import { DEAD_HOSTS, FAILING_HOSTS, fleetWorkflow } from '../helpers/fleet-run.js';
import { launchBrowser, screenshotDir, startServe, type Served } from '../helpers/serve.js';
import { startSshd } from '../helpers/sshd.js';

const sshd = await startSshd({ hosts: 16 });
afterAll(async () => sshd?.stop());

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });

describe.skipIf(!sshd)('a real 500-host fan-out in the browser', () => {
  const home = tempDir('tasker-fleet-home-');
  let served: Served;
  let browser: BrowserContext;
  let page: Page;
  let runId: string;

  beforeAll(async () => {
    const file = fleetWorkflow(tempDir('tasker-fleet-wf-'), sshd!, await closedPort());
    const r = await runCli(['run', file, '--output', 'plain', '--known-hosts', sshd!.knownHostsFile], {
      TASKER_HOME: home,
    });
    expect(r.code, r.stderr.slice(-2000)).toBe(3);
    served = await startServe(home);
    const list = (await (await fetch(`${served.url}api/runs`)).json()) as RunList;
    runId = list.runs[0]!.id;
    browser = await launchBrowser();
    page = await browser.newPage();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('records every host of the run', async () => {
    const d = (await (await fetch(`${served.url}api/runs/${runId}`)).json()) as RunDetail;
    const hosts = d.steps.filter((s) => s.id === 'rollout' && s.host !== null);
    expect(hosts).toHaveLength(500);
    const bad = hosts.filter((s) => s.status !== 'ok').map((s) => `${s.host}:${s.status}`);
    expect(bad.sort()).toEqual(
      [...FAILING_HOSTS.map((h) => `${h}:failed`), ...DEAD_HOSTS.map((h) => `${h}:unreachable`)].sort(),
    );
  });

  it('shows the run in one screen: a cell per host, the failing hosts listed first, the fan-out in the graph', async () => {
    const t0 = Date.now();
    await page.goto(`${served.url}runs/${runId}`);
    await page.locator('#host-list tr.host-row').first().waitFor();
    console.error(`500-host run page: host list shown ${Date.now() - t0} ms after navigation`);
    expect(await page.locator('.row[data-step="rollout"] .cell').count()).toBe(500);
    expect(await page.locator('#host-chips button').allTextContents()).toEqual([
      'all 500',
      'failing 10',
      'failed 7',
      'unreachable 3',
      'ok 490',
    ]);
    // The failing group is open by default: a person sees the ten hosts that need them.
    const rows = page.locator('#host-list tr.host-row');
    expect(await rows.count()).toBe(10);
    const listed = await Promise.all((await rows.all()).map((tr) => tr.getAttribute('data-host')));
    expect(listed.sort()).toEqual([...FAILING_HOSTS, ...DEAD_HOSTS].sort());
    expect(await page.locator('#host-list tr[data-host="web137"] .why').textContent()).toBe(
      'disk full on /var (web137)',
    );
    const node = page.locator('#plan g.node[data-step="rollout"]');
    await node.and(page.locator('.st-failed')).waitFor();
    expect(await node.locator('.sub').textContent()).toBe('500/500 done · 10 failing');
    await shot(page, 'fleet');
  });

  it('finds a host by name, pages through all of them, and opens a failing host’s output', async () => {
    await page.locator('#host-chips button[data-chip="all"]').click();
    const rows = page.locator('#host-list tr.host-row');
    expect(await rows.count()).toBe(100);
    await page.locator('#more-hosts').click();
    expect(await rows.count()).toBe(200);
    await page.fill('#host-search', 'web25');
    await page.locator('#host-list tr[data-host="web259"]').waitFor();
    expect(await rows.count()).toBe(10);
    await page.fill('#host-search', 'web404');
    await page.locator('#host-list tr[data-host="web404"]').waitFor();
    expect(await rows.count()).toBe(1);
    expect(await page.locator('#host-list tr[data-host="web404"]').getAttribute('data-status')).toBe(
      'failed',
    );
    await page.locator('#host-list tr[data-host="web404"] a').click();
    await page.locator('#output').getByText('disk full on /var (web404)').waitFor();
    expect(new URL(page.url()).search).toBe('?stream=stderr');
  });
});
