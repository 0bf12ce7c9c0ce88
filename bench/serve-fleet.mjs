// `tasker serve` at a 500-host fan-out (issue 13; BENCH_SERVE_FLEET_HOSTS): a real run over the loopback sshd (inventory names
// spread over its 16 addresses; 3 on a closed port, 7 failing), then `GET /api/runs/:id` and the run
// page in headless Debian chromium until the failing hosts are listed. Same workflow as
// test/helpers/fleet-run.ts (the browser test). Baseline: the same page for a 16-host fan-out.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSshd } from './ssh-peers.mjs';
import { cli, fmt, freePort, launchChromium, median, startServe, timeGet, wireBytes, work } from './lib.mjs';

// The big fan-out's size (a smaller BENCH_SERVE_FLEET_HOSTS for a quick try); 16 hosts is the baseline.
const BIG = Number(process.env.BENCH_SERVE_FLEET_HOSTS ?? 500);
const FAILING = ['web013', 'web137', 'web250', 'web311', 'web404', 'web466', 'web499'];
const DEAD = ['web100', 'web200', 'web300'];
const host = (i) => `web${String(i + 1).padStart(3, '0')}`;

function workflow(s, count, dead) {
  const hosts = Array.from({ length: count }, (_, i) => {
    const off = DEAD.includes(host(i));
    const where = off
      ? `127.0.0.1, port: ${dead}`
      : `${s.addresses[i % s.addresses.length]}, port: ${s.port}`;
    return `  ${host(i)}: { address: ${where}, user: ${s.user}, key: ${s.key} }`;
  });
  const file = join(work, `fleet-${count}.yaml`);
  writeFileSync(
    file,
    `version: 1\nname: fleet${count}\nhosts:\n${hosts.join('\n')}\ngroups:\n  all_web: [${Array.from({ length: count }, (_, i) => host(i)).join(', ')}]\nsteps:\n  - id: rollout\n    hosts: all_web\n    env: { NAME: "\${{ host.name }}" }\n    run: |\n      case "$NAME" in ${FAILING.join('|')}) echo "disk full ($NAME)" >&2; exit 3;; esac\n      echo "deployed on $NAME"\n`,
  );
  return file;
}

/** Times the run page of a recorded run: navigation until its host list (or timeline) is drawn. */
async function timePage(browser, url, ready, runs = 5) {
  const times = [];
  for (let i = 0; i < runs + 1; i++) {
    const page = await browser.newPage();
    const t0 = performance.now();
    await page.goto(url);
    await page.locator(ready).first().waitFor({ timeout: 60_000 });
    await page.locator('#plan g.node').first().waitFor({ timeout: 60_000 });
    if (i > 0) times.push(performance.now() - t0);
    await page.close();
  }
  return median(times);
}

export async function benchServeFleet(report) {
  if (!existsSync('/usr/bin/chromium') || !existsSync('/usr/sbin/sshd'))
    return console.error('serve fleet benchmark skipped: needs /usr/bin/chromium and /usr/sbin/sshd');
  const s = await startSshd(16);
  const home = join(work, 'serve-fleet-home');
  const dead = await freePort();
  const ids = {};
  try {
    for (const count of [16, BIG]) {
      const t0 = performance.now();
      const args = [cli, 'run', '--output', 'plain', '--known-hosts', s.knownHosts, workflow(s, count, dead)];
      const r = spawnSync('node', args, { env: { ...process.env, TASKER_HOME: home }, encoding: 'utf8' });
      if (r.status !== 0 && r.status !== 1 && r.status !== 3) throw new Error(`fleet run: ${r.stderr}`);
      ids[count] = { run: performance.now() - t0 };
    }
  } finally {
    s.stop();
  }
  const server = await startServe(home);
  const browser = await launchChromium();
  try {
    const { runs } = await (await fetch(`${server.url}api/runs`)).json();
    for (const r of runs) ids[Number(r.workflow.slice(5))].id = r.id;
    const api = {};
    const page = {};
    for (const count of [16, BIG]) {
      api[count] = await timeGet(`${server.url}api/runs/${ids[count].id}`);
      api[count].wire = await wireBytes(`${server.url}api/runs/${ids[count].id}`);
      page[count] = await timePage(browser, `${server.url}runs/${ids[count].id}`, '#host-list tr.host-row');
    }
    const kb = (b) => `${(b / 1024).toFixed(0)} KiB`;
    report(`serve: \`GET /api/runs/:id\`, ${BIG}-host fan-out (vs 16 hosts)`, {
      tasker: fmt(api[BIG].ms),
      baseline: fmt(api[16].ms),
      ratio: `${(api[BIG].ms / api[16].ms).toFixed(1)}x`,
      note: `median of 20; ${kb(api[BIG].bytes)} vs ${kb(api[16].bytes)} of JSON, ${kb(api[BIG].wire.bytes)} vs ${kb(api[16].wire.bytes)} on the wire (${api[BIG].wire.encoding}); the real run of ${BIG} hosts took ${fmt(ids[BIG].run)}`,
    });
    report(`serve: run page load, ${BIG}-host fan-out (vs 16 hosts), chromium`, {
      tasker: fmt(page[BIG]),
      baseline: fmt(page[16]),
      ratio: `${(page[BIG] / page[16]).toFixed(1)}x`,
      note: 'navigation until the failing hosts are listed and the plan is drawn; median of 5',
    });
  } finally {
    await browser.close();
    server.stop();
  }
}
