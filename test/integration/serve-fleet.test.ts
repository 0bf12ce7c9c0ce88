import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDetail, RunList } from '../../src/serve/api-types.js';
import { tempDir } from '../helpers/cli.js';
import { DEAD_HOSTS, FAILING_HOSTS, fleetWorkflow } from '../helpers/fleet-run.js';
import { apiGet, recordRun, screenshot, servedBrowser } from '../helpers/serve.js';
import { startSshd } from '../helpers/sshd.js';
import { freePort } from '../helpers/ports.js';

const sshd = await startSshd({ hosts: 16 });
afterAll(async () => sshd?.stop());

describe.skipIf(!sshd)('a real 500-host fan-out in the browser', () => {
  const home = tempDir('tasker-fleet-home-');
  let runId: string;
  const ui = servedBrowser(home, {
    prepare: async () => {
      const file = fleetWorkflow(tempDir('tasker-fleet-wf-'), sshd!, await freePort());
      await recordRun(home, file, 3, ['--known-hosts', sshd!.knownHostsFile]);
    },
    timeout: 240_000,
  });
  beforeAll(async () => {
    runId = (await apiGet<RunList>(ui.served, '/api/runs')).runs[0]!.id;
  });

  it('records every host of the run', async () => {
    const d = await apiGet<RunDetail>(ui.served, `/api/runs/${runId}`);
    const hosts = d.steps.filter((s) => s.id === 'rollout' && s.host !== null);
    expect(hosts).toHaveLength(500);
    const bad = hosts.filter((s) => s.status !== 'ok').map((s) => `${s.host}:${s.status}`);
    expect(bad.sort()).toEqual(
      [...FAILING_HOSTS.map((h) => `${h}:failed`), ...DEAD_HOSTS.map((h) => `${h}:unreachable`)].sort(),
    );
  });

  it('shows the run in one screen: a cell per host, the failing hosts listed first, the fan-out in the graph', async () => {
    const { page, served } = ui;
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
    await screenshot(page, 'fleet');
  });

  it('finds a host by name, pages through all of them, and opens a failing host’s output', async () => {
    const { page } = ui;
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
