import { writeFile } from 'node:fs/promises';
import type { Reporter } from '../../model/events.js';
import type { RunResult } from '../../model/result.js';
import { runWorkflowFile } from '../../api/run.js';
import {
  createNdjsonReporter,
  createPlainReporter,
  createPrettyReporter,
  formatDiagnostic,
  renderJsonReport,
  renderJunit,
} from '../../report/index.js';
import { installInterrupts } from '../interrupts.js';
import { readSecretFile } from '../secret-file.js';
import { sourceReader } from '../source-cache.js';
import type { Io } from '../io.js';

export type OutputMode = 'auto' | 'pretty' | 'plain';

export interface RunFlags {
  vars: Record<string, string>;
  limit?: string;
  dryRun: boolean;
  concurrency?: number;
  json?: string;
  events?: string;
  junit?: string;
  output: OutputMode;
  quiet: boolean;
  color: boolean;
  acceptNewHostKeys: boolean;
  knownHosts?: string;
  secretFile?: string;
}

/** `tasker run FILE`: the exit code is the run's (see docs/exit-codes.md), 2 when nothing could run. */
export async function runCommand(file: string, flags: RunFlags, io: Io): Promise<number> {
  const interrupts = installInterrupts((sig) =>
    io.err(`\ntasker: ${sig} received: stopping, running finally steps (again to cut them short)`),
  );
  const quiet = flags.quiet ? createQuietBuffer(io) : undefined;
  // Local commands inherit tasker's environment, so secrets from the file reach them as $NAME too.
  if (flags.secretFile)
    Object.assign(
      process.env,
      readSecretFile(flags.secretFile, (m) => io.err(m)),
    );
  try {
    const outcome = await runWorkflowFile(file, {
      vars: flags.vars,
      limit: flags.limit,
      dryRun: flags.dryRun,
      concurrency: flags.concurrency,
      reporters: reportersFor(flags, io, quiet?.reporter),
      signal: interrupts.signal,
      hardSignal: interrupts.hardSignal,
      interruptSignal: () => interrupts.received(),
      ssh: {
        hostKeyPolicy: flags.acceptNewHostKeys ? 'accept-new' : 'strict',
        ...(flags.knownHosts ? { knownHostsFiles: [flags.knownHosts] } : {}),
      },
      onReporterError: (err) => io.err(`tasker: a reporter failed and was turned off: ${String(err)}`),
    });
    if (outcome.kind === 'invalid') {
      const source = sourceReader();
      for (const d of outcome.diagnostics)
        io.err(formatDiagnostic(d, source(d.span.file), { color: flags.color }) + '\n');
      io.err(`${file}: invalid, nothing ran`);
      return 2;
    }
    // Nothing ran (a missing secret, a var that cannot be evaluated): say why on stderr, always.
    if (outcome.result.error) io.err(`tasker: ${outcome.result.error}`);
    await writeExtraReports(outcome.result, flags);
    if (quiet && outcome.result.exitCode !== 0) quiet.flush();
    return outcome.result.exitCode;
  } finally {
    interrupts.dispose();
  }
}

function reportersFor(flags: RunFlags, io: Io, quiet: Reporter | undefined): Reporter[] {
  const reporters: Reporter[] = [];
  if (quiet) reporters.push(quiet);
  else if (flags.output === 'pretty' || (flags.output === 'auto' && io.stdout.isTTY))
    reporters.push(createPrettyReporter({ out: io.stdout, color: flags.color, width: io.stdout.columns }));
  else reporters.push(createPlainReporter({ out: io.stdout }));
  if (flags.events) reporters.push(createNdjsonReporter({ path: flags.events }));
  return reporters;
}

async function writeExtraReports(result: RunResult, flags: RunFlags): Promise<void> {
  if (flags.json) await writeFile(flags.json, renderJsonReport(result));
  if (flags.junit) await writeFile(flags.junit, renderJunit(result));
}

/** `--quiet`: keeps the plain transcript in memory (bounded) and prints it only if the run fails. */
function createQuietBuffer(io: Io): { reporter: Reporter; flush: () => void } {
  const lines: string[] = [];
  const limit = 2000;
  const sink = {
    write(chunk: string | Uint8Array): boolean {
      for (const line of String(chunk).split('\n')) if (line) lines.push(line);
      if (lines.length > limit) lines.splice(0, lines.length - limit);
      return true;
    },
  };
  const reporter = createPlainReporter({ out: sink as unknown as NodeJS.WritableStream });
  return { reporter, flush: () => lines.forEach((l) => io.out(l)) };
}
