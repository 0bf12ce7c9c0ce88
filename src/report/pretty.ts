import { Chalk, type ChalkInstance } from 'chalk';
import type { Reporter, RunEvent } from '../model/events.js';
import type { Plan } from '../model/plan.js';
import { DRY_RUN_HEADER, dryStepEndLine, dryStepStartLine, drySummary } from './dry-run.js';
import { displayName, instanceLabel } from './labels.js';
import { stepEndLine, stepRetryLine, stepStartLine } from './pretty-lines.js';
import { renderSummary } from './pretty-summary.js';
import { terminalSafe } from './terminal-safe.js';

export interface PrettyReporterOptions {
  out: NodeJS.WritableStream;
  color: boolean;
  /** Terminal columns; long command lines are cut to fit. */
  width?: number;
}

const PALETTE = ['cyan', 'magenta', 'blue', 'yellow', 'green'] as const;

/**
 * The live view for a terminal. Append-only (no cursor movement), so it reads the same in a log
 * file. What commands print keeps its colours; other escape sequences and control characters are
 * dropped (terminal-safe.ts), so output cannot move the cursor, retitle or clear the screen. Output lines are indented while one step runs and prefixed `id@host │` while several do.
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
  return {
    'run-start': (e) => {
      dry = e.dryRun === true;
      plan = e.plan;
      write(c.bold(`● ${e.plan.name}`) + c.dim(`  run ${e.runId}  ${e.plan.file}`));
      if (dry) write(c.cyan.bold(DRY_RUN_HEADER));
    },
    'step-start': (e) => {
      running.add(instanceLabel(displayName(e.id, e.name), e.host));
      write(dry ? dryStepStartLine(e, c, e.display.split('\n')[0] ?? '') : stepStartLine(e, c, o.width));
    },
    'step-output': (e) =>
      write(outputLine({ ...e, line: terminalSafe(e.line, o.color) }, running, colourFor, c)),
    'step-retry': (e) => write(stepRetryLine(e, c)),
    'step-end': (e) => {
      running.delete(instanceLabel(displayName(e.result.id, e.result.name), e.result.host));
      const line = dry ? dryStepEndLine(e.result, c) : stepEndLine(e.result, c);
      if (line !== undefined) write(line);
      if (e.result.note && !dry) write(`  ${c.yellow('note:')} ${terminalSafe(e.result.note, false)}`);
    },
    'run-interrupt': (e) => write(c.yellow.bold(`■ ${e.signal} received: stopping`)),
    'run-end': (e) => {
      for (const line of dry ? drySummary(e.result, c) : renderSummary(e.result, c, o.color, plan))
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
