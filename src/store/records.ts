import type { RunStatus, StepStatus } from '../model/result.js';

/** A run as the history keeps it; `running` until it ends or its process is found gone. */
export interface RunRecord {
  id: string;
  workflow: string;
  file: string;
  fileHash: string;
  varsHash: string;
  status: RunStatus | 'running';
  exitCode: number | null;
  pid: number;
  pidStart: string | null;
  host: string;
  startedAt: number;
  endedAt: number | null;
  durationMs: number | null;
  runDir: string;
  failedStep: string | null;
  error: string | null;
  resumedFrom: string | null;
  /** What the alerts did, e.g. `command: ok; webhook: failed (HTTP 500)`. */
  alert: string | null;
}

/** One step instance (a fan-out host, a block, a skipped step); `running` while it runs. */
export interface StepRecord {
  seq: number;
  runId: string;
  stepId: string;
  host: string | null;
  kind: string;
  name: string;
  status: StepStatus | 'running';
  exitCode: number | null;
  signal: string | null;
  startedAt: number;
  endedAt: number | null;
  durationMs: number | null;
  /** The rendered command, masked. */
  command: string | null;
  stdoutFile: string | null;
  stderrFile: string | null;
  skipReason: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  note: string | null;
  iterations: number;
}

export interface AttemptRecord {
  attempt: number;
  iteration: number;
  status: StepStatus;
  exitCode: number | null;
  signal: string | null;
  startedAt: number;
  endedAt: number;
  durationMs: number;
  stdoutFile: string | null;
  stderrFile: string | null;
  errorCode: string | null;
  errorMessage: string | null;
}

export interface NewRun {
  id: string;
  workflow: string;
  file: string;
  fileHash: string;
  varsHash: string;
  pid: number;
  pidStart?: string;
  host: string;
  startedAt: number;
  runDir: string;
  resumedFrom?: string;
}

export interface RunFilter {
  /** A workflow name, or a file path (absolute, or matched as a path suffix). */
  workflow?: string;
  status?: string;
  /** Epoch ms: runs started at or after. */
  since?: number;
  limit?: number;
}

export type RunLookup =
  { kind: 'found'; run: RunRecord } | { kind: 'none' } | { kind: 'ambiguous'; ids: string[] };

/** snake_case columns to camelCase fields. */
export function fromRow<T>(row: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row))
    out[k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = v;
  return out as T;
}
