import { writeFile } from 'node:fs/promises';
import type { Reporter } from '../../model/events.js';
import type { Plan } from '../../model/plan.js';
import type { RunResult } from '../../model/result.js';
import { existsSync } from 'node:fs';
import { runWorkflowFile } from '../../api/run.js';
import { formatOf } from '../../api/validate.js';
import { execTypesOptions } from '../tasker-options.js';
import {
  createNdjsonReporter,
  createPlainReporter,
  renderJsonReport,
  renderJunit,
} from '../../report/index.js';
import { parseDuration } from '../../parse/index.js';
import { installInterrupts } from '../interrupts.js';
import { prettyReporters } from '../pretty-output.js';
import { readSecretFile } from '../secret-file.js';
import { printDiagnostics } from '../diagnostics.js';
import type { Io } from '../io.js';
import { UsageError } from '../usage-error.js';
import { checkReportPaths } from '../report-paths.js';
import { lockLeaseMs, oncePerOption } from '../coordination-flags.js';
import { describeFault, StateFault } from '../../store/faults.js';

type OutputMode = 'auto' | 'pretty' | 'plain';

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
  /** `--per-host`: large fan-outs line by line instead of grouped. */
  perHost?: boolean;
  color: boolean;
  acceptNewHostKeys: boolean;
  knownHosts?: string;
  secretFile?: string;
  /** `--no-lock` makes this false. */
  lock?: boolean;
  /** `--no-history` makes this false. */
  history?: boolean;
  /** `--store`: the run history (a postgres:// URL or a SQLite file). */
  store?: string;
  /** `--wait-lock` as given (10m, 30s). */
  waitLock?: string;
  /** `--resume [RUN]`: true for the default run. */
  resume?: string | true;
  force?: boolean;
  startFrom?: string;
  /** `--once-per` as given (15m, 1h). */
  oncePer?: string;
  /** `--exec-types`: the execution_types.yaml for TASKER task files. */
  execTypes?: string;
  /** `-d`: name the execution_types.yaml a task file used. */
  debug?: boolean;
}

/** `tasker run FILE`: the exit code is the run's (see docs/exit-codes.md), 2 when nothing could run. */
export async function runCommand(file: string, flags: RunFlags, io: Io): Promise<number> {
  checkReportPaths([
    ['--json', flags.json],
    ['--junit', flags.junit],
    ['--events', flags.events],
  ]);
  const oncePer = oncePerOption(flags, process.env);
  const interrupts = installInterrupts((sig) =>
    io.err(`\ntasker: ${sig} received: stopping, running finally steps (again to cut them short)`),
  );
  const quiet = flags.quiet ? createQuietBuffer(io, flags.perHost === true) : undefined;
  // Local commands inherit tasker's environment, so secrets from the file reach them as $NAME too.
  if (flags.secretFile)
    Object.assign(
      process.env,
      readSecretFile(flags.secretFile, (m) => io.err(m)),
    );
  try {
    const legacy = { ...execTypesOptions(flags.execTypes, process.env), env: process.env };
    if (flags.debug && (await formatOf(file)) === 'tasker') {
      const used = legacy.execTypesPaths?.find((p) => existsSync(p));
      io.err(`${file}: execution types: ${used ?? 'none found (built-in local, shell, ssh)'}`);
    }
    const outcome = await runWorkflowFile(file, {
      legacy,
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
      lock:
        flags.lock === false
          ? false
          : { waitMs: waitLockMs(flags.waitLock), leaseMs: lockLeaseMs(process.env) },
      history: flags.history !== false,
      ...(flags.store !== undefined ? { store: flags.store } : {}),
      ...(flags.resume !== undefined
        ? { resume: { ...(flags.resume === true ? {} : { run: flags.resume }), force: flags.force === true } }
        : {}),
      ...(flags.startFrom !== undefined ? { startFrom: flags.startFrom } : {}),
      ...(oncePer ? { oncePer } : {}),
      onWarning: (m) => io.err(`tasker: warning: ${m}`),
      // --quiet: what the run is doing (waiting for the lock, nothing to resume) only if it fails.
      onNotice: (m) => (quiet ? quiet.notice(`tasker: ${m}`) : io.err(`tasker: ${m}`)),
    });
    if (outcome.kind === 'locked') {
      // Ctrl+C while waiting on --wait-lock is an interrupt, not a lost race for the lock.
      const sig = interrupts.received();
      if (sig) {
        io.err('tasker: interrupted while waiting for the lock; nothing ran');
        return sig === 'SIGINT' ? 130 : 143;
      }
      io.err(`tasker: ${outcome.message}`);
      return 75;
    }
    // --once-per: another box has this slot (said unless -q), or this box's clock is behind (always said).
    if (outcome.kind === 'slot-taken') {
      if (outcome.loud || !flags.quiet) io.err(`tasker: ${outcome.message}`);
      return 0;
    }
    if (outcome.kind === 'refused') {
      io.err(`tasker: ${outcome.reason}; nothing ran`);
      return 2;
    }
    if (outcome.kind === 'invalid') {
      printDiagnostics(outcome.diagnostics, io, flags.color);
      io.err(`${file}: invalid, nothing ran`);
      return 2;
    }
    // Nothing ran (a missing secret, a var that cannot be evaluated): say why on stderr, always.
    if (outcome.result.error) io.err(`tasker: ${outcome.result.error}`);
    await writeExtraReports(outcome.result, outcome.plan, flags, (m) => io.err(`tasker: ${m}`));
    if (quiet && outcome.result.exitCode !== 0) quiet.flush();
    // An alert that failed is said on stderr (even with --quiet) but never changes the exit code.
    for (const a of outcome.alerts.filter((x) => !x.ok))
      io.err(`tasker: notify ${a.channel} failed: ${a.detail} (run ${outcome.result.runId})`);
    // A dry run judges the file, not the run it shows: valid is 0 (invalid returned 2 above).
    if (flags.dryRun) return outcome.result.error ? 2 : 0;
    return outcome.result.exitCode;
  } catch (err) {
    // The state home failed before the first step (full, read-only, damaged history): nothing ran.
    if (err instanceof StateFault) {
      io.err(`tasker: ${err.message}; nothing ran`);
      return 2;
    }
    throw err;
  } finally {
    interrupts.dispose();
  }
}

function waitLockMs(text: string | undefined): number {
  if (text === undefined) return 0;
  const ms = parseDuration(text);
  if (ms === undefined)
    throw new UsageError(`--wait-lock "${text}": expected a duration such as 30s, 10m or 1h`);
  return ms;
}

function reportersFor(flags: RunFlags, io: Io, quiet: Reporter | undefined): Reporter[] {
  const reporters: Reporter[] = [];
  if (quiet) reporters.push(quiet);
  else if (flags.output === 'pretty' || (flags.output === 'auto' && io.stdout.isTTY))
    reporters.push(...prettyReporters(flags.color, io, process.env, flags.perHost === true));
  else reporters.push(createPlainReporter({ out: io.stdout, perHost: flags.perHost === true }));
  if (flags.events) reporters.push(createNdjsonReporter({ path: flags.events }));
  return reporters;
}

/** After the run: a report that cannot be written is said on stderr; the exit code stays the run's. */
async function writeExtraReports(
  result: RunResult,
  plan: Plan,
  flags: RunFlags,
  warn: (m: string) => void,
): Promise<void> {
  const reports: [string | undefined, string, () => string][] = [
    [flags.json, 'the JSON report', () => renderJsonReport(result)],
    [flags.junit, 'the JUnit report', () => renderJunit(result, plan)],
  ];
  for (const [path, what, render] of reports) {
    if (path === undefined) continue;
    try {
      await writeFile(path, render(), { mode: 0o600 });
    } catch (err) {
      warn(`${describeFault(err, `write ${what}`, path).message} (run ${result.runId})`);
    }
  }
}

/** `--quiet`: keeps the plain transcript and notices in memory (bounded) and prints them only if the run fails. */
function createQuietBuffer(
  io: Io,
  perHost: boolean,
): {
  reporter: Reporter;
  notice: (line: string) => void;
  flush: () => void;
} {
  const notices: string[] = [];
  const lines: string[] = [];
  const limit = 2000;
  // Also bounded in characters: 2,000 output lines of 64 KiB pieces held ~650 MB (measured, 1 GiB step).
  const charLimit = 4 * 1024 * 1024;
  let chars = 0;
  const sink = {
    write(chunk: string | Uint8Array): boolean {
      for (const line of String(chunk).split('\n')) {
        if (line === '') continue;
        lines.push(line);
        chars += line.length;
      }
      let drop = 0;
      while (lines.length - drop > 1 && (lines.length - drop > limit || chars > charLimit))
        chars -= lines[drop++]!.length;
      if (drop > 0) lines.splice(0, drop);
      return true;
    },
  };
  const reporter = createPlainReporter({ out: sink, perHost });
  return {
    reporter,
    notice: (line) => void (notices.length < 100 && notices.push(line)),
    flush: () => {
      notices.forEach((l) => io.err(l));
      lines.forEach((l) => io.out(l));
    },
  };
}
