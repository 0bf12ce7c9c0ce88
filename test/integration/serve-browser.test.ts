import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { collect, startCli, tempDir, waitForOutput, writeWorkflow as workflow } from '../helpers/cli.js';
import { recordRun, screenshot, servedBrowser } from '../helpers/serve.js';

const HOSTILE = [
  String.raw`printf '\033[31mred\033[0m \033[1;32mbold green\033[0m\n'`,
  `echo '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2"><b>not bold</b>'`,
  String.raw`printf '\033]0;hijacked title\007\033[2J\033[Hafter clear <svg onload="window.pwned=3">\n'`,
  `seq 1 30000 | sed 's/^/row /'`,
  `echo 'needle in the haystack'`,
].join('; ');

describe('tasker serve in a real browser (Debian chromium)', () => {
  const home = tempDir('tasker-browser-home-');
  const dir = tempDir('tasker-browser-wf-');
  const dialogs: string[] = [];
  const hostile = () =>
    workflow(
      dir,
      'hostile',
      `  - id: paint\n    run: |\n      ${HOSTILE}\n  - id: broken\n    run: echo "disk full on /var" >&2; exit 3\n`,
    );
  const ui = servedBrowser(home, { prepare: () => recordRun(home, hostile(), 1) });
  beforeAll(() => {
    ui.page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  });

  it('lists the run a real `tasker run` made, with its status and failed step', async () => {
    const { page, served } = ui;
    await page.goto(served.url);
    const row = page.locator('tr.run', { hasText: 'hostile' });
    await row.waitFor();
    expect(await row.locator('.badge').textContent()).toBe('failed');
    expect(await row.textContent()).toContain('broken');
    await screenshot(page, 'list');
  });

  it('shows the run: why it failed, and its steps on a timeline', async () => {
    const { page } = ui;
    await page.locator('tr.run a', { hasText: 'hostile' }).click();
    await page.locator('#failures').waitFor();
    expect(await page.locator('#failures').textContent()).toMatch(/broken failed, exit 3/);
    expect(await page.locator('.row[data-step="paint"] .fill').getAttribute('class')).toContain('st-ok');
    await screenshot(page, 'run');
  });

  it('renders colours, and hostile output only as text: nothing in it runs', async () => {
    const { page } = ui;
    await page.locator('.row[data-step="paint"] a.bar').click();
    const out = page.locator('#output');
    await out.getByText('after clear').waitFor();
    expect(await page.locator('#output .fg1').first().textContent()).toBe('red');
    expect(await page.locator('#output .b.fg2').first().textContent()).toBe('bold green');
    expect(await out.textContent()).toContain(
      '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">',
    );
    expect(await page.locator('#output script, #output img, #output svg, #output b').count()).toBe(0);
    expect(await page.evaluate('window.pwned')).toBeUndefined();
    expect(await page.title()).toBe('tasker runs');
    expect(dialogs).toEqual([]);
    await screenshot(page, 'output');
  });

  it('searches the whole output on the server and jumps to the page of a match', async () => {
    const { page } = ui;
    await page.fill('#search', 'HAYSTACK');
    await page.press('#search', 'Enter');
    const match = page.locator('#results a.match');
    await match.first().waitFor();
    expect(await page.locator('#results').textContent()).toMatch(
      /1 matching line.*line 30004 needle in the haystack/s,
    );
    // The match lies beyond the first 64 KiB page: jumping loads its page, with the hit marked.
    expect(await page.locator('#output mark').count()).toBe(0);
    await match.first().click();
    await page.locator('#output mark').first().waitFor();
    expect(await page.locator('#output mark').first().textContent()).toBe('haystack');
    expect(await page.locator('#page-info').textContent()).not.toMatch(/^bytes 0–/);
    await screenshot(page, 'search');
  });

  it('follows a run started by another process live: list, steps and the end, without a reload', async () => {
    const { page, served } = ui;
    await page.goto(served.url);
    await page.locator('tr.run').first().waitFor();
    await page.evaluate('window.marker = 42');
    const gate = join(dir, 'gate');
    const live = workflow(
      dir,
      'live',
      `  - id: build\n    run: echo compiling\n  - id: deploy\n    run: echo deploying; while [ ! -f ${gate} ]; do sleep 0.05; done; echo deployed\n  - id: verify\n    run: echo verified\n`,
    );
    const child = startCli(['run', live, '--output', 'plain'], { TASKER_HOME: home });
    const ended = collect(child);
    await waitForOutput(child, (t) => t.includes('step-start id=deploy'));
    const row = page.locator('tr.run', { hasText: 'live' });
    await row.locator('.badge.st-running').waitFor();
    await row.locator('a').first().click();
    await page.locator('.row[data-step="deploy"] .fill.st-running').waitFor();
    expect(await page.locator('h1 .badge').textContent()).toBe('running');
    await screenshot(page, 'live-running');
    writeFileSync(gate, '');
    await page.locator('h1 .badge.st-ok').waitFor();
    await page.locator('.row[data-step="verify"] .fill.st-ok').waitFor();
    expect(await page.evaluate('window.marker')).toBe(42);
    await screenshot(page, 'live-done');
    expect((await ended).code).toBe(0);
  });

  it('names anonymous steps as the CLI does (`steps[2] then[2]`), never by internal path ids', async () => {
    const { page, served } = ui;
    const anon = workflow(
      dir,
      'anon',
      `  - run: "true"\n  - if: "1 == 1"\n    then:\n      - run: "true"\n      - run: exit 3\nfinally:\n  - run: echo bye\n`,
    );
    await recordRun(home, anon, 1);
    await page.goto(served.url);
    const row = page.locator('tr.run', { hasText: 'anon' });
    await row.waitFor();
    expect(await row.textContent()).toContain('steps[2] then[2]');
    await row.locator('a').first().click();
    await page.locator('#failures').waitFor();
    expect(await page.locator('dd[data-fact="failed step"]').textContent()).toBe('steps[2] then[2]');
    expect(await page.locator('#failures').textContent()).toMatch(/steps\[2\] then\[2\] failed, exit 3/);
    expect(await page.locator('#timeline .step-id').allTextContents()).toEqual(
      expect.arrayContaining(['steps[1]', 'steps[2] then[1]', 'steps[2] then[2]', 'finally[1]']),
    );
    expect(await page.locator('body').innerText()).not.toMatch(/\b(steps|finally)\.\d/);
    await page.locator('#failures a').first().click();
    // The title starts as `step N` and is replaced once the run's detail has loaded.
    await page.locator('h1', { hasText: 'steps[2] then[2]' }).waitFor();
    expect(await page.locator('body').innerText()).not.toMatch(/\b(steps|finally)\.\d/);
    await screenshot(page, 'anon-labels');
  });
});

describe('tasker serve with a token, in a real browser', () => {
  const TOKEN = 'browser-token-0123456789abcdef';
  const ui = servedBrowser(tempDir(), { env: { TASKER_SERVE_TOKEN: TOKEN }, timeout: 60_000 });

  it('takes the token from the URL fragment, keeps it out of the address bar, and uses it', async () => {
    const { browser, served } = ui;
    const page = await browser.newPage();
    await page.goto(`${served.url}#token=${TOKEN}`);
    await page.getByText('No runs match').waitFor();
    expect(new URL(page.url()).hash).toBe('');
    expect(await page.evaluate("sessionStorage.getItem('tasker-serve-token')")).toBe(TOKEN);
    await page.close();
  });

  it('a wrong token gets 401 and the page asks for the token instead of showing data', async () => {
    const { browser, served } = ui;
    const page = await browser.newPage();
    const statuses: number[] = [];
    page.on('response', (r) => r.url().includes('/api/') && statuses.push(r.status()));
    await page.goto(`${served.url}#token=wrong-token-0000000000`);
    await page.locator('form.token').waitFor();
    expect(statuses).toContain(401);
    expect(statuses).not.toContain(200);
    await page.fill('#token', TOKEN);
    await page.press('#token', 'Enter');
    await page.getByText('No runs match').waitFor();
    await screenshot(page, 'token');
    await page.close();
  });
});
