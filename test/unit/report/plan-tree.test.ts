import { describe, expect, it } from 'vitest';
import { formatExpr } from '../../../src/expr/index.js';
import { renderPlanTree } from '../../../src/report/plan-tree.js';
import { command, eq, everyKindPlan, plan, ref } from './builders.js';

describe('renderPlanTree', () => {
  it('draws every node kind with targets, facts, routing, conditions and commands', () => {
    const success = formatExpr(eq(ref('exit'), 0));
    const condition = formatExpr(eq(ref('steps', 'health', 'exit'), 0));
    const when = formatExpr(eq(ref('vars', 'env'), 'prod'));
    expect(renderPlanTree(everyKindPlan()).split('\n')).toEqual([
      'deploy (deploy.yaml)',
      '├─ build "Build it"  command  local  timeout 10m',
      '│     $ npm ci && npm run build',
      '├─ health  command  local  on_failure → rollback',
      '│     $ [curl, -sf, https://x.example/health]',
      `│     success: ${success}`,
      '├─ upload  fanout  web1, web2  max_parallel 1  retry 3× exponential 2s..30s',
      '│     $ ./deploy.sh v2',
      '├─ steps.3  parallel  max 4  success min_success(2)',
      '│  ├─ warm-a  command  web1',
      '│  │     $ ./warm.sh a',
      '│  ├─ warm-b  command  web2',
      '│  │     $ ./warm.sh b',
      '│  └─ smoke  command  local',
      '│        needs: warm-a, warm-b',
      '│        $ ./smoke.sh',
      `├─ steps.4  branch  if ${condition}`,
      `│  │  when: ${when}`,
      '│  ├─ then: steps.4.then  sequence',
      '│  │  └─ steps.4.then.0  command  local',
      '│  │        $ ./notify.sh ok',
      '│  └─ else: steps.4.else  sequence',
      '│     └─ steps.4.else.0  command  local',
      '│           $ ./notify.sh "degraded"',
      '├─ copy-cfg  copy  web1',
      '│     copy: ./app.conf → /etc/app.conf (mode 0644)',
      '├─ steps.6  return  code 0',
      '├─ rollback  command  local  return 1',
      '│     $ ./rollback.sh',
      '└─ finally',
      '   └─ cleanup  command  local',
      '         $ rm -rf ./build',
      '',
    ]);
  });

  it('shows multi-line scripts, loops, retry details, env, cwd, sudo and jumps', () => {
    const node = command('migrate', 'set -e\n./migrate.sh', {
      onSuccess: 'done',
      continueOnError: true,
      sleepMs: 1500,
      spec: {
        loop: { max: 10, delayMs: 3000, until: eq(ref('exit'), 0) },
        retry: { attempts: 2, delayMs: 0, backoff: 'fixed', maxDelayMs: 0, jitter: true, onExit: [75, 3] },
        env: { A: { parts: [], span: { file: 'f', line: 1, col: 1, endLine: 1, endCol: 1 } } },
        cwd: {
          parts: [
            { kind: 'text', text: '/srv', span: { file: 'f', line: 1, col: 1, endLine: 1, endCol: 1 } },
          ],
          span: { file: 'f', line: 1, col: 1, endLine: 1, endCol: 1 },
        },
        sudo: 'root',
      },
    });
    const lines = renderPlanTree(plan([node])).split('\n');
    expect(lines[1]).toBe(
      '└─ migrate  command  local  retry 2× jitter on exit 75,3  continue_on_error  on_success → done  sleep 1.5s',
    );
    expect(lines.slice(2, -1)).toEqual([
      '      $ set -e',
      '        ./migrate.sh',
      `      loop: max 10 every 3s until ${formatExpr(eq(ref('exit'), 0))}`,
      '      cwd: /srv',
      '      env: A',
      '      sudo: root',
    ]);
  });
});
