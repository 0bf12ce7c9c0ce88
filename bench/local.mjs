// Run-engine benchmarks (issue 3): sequential overhead, parallel scheduling, start-up, big output.
// Each comparison runs tasker and its baseline round-robin in the same process, BENCH_RUNS times
// (default 5), and reports medians of wall time and CPU time (user+sys, children included).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cli, compareAlternating, fmt, fmtCpu, peakRssMb, ratio, root, work, writeWorkflow } from './lib.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const run = (file, ...flags) => ['node', cli, 'run', '--output', 'plain', '--no-history', ...flags, file];
const cpuRatio = (a, b) => (a.cpu === null || b.cpu === null ? undefined : ratio(a.cpu, b.cpu));

export function benchLocal(report) {
  benchSequential(report);
  benchParallelAndStartup(report);
  benchBigOutput(report);
}

// The floor Node itself puts under every step: `child_process.spawn` of /bin/true, one after another.
const SPAWN_LOOP = `const { spawn } = require('node:child_process');
let n = 0;
const next = () => { if (n++ === 1000) return; const c = spawn('/bin/true', [], { stdio: ['ignore', 'pipe', 'pipe'], detached: true }); c.on('close', next); };
next();`;

export function benchSequential(report) {
  const seq = writeWorkflow(
    'seq1000.yaml',
    `version: 1\nname: seq1000\nsteps:\n${'  - run: [/bin/true]\n'.repeat(1000)}`,
  );
  const tasks = writeWorkflow(
    'seq1000.txt',
    Array.from({ length: 1000 }, (_, i) => `task=${i}\nhostname=localhost\ncommand=/bin/true\n`).join(''),
  );
  const loop = 'i=0; while [ $i -lt 1000 ]; do /bin/true; i=$((i+1)); done';
  // TASKER_BENCH_BASE=/path/to/older/dist/bundle/tasker.js: that build's rows too, in the same round-robin.
  const base = process.env.TASKER_BENCH_BASE;
  const builds = base ? [cli, base] : [cli];
  const [bare, spawnLoop, ...measured] = compareAlternating(
    [
      { name: 'sh loop', argv: ['sh', '-c', loop] },
      { name: 'node spawn loop', argv: ['node', '-e', SPAWN_LOOP] },
      // Each build keeps its own state home: an older build refuses a newer history schema.
      ...builds.flatMap((c, i) => {
        const options = { env: { TASKER_HOME: join(work, `home-${i}`) } };
        return [
          { name: 'tasker', argv: ['node', c, 'run', '--output', 'plain', '--no-history', seq], options },
          { name: 'tasker, history', argv: ['node', c, 'run', '--output', 'plain', seq], options },
          { name: 'TASKER-style', argv: ['node', c, '-r', tasks], options },
        ];
      }),
    ],
    { runs: RUNS },
  );
  const [t, hist, legacy, ...before] = measured;
  const vsLoop = (name, r) =>
    report(name, {
      tasker: fmt(r.wall),
      baseline: `sh loop ${fmt(bare.wall)}`,
      ratio: ratio(r.wall, bare.wall),
      cpu: `${fmtCpu(r.cpu)} vs ${fmtCpu(bare.cpu)}`,
      cpuRatio: cpuRatio(r, bare),
      note: `${perStep(r.wall, bare.wall)} ms wall, ${perStep(r.cpu, bare.cpu)} ms CPU overhead per step`,
    });
  vsLoop('1,000 sequential `/bin/true` steps (`--no-history`)', t);
  vsLoop('… the same with the run history on (the default)', hist);
  vsLoop('… as a TASKER task file (`tasker -r`, history on)', legacy);
  report('… TASKER-style vs the same steps as YAML (both history on)', {
    tasker: fmt(legacy.wall),
    baseline: `YAML ${fmt(hist.wall)}`,
    ratio: ratio(legacy.wall, hist.wall),
    cpu: `${fmtCpu(legacy.cpu)} vs ${fmtCpu(hist.cpu)}`,
    cpuRatio: cpuRatio(legacy, hist),
    note: 'aim: within 1.10x',
  });
  vsLoop('floor: a bare Node loop spawning `/bin/true` 1,000 times', spawnLoop);
  if (before.length === 0) return;
  vsLoop('before (TASKER_BENCH_BASE): 1,000 steps (`--no-history`)', before[0]);
  vsLoop('before: … with the run history on', before[1]);
  vsLoop('before: … as a TASKER task file', before[2]);
  report('before: TASKER-style vs YAML', {
    tasker: fmt(before[2].wall),
    baseline: `YAML ${fmt(before[1].wall)}`,
    ratio: ratio(before[2].wall, before[1].wall),
    cpu: `${fmtCpu(before[2].cpu)} vs ${fmtCpu(before[1].cpu)}`,
    cpuRatio: cpuRatio(before[2], before[1]),
  });
}

const perStep = (a, b) => (a === null || b === null ? '?' : ((a - b) / 1000).toFixed(2));

function benchParallelAndStartup(report) {
  const par = writeWorkflow(
    'par200.yaml',
    `version: 1\nname: par200\nsteps:\n  - parallel:\n      max: 50\n      steps:\n${'        - run: sleep 0.05\n'.repeat(200)}`,
  );
  const hello = join(root, 'tasks/hello.yaml');
  const [p, start, version, node] = compareAlternating(
    [
      { name: 'par200', argv: run(par) },
      { name: 'hello', argv: run(hello) },
      { name: 'version', argv: ['node', cli, '--version'] },
      { name: 'node', argv: ['node', '-e', '0'] },
    ],
    { runs: RUNS },
  );
  report('200 x `sleep 0.05`, parallel max 50', {
    tasker: fmt(p.wall),
    baseline: 'ideal 200 ms (+ start-up)',
    ratio: ratio(p.wall - start.wall, 200),
    cpu: fmtCpu(p.cpu),
    note: `ratio: wall minus the hello run's (${fmt(start.wall)}) vs 200 ms`,
  });
  report('start-up: `tasker run tasks/hello.yaml`', {
    tasker: fmt(start.wall),
    baseline: `node -e 0 ${fmt(node.wall)}`,
    ratio: ratio(start.wall, node.wall),
    cpu: `${fmtCpu(start.cpu)} vs ${fmtCpu(node.cpu)}`,
    cpuRatio: cpuRatio(start, node),
    note: '3 steps',
  });
  report('start-up: `tasker --version`', {
    tasker: fmt(version.wall),
    baseline: `node -e 0 ${fmt(node.wall)}`,
    ratio: ratio(version.wall, node.wall),
    cpu: `${fmtCpu(version.cpu)} vs ${fmtCpu(node.cpu)}`,
    cpuRatio: cpuRatio(version, node),
  });
}

function benchBigOutput(report) {
  const big = writeWorkflow(
    'big.yaml',
    `version: 1\nname: big\nsteps:\n  - id: big\n    run: head -c 1073741824 /dev/zero | tr '\\0' x\n`,
  );
  const tiny = writeWorkflow('tiny.yaml', `version: 1\nname: tiny\nsteps:\n  - id: tiny\n    run: echo hi\n`);
  const rssBig = peakRssMb(run(big), { TASKER_HOME: join(work, 'bighome') });
  const rssTiny = peakRssMb(run(tiny));
  let bytes = 'n/a';
  try {
    const runs = join(work, 'bighome', 'runs');
    const dir = join(runs, readdirSync(runs)[0]);
    bytes = String(statSync(join(dir, 'big.stdout')).size);
  } catch {}
  report('1 GiB on stdout: peak RSS', {
    tasker: rssBig === null ? 'n/a (install GNU time)' : `${rssBig.toFixed(0)} MB`,
    baseline: rssTiny === null ? 'n/a' : `tiny step ${rssTiny.toFixed(0)} MB`,
    ratio: rssBig && rssTiny ? `+${(rssBig - rssTiny).toFixed(0)} MB` : 'n/a',
    note: `output file ${bytes} bytes (expect 1073741824)`,
  });
}
