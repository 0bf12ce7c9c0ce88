import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Plan, PlanNode } from '../../../src/model/plan.js';
import { parseWorkflowText } from '../../../src/parse/index.js';
import { buildPlan, type PlanOptions } from '../../../src/plan/index.js';
import { nodeById } from './helpers.js';

const dir = fileURLToPath(new URL('../../../fixtures/workflows/valid/', import.meta.url));

function planFixture(name: string, options?: PlanOptions): Plan {
  const parsed = parseWorkflowText(readFileSync(dir + name, 'utf8'), name);
  expect(parsed.diagnostics).toEqual([]);
  const result = buildPlan(parsed.workflow!, options);
  expect(result.diagnostics).toEqual([]);
  return result.plan!;
}

function hostsOf(node: PlanNode): string[] {
  if (node.kind !== 'fanout') throw new Error(`expected a fan-out, got ${node.kind}`);
  return node.targets.map((t) => (t.kind === 'ssh' ? t.name : 'local'));
}

describe('plan of parsed fixtures', () => {
  it('applies nested defaults from a parsed file', () => {
    const plan = planFixture('plan-defaults.yaml');
    expect(nodeById(plan, 'steps.0')).toMatchObject({
      timeoutMs: 300_000,
      target: { kind: 'local' },
      spec: { retry: { attempts: 3, delayMs: 2000 } },
    });
    expect(nodeById(plan, 'steps.1.steps.0')).toMatchObject({
      timeoutMs: 10_000,
      target: { kind: 'ssh', name: 'app1' },
    });
    const inner = nodeById(plan, 'steps.1.steps.1');
    expect(inner.kind === 'command' && Object.keys(inner.spec.env).sort()).toEqual(['LANG', 'MODE']);
    expect(nodeById(plan, 'steps.2.parallel.1')).toMatchObject({
      spec: { retry: { attempts: 1, delayMs: 2000 } },
    });
  });

  it('resolves groups, globs and --limit in a parsed file', () => {
    const plan = planFixture('plan-fanout.yaml');
    expect(hostsOf(nodeById(plan, 'upload'))).toEqual(['web1', 'web2']);
    expect(hostsOf(nodeById(plan, 'glob'))).toEqual(['web1', 'web2', 'web10', 'db1']);
    expect(hostsOf(nodeById(plan, 'all'))).toEqual(['web1', 'web2', 'db1']);
    expect(nodeById(plan, 'upload')).toMatchObject({ maxParallel: 1, maxFailed: 1 });
    expect(nodeById(plan, 'glob')).toMatchObject({ maxParallel: 2 });
    expect(plan.hosts.web1).toMatchObject({ address: '10.0.0.11', user: 'deploy', connectTimeoutMs: 5000 });

    const limited = planFixture('plan-fanout.yaml', { limit: 'web2,db*' });
    expect(hostsOf(nodeById(limited, 'upload'))).toEqual(['web2']);
    expect(nodeById(limited, 'one')).toMatchObject({ kind: 'command', target: { name: 'db1' } });
    expect(hostsOf(nodeById(planFixture('plan-fanout.yaml', { limit: 'web1' }), 'one'))).toEqual([]);
  });

  it('keeps routing and needs from a parsed file', () => {
    expect(nodeById(planFixture('plan-routing.yaml'), 'health')).toMatchObject({
      onSuccess: 'done',
      onFailure: 'repair',
    });
    expect(nodeById(planFixture('plan-needs.yaml'), 'package').needs).toEqual(['unpack', 'lint']);
  });
});
