import { Command, CommanderError, Option } from 'commander';
import { describeFault, isIoFault, StateFault } from '../store/faults.js';
import { processIo, type Io } from './io.js';
import { packageVersion } from './package-root.js';
import { registerHistoryCommands } from './history-commands.js';
import { pingFlags, registerPing } from './ping-command.js';
import { shared } from './options.js';
import { parseChoice, parsePositiveInt, parseVarFlags, UsageError } from './usage-error.js';

/** Builds the command tree; each action resolves to an exit code, which only `main` turns into an exit. */
function buildProgram(io: Io, setCode: (code: number) => void): Command {
  const color = !process.env.NO_COLOR && io.stderr.isTTY === true;
  const program = new Command('tasker')
    .description('Run operational workflows written in YAML, locally and over SSH.')
    .version(packageVersion(), '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  registerValidate(program, io, setCode, color);
  registerPlan(program, io, setCode, color);
  registerRun(program, io, setCode, color);
  registerPing(program, io, setCode, color);
  registerHistoryCommands(program, io, setCode);
  registerConvert(program, io, setCode);
  program
    .command('schema')
    .description('print the JSON Schema of the workflow format (for editor completion)')
    .action(async () => {
      const { schemaCommand } = await import('./commands/schema.js');
      setCode(await schemaCommand(io));
    });
  return program;
}

type SetCode = (code: number) => void;

function registerValidate(program: Command, io: Io, setCode: SetCode, color: boolean): void {
  program
    .command('validate')
    .description(
      'check workflow files offline: exit 0 when valid, 2 when not (runs nothing, connects nowhere)',
    )
    .argument('<files...>', 'workflow files')
    .addOption(
      new Option('--format <format>', 'diagnostics as text, json or github annotations').default('text'),
    )
    .addOption(shared.var())
    .option('--strict', 'treat warnings as errors', false)
    .addOption(shared.execTypes())
    .addOption(shared.debug())
    .action(
      async (
        files: string[],
        o: { format: string; var: string[]; strict: boolean; execTypes?: string; debug: boolean },
      ) => {
        const { validateCommand } = await import('./commands/validate.js');
        const format = parseChoice('--format', o.format, ['text', 'json', 'github'] as const);
        const flags = { format, vars: parseVarFlags(o.var), strict: o.strict, color, debug: o.debug };
        setCode(await validateCommand(files, { ...flags, execTypes: o.execTypes }, io));
      },
    );
}

function registerPlan(program: Command, io: Io, setCode: SetCode, color: boolean): void {
  program
    .command('plan')
    .description('show what a workflow would run, as a tree, JSON or a mermaid flowchart')
    .argument('<file>', 'workflow file')
    .addOption(new Option('--format <format>', 'tree, json or mermaid').default('tree'))
    .addOption(shared.var())
    .addOption(shared.limit())
    .action(async (file: string, o: { format: string; var: string[]; limit?: string }) => {
      const { planCommand } = await import('./commands/plan.js');
      const format = parseChoice('--format', o.format, ['tree', 'json', 'mermaid'] as const);
      setCode(await planCommand(file, { format, vars: parseVarFlags(o.var), limit: o.limit, color }, io));
    });
}

function registerRun(program: Command, io: Io, setCode: SetCode, color: boolean): void {
  program
    .command('run')
    .description(
      'run a workflow; exit code: 0 ok, 1 failed, 2 invalid, 3 unreachable, 4 timeout, 130/143 interrupted',
    )
    // Optional only so `run --resume FILE` works: the optional value of --resume takes FILE first.
    .argument('[file]', 'workflow file')
    .addOption(shared.var())
    .addOption(shared.limit())
    .option('-n, --dry-run', 'print what would run, run nothing, connect nowhere', false)
    .option('-c, --concurrency <n>', 'cap on commands running at once across the whole run')
    .option('--json <file>', 'write the JSON report here')
    .option('--events <file>', 'stream run events as NDJSON here')
    .option('--junit <file>', 'write a JUnit XML report here')
    .addOption(
      new Option('--output <mode>', 'live output: auto (pretty on a TTY), pretty or plain').default('auto'),
    )
    .option('-q, --quiet', 'print nothing unless the run fails (for cron)', false)
    .addOption(shared.perHost())
    .addOption(shared.acceptNewHostKeys())
    .addOption(shared.knownHosts())
    .option('--secret-file <file>', 'read secrets (and other env) from NAME=value lines')
    .option('--no-lock', 'run even if another run of this workflow (same file and vars) is going on')
    .option('--no-history', 'do not record this run in the run history')
    .addOption(shared.store())
    .option('--wait-lock <duration>', 'wait up to this long (e.g. 10m) for the lock instead of exiting 75')
    .option('--resume [run]', 'continue a failed or interrupted run (default: the last one of this workflow)')
    .option('--force', 'with --resume: resume even though the workflow file or vars changed', false)
    .option('--start-from <step>', 'begin at this top-level step; the ones before are skipped')
    .addOption(shared.oncePer())
    .addOption(shared.execTypes())
    .addOption(shared.debug())
    .option(
      '--check-hosts',
      'do not run: connect to every target host and report (same as `tasker ping`)',
      false,
    )
    .action(async (given: string | undefined, o: RunCliOptions) => {
      if (o.checkHosts) {
        const { pingCommand } = await import('./commands/ping.js');
        const file = runFileArgument(given, undefined).file;
        setCode(await pingCommand(file, { ...pingFlags(o, color), json: o.json ?? false }, io));
        return;
      }
      const { runCommand } = await import('./commands/run.js');
      const { file, resume } = runFileArgument(given, o.resume);
      setCode(await runCommand(file, { ...runFlags(o, io), resume }, io));
    });
}

/** The run command's flags as runCommand takes them (values checked here, so a bad one names its flag). */
function runFlags(o: RunCliOptions, io: Io) {
  const { var: vars, concurrency, output, checkHosts: _c, resume: _r, ...same } = o;
  return {
    ...same,
    vars: parseVarFlags(vars),
    concurrency: concurrency === undefined ? undefined : parsePositiveInt('--concurrency', concurrency),
    output: parseChoice('--output', output, ['auto', 'pretty', 'plain'] as const),
    color: !process.env.NO_COLOR && io.stdout.isTTY === true,
  };
}

function registerConvert(program: Command, io: Io, setCode: SetCode): void {
  program
    .command('serve')
    .description('serve a dashboard over the run history (read-only; live runs over SSE)')
    .option(
      '--listen <host:port>',
      'address to listen on; other than loopback needs a token',
      '127.0.0.1:8087',
    )
    .option(
      '--state-home <dir>',
      'the state home whose history to serve (default: $TASKER_HOME or ~/.local/state/tasker)',
    )
    .option(
      '--token-file <file>',
      'require this bearer token (first line of the file); or set TASKER_SERVE_TOKEN',
    )
    .addOption(shared.store())
    .action(async (o: { listen: string; stateHome?: string; tokenFile?: string; store?: string }) => {
      const { serveCommand } = await import('./commands/serve.js');
      setCode(await serveCommand(o, io));
    });

  program
    .command('convert')
    .description('print a TASKER task file as an equivalent YAML workflow (comments kept)')
    .argument('<file>', 'TASKER task file')
    .option('-o, --output <file>', 'write the YAML here instead of stdout')
    .option(
      '--check',
      'also run the task file through TASKER and the YAML through tasker, and compare per-task results and exit codes',
      false,
    )
    .option('--tasker <path>', 'with --check: the original TASKER program (default: $TASKER_BIN)')
    .action(async (file: string, o: { output?: string; check: boolean; tasker?: string }) => {
      const { convertCommand } = await import('./commands/convert.js');
      setCode(await convertCommand(file, { output: o.output, check: o.check, tasker: o.tasker }, io));
    });
}

/** `run --resume FILE`: commander gives FILE to --resume; it is the file unless a file follows. */
function runFileArgument(
  file: string | undefined,
  resume: string | true | undefined,
): { file: string; resume: string | true | undefined } {
  if (file !== undefined) return { file, resume };
  if (typeof resume === 'string') return { file: resume, resume: true };
  throw new UsageError('run: missing the workflow file, e.g. `tasker run deploy.yaml`');
}

interface RunCliOptions {
  var: string[];
  limit?: string;
  dryRun: boolean;
  concurrency?: string;
  json?: string;
  events?: string;
  junit?: string;
  output: string;
  quiet: boolean;
  perHost: boolean;
  acceptNewHostKeys: boolean;
  knownHosts?: string;
  secretFile?: string;
  lock: boolean;
  history: boolean;
  store?: string;
  waitLock?: string;
  resume?: string | true;
  force: boolean;
  startFrom?: string;
  oncePer?: string;
  checkHosts: boolean;
  execTypes?: string;
  debug: boolean;
}

/** Runs the CLI and returns its exit code; usage errors are 2 and name the flag. */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => (code = c));
  try {
    // `tasker [-r] FILE [options]`: existing TASKER cron lines keep working (docs/tasker-compat.md).
    const { isTaskerStyle } = await import('../legacy/argv.js');
    if (isTaskerStyle(argv, [...program.commands.map((c) => c.name()), 'help'])) {
      const { taskerMain } = await import('./tasker-compat.js');
      return await taskerMain(argv, io);
    }
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // `tasker help` and `--help` succeed; bare `tasker` (help shown for want of a command) is a usage error.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
      if (err.code === 'commander.help') return err.exitCode === 0 ? 0 : 2;
      return 2;
    }
    if (err instanceof UsageError) {
      io.err(`tasker: ${err.message}`);
      return 2;
    }
    // The state home or its driver cannot be used (a newer schema, a driver built for another Node).
    if (err instanceof StateFault) {
      io.err(`tasker: ${err.message}`);
      return 2;
    }
    // A full disk, a read-only or damaged state home: one line naming the path and the fix, never a trace.
    if (isIoFault(err)) {
      const path = (err as { path?: unknown }).path;
      io.err(
        `tasker: ${describeFault(err, 'use', typeof path === 'string' ? path : 'the state home').message}`,
      );
      return 2;
    }
    io.err(
      `tasker: internal error (this is a bug, please report it): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    );
    return 70;
  }
}
