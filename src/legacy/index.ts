export {
  loadTaskFile,
  parseTaskFileText,
  taskFileArgs,
  taskKindsOf,
  type TaskFileOptions,
  type TaskFileOutput,
} from './load.js';
export { stepIdOfText, taskIdOf } from './ids.js';
export { detectFormat } from './detect.js';
export { translateCondition, currentScope, emptyScope } from './condition.js';
export { shlexSplit } from './shlex.js';
export { execTypeSearchPaths, loadExecTypes, type ExecType } from './exec-types.js';
export { parseTaskerArgv, mergeTaskerArgs, isTaskerStyle, NO_EFFECT, type TaskerArgs } from './argv.js';
export type { HostChecks } from './host-checks.js';
