import { Chalk, type ChalkInstance } from 'chalk';
import type { Reporter, RunEvent } from '../model/events.js';
import type { Plan } from '../model/plan.js';
import { DRY_RUN_HEADER, dryStepEndLine, dryStepStartLine, drySummary } from './dry-run.js';
import { fanoutEndLine, fanoutStartLine, groupBlock } from './fleet-pretty.js';
import { FleetGrouper } from './fleet-view.js';
import { displayName, instanceLabel } from '../model/labels.js';
import { stepEndLine, stepRetryLine, stepStartLine, toleratedFanoutLine } from './pretty-lines.js';
import { renderSummary } from './pretty-summary.js';
import { terminalSafe } from './terminal-safe.js';

export interface PrettyReporterOptions {
  out: NodeJS.WritableStream;
  color: boolean;
  /** Terminal columns; long command lines are cut to fit. */
  width?: number;
  /** Stream every host of a large fan-out live instead of grouping its output (`--per-host`). */
  perHost?: boolean;
}

const PALETTE = ['cyan', 'magenta', 'blue', 'yellow', 'green'] as const;

/**
 * The live view for a terminal. Append-only (no cursor movement), so it reads the same in a log
 * file. What commands print keeps its colours; other escape sequences and control characters are
 * dropped (terminal-safe.ts), so output cannot move the cursor, retitle or clear the screen. Output lines are indented while one step runs and prefixed `id@host │` while several do.
 * A fan-out over GROUP_MIN_HOSTS or more is announced once and its output shown grouped when it
 * ends (fleet-view.ts), unless `perHost`.
 */
export function createPrettyReporter(o: PrettyReporterOptions): Reporter {
  const c = new Chalk({ level: o.color ? 1 : 0 });
  const write = (line: string): void => void o.out.write(`${line}\n`);
  const running = new Set<string>();
  const colours = new Map<string, ChalkInstance>();
  const colourFor = (label: string): ChalkInstance => {
    let colour = colours.get(label);
    if (!colour) {
      colour = c[PALETTE[colours.size % PALETTE.length] ?? 'cyan'];
      colours.set(label, colour);
    }
    return colour;
  };
  let dry = false;
  let plan: Plan | undefined;
  const fleet = new FleetGrouper(o.perHost === true, (line) => terminalSafe(line, o.color));
  const writeGroups = (id: string, groups: Parameters<typeof groupBlock>[1]): void =>
    groupBlock(id, groups, c).forEach(write);
  // Hosts per status of each small fan-out: an ok fan-out with failures it tolerated says so.
  const hostStatuses = new Map<string, Map<string, number>>();
  return {
    'run-start': (e) => {
      dry = e.dryRun === true;
      plan = e.plan;
      fleet.reset(e.plan);
      write(c.bold(`● ${e.plan.name}`) + c.dim(`  run ${e.runId}  ${e.plan.file}`));
      if (dry) write(c.cyan.bold(DRY_RUN_HEADER));
    },
    'step-start': (e) => {
      const grouped = dry ? { grouped: false, first: false } : fleet.start(e);
      if (grouped.grouped) {
        if (grouped.first) write(fanoutStartLine(e, fleet.hostsOf(e.id, e.host) ?? [], c, o.width));
        return;
      }
      running.add(instanceLabel(displayName(e.id, e.name), e.host));
      write(dry ? dryStepStartLine(e, c, e.display.split('\n')[0] ?? '') : stepStartLine(e, c, o.width));
    },
    'step-output': (e) => {
      if (!dry && fleet.line(e)) return;
      write(outputLine({ ...e, line: terminalSafe(e.line, o.color) }, running, colourFor, c));
    },
    'step-retry': (e) => write(stepRetryLine(e, c)),
    'step-end': (e) => {
      // A grouped host says nothing when ok; a failure is one line now, its output in the block.
      if (!dry && fleet.end(e.result)) {
        if (e.result.status !== 'ok' && e.result.status !== 'skipped') write(stepEndLine(e.result, c));
        return;
      }
      if (e.result.host) {
        const counts = hostStatuses.get(e.result.id) ?? new Map<string, number>();
        counts.set(e.result.status, (counts.get(e.result.status) ?? 0) + 1);
        hostStatuses.set(e.result.id, counts);
      }
      const groups = dry ? undefined : fleet.finish(e.result);
      if (groups) writeGroups(displayName(e.result.id, e.result.name), groups);
      running.delete(instanceLabel(displayName(e.result.id, e.result.name), e.result.host));
      const line = dry
        ? dryStepEndLine(e.result, c)
        : groups
          ? fanoutEndLine(e.result, groups, c)
          : e.result.kind === 'fanout'
            ? (toleratedFanoutLine(e.result, hostStatuses.get(e.result.id), c) ?? stepEndLine(e.result, c))
            : stepEndLine(e.result, c);
      if (e.result.kind === 'fanout') hostStatuses.delete(e.result.id);
      if (line !== undefined) write(line);
      if (e.result.note && !dry) write(`  ${c.yellow('note:')} ${terminalSafe(e.result.note, false)}`);
    },
    'run-interrupt': (e) => write(c.yellow.bold(`■ ${e.signal} received: stopping`)),
    'run-end': (e) => {
      for (const [id, groups] of fleet.leftovers()) writeGroups(id, groups);
      for (const line of dry
        ? drySummary(e.result, c, plan)
        : renderSummary(e.result, c, o.color, plan, o.perHost === true))
        write(line);
    },
  };
}

type StepOutput = Extract<RunEvent, { kind: 'step-output' }>;

function outputLine(
  e: StepOutput,
  running: ReadonlySet<string>,
  colourFor: (label: string) => ChalkInstance,
  c: ChalkInstance,
): string {
  const label = instanceLabel(displayName(e.id, e.name), e.host);
  const bar = e.stream === 'stderr' ? c.red('│') : c.dim('│');
  if (running.size <= 1) return `  ${bar} ${e.line}`;
  const width = Math.max(...[...running].map((l) => l.length), label.length);
  return `${colourFor(label)(label.padEnd(width))} ${bar} ${e.line}`;
}
