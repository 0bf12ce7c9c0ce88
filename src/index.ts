/** tasker's public library API. */
export type * from './model/index.js';
export { isCancelReason } from './model/index.js';
export { validateWorkflowFile, hasErrors, type Validation } from './api/validate.js';
export { runWorkflowFile, type RunWorkflowOptions, type RunWorkflowOutcome } from './api/run.js';
export { parseWorkflowText, loadWorkflowFile } from './parse/index.js';
export { buildPlan, type PlanOptions } from './plan/index.js';
export { runPlan, exitCodeFor, type RunOptions } from './run/index.js';
export type { Executor, ExecutorSet, ExecRequest, ExecSink, ExecOutcome } from './exec/types.js';
export { ExecError } from './exec/types.js';
export { loadTaskFile, detectFormat, type TaskFileOptions, type TaskFileOutput } from './legacy/index.js';
export {
  openHistory,
  openStore,
  stateHome,
  type HistoryStore,
  type RunRecord,
  type StepRecord,
  type RunFilter,
} from './store/index.js';
