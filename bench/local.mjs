// Run-engine benchmarks (issue: run engine): sequential overhead, parallel scheduling, big output, start-up.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cli, fmt, peakRssMb, ratio, root, timeMedian, work, writeWorkflow } from './lib.mjs';

export function benchLocal(report) {
  const seq = writeWorkflow('seq1000.yaml', `version: 1\nname: seq1000\nsteps:\n${'  - run: [/bin/true]\n'.repeat(1000)}`);
  const tasker = timeMedian(['node', cli, 'run', '--output', 'plain', seq], { runs: 3 });
  const bare = timeMedian(['sh', '-c', 'i=0; while [ $i -lt 1000 ]; do /bin/true; i=$((i+1)); done'], { runs: 3 });
  report('1,000 sequential `true` steps', { tasker: fmt(tasker), baseline: `sh loop ${fmt(bare)}`, ratio: ratio(tasker, bare), note: `${((tasker - bare) / 1000).toFixed(2)} ms overhead per step` });

  const par = writeWorkflow('par200.yaml', `version: 1\nname: par200\nsteps:\n  - parallel:\n      max: 50\n      steps:\n${'        - run: sleep 0.05\n'.repeat(200)}`);
  const parMs = timeMedian(['node', cli, 'run', '--output', 'plain', par], { runs: 3 });
  const startMs = timeMedian(['node', cli, 'run', '--output', 'plain', join(root, 'tasks/hello.yaml')], { runs: 5 });
  report('200 x `sleep 0.05`, parallel max 50', { tasker: fmt(parMs), baseline: 'ideal 200 ms (+ start-up)', ratio: ratio(parMs - startMs, 200), note: 'ratio excludes start-up' });

  const nodeMs = timeMedian(['node', '-e', '0'], { runs: 10 });
  report('start-up: `tasker run tasks/hello.yaml`', { tasker: fmt(startMs), baseline: `node -e 0 ${fmt(nodeMs)}`, ratio: ratio(startMs, nodeMs), note: '3 steps' });

  const big = writeWorkflow('big.yaml', `version: 1\nname: big\nsteps:\n  - id: big\n    run: head -c 1073741824 /dev/zero | tr '\\\\0' x\n`);
  const tiny = writeWorkflow('tiny.yaml', `version: 1\nname: tiny\nsteps:\n  - id: tiny\n    run: echo hi\n`);
  const rssBig = peakRssMb(['node', cli, 'run', '--output', 'plain', big], { TASKER_HOME: join(work, 'bighome') });
  const rssTiny = peakRssMb(['node', cli, 'run', '--output', 'plain', tiny]);
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
