// Spawn paths (issue 15): what one sequential `/bin/true` costs the parent through today's
// `child_process.spawn` options, cheaper option sets, and a long-lived `sh` helper that forks on
// request over a pipe (its best case: no per-command output pipes, no process group, no kill).
// In process, variants round-robin, BENCH_SPAWN_N spawns per sample, BENCH_RUNS samples; medians
// of wall and CPU per spawn. CPU is everything the spawns cost: this process, its reaped children
// and the helper with its children (utime+stime+cutime+cstime from /proc, 10 ms ticks, so samples
// are long). `npm run build && node bench/run.mjs spawn`.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { median, ratio } from './lib.mjs';

const fmt = (ms) => `${ms.toFixed(2)} ms`;

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const N = Number(process.env.BENCH_SPAWN_N ?? 300);
const baseEnv = { ...process.env };

const viaSpawn = (options) => () =>
  new Promise((resolve) => spawn('/bin/true', [], options).once('close', resolve));

/** One `sh` reads command lines and answers each with its exit status: fork + exec from a small process. */
function shHelper() {
  const sh = spawn('/bin/sh', ['-c', 'while read -r cmd; do $cmd; echo $?; done'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let waiting = [];
  let buffered = '';
  sh.stdout.on('data', (d) => {
    buffered += d;
    let nl;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      buffered = buffered.slice(nl + 1);
      waiting.shift()?.();
    }
  });
  return {
    pid: sh.pid,
    run: () =>
      new Promise((resolve) => {
        waiting.push(resolve);
        sh.stdin.write('/bin/true\n');
      }),
    close: () => sh.stdin.end(),
  };
}

const variants = (helper) => [
  {
    name: 'today: stdio [ignore, pipe, pipe], detached, env copy',
    run: viaSpawn({ stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: baseEnv }),
  },
  {
    name: 'not detached (no own process group)',
    run: viaSpawn({ stdio: ['ignore', 'pipe', 'pipe'], env: baseEnv }),
  },
  { name: 'no pipes (stdio ignore)', run: viaSpawn({ stdio: 'ignore', detached: true, env: baseEnv }) },
  {
    name: 'empty env',
    run: viaSpawn({ stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: {} }),
  },
  { name: 'long-lived sh helper (best case)', run: helper.run },
];

/** utime+stime+cutime+cstime of a process in ms (fields 14-17 of /proc/PID/stat, 100 ticks/s). */
function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields.slice(11, 15).reduce((a, f) => a + Number(f), 0) * 10;
}
async function sample(v, helper) {
  const totalCpu = () => cpuMs('self') + cpuMs(helper.pid);
  const cpu0 = totalCpu();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) await v.run();
  const wall = Number(process.hrtime.bigint() - t0) / 1e6 / N;
  return { wall, cpu: (totalCpu() - cpu0) / N };
}

export async function benchSpawn(report) {
  const helper = shHelper();
  const all = variants(helper);
  const samples = all.map(() => []);
  for (const v of all) await sample(v, helper); // warm-up
  for (let r = 0; r < RUNS; r++) for (const [k, v] of all.entries()) samples[k].push(await sample(v, helper));
  helper.close();
  const med = samples.map((s) => ({ wall: median(s.map((x) => x.wall)), cpu: median(s.map((x) => x.cpu)) }));
  const today = med[0];
  for (const [k, v] of all.entries())
    report(`spawn path: ${v.name}`, {
      tasker: `${fmt(med[k].wall)} per spawn`,
      baseline: `today ${fmt(today.wall)}`,
      ratio: ratio(med[k].wall, today.wall),
      cpu: `${fmt(med[k].cpu)} vs ${fmt(today.cpu)}`,
      cpuRatio: ratio(med[k].cpu, today.cpu),
      note: `${N} sequential \`/bin/true\` per sample, medians of ${RUNS}`,
    });
}
