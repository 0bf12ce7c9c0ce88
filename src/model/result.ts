import type { PlanNodeKind, StepId } from './plan.js';

/** `unreachable`: the host could not be reached, authenticated, or was lost. */
export const STEP_STATUSES = ['ok', 'failed', 'timed-out', 'unreachable', 'cancelled', 'skipped'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export const RUN_STATUSES = ['ok', 'failed', 'timed-out', 'unreachable', 'interrupted', 'returned'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Why a step could not run at all (versus ran and failed). */
export interface StepError {
  /**
   * `loop-exhausted`: a `loop` with `until` reached `max` iterations without `until` holding.
   * `output`: the step's output files could not be written (full disk, missing run dir).
   */
  code: StepErrorCode;
  message: string;
}

export const STEP_ERROR_CODES = [
  'spawn',
  'unreachable',
  'auth',
  'host-key',
  'connection-lost',
  'render',
  'copy',
  'internal',
  'output',
  'loop-exhausted',
] as const;
export type StepErrorCode = (typeof STEP_ERROR_CODES)[number];

/** `start-from`: before the step `tasker run --start-from` began at. */
export const SKIP_REASONS = [
  'condition',
  'jumped-over',
  'upstream-failed',
  'cancelled',
  'not-reached',
  'start-from',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** What a step and each of its attempts both report. */
interface Outcome {
  status: StepStatus;
  exitCode: number | null;
  signal: string | null;
  startedAt: number;
  endedAt: number;
  durationMs: number;
  stdoutFile?: string;
  stderrFile?: string;
  error?: StepError;
}

export interface AttemptResult extends Outcome {
  /** 1-based within its loop iteration. */
  attempt: number;
  /** Loop iteration this attempt belongs to (1 when not looping). */
  iteration?: number;
}

export interface StepResult extends Outcome {
  id: StepId;
  kind: PlanNodeKind;
  name: string;
  /** Host name for ssh targets and fan-out instances; absent for local. */
  host?: string;
  /** The rendered command with secrets masked. */
  display?: string;
  attempts: AttemptResult[];
  /** Loop iterations run (1 when not looping). */
  iterations: number;
  /** Last lines of stderr (masked), for summaries. */
  stderrTail: string[];
  skipReason?: SkipReason;
  /** E.g. "may still be running on web1": the remote end never confirmed the kill. */
  note?: string;
  /** Copy steps: false when the destination already matched (nothing written). */
  changed?: boolean;
  /** Set when this result was not run again but reused from an earlier run (`--resume`): that run's id. */
  reusedFrom?: string;
}

export interface RunResult {
  runId: string;
  workflow: string;
  file: string;
  status: RunStatus;
  exitCode: number;
  startedAt: number;
  endedAt: number;
  durationMs: number;
  /** Every step instance that started or was skipped, in execution (end) order. */
  steps: StepResult[];
  unreachableHosts: string[];
  interrupted?: 'SIGINT' | 'SIGTERM';
  /** The step whose failure ended the run, if any. */
  failedStep?: StepId;
  runDir?: string;
  /** Set only when the run could not start (missing secret, var that fails to evaluate): nothing ran. */
  error?: string;
  /** The code of the `return` (node or `return:` key) that ended the workflow. */
  returnCode?: number;
  /** `failure_exit` of the node whose unhandled failure ended the run. */
  failureExit?: number;
  /** A dry run: nothing ran; the steps are what would run, `exitCode` what this path would exit with. */
  dryRun?: boolean;
}
