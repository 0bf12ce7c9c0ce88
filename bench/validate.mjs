// Validator benchmark (issue: workflow format): a generated workflow at 500..5,000 steps.
import { cli, fmt, fmtCpu, measure, ratio, writeWorkflow } from './lib.mjs';

function generate(n) {
  const lines = ['version: 1', `name: gen${n}`, 'vars:', '  release: v1', 'steps:'];
  for (let i = 0; i < n; i++) {
    lines.push(
      `  - id: s${i}`,
      `    run: echo \${{ vars.release }} ${i}`,
      '    timeout: 30s',
      `    success: exit == 0 && stdout ~ /v1/`,
    );
  }
  return lines.join('\n') + '\n';
}

export function benchValidate(report) {
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  const node = measure(['node', '-e', '0'], { runs: 5 });
  let first;
  for (const n of [500, 1000, 2500, 5000]) {
    const file = writeWorkflow(`gen${n}.yaml`, generate(n));
    const t = measure(['node', cli, 'validate', file], { runs });
    first ??= t.wall - node.wall;
    report(`validate ${n} steps`, {
      tasker: fmt(t.wall),
      baseline: `node -e 0 ${fmt(node.wall)}`,
      ratio: ratio(t.wall - node.wall, first),
      cpu: `${fmtCpu(t.cpu)} vs ${fmtCpu(node.cpu)}`,
      note: 'ratio: work time (minus node start-up) vs the 500-step run',
    });
  }
}
