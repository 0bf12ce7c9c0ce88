import { describe, expect, it } from 'vitest';
import { renderJsonReport } from '../../../src/report/json.js';
import { T0, attempt, runResult, stepResult } from './builders.js';

describe('renderJsonReport', () => {
  const result = runResult({
    status: 'failed',
    exitCode: 1,
    failedStep: 'deploy',
    interrupted: 'SIGINT',
    runDir: '/runs/r-1',
    unreachableHosts: ['web2'],
    steps: [
      stepResult({
        id: 'build',
        display: 'make ***',
        stdoutFile: '/runs/r-1/build.stdout',
        stderrFile: '/runs/r-1/build.stderr',
      }),
      stepResult({
        id: 'deploy@web1',
        host: 'web1',
        status: 'failed',
        exitCode: null,
        signal: 'SIGKILL',
        startedAt: T0 + 2000,
        endedAt: T0 + 6500,
        durationMs: 4500,
        stderrTail: ['boom'],
        attempts: [
          attempt({
            attempt: 1,
            status: 'failed',
            exitCode: 3,
            stderrFile: '/runs/r-1/deploy@web1.1.stderr',
          }),
          attempt({
            attempt: 2,
            status: 'failed',
            exitCode: null,
            signal: 'SIGKILL',
            startedAt: T0 + 5000,
            endedAt: T0 + 6500,
            durationMs: 1500,
          }),
        ],
      }),
      stepResult({
        id: 'notify',
        status: 'skipped',
        exitCode: null,
        startedAt: 0,
        endedAt: 0,
        durationMs: 0,
        skipReason: 'upstream-failed',
        attempts: [],
      }),
    ],
  });
  const json = renderJsonReport(result);
  const parsed = JSON.parse(json) as Record<string, unknown> & { steps: Record<string, unknown>[] };

  it('is pretty JSON with schemaVersion 1 and the run fields', () => {
    expect(json).toContain('\n  "schemaVersion": 1,');
    expect(json.endsWith('}\n')).toBe(true);
    expect(parsed).toMatchObject({
      schemaVersion: 1,
      runId: 'r-1',
      workflow: 'deploy',
      file: 'deploy.yaml',
      status: 'failed',
      exitCode: 1,
      startedAt: '2026-11-22T03:00:00.000Z',
      endedAt: '2026-11-22T03:00:12.345Z',
      durationMs: 12345,
      interrupted: 'SIGINT',
      failedStep: 'deploy',
      unreachableHosts: ['web2'],
      runDir: '/runs/r-1',
    });
  });

  it('lists steps in execution order with host, status, exit, signal, times, display and files', () => {
    expect(parsed.steps.map((s) => s.id)).toEqual(['build', 'deploy@web1', 'notify']);
    expect(parsed.steps[0]).toMatchObject({
      host: null,
      status: 'ok',
      exitCode: 0,
      signal: null,
      display: 'make ***',
      stdoutFile: '/runs/r-1/build.stdout',
      stderrFile: '/runs/r-1/build.stderr',
      startedAt: '2026-11-22T03:00:00.000Z',
      endedAt: '2026-11-22T03:00:01.200Z',
      durationMs: 1200,
    });
    expect(parsed.steps[1]).toMatchObject({
      host: 'web1',
      status: 'failed',
      exitCode: null,
      signal: 'SIGKILL',
      stderrTail: ['boom'],
    });
  });

  it('includes every attempt with its own times and files', () => {
    const attempts = parsed.steps[1]!.attempts as Record<string, unknown>[];
    expect(attempts).toHaveLength(2);
    expect(attempts[0]).toMatchObject({
      attempt: 1,
      exitCode: 3,
      stderrFile: '/runs/r-1/deploy@web1.1.stderr',
      stdoutFile: null,
    });
    expect(attempts[1]).toMatchObject({
      attempt: 2,
      signal: 'SIGKILL',
      startedAt: '2026-11-22T03:00:05.000Z',
      durationMs: 1500,
    });
  });

  it('names the run a resumed step was reused from', () => {
    const step = stepResult({ id: 'build', reusedFrom: '20261121T030000Z-abc123', note: 'reused' });
    const json = JSON.parse(renderJsonReport(runResult({ steps: [step] }))) as {
      steps: { reusedFrom: string }[];
    };
    expect(json.steps[0]!.reusedFrom).toBe('20261121T030000Z-abc123');
  });

  it('uses null for unset times and optional fields so every key is always present', () => {
    expect(parsed.steps[2]).toMatchObject({
      startedAt: null,
      endedAt: null,
      skipReason: 'upstream-failed',
      error: null,
      note: null,
      reusedFrom: null,
      display: null,
    });
    const clean = JSON.parse(renderJsonReport(runResult())) as Record<string, unknown>;
    expect(clean).toMatchObject({ interrupted: null, failedStep: null, runDir: null, steps: [] });
  });
});
