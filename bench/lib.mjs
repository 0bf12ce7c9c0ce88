// Shared helpers for the benchmarks: timing by repeated runs (median), peak RSS, temp files.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '..');
export const cli = join(root, 'dist/src/cli/main.js');
export const work = mkdtempSync(join(tmpdir(), 'tasker-bench-'));

export function writeWorkflow(name, text) {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

/** Runs argv `runs` times and returns the median wall time in ms; throws if a run fails. */
export function timeMedian(argv, { runs = 5, env = {}, okCodes = [0] } = {}) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, TASKER_HOME: join(work, 'home'), ...env } });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (!okCodes.includes(r.status)) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
    times.push(ms);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Peak RSS in MB of a command, from GNU time's -v output; null when /usr/bin/time is missing. */
export function peakRssMb(argv, env = {}) {
  if (!existsSync('/usr/bin/time')) return null;
  const r = spawnSync('/usr/bin/time', ['-v', ...argv], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, TASKER_HOME: join(work, 'home'), ...env }, maxBuffer: 1 << 26 });
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr.toString());
  return m ? Number(m[1]) / 1024 : null;
}

export const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
export const ratio = (a, b) => `${(a / b).toFixed(2)}x`;
