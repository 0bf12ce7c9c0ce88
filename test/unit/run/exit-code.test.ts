import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../../src/model/result.js';
import { exitCodeFor } from '../../../src/run/index.js';

const base: Omit<RunResult, 'exitCode'> = {
  runId: 'r',
  workflow: 'w',
  file: 'w.yaml',
  status: 'ok',
  startedAt: 0,
  endedAt: 0,
  durationMs: 0,
  steps: [],
  unreachableHosts: [],
};

describe('exitCodeFor', () => {
  const cases: [string, Partial<RunResult>, number][] = [
    ['ok', {}, 0],
    ['interrupted by SIGINT', { status: 'interrupted', interrupted: 'SIGINT' }, 130],
    ['interrupted by SIGTERM', { status: 'interrupted', interrupted: 'SIGTERM' }, 143],
    ['interrupted, signal unknown', { status: 'interrupted' }, 130],
    [
      'interrupt beats everything',
      { status: 'interrupted', interrupted: 'SIGTERM', unreachableHosts: ['h'] },
      143,
    ],
    ['could not start', { status: 'failed', error: 'secret X not set' }, 2],
    ['unhandled failure', { status: 'failed' }, 1],
    ['unhandled timeout', { status: 'timed-out' }, 4],
    ['unhandled unreachable', { status: 'unreachable', unreachableHosts: ['h'] }, 3],
    ['failure beats a tolerated unreachable host', { status: 'failed', unreachableHosts: ['h'] }, 1],
    ['timeout beats a tolerated unreachable host', { status: 'timed-out', unreachableHosts: ['h'] }, 4],
    ['return N', { status: 'returned', returnCode: 42 }, 42],
    [
      'return N beats a tolerated unreachable host',
      { status: 'returned', returnCode: 0, unreachableHosts: ['h'] },
      0,
    ],
    ['a tolerated unreachable host', { unreachableHosts: ['h'] }, 3],
  ];
  it.each(cases)('%s → %i', (_name, over, code) => {
    expect(exitCodeFor({ ...base, ...over })).toBe(code);
  });
});
