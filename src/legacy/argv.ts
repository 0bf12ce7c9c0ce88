/** A TASKER command line (`tasker [-r] FILE [options]`), parsed. */
export interface TaskerArgs {
  file?: string;
  flags: Set<string>;
  values: Map<string, string>;
  /** Flags that parse but have no effect in tasker (reported on stderr, never rejected). */
  unknown: string[];
}

/** Canonical long name of every TASKER flag; `true` = takes a value. */
const FLAGS: Readonly<Record<string, boolean>> = {
  '--run': false,
  '--log-dir': true,
  '--log-level': true,
  '--debug': false,
  '--type': true,
  '--project': true,
  '--start-from': true,
  '--auto-recovery': false,
  '--show-recovery-info': false,
  '--yes': false,
  '--skip-task-validation': false,
  '--skip-host-validation': false,
  '--skip-unresolved-host-validation': false,
  '--skip-command-validation': false,
  '--skip-security-validation': false,
  '--skip-subtask-range-validation': false,
  '--skip-validation': false,
  '--strict-env-validation': false,
  '--validate-only': false,
  '--fire-and-forget': false,
  '--no-task-backup': false,
  '--instance-check': false,
  '--force-instance': false,
  '--show-plan': false,
  '--alert-on-failure': true,
  '--output-json': false,
  '--show-effective-args': false,
  '--exec-types': true,
  '--version': false,
  '--help': false,
};
const SHORT: Readonly<Record<string, string>> = {
  '-r': '--run',
  '-l': '--log-dir',
  '-d': '--debug',
  '-t': '--type',
  '-p': '--project',
  '-y': '--yes',
  '-V': '--version',
  '-h': '--help',
};

/** Parses TASKER's flags (`--opt=value` and `--opt value`, before or after FILE). */
export function parseTaskerArgv(argv: readonly string[]): TaskerArgs {
  const out: TaskerArgs = { flags: new Set(), values: new Map(), unknown: [] };
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (!word.startsWith('-') || word === '-') {
      if (out.file === undefined) out.file = word;
      else out.unknown.push(word);
      continue;
    }
    const eq = word.indexOf('=');
    const raw = eq > 0 ? word.slice(0, eq) : word;
    const name = SHORT[raw] ?? raw;
    const takes = FLAGS[name];
    if (takes === undefined) out.unknown.push(word);
    else if (name === '--output-json') {
      out.flags.add(name);
      // The path is optional: taken when written with = or when the next word names a .json file.
      if (eq > 0) out.values.set(name, word.slice(eq + 1));
      else if (argv[i + 1]?.endsWith('.json')) out.values.set(name, argv[++i]!);
    } else if (takes) {
      const value = eq > 0 ? word.slice(eq + 1) : argv[++i];
      if (value !== undefined) out.values.set(name, value);
      else out.unknown.push(word);
    } else out.flags.add(name);
  }
  return out;
}

/** Merge of file-defined arguments under the command line's: valued options from the CLI win, booleans OR. */
export function mergeTaskerArgs(cli: TaskerArgs, fileFlags: readonly string[]): TaskerArgs {
  const file = parseTaskerArgv(fileFlags);
  return {
    file: cli.file,
    flags: new Set([...file.flags, ...cli.flags]),
    values: new Map([...file.values, ...cli.values]),
    unknown: [...file.unknown.filter((u) => u.startsWith('-')), ...cli.unknown],
  };
}

/**
 * Whether argv is a TASKER-style command line: the first word that is not a flag (or a flag's value)
 * is not one of tasker's commands, or `-r` is given.
 */
export function isTaskerStyle(argv: readonly string[], commands: readonly string[]): boolean {
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word.startsWith('-')) {
      const name = SHORT[word] ?? word;
      if (FLAGS[name] === true && !word.includes('=')) i++;
      continue;
    }
    return !commands.includes(word);
  }
  return argv.includes('-r') || argv.includes('--run');
}

/** Flags that parse but change nothing in tasker: each is named on stderr with the reason. */
export const NO_EFFECT: Readonly<Record<string, string>> = {
  '--no-task-backup': 'tasker keeps a copy of the workflow in every run directory',
  '--skip-task-validation': 'tasker always validates: a file it cannot plan cannot run',
  '--skip-subtask-range-validation': 'tasker does not warn about subtask ranges',
};
