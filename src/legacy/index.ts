export {
  loadTaskFile,
  parseTaskFileText,
  taskFileArgs,
  taskKindsOf,
  type TaskFileOptions,
  type TaskFileOutput,
} from './load.js';
export { stepIdOf, stepIdOfText, taskIdOf } from './ids.js';
export { expandEnv, substituteGlobals } from './globals.js';
export { detectFormat } from './detect.js';
export type { FileArgs } from './file-args.js';
export {
  translateCondition,
  currentScope,
  emptyScope,
  type CondResult,
  type CondScope,
} from './condition.js';
export { shlexSplit } from './shlex.js';
export {
  execTypeSearchPaths,
  loadExecTypes,
  canonicalExec,
  type ExecType,
  type ExecTypes,
  type ExecTypesLookup,
  type ValidationTest,
} from './exec-types.js';
export { parseTaskerArgv, mergeTaskerArgs, isTaskerStyle, NO_EFFECT, type TaskerArgs } from './argv.js';
export type { HostChecks } from './host-checks.js';
export type { TaskKind } from './task.js';
