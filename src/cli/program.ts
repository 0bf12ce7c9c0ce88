import { Command, CommanderError, Option } from 'commander';
import { processIo, type Io } from './io.js';
import { packageVersion } from './package-root.js';
import { parseChoice, parsePositiveInt, parseVarFlags, UsageError } from './usage-error.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Builds the command tree; each action resolves to an exit code, which only `main` turns into an exit. */
export function buildProgram(io: Io, setCode: (code: number) => void): Command {
  const color = !process.env.NO_COLOR && io.stderr.isTTY === true;
  const program = new Command('tasker')
    .description('Run operational workflows written in YAML, locally and over SSH.')
    .version(packageVersion(), '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  program
    .command('validate')
    .description(
      'check workflow files offline: exit 0 when valid, 2 when not (runs nothing, connects nowhere)',
    )
    .argument('<files...>', 'workflow files')
    .addOption(
      new Option('--format <format>', 'diagnostics as text, json or github annotations').default('text'),
    )
    .option('--var <key=value>', 'override a variable (repeatable)', collect, [])
    .option('--strict', 'treat warnings as errors', false)
    .action(async (files: string[], o: { format: string; var: string[]; strict: boolean }) => {
      const { validateCommand } = await import('./commands/validate.js');
      const format = parseChoice('--format', o.format, ['text', 'json', 'github'] as const);
      setCode(
        await validateCommand(files, { format, vars: parseVarFlags(o.var), strict: o.strict, color }, io),
      );
    });

  program
    .command('plan')
    .description('show what a workflow would run, as a tree, JSON or a mermaid flowchart')
    .argument('<file>', 'workflow file')
    .addOption(new Option('--format <format>', 'tree, json or mermaid').default('tree'))
    .option('--var <key=value>', 'override a variable (repeatable)', collect, [])
    .option('--limit <pattern>', 'restrict hosts to these names, groups or globs (comma-separated)')
    .action(async (file: string, o: { format: string; var: string[]; limit?: string }) => {
      const { planCommand } = await import('./commands/plan.js');
      const format = parseChoice('--format', o.format, ['tree', 'json', 'mermaid'] as const);
      setCode(await planCommand(file, { format, vars: parseVarFlags(o.var), limit: o.limit, color }, io));
    });

  program
    .command('run')
    .description(
      'run a workflow; exit code: 0 ok, 1 failed, 2 invalid, 3 unreachable, 4 timeout, 130/143 interrupted',
    )
    .argument('<file>', 'workflow file')
    .option('--var <key=value>', 'override a variable (repeatable)', collect, [])
    .option('--limit <pattern>', 'restrict hosts to these names, groups or globs (comma-separated)')
    .option('-n, --dry-run', 'print what would run, run nothing, connect nowhere', false)
    .option('-c, --concurrency <n>', 'cap on commands running at once across the whole run')
    .option('--json <file>', 'write the JSON report here')
    .option('--events <file>', 'stream run events as NDJSON here')
    .option('--junit <file>', 'write a JUnit XML report here')
    .addOption(
      new Option('--output <mode>', 'live output: auto (pretty on a TTY), pretty or plain').default('auto'),
    )
    .option('-q, --quiet', 'print nothing unless the run fails (for cron)', false)
    .option('--accept-new-host-keys', 'trust and record host keys of hosts not yet in known_hosts', false)
    .option('--known-hosts <file>', 'known_hosts file to verify host keys against')
    .option('--secret-file <file>', 'read secrets (and other env) from NAME=value lines')
    .action(async (file: string, o: RunCliOptions) => {
      const { runCommand } = await import('./commands/run.js');
      setCode(
        await runCommand(
          file,
          {
            vars: parseVarFlags(o.var),
            limit: o.limit,
            dryRun: o.dryRun,
            concurrency:
              o.concurrency === undefined ? undefined : parsePositiveInt('--concurrency', o.concurrency),
            json: o.json,
            events: o.events,
            junit: o.junit,
            output: parseChoice('--output', o.output, ['auto', 'pretty', 'plain'] as const),
            quiet: o.quiet,
            color: !process.env.NO_COLOR && io.stdout.isTTY === true,
            acceptNewHostKeys: o.acceptNewHostKeys,
            knownHosts: o.knownHosts,
            secretFile: o.secretFile,
          },
          io,
        ),
      );
    });

  program
    .command('schema')
    .description('print the JSON Schema of the workflow format (for editor completion)')
    .action(async () => {
      const { schemaCommand } = await import('./commands/schema.js');
      setCode(await schemaCommand(io));
    });

  return program;
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
  acceptNewHostKeys: boolean;
  knownHosts?: string;
  secretFile?: string;
}

/** Runs the CLI and returns its exit code; usage errors are 2 and name the flag. */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (
        err.code === 'commander.helpDisplayed' ||
        err.code === 'commander.version' ||
        err.code === 'commander.help'
      )
        return 0;
      return 2;
    }
    if (err instanceof UsageError) {
      io.err(`tasker: ${err.message}`);
      return 2;
    }
    io.err(
      `tasker: internal error (this is a bug, please report it): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    );
    return 70;
  }
}
