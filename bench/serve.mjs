// `tasker serve` (issue 13): the run list over 10,000 runs, and how long a step event takes from the
// run's process to a browser (headless Debian chromium reading the SSE stream the page reads).
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seedRuns } from './history.mjs';
import { benchServeFleet } from './serve-fleet.mjs';
import {
  cli,
  fmt,
  launchChromium,
  median,
  startServe,
  timeGet as timeGetOf,
  work,
  writeWorkflow,
} from './lib.mjs';

const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];
// How many runs the list is timed over (a smaller BENCH_SERVE_RUNS, at least 600, for a quick try).
const SEEDED = Number(process.env.BENCH_SERVE_RUNS ?? 10_000);
const timeGet = async (url) => (await timeGetOf(url, { runs: 40, warmup: 3 })).ms;

export async function benchServe(report) {
  const home = join(work, 'serve-home');
  await seedRuns(home, SEEDED);
  const server = await startServe(home);
  try {
    const base = await timeGet(`${server.url}favicon.svg`);
    const first = await timeGet(`${server.url}api/runs`);
    const page = await (await fetch(`${server.url}api/runs?limit=500`)).json();
    const deep = await timeGet(`${server.url}api/runs?before=${encodeURIComponent(page.next)}`);
    const filtered = await timeGet(`${server.url}api/runs?status=failed&workflow=wf3&since=3650d`);
    const big = await timeGet(`${server.url}api/runs?limit=500`);
    const note = `median of 40; static file ${fmt(base)}`;
    // Each against the 100 ms budget.
    const vsBudget = (ms) => ({
      tasker: fmt(ms),
      baseline: 'budget 100 ms',
      ratio: `${(ms / 100).toFixed(2)}x budget`,
      note,
    });
    report(`serve: \`GET /api/runs\` over ${SEEDED.toLocaleString('en')} runs (page of 50)`, vsBudget(first));
    report('serve: `GET /api/runs?before=…` (page 11)', vsBudget(deep));
    report('serve: `GET /api/runs?status=failed&workflow=wf3&since=3650d`', vsBudget(filtered));
    report('serve: `GET /api/runs?limit=500`', vsBudget(big));
  } finally {
    server.stop();
  }
  await benchLive(report);
  await benchServeFleet(report);
}

/** Times each step-end of a 20-step run in another process from its endedAt to the browser. */
async function benchLive(report) {
  if (!existsSync('/usr/bin/chromium'))
    return console.error('serve live benchmark skipped: no /usr/bin/chromium');
  const home = join(work, 'serve-live-home');
  const server = await startServe(home);
  const browser = await launchChromium();
  try {
    const gate = join(work, 'serve-gate');
    const steps = '  - run: sleep 0.2\n'.repeat(20);
    const flow = writeWorkflow(
      'live.yaml',
      `version: 1\nname: live\nsteps:\n  - run: while [ ! -f ${gate} ]; do sleep 0.02; done\n${steps}`,
    );
    const run = spawn('node', [cli, 'run', '--output', 'plain', flow], {
      env: { ...process.env, TASKER_HOME: home },
      stdio: 'ignore',
    });
    const ended = new Promise((r) => run.on('exit', r));
    let id;
    while (!id) {
      const { runs } = await (await fetch(`${server.url}api/runs?status=running`)).json();
      id = runs[0]?.id;
    }
    const page = await browser.newPage();
    await page.goto(server.url);
    // The page's own transport (fetch + a streamed body), timed in the browser as each event lands.
    await page.evaluate(async (path) => {
      const res = await fetch(path);
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      window.lags = [];
      let buf = '';
      const loop = async () => {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          const now = Date.now();
          buf += decoder.decode(value, { stream: true });
          let cut;
          while ((cut = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, cut);
            buf = buf.slice(cut + 2);
            const data = block.slice(block.indexOf('data: ') + 6);
            if (block.startsWith('event: snapshot')) window.subscribed = true;
            if (block.startsWith('event: steps'))
              for (const s of JSON.parse(data)) if (s.endedAt) window.lags.push(now - Date.parse(s.endedAt));
            if (block.startsWith('event: run') && JSON.parse(data).status !== 'running') window.done = true;
          }
        }
      };
      void loop();
    }, `/api/runs/${id}/events`);
    await page.waitForFunction(() => window.subscribed === true);
    writeFileSync(gate, '');
    await page.waitForFunction(() => window.done === true, null, { timeout: 60_000 });
    const lags = await page.evaluate(() => window.lags);
    await ended;
    report('serve: step end → browser (SSE, run in another process)', {
      tasker: `median ${median(lags)} ms`,
      baseline: 'budget 500 ms',
      ratio: `${(median(lags) / 500).toFixed(2)}x budget`,
      note: `p95 ${p95(lags)} ms, max ${Math.max(...lags)} ms over ${lags.length} step ends; poll every 100 ms`,
    });
  } finally {
    await browser.close();
    server.stop();
  }
}
