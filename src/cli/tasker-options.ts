import { execTypeSearchPaths, type TaskerArgs, type TaskFileOptions } from '../legacy/index.js';
import type { Diagnostic } from '../model/diagnostic.js';

/** TASKER's exit code for a file that did not validate: 2 for a bad header flag, 24 without tasks, else 20. */
export function validationExitCode(diagnostics: readonly Diagnostic[]): number {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length === 0) return 0;
  if (errors.some((d) => d.code === 'bad-flag')) return 2;
  return errors.every((d) => d.code === 'no-tasks') ? 24 : 20;
}

/** Where TASKER's `--log-dir` points: the flag, else `$TASK_EXECUTOR_LOG`, else tasker's own state home. */
export function logDirOf(args: TaskerArgs, env: NodeJS.ProcessEnv): string | undefined {
  return args.values.get('--log-dir') ?? env.TASK_EXECUTOR_LOG;
}

/** `execution_types.yaml` lookup from this process: `--exec-types`, `$TASKER_EXEC_TYPES`, beside the program, `./cfg`, XDG. */
export function execTypesOptions(flag: string | undefined, env: NodeJS.ProcessEnv): TaskFileOptions {
  const found = execTypeSearchPaths({ flag, env, programPath: process.argv[1], cwd: process.cwd() });
  return { execTypesPaths: found.paths, execTypesRequired: found.required };
}

/** How the task file is read, from the merged flags. */
export function legacyOptionsOf(args: TaskerArgs, env: NodeJS.ProcessEnv): TaskFileOptions {
  const has = (flag: string): boolean => args.flags.has(flag);
  const o: TaskFileOptions = {
    ...execTypesOptions(args.values.get('--exec-types'), env),
    fireAndForget: has('--fire-and-forget'),
    skipSecurity: has('--skip-validation') || has('--skip-security-validation'),
    strictEnv: has('--strict-env-validation'),
    skipHostValidation: has('--skip-validation') || has('--skip-host-validation'),
    allowUnresolvedHosts: has('--skip-unresolved-host-validation'),
    env,
  };
  const type = args.values.get('--type') ?? env.TASK_EXECUTOR_TYPE;
  if (type) o.defaultExec = type;
  return o;
}

/** `--debug` or `--log-level=DEBUG`. */
export function isDebug(args: TaskerArgs): boolean {
  return args.flags.has('--debug') || args.values.get('--log-level')?.toUpperCase() === 'DEBUG';
}
