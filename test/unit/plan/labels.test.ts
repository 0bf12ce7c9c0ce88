import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../../src/plan/index.js';
import { parseWorkflowText } from '../../../src/parse/index.js';
import { walkPlan } from '../../../src/model/plan-walk.js';

describe('names of anonymous steps', () => {
  it('are their place for people (`clean then[1]`, `finally[1]`), never a path id', () => {
    const text = `version: 1
steps:
  - run: echo one
  - id: clean
    if: vars.x == 1
    then:
      - run: echo a
    else:
      - name: nothing to do
        run: echo b
finally:
  - run: echo tidy
vars:
  x: 1
`;
    const parsed = parseWorkflowText(new TextEncoder().encode(text), 'wf.yaml');
    const built = buildPlan(parsed.workflow!, {});
    const names: string[] = [];
    walkPlan(built.plan!.root, (n) => names.push(n.name));
    expect(names).toEqual(
      expect.arrayContaining([
        'steps[1]',
        'clean',
        'clean then',
        'clean then[1]',
        'clean else',
        'nothing to do',
        'finally[1]',
      ]),
    );
    for (const n of names) expect(n).not.toMatch(/^(steps|finally)\.\d/);
  });
});
