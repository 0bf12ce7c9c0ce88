// Validator benchmark (issue: workflow format): a generated workflow at 500..5,000 steps.
import { cli, fmt, ratio, timeMedian, writeWorkflow } from './lib.mjs';

function generate(n) {
  const lines = ['version: 1', `name: gen${n}`, 'vars:', '  release: v1', 'steps:'];
  for (let i = 0; i < n; i++) {
    lines.push(`  - id: s${i}`, `    run: echo \${{ vars.release }} ${i}`, '    timeout: 30s', `    success: exit == 0 && stdout ~ /v1/`);
  }
  return lines.join('\n') + '\n';
}

export function benchValidate(report) {
  const nodeMs = timeMedian(['node', '-e', '0'], { runs: 5 });
  let first;
  for (const n of [500, 1000, 2500, 5000]) {
    const file = writeWorkflow(`gen${n}.yaml`, generate(n));
    const ms = timeMedian(['node', cli, 'validate', file], { runs: 3 });
    first ??= ms - nodeMs;
    report(`validate ${n} steps`, { tasker: fmt(ms), baseline: `node -e 0 ${fmt(nodeMs)}`, ratio: ratio(ms - nodeMs, first), note: 'ratio: work time vs the 500-step run' });
  }
}
