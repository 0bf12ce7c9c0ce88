import type { Plan, StepId } from './plan.js';
import type { RunResult, StepResult } from './result.js';

/** The run as a stream. Everything text-like in here is already masked. */
export type RunEvent =
  /** `dryRun`: nothing runs; commands are shown as they would run. */
  | { kind: 'run-start'; runId: string; plan: Plan; runDir?: string; dryRun?: boolean; at: number }
  | {
      kind: 'step-start';
      id: StepId;
      name: string;
      host?: string;
      attempt: number;
      iteration: number;
      display: string;
      /** Dry run: it would run only if this condition, which only a real run can decide, holds. */
      onlyIf?: string;
      at: number;
    }
  | {
      kind: 'step-output';
      id: StepId;
      /** The step's name, so a reporter can show the same label as its step-start line. */
      name?: string;
      host?: string;
      stream: 'stdout' | 'stderr';
      line: string;
      at: number;
    }
  | {
      kind: 'step-retry';
      id: StepId;
      name?: string;
      host?: string;
      /** The attempt that failed; the next one, `attempt + 1`, starts after `delayMs`. */
      attempt: number;
      delayMs: number;
      exitCode: number | null;
      at: number;
    }
  | { kind: 'step-end'; result: StepResult; at: number }
  | { kind: 'run-interrupt'; signal: 'SIGINT' | 'SIGTERM'; at: number }
  | { kind: 'run-end'; result: RunResult; at: number };

export type RunEventKind = RunEvent['kind'];

/** A consumer of run events with optional handlers per kind. */
export type Reporter = {
  [K in RunEventKind]?: (event: Extract<RunEvent, { kind: K }>) => void;
} & { close?: () => Promise<void> };
