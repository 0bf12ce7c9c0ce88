import type { Reporter, RunEvent } from '../model/events.js';
import type { StepResult } from '../model/result.js';
import type { Plan } from '../model/plan.js';
import { stripAnsi } from './ansi.js';
import { DRY_RUN_HEADER, dryNotifyField, dryStepEnd } from './dry-run.js';
import { displayName, failedStepLabel } from '../model/labels.js';
import { retriesOf } from './pretty-lines.js';
import { formatSeconds } from './durations.js';
import { FleetGrouper } from './fleet-view.js';
import { compactHosts } from './host-ranges.js';
import type { OutputGroup, ShownLine } from './output-groups.js';

export interface PlainReporterOptions {
  /** A terminal, a pipe or an AppendFile: only `write` is used, once per event. */
  out: { write(text: string): unknown };
  /** Stream every host of a large fan-out live instead of grouping its output (`--per-host`). */
  perHost?: boolean;
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
 * A fan-out over GROUP_MIN_HOSTS hosts or more (unless `perHost`) says `fanout-start id=<id>
 * hosts=<web[001-256]> count=<n> cmd_host=<host> cmd="…"` (the command as rendered for the first
 * host to start) once instead of a step-start per host, keeps one step-end
 * per host, and prints its output when it ends, once per distinct output:
 * `out id=<id> hosts=<list> count=<n> stream=… | <line>` and, where lines were not kept,
 * `out-omitted id=<id> hosts=<list> count=<n> lines=<n> file=<first host's output file>`.
 *
 * A dry run puts `dry-run` before every event word, says `would-run` for step-start, prints no
 * step-end for steps that would run (`would-skip`/`would-fail` for the others), and ends with
 * `run-end would_status=<status> would_exit=<code> exit=0` (and `would_notify=command,webhook` when
 * a real run on this path would alert).
 *
 * Values with spaces, quotes, `=` or control characters are JSON-quoted; `cmd` always is. Durations
 * are seconds with three decimals. Output lines are written after `| ` as they are, minus ANSI
 * escapes, with `\r` shown as `\r` so each event stays on one line.
 */
export function createPlainReporter(o: PlainReporterOptions): Reporter {
  let dry = false;
  let plan: Plan | undefined;
  const write = (at: number, fields: string): void =>
    void o.out.write(`${new Date(at).toISOString()} ${dry ? 'dry-run ' : ''}${fields}\n`);
  const fleet = new FleetGrouper(o.perHost === true, outputText);
  const writeGroups = (at: number, id: string, groups: readonly OutputGroup[]): void =>
    groupLines(id, groups).forEach((fields) => write(at, fields));
  return {
    'run-start': (e) => {
      dry = e.dryRun === true;
      plan = e.plan;
      fleet.reset(e.plan);
      const note = dry ? DRY_RUN_HEADER : undefined;
      write(e.at, `run-start ${kv({ run: e.runId, workflow: e.plan.name, file: e.plan.file, note })}`);
    },
    'step-start': (e) => {
      const grouped = dry ? { grouped: false, first: false } : fleet.start(e);
      const hosts = fleet.hostsOf(e.id, e.host);
      if (grouped.grouped && hosts) {
        if (grouped.first)
          write(
            e.at,
            `fanout-start ${kv({ id: displayName(e.id, e.name), hosts: compactHosts(hosts), count: hosts.length, cmd_host: e.host })} cmd=${JSON.stringify(e.display)}`,
          );
        return;
      }
      write(
        e.at,
        `${dry ? 'would-run' : 'step-start'} ${kv({ id: displayName(e.id, e.name), host: e.host, attempt: e.attempt, iteration: e.iteration })} cmd=${JSON.stringify(e.display)}${e.onlyIf ? ` ${kv({ if: e.onlyIf })}` : ''}`,
      );
    },
    'step-output': (e) => {
      if (!dry && fleet.line(e)) return;
      write(
        e.at,
        `out ${kv({ id: displayName(e.id, e.name), host: e.host, stream: e.stream })} | ${outputText(e.line)}`,
      );
    },
    'step-retry': (e) =>
      write(
        e.at,
        `step-retry ${kv({ id: displayName(e.id, e.name), host: e.host, attempt: e.attempt + 1, delay: formatSeconds(e.delayMs), exit: e.exitCode ?? '-' })}`,
      ),
    'step-end': (e) => {
      if (!dry) {
        fleet.end(e.result);
        const groups = fleet.finish(e.result);
        if (groups) writeGroups(e.at, displayName(e.result.id, e.result.name), groups);
        return write(e.at, `step-end ${kv(stepEndFields(e.result))}`);
      }
      const end = dryStepEnd(e.result);
      if (end) write(e.at, `${end.word} ${kv(end.fields)}`);
    },
    'run-interrupt': (e) => write(e.at, `run-interrupt signal=${e.signal}`),
    'run-end': (e) => {
      for (const [id, groups] of fleet.leftovers()) writeGroups(e.at, id, groups);
      write(e.at, `run-end ${kv(dry ? dryRunEndFields(e, plan) : runEndFields(e))}`);
    },
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
    failed: failedStepLabel(r),
    unreachable: r.unreachableHosts.length ? r.unreachableHosts.join(',') : undefined,
    dir: r.runDir,
  };
}

function dryRunEndFields(e: Extract<RunEvent, { kind: 'run-end' }>, plan: Plan | undefined): Fields {
  const r = e.result;
  return {
    would_status: r.status,
    would_exit: r.exitCode,
    exit: 0,
    failed: failedStepLabel(r),
    would_notify: dryNotifyField(plan, r),
    dir: r.runDir,
  };
}

/** `a=1 b="two words"`; undefined fields are left out. */
function kv(fields: Fields): string {
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

/** The `out` lines of a grouped fan-out: each distinct output once, with its hosts. */
function groupLines(id: string, groups: readonly OutputGroup[]): string[] {
  return groups.flatMap((g) => {
    const who = { id, hosts: compactHosts(g.hosts), count: g.hosts.length };
    const line = (l: ShownLine): string => `out ${kv({ ...who, stream: l.stream })} | ${l.text}`;
    const file = g.result.stdoutFile ?? g.result.stderrFile;
    const omitted = g.omitted > 0 ? [`out-omitted ${kv({ ...who, lines: g.omitted, file })}`] : [];
    return [...g.head.map(line), ...omitted, ...g.tail.map(line)];
  });
}
