import type { RunResult, StepResult, StepStatus } from './result.js';

/**
 * What the user calls a step: its id when the file wrote one (or it is a TASKER task id), else its
 * name, which for an anonymous step is its place (`clean then[1]`, `finally[1]`), never an internal
 * path id (`steps.1.then.0`).
 */
export function displayName(id: string, name: string | undefined): string {
  return id.includes('.') && name ? name : id;
}

/** The step whose failure ended the run, as the user calls it; undefined when none failed. */
export function failedStepLabel(r: Pick<RunResult, 'failedStep' | 'steps'>): string | undefined {
  const id = r.failedStep;
  return id === undefined ? undefined : displayName(id, r.steps.find((s) => s.id === id)?.name);
}

/** `deploy@web1`; fan-out instance ids may already carry the host, so it is never doubled. */
export function instanceLabel(id: string, host?: string): string {
  return host && !id.endsWith(`@${host}`) ? `${id}@${host}` : id;
}

/** The step id without a trailing `@host`, for tables that show the host in its own column. */
export function baseId(id: string, host?: string): string {
  return host && id.endsWith(`@${host}`) ? id.slice(0, -host.length - 1) : id;
}

const BLOCK_KINDS = new Set(['sequence', 'parallel', 'branch']);

/** Results of blocks repeat their children's outcome, so tables and JUnit list only the rest. */
export function isInstanceResult(r: StepResult): boolean {
  return !BLOCK_KINDS.has(r.kind);
}

const PROBLEM_STATUSES: ReadonlySet<StepStatus> = new Set(['failed', 'timed-out', 'unreachable']);

export function isProblem(status: StepStatus): boolean {
  return PROBLEM_STATUSES.has(status);
}

/** Why a step did not succeed, in a few words: `exit 3`, `signal SIGKILL`, `spawn: not found`. */
export function outcomeText(r: Pick<StepResult, 'exitCode' | 'signal' | 'error'>): string {
  if (r.error) return `${r.error.code}: ${r.error.message}`;
  if (r.signal) return `signal ${r.signal}`;
  if (r.exitCode !== null) return `exit ${r.exitCode}`;
  return 'no exit status';
}
