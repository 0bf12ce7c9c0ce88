import type { Reporter, RunEvent } from '../model/events.js';
import type { StepResult } from '../model/result.js';
import { stripAnsi } from './ansi.js';
import { DRY_RUN_HEADER, dryStepEnd } from './dry-run.js';
import { displayName } from './labels.js';
import { retriesOf } from './pretty-lines.js';
import { formatSeconds } from './durations.js';

export interface PlainReporterOptions {
  /** A terminal, a pipe or an AppendFile: only `write` is used, once per event. */
  out: { write(text: string): unknown };
}

/**
 * One line per event for cron and CI logs; no ANSI. The format is stable (scripts grep it):
 *
 *   <ISO time> run-start run=<id> workflow=<name> file=<file>
 *   <ISO time> step-start id=<id> [host=<host>] attempt=<n> iteration=<n> cmd="<display>"
 *   <ISO time> out id=<id> [host=<host>] stream=stdout|stderr | <line>
 *   <ISO time> step-retry id=<id> [host=<host>] attempt=<next> delay=<s>s exit=<code|->
 *   <ISO time> step-end id=<id> [host=<host>] status=<status> exit=<code|-> [signal=<sig>]
 *              duration=<s>s [attempts=<n>] [reason=<skip reason>] [error=<code>] [message="…"] [note="…"]
 *   <ISO time> run-interrupt signal=SIGINT|SIGTERM
 *   <ISO time> run-end status=<status> exit=<code> duration=<s>s [failed=<id>] [unreachable=<h1,h2>] [dir=<run dir>]
 *
 * A dry run puts `dry-run` before every event word, says `would-run` for step-start, prints no
 * step-end for steps that would run (`would-skip`/`would-fail` for the others), and ends with
 * `run-end would_status=<status> would_exit=<code> exit=0`.
 *
 * Values with spaces, quotes, `=` or control characters are JSON-quoted; `cmd` always is. Durations
 * are seconds with three decimals. Output lines are written after `| ` as they are, minus ANSI
 * escapes, with `\r` shown as `\r` so each event stays on one line.
 */
export function createPlainReporter(o: PlainReporterOptions): Reporter {
  let dry = false;
  const write = (at: number, fields: string): void =>
    void o.out.write(`${new Date(at).toISOString()} ${dry ? 'dry-run ' : ''}${fields}\n`);
  return {
    'run-start': (e) => {
      dry = e.dryRun === true;
      const note = dry ? DRY_RUN_HEADER : undefined;
      write(e.at, `run-start ${kv({ run: e.runId, workflow: e.plan.name, file: e.plan.file, note })}`);
    },
    'step-start': (e) =>
      write(
        e.at,
        `${dry ? 'would-run' : 'step-start'} ${kv({ id: displayName(e.id, e.name), host: e.host, attempt: e.attempt, iteration: e.iteration })} cmd=${JSON.stringify(e.display)}${e.onlyIf ? ` ${kv({ if: e.onlyIf })}` : ''}`,
      ),
    'step-output': (e) =>
      write(
        e.at,
        `out ${kv({ id: displayName(e.id, e.name), host: e.host, stream: e.stream })} | ${outputText(e.line)}`,
      ),
    'step-retry': (e) =>
      write(
        e.at,
        `step-retry ${kv({ id: displayName(e.id, e.name), host: e.host, attempt: e.attempt + 1, delay: formatSeconds(e.delayMs), exit: e.exitCode ?? '-' })}`,
      ),
    'step-end': (e) => {
      if (!dry) return write(e.at, `step-end ${kv(stepEndFields(e.result))}`);
      const end = dryStepEnd(e.result);
      if (end) write(e.at, `${end.word} ${kv(end.fields)}`);
    },
    'run-interrupt': (e) => write(e.at, `run-interrupt signal=${e.signal}`),
    'run-end': (e) => write(e.at, `run-end ${kv(dry ? dryRunEndFields(e) : runEndFields(e))}`),
  };
}

type Fields = Record<string, string | number | undefined>;

function stepEndFields(r: StepResult): Fields {
  return {
    id: displayName(r.id, r.name),
    host: r.host,
    status: r.status,
    exit: r.exitCode ?? '-',
    signal: r.signal ?? undefined,
    duration: formatSeconds(r.durationMs),
    attempts: retriesOf(r) > 1 ? retriesOf(r) : undefined,
    iterations: r.iterations > 1 ? r.iterations : undefined,
    reason: r.skipReason,
    error: r.error?.code,
    message: r.error?.message,
    note: r.note,
  };
}

function runEndFields(e: Extract<RunEvent, { kind: 'run-end' }>): Fields {
  const r = e.result;
  return {
    status: r.status,
    exit: r.exitCode,
    duration: formatSeconds(r.durationMs),
    failed: r.failedStep && displayName(r.failedStep, r.steps.find((s) => s.id === r.failedStep)?.name),
    unreachable: r.unreachableHosts.length ? r.unreachableHosts.join(',') : undefined,
    dir: r.runDir,
  };
}

function dryRunEndFields(e: Extract<RunEvent, { kind: 'run-end' }>): Fields {
  const r = e.result;
  return {
    would_status: r.status,
    would_exit: r.exitCode,
    exit: 0,
    failed: r.failedStep && displayName(r.failedStep, r.steps.find((s) => s.id === r.failedStep)?.name),
    dir: r.runDir,
  };
}

/** `a=1 b="two words"`; undefined fields are left out. */
export function kv(fields: Fields): string {
  return Object.entries(fields)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([k, v]) => `${k}=${quoteValue(String(v))}`)
    .join(' ');
}

function quoteValue(v: string): string {
  // eslint-disable-next-line no-control-regex -- control characters must be quoted to keep one line per event
  return v === '' || /[\s"=\\\u0000-\u001f\u007f]/.test(v) ? JSON.stringify(v) : v;
}

function outputText(line: string): string {
  return stripAnsi(line).replace(/\r/g, '\\r').replace(/\n/g, '\\n');
}
