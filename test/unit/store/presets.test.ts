import { afterEach, describe, expect, it } from 'vitest';
import type { StepView } from '../../../src/model/expr.js';
import { planStartFrom } from '../../../src/api/resume.js';
import { cleanRunDirs, cmd, plan, run, seq } from '../run/plan-builders.js';
import { stepResult } from './helpers.js';

afterEach(cleanRunDirs);

const view = (stdout: string): StepView => ({
  exit: 0,
  stdout,
  stderr: '',
  success: true,
  status: 'ok',
  stdout_file: '/old/a.stdout',
  stderr_file: '',
  stdout_bytes: 0,
  stderr_bytes: 0,
  duration: 0.5,
});

describe('runner presets (resume, start-from)', () => {
  it('a reused step is not run; its recorded view feeds later expressions and its result is reported', async () => {
    const p = plan([cmd('a', 'make-a'), cmd('b', 'use ${{ steps.a.stdout }}')]);
    const reused = stepResult('a', { note: 'reused from run old', reusedFrom: 'old' });
    const ran = await run(
      p,
      {},
      {
        preset: (node) =>
          node.id === 'a' ? { kind: 'reuse', results: [reused], view: view('from-before') } : undefined,
      },
    );
    expect(ran.fake.calls.map((c) => c.key)).toEqual(['use from-before']);
    expect(ran.byId.get('a')).toMatchObject({ status: 'ok', reusedFrom: 'old' });
    expect(ran.result.exitCode).toBe(0);
  });

  it('a skip preset records the node and everything in it as skipped (start-from)', async () => {
    const p = plan([seq('setup', [cmd('s1', 's1')]), cmd('main', 'main')]);
    const ran = await run(
      p,
      {},
      {
        preset: (node) => (node.id === 'setup' ? { kind: 'skip', reason: 'start-from' } : undefined),
      },
    );
    expect(ran.fake.calls.map((c) => c.key)).toEqual(['main']);
    expect(ran.byId.get('s1')).toMatchObject({ status: 'skipped', skipReason: 'start-from' });
    expect(ran.byId.get('setup')).toMatchObject({ status: 'skipped', skipReason: 'start-from' });
  });

  it('a reused tolerated failure keeps its status for the block (continue_on_error)', async () => {
    const p = plan([cmd('a', 'a', { continueOnError: true }), cmd('b', 'b')]);
    const failed = stepResult('a', { status: 'failed', exitCode: 3 });
    const ran = await run(
      p,
      {},
      {
        preset: (n) =>
          n.id === 'a'
            ? {
                kind: 'reuse',
                results: [failed],
                view: { ...view(''), success: false, status: 'failed', exit: 3 },
              }
            : undefined,
      },
    );
    expect(ran.fake.calls.map((c) => c.key)).toEqual(['b']);
    expect(ran.result.exitCode).toBe(0);
  });
});

describe('planStartFrom', () => {
  it('skips the top-level steps before the named one, and refuses an unknown or nested id', () => {
    const p = plan([cmd('a', 'a'), seq('blk', [cmd('inner', 'i')]), cmd('c', 'c')]);
    expect(planStartFrom(p, 'c')).toEqual({ kind: 'ok', skip: new Set(['a', 'blk']) });
    expect(planStartFrom(p, 'inner')).toMatchObject({ kind: 'refused' });
  });
});
