export { loadTaskFile, parseTaskFileText, type TaskFileOptions, type TaskFileOutput } from './load.js';
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
export { execTypeSearchPaths, loadExecTypes, type ExecType, type ExecTypes } from './exec-types.js';
export { parseTaskerArgv, mergeTaskerArgs, isTaskerStyle, NO_EFFECT, type TaskerArgs } from './argv.js';
