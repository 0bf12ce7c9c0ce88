import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/model/events.js';
import { createPlainReporter } from '../../../src/report/plain.js';
import { T0, emit, plan, runResult, sink, stepResult } from './builders.js';

function run(events: RunEvent[]): string[] {
  const s = sink();
  emit(createPlainReporter({ out: s.out }), events);
  return s.lines();
}

describe('plain reporter', () => {
  it('writes one stable line per event with the event time', () => {
    const failed = stepResult({
      id: 'deploy',
      host: 'web1',
      status: 'failed',
      exitCode: 3,
      durationMs: 4500,
      error: undefined,
      note: 'may still be running on web1',
    });
    const lines = run([
      { kind: 'run-start', runId: 'r-1', plan: plan([]), at: T0 + 123 },
      {
        kind: 'step-start',
        id: 'build',
        name: 'build',
        attempt: 1,
        iteration: 1,
        display: 'npm ci && echo "hi"',
        at: T0 + 200,
      },
      { kind: 'step-output', id: 'build', stream: 'stdout', line: 'hello world', at: T0 + 300 },
      { kind: 'step-end', result: stepResult({ id: 'build', durationMs: 1234 }), at: T0 + 1434 },
      {
        kind: 'step-retry',
        id: 'deploy',
        host: 'web1',
        attempt: 1,
        delayMs: 2000,
        exitCode: 3,
        at: T0 + 2000,
      },
      { kind: 'step-end', result: failed, at: T0 + 6000 },
      { kind: 'run-interrupt', signal: 'SIGINT', at: T0 + 6500 },
      {
        kind: 'run-end',
        result: runResult({
          status: 'failed',
          exitCode: 1,
          durationMs: 7001,
          failedStep: 'deploy',
          unreachableHosts: ['web2', 'db1'],
          runDir: '/tmp/runs/r 1',
        }),
        at: T0 + 7001,
      },
    ]);
    expect(lines).toEqual([
      '2026-11-22T03:00:00.123Z run-start run=r-1 workflow=deploy file=deploy.yaml',
      '2026-11-22T03:00:00.200Z step-start id=build attempt=1 iteration=1 cmd="npm ci && echo \\"hi\\""',
      '2026-11-22T03:00:00.300Z out id=build stream=stdout | hello world',
      '2026-11-22T03:00:01.434Z step-end id=build status=ok exit=0 duration=1.234s',
      '2026-11-22T03:00:02.000Z step-retry id=deploy host=web1 attempt=2 delay=2.000s exit=3',
      '2026-11-22T03:00:06.000Z step-end id=deploy host=web1 status=failed exit=3 duration=4.500s note="may still be running on web1"',
      '2026-11-22T03:00:06.500Z run-interrupt signal=SIGINT',
      '2026-11-22T03:00:07.001Z run-end status=failed exit=1 duration=7.001s failed=deploy unreachable=web2,db1 dir="/tmp/runs/r 1"',
    ]);
  });

  it('writes skip reasons, signals, errors and attempt counts on step-end', () => {
    const lines = run([
      {
        kind: 'step-end',
        result: stepResult({
          id: 'a',
          status: 'skipped',
          exitCode: null,
          durationMs: 0,
          skipReason: 'condition',
        }),
        at: T0,
      },
      {
        kind: 'step-end',
        result: stepResult({
          id: 'b',
          status: 'timed-out',
          exitCode: null,
          signal: 'SIGTERM',
          durationMs: 5000,
          attempts: [
            {
              attempt: 1,
              status: 'failed',
              exitCode: 1,
              signal: null,
              startedAt: T0,
              endedAt: T0,
              durationMs: 0,
            },
            {
              attempt: 2,
              status: 'timed-out',
              exitCode: null,
              signal: 'SIGTERM',
              startedAt: T0,
              endedAt: T0,
              durationMs: 0,
            },
          ],
        }),
        at: T0,
      },
      {
        kind: 'step-end',
        result: stepResult({
          id: 'c',
          host: 'web2',
          status: 'unreachable',
          exitCode: null,
          durationMs: 10,
          error: { code: 'unreachable', message: 'connect ECONNREFUSED 10.0.0.2:22' },
        }),
        at: T0,
      },
    ]);
    expect(lines).toEqual([
      '2026-11-22T03:00:00.000Z step-end id=a status=skipped exit=- duration=0.000s reason=condition',
      '2026-11-22T03:00:00.000Z step-end id=b status=timed-out exit=- signal=SIGTERM duration=5.000s attempts=2',
      '2026-11-22T03:00:00.000Z step-end id=c host=web2 status=unreachable exit=- duration=0.010s error=unreachable message="connect ECONNREFUSED 10.0.0.2:22"',
    ]);
  });

  it('keeps each output event on one line without ANSI escapes', () => {
    const lines = run([
      {
        kind: 'step-output',
        id: 'x',
        host: 'web1',
        stream: 'stderr',
        line: '\u001b[31mred\u001b[0m 50%\rdone',
        at: T0,
      },
    ]);
    expect(lines).toEqual(['2026-11-22T03:00:00.000Z out id=x host=web1 stream=stderr | red 50%\\rdone']);
  });

  it('quotes values with spaces, equals signs, quotes or control characters', () => {
    const lines = run([
      {
        kind: 'step-start',
        id: 'a=b',
        name: 'a=b',
        host: 'h 1',
        attempt: 1,
        iteration: 2,
        display: 'x\ny',
        at: T0,
      },
    ]);
    expect(lines).toEqual([
      '2026-11-22T03:00:00.000Z step-start id="a=b" host="h 1" attempt=1 iteration=2 cmd="x\\ny"',
    ]);
  });
});
