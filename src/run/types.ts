import type { Template } from '../model/expr.js';
import type { ExecutorSet } from '../exec/types.js';
import type { RunEvent } from '../model/events.js';
import type { EvalContext, StepView, Value } from '../model/expr.js';
import type { Plan, PlanNode, StepId } from '../model/plan.js';
import type { SkipReason, StepResult, StepStatus } from '../model/result.js';
import type { Masker } from '../output/index.js';
import type { Limit } from './limit.js';

export interface RunOptions {
  runId: string;
  /** Output files go here. */
  runDir: string;
  executors: ExecutorSet;
  /** For `env.*` and secret values. */
  env: Readonly<Record<string, string | undefined>>;
  onEvent: (event: RunEvent) => void;
  /** Interrupt (first Ctrl+C): reason `{ kind: 'cancel', why: 'interrupt' }`. */
  signal?: AbortSignal;
  /** Second Ctrl+C: cuts `finally` steps short too. */
  hardSignal?: AbortSignal;
  interruptSignal?: () => 'SIGINT' | 'SIGTERM' | undefined;
  /** Global cap on running commands; default 64. */
  concurrency?: number;
  captureLimitBytes?: number;
  /** TERM→KILL, default 2000. */
  killGraceMs?: number;
  /** How long `finally` steps may run after an interrupt; default 30000. */
  finallyGraceMs?: number;
  /** Placeholders for unknown outputs in `steps.*` views. */
  dryRun?: boolean;
  /** Random source in [0, 1) for retry jitter; default Math.random (tests pin it). */
  random?: () => number;
  /** Decides a node's fate before it runs (resume, start-from); undefined runs it as usual. */
  preset?: (node: PlanNode) => Preset | undefined;
}

/**
 * `reuse`: do not run; record these results (a fan-out's per-host ones, then its own) and expose
 * `view` as `steps.<id>`. `skip`: record the node (and everything in it) as skipped for `reason`.
 */
export type Preset =
  { kind: 'reuse'; results: readonly StepResult[]; view: StepView } | { kind: 'skip'; reason: SkipReason };

/** A routing decision that leaves the current block: a forward jump or the end of the workflow. */
export type Escape = { kind: 'jump'; target: StepId } | { kind: 'return'; code: number };

/** What running a node produced, for its container's routing and status. */
export interface Outcome {
  status: StepStatus;
  /** The leaf step whose failure this status carries (RunResult.failedStep). */
  failedStep?: StepId;
  /** `failure_exit` of the outermost node this failure ended (the run's exit code). */
  failureExit?: number;
  escape?: Escape;
}

/** Where a node runs: its cancellation signal and what expressions see beyond the run-wide state. */
export interface Scope {
  signal: AbortSignal;
  host?: EvalContext['host'];
  /** The host's own `vars` (inventory), visible as `vars.*` to steps on that host. */
  hostVars?: Readonly<Record<string, Template>>;
  iteration?: number;
  /** Dry run: conditions on unknown values that lead here; what runs here runs only if they hold. */
  onlyIf?: string;
}

/** Run-wide state shared by every node runner. */
export interface RunContext {
  readonly options: RunOptions;
  readonly plan: Plan;
  readonly masker: Masker;
  readonly vars: Readonly<Record<string, Value>>;
  /** Dry run: vars computed from a value only a real run knows (an unset secret). */
  readonly unknownVars: ReadonlySet<string>;
  /** `steps.<id>` views, filled as steps end. */
  readonly views: Record<string, StepView>;
  readonly limit: Limit;
  /** Signal for `finally` steps: survives the interrupt, aborted by the hard signal or the grace timer. */
  readonly finallySignal: AbortSignal;
  readonly random: () => number;
  emit(event: RunEvent): void;
  /** Emits step-end and keeps the result, in end order. */
  record(result: StepResult): void;
  /** 1 for the first execution of `<id>[@host]`, then 2, 3… (output file suffixes). */
  nextExecution(key: string): number;
  /** Some expression reads `stdout_file`/`stderr_file`: create output files even for empty streams. */
  readonly keepEmptyOutputFiles: boolean;
  /** The dispatcher, passed around so node runners do not import each other. */
  runNode(node: PlanNode, scope: Scope): Promise<Outcome>;
}
