import { afterEach, describe, expect, it } from 'vitest';
import { parseWorkflowText } from '../../../src/parse/index.js';
import { buildPlan } from '../../../src/plan/index.js';
import type { Plan } from '../../../src/model/plan.js';
import { cleanRunDirs, run } from './plan-builders.js';

afterEach(cleanRunDirs);

function planOf(yaml: string): Plan {
  const parsed = parseWorkflowText(yaml, 'host-vars.yaml');
  const planned = buildPlan(parsed.workflow!);
  expect(planned.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return planned.plan!;
}

describe('host vars', () => {
  it('are visible as vars.* to steps on that host and win over workflow vars', async () => {
    const plan = planOf(`version: 1
vars: { weight: 1, release: v1 }
hosts:
  web1: { address: 10.0.0.1, vars: { weight: 5, label: "\${{ vars.release }}-\${{ host.name }}" } }
  web2: { address: 10.0.0.2 }
groups: { web: [web1, web2] }
steps:
  - id: up
    hosts: web
    run: echo \${{ vars.weight }} \${{ vars.release }}
  - id: one
    host: web1
    run: echo \${{ vars.label }}
`);
    const ran = await run(plan);
    const commands = ran.fake.calls.map((c) => (c.req.command.kind === 'shell' ? c.req.command.script : ''));
    expect(commands).toEqual(expect.arrayContaining(['echo 5 v1', 'echo 1 v1', 'echo v1-web1']));
    expect(ran.result.exitCode).toBe(0);
  });
});
