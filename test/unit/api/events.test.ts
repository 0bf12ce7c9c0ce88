import { describe, expect, it } from 'vitest';
import { withOutputBudget } from '../../../src/api/events.js';
import type { Reporter, RunEvent } from '../../../src/model/events.js';

const out = (id: string, line: string, host?: string): Extract<RunEvent, { kind: 'step-output' }> => ({
  kind: 'step-output',
  id,
  stream: 'stdout',
  line,
  at: 0,
  ...(host ? { host } : {}),
});

describe('withOutputBudget', () => {
  it('passes output until the budget per step instance, then one pointer line, then nothing', () => {
    const seen: string[] = [];
    const r = withOutputBudget(
      { 'step-output': (e) => seen.push(`${e.id}@${e.host ?? ''} ${e.line}`) },
      { bytes: 10, lines: 100 },
    );
    for (let i = 0; i < 5; i++) r['step-output']!(out('a', 'xxxx'));
    r['step-output']!(out('a', 'yy', 'web1'));
    expect(seen).toEqual([
      'a@ xxxx',
      'a@ xxxx',
      'a@ [tasker: more output of this step is only in its .stdout file in the run dir]',
      'a@web1 yy',
    ]);
  });

  it('caps lines as well as bytes: short lines must not flood the JSON event log', () => {
    const seen: string[] = [];
    const r = withOutputBudget({ 'step-output': (e) => seen.push(e.line) }, { bytes: 1000, lines: 3 });
    for (let i = 0; i < 10; i++) r['step-output']!(out('a', `${i}`));
    expect(seen).toHaveLength(4);
    expect(seen[3]).toContain('more output');
  });

  it('keeps every other handler and close', () => {
    let closed = false;
    const starts: string[] = [];
    const inner: Reporter = {
      'step-start': (e) => starts.push(e.id),
      close: () => {
        closed = true;
        return Promise.resolve();
      },
    };
    const r = withOutputBudget(inner, { bytes: 1, lines: 1 });
    r['step-start']!({
      kind: 'step-start',
      id: 'a',
      name: 'a',
      attempt: 1,
      iteration: 1,
      display: '',
      at: 0,
    });
    void r.close!();
    expect(starts).toEqual(['a']);
    expect(closed).toBe(true);
  });
});
