import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunResult, StepResult } from '../../../src/model/result.js';
import type { NewRun } from '../../../src/store/index.js';

export function tempHome(): string {
  return mkdtempSync(join(tmpdir(), 'tasker-store-'));
}

/** A pid that surely is not running: a child that has exited and been reaped. */
export function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid;
}

export function newRun(id: string, over: Partial<NewRun> = {}): NewRun {
  return {
    id,
    workflow: 'wf',
    file: '/srv/wf.yaml',
    fileHash: 'f1',
    varsHash: 'v1',
    pid: process.pid,
    host: 'here',
    startedAt: 1_000,
    runDir: `/nonexistent/${id}`,
    ...over,
  };
}

export function stepResult(id: string, over: Partial<StepResult> = {}): StepResult {
  return {
    id,
    kind: 'command',
    name: id,
    status: 'ok',
    exitCode: 0,
    signal: null,
    startedAt: 1_000,
    endedAt: 1_500,
    durationMs: 500,
    attempts: [
      {
        attempt: 1,
        iteration: 1,
        status: 'ok',
        exitCode: 0,
        signal: null,
        startedAt: 1_000,
        endedAt: 1_500,
        durationMs: 500,
      },
    ],
    iterations: 1,
    stderrTail: [],
    display: `run ${id}`,
    ...over,
  };
}

export function runResult(runId: string, over: Partial<RunResult> = {}): RunResult {
  return {
    runId,
    workflow: 'wf',
    file: '/srv/wf.yaml',
    status: 'ok',
    exitCode: 0,
    startedAt: 1_000,
    endedAt: 2_000,
    durationMs: 1_000,
    steps: [],
    unreachableHosts: [],
    ...over,
  };
}
