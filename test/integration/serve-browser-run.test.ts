import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collect, startCli, tempDir, waitForOutput } from '../helpers/cli.js';
import { failsUntil, recordRun, screenshot, screenshotDir, servedBrowser } from '../helpers/serve.js';

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
    run: ${failsUntil(count, 3, 'try $n says hello', 'try $n broke')}
    retry: { attempts: 3 }
`,
  );
  return file;
}

/** Every shape of plan: parallel with needs, a branch with else, a loop, a fan-out, a jump, finally. */
function shapes(dir: string): string {
  const gate = join(dir, 'gate');
  const file = join(dir, 'shapes.yaml');
  writeFileSync(
    file,
    `version: 1
name: shapes
hosts:
  dead1: { address: 127.0.0.1, port: 1 }
  dead2: { address: 127.0.0.1, port: 1 }
  dead3: { address: 127.0.0.1, port: 1 }
defaults:
  connect_timeout: 2s
steps:
  - id: build
    run: echo build
  - id: checks
    parallel:
      - id: unit
        run: echo unit
      - id: lint
        run: echo lint
      - id: package
        needs: [unit, lint]
        run: echo package
  - id: gate
    run: while [ ! -f ${gate} ]; do sleep 0.05; done
  - id: choose
    if: steps.build.stdout ~ /build/
    then:
      - id: announce
        run: echo yes
    else:
      - id: quiet
        run: echo no
  - id: poll
    run: echo poll
    loop: 2
  - id: fleet
    hosts: [dead1, dead2, dead3]
    run: uptime
    continue_on_error: true
  - id: deploy
    run: echo deploy failed >&2; exit 1
    on_failure: rollback
  - id: verify
    run: echo verify
  - id: rollback
    run: echo rollback
finally:
  - id: cleanup
    run: echo cleanup
`,
  );
  return file;
}

describe('the run page in a real browser: attempts', () => {
  const home = tempDir('tasker-browser-run-home-');
  const dir = tempDir('tasker-browser-run-wf-');
  const ui = servedBrowser(home, { prepare: () => recordRun(home, retried(dir), 0) });

  it('opens the output of every attempt of a retried step, stdout and stderr', async () => {
    const { page, served } = ui;
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
      if (n === 1) await screenshot(page, 'attempt');
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

describe('the run page in a real browser: the plan as a graph, live', () => {
  const home = tempDir('tasker-browser-graph-home-');
  const dir = tempDir('tasker-browser-graph-wf-');
  const ui = servedBrowser(home);

  it('draws every node of the plan, coloured by status, and recolours it while the run goes on', async () => {
    const { page, served } = ui;
    const child = startCli(['run', shapes(dir), '--output', 'plain'], { TASKER_HOME: home });
    const ended = collect(child);
    await waitForOutput(child, (t) => t.includes('step-start id=gate'));
    await page.goto(served.url);
    await page.locator('tr.run a', { hasText: 'shapes' }).click();
    const node = (id: string) => page.locator(`#plan g.node[data-step="${id}"]`);
    await node('gate').and(page.locator('.st-running')).waitFor();
    const steps = ['build', 'checks', 'unit', 'lint', 'package', 'gate', 'choose', 'announce', 'quiet'];
    for (const id of [...steps, 'poll', 'fleet', 'deploy', 'verify', 'rollback', 'cleanup'])
      expect(await node(id).count(), id).toBe(1);
    expect(await node('build').getAttribute('data-status')).toBe('ok');
    expect(await node('package').getAttribute('data-status')).toBe('ok');
    // How a step repeats is on its box: a loop's bound, a fan-out's hosts.
    expect(await node('poll').locator('.badge-text').textContent()).toBe('loop ≤2');
    expect(await node('fleet').locator('.badge-text').textContent()).toBe('3 hosts');
    expect(await node('deploy').getAttribute('data-status')).toBe('pending');
    // The edges a reader needs: needs, yes/no, the jump and finally are labelled.
    const labels = await page.locator('#plan .edge-label').allTextContents();
    for (const l of ['needs', 'yes', 'no', 'on_failure', 'finally']) expect(labels, l).toContain(l);
    expect(await page.locator('#plan .edge.jump').count()).toBeGreaterThan(0);
    await screenshot(page, 'graph-running');
    // docs/serve.png is this picture: a run in progress, its plan and timeline (look before copying).
    const clip = { x: 0, y: 0, width: 1280, height: 1280 };
    await page.screenshot({ path: join(screenshotDir, 'serve-docs.png'), fullPage: true, clip });
    writeFileSync(join(dir, 'gate'), '');
    await node('cleanup').and(page.locator('.st-ok')).waitFor();
    expect(await node('deploy').getAttribute('data-status')).toBe('failed');
    expect(await node('rollback').getAttribute('data-status')).toBe('ok');
    expect(await node('quiet').getAttribute('data-status')).toBe('skipped');
    expect(await node('announce').getAttribute('data-status')).toBe('ok');
    expect(await node('fleet').getAttribute('data-status')).toBe('unreachable');
    expect(await node('fleet').locator('.sub').textContent()).toBe('3/3 done · 3 failing');
    expect(await node('fleet').locator('title').textContent()).toMatch(
      /^fleet: hosts: 3\/3 done · 3 unreachable/,
    );
    await screenshot(page, 'graph-done');
    await ended;
    // A node opens what it stands for: a command its output, a fan-out its row of the timeline.
    await node('deploy').click();
    await page.locator('#output').getByText('deploy failed').waitFor();
  });
});
