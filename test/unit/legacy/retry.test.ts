import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseTaskFileText } from '../../../src/legacy/index.js';

/** S9: retry settings live on the block and apply to its subtasks (this translation was once dropped). */
const steps = (text: string) => {
  const out = parseTaskFileText(text, 'jobs.txt');
  const doc = parse(out.yaml!) as {
    steps: { id: string; parallel?: { steps: Record<string, unknown>[] } }[];
  };
  return { out, block: doc.steps[0]!.parallel!.steps };
};

describe('TASKER block retry (S9)', () => {
  it('retry_count and retry_delay on the block become retry on every subtask', () => {
    const { out, block } = steps(
      'task=0\ntype=parallel\ntasks=1,2\nretry_count=3\nretry_delay=2\ntask=1\nhostname=h\ncommand=true\ntask=2\nhostname=h\ncommand=true\n',
    );
    expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(block.map((s) => s.retry)).toEqual([
      { attempts: 4, delay: 2 },
      { attempts: 4, delay: 2 },
    ]);
  });

  it('retry_failed=TRUE alone turns retry on with count 1 and delay 1; globals are resolved', () => {
    const { block } = steps(
      'N=2\ntask=0\ntype=parallel\ntasks=1\nretry_failed=TRUE\ntask=1\nhostname=h\ncommand=true\n',
    );
    expect(block[0]!.retry).toEqual({ attempts: 2, delay: 1 });
    const g = steps(
      'N=2\ntask=0\ntype=parallel\ntasks=1\nretry_count=@N@\ntask=1\nhostname=h\ncommand=true\n',
    );
    expect(g.block[0]!.retry).toEqual({ attempts: 3, delay: 1 });
  });

  it("a subtask's own retry_count is ignored with a warning, as is one on a sequential task", () => {
    const { out, block } = steps(
      'task=0\ntype=parallel\ntasks=1\ntask=1\nhostname=h\ncommand=true\nretry_count=5\ntask=2\nhostname=h\ncommand=true\nretry_delay=1\n',
    );
    expect(block[0]!.retry).toBeUndefined();
    const warnings = out.diagnostics.filter((d) => d.severity === 'warning' && /retry/.test(d.message));
    expect(warnings.map((d) => d.span.line)).toEqual([7, 11]);
  });

  it.each(['0', '1001', 'x', '1.5'])('retry_count=%s on a block is an error', (n) => {
    const { out } = steps(
      `task=0\ntype=parallel\ntasks=1\nretry_count=${n}\ntask=1\nhostname=h\ncommand=true\n`,
    );
    expect(out.diagnostics.filter((d) => d.severity === 'error').map((d) => d.span.line)).toEqual([4]);
  });
});
