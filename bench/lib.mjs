// Shared helpers for the benchmarks: wall and CPU time by repeated runs (medians), peak RSS, temp files.
// The machine running them may be shared: wall time is noisy under load, CPU time (user+sys of the
// process and its children, from GNU time) much less so, hence both.
import { spawn, spawnSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '..');
/** The `bin` (the esbuild bundle) when built; TASKER_BENCH_CLI points at another build (e.g. a baseline). */
export const cli =
  process.env.TASKER_BENCH_CLI ??
  [join(root, 'dist/bundle/tasker.js'), join(root, 'dist/src/cli/main.js')].find((p) => existsSync(p));
export const work = mkdtempSync(join(tmpdir(), 'tasker-bench-'));
// The big-output benchmark leaves a 1 GiB file here.
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

export function writeWorkflow(name, text) {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

/** One run: wall ms, CPU ms (user+sys incl. children; null without GNU time) and peak RSS in MB. */
export function runOnce(argv, { env = {}, okCodes = [0] } = {}) {
  const full = GNU_TIME ? [GNU_TIME, '-f', 'TASKER_BENCH %e %U %S %M', ...argv] : argv;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(full[0], full.slice(1), {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, TASKER_HOME: join(work, 'home'), ...env },
    maxBuffer: 1 << 26,
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  const stderr = r.stderr.toString();
  if (!okCodes.includes(r.status)) throw new Error(`${argv.join(' ')} exited ${r.status}: ${stderr}`);
  const m = /TASKER_BENCH ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(stderr);
  if (!m) return { wall, cpu: null, rss: null };
  return { wall, cpu: (Number(m[2]) + Number(m[3])) * 1000, rss: Number(m[4]) / 1024 };
}

/** Runs argv `runs` times; medians of wall ms, CPU ms and peak RSS MB. */
export function measure(argv, options = {}) {
  const { runs = 5 } = options;
  const all = Array.from({ length: runs }, () => runOnce(argv, options));
  const cpus = all.map((r) => r.cpu).filter((c) => c !== null);
  const rsss = all.map((r) => r.rss).filter((c) => c !== null);
  return {
    wall: median(all.map((r) => r.wall)),
    cpu: cpus.length ? median(cpus) : null,
    rss: rsss.length ? median(rsss) : null,
  };
}

/**
 * Several commands measured round-robin (A B A B …) so load changes hit each alike; medians per
 * command, with every run's sample and the load average at its start kept for pairwise ratios.
 * `c.after` runs (untimed) after each of that command's runs, e.g. to close what it left behind.
 */
export function compareAlternating(commands, options = {}) {
  const { runs = 5, warmup = 0 } = options;
  const samples = commands.map(() => []);
  for (let i = 0; i < warmup + runs; i++)
    commands.forEach((c, k) => {
      const at = loadavg()[0];
      const r = runOnce(c.argv, { ...options, ...c.options });
      c.after?.();
      if (i >= warmup) samples[k].push({ ...r, load: at });
    });
  return commands.map((c, k) => {
    const s = samples[k];
    const cpus = s.map((r) => r.cpu).filter((x) => x !== null);
    const rsss = s.map((r) => r.rss).filter((x) => x !== null);
    return {
      name: c.name,
      wall: median(s.map((r) => r.wall)),
      cpu: cpus.length ? median(cpus) : null,
      rss: rsss.length ? median(rsss) : null,
      samples: s,
    };
  });
}

/** Median of the per-round ratios a/b (wall or cpu): holds when the machine's speed drifts between rounds. */
export function pairedRatio(a, b, field = 'wall') {
  const rs = a.samples
    .map((x, i) => [x[field], b.samples[i]?.[field]])
    .filter(([x, y]) => x !== null && y !== null && y !== undefined && y > 0)
    .map(([x, y]) => x / y);
  return rs.length ? median(rs) : null;
}

/** Median wall time in ms (kept for benchmarks that only need wall time). */
export function timeMedian(argv, options = {}) {
  return measure(argv, options).wall;
}

/** Peak RSS in MB of a command, from GNU time; null when /usr/bin/time is missing. */
export function peakRssMb(argv, env = {}) {
  return GNU_TIME ? runOnce(argv, { env }).rss : null;
}

export const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
export const fmtCpu = (ms) => (ms === null ? 'n/a' : fmt(ms));
export const ratio = (a, b) => `${(a / b).toFixed(2)}x`;
export const load = () => loadavg()[0].toFixed(2);

/** Starts the bench's `tasker serve` over `home` on a free loopback port: its URL, and stop(). */
export async function startServe(home) {
  const child = spawn('node', [cli, 'serve', '--listen', '127.0.0.1:0', '--state-home', home], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (d) => {
      text += d;
      const m = /(http:\/\/\S+\/)/.exec(text);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

/** GETs `url` `warmup` times untimed, then `runs` times: the median ms and the body's size; a non-2xx throws. */
/** The bytes a response takes on the wire when the client accepts gzip (what a browser gets). */
export function wireBytes(url) {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { 'Accept-Encoding': 'gzip' } }, (res) => {
      let n = 0;
      res.on('data', (b) => (n += b.length));
      res.on('end', () => resolve({ bytes: n, encoding: res.headers['content-encoding'] ?? 'identity' }));
    });
    req.on('error', reject);
    req.end();
  });
}

export async function timeGet(url, { runs = 20, warmup = 2 } = {}) {
  const times = [];
  let bytes = 0;
  for (let i = 0; i < warmup + runs; i++) {
    const t0 = performance.now();
    const res = await fetch(url);
    const body = await res.arrayBuffer();
    if (!res.ok) throw new Error(`${url}: ${res.status}`);
    if (i >= warmup) times.push(performance.now() - t0);
    bytes = body.byteLength;
  }
  return { ms: median(times), bytes };
}

/** Headless Debian chromium (the tests' playwright-core), a fresh profile, nothing that reaches the network by itself. */
export async function launchChromium() {
  const { chromium } = await import(join(root, 'node_modules/playwright-core/index.mjs'));
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'tasker-bench-chromium-')), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
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

/** A port on `host` with nothing listening (bound, then released): for a server to take, or a dead host. */
export function freePort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().once('error', reject);
    srv.listen(0, host, () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}
