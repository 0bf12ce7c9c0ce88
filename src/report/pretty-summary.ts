import type { ChalkInstance } from 'chalk';
import type { Plan } from '../model/plan.js';
import type { RunResult, StepResult, StepStatus } from '../model/result.js';
import { reportedSteps } from './order.js';
import { formatElapsed } from './durations.js';
import { groupedFanouts } from './fleet-view.js';
import { displayName, failedStepLabel, instanceLabel, isProblem, outcomeText } from '../model/labels.js';
import { summaryRows, type SummaryRow } from './summary-fold.js';
import { terminalSafe } from './terminal-safe.js';

/**
 * The end-of-run block: step table (workflow and inventory order), unreachable hosts, stderr tails
 * of failures, exit code, run dir. Hosts of a large fan-out that ended alike share a row unless `perHost`.
 */
export function renderSummary(
  result: RunResult,
  c: ChalkInstance,
  colour = false,
  plan?: Plan,
  perHost = false,
): string[] {
  const steps = reportedSteps(result.steps, plan);
  const grouped = new Set(plan ? groupedFanouts(plan, perHost).keys() : []);
  return [
    '',
    ...summaryTable(summaryRows(steps, grouped), c),
    ...unreachableBlock(result, c),
    ...steps.filter((s) => isProblem(s.status)).flatMap((s) => failureDetail(s, c, colour)),
    '',
    finalLine(result, c),
    ...(result.runDir ? [`  run dir: ${result.runDir}`] : []),
  ];
}

const HEADERS = ['STEP', 'HOST', 'STATUS', 'EXIT', 'DURATION'] as const;

/** Fixed-width columns: each is as wide as its widest cell; status is coloured after padding. */
function summaryTable(rows: readonly SummaryRow[], c: ChalkInstance): string[] {
  if (rows.length === 0) return ['  (no steps ran)'];
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...rows.map((r) => (r.cells[i] ?? '').length)));
  const line = (cells: readonly string[], colour?: (s: string) => string): string =>
    `  ${cells
      .map((cell, i) => {
        const padded = cell.padEnd(widths[i] ?? 0);
        return i === 2 && colour ? colour(padded) : padded;
      })
      .join('  ')}`.trimEnd();
  return [c.bold(line(HEADERS)), ...rows.map((r) => line(r.cells, statusColour(r.status, c)))];
}

function unreachableBlock(result: RunResult, c: ChalkInstance): string[] {
  if (result.unreachableHosts.length === 0) return [];
  const reasons = new Map<string, string>();
  for (const s of result.steps) {
    if (s.status === 'unreachable' && s.host && s.error) reasons.set(s.host, s.error.message);
  }
  const title = `!! UNREACHABLE HOSTS (${result.unreachableHosts.length}) !!`;
  return [
    '',
    c.magenta.bold(title),
    ...result.unreachableHosts.map(
      (h) => `  ${c.magenta('⚠')} ${h}${reasons.has(h) ? `: ${reasons.get(h)}` : ''}`,
    ),
  ];
}

function failureDetail(s: StepResult, c: ChalkInstance, colour: boolean): string[] {
  const label = instanceLabel(displayName(s.id, s.name), s.host);
  const why = s.status === 'timed-out' ? `timed out after ${formatElapsed(s.durationMs)}` : outcomeText(s);
  const note = s.note ? [`  note: ${terminalSafe(s.note, false)}`] : [];
  // A host that was never reached ran nothing: "(no stderr)" would suggest it ran and stayed silent.
  const silent = s.status === 'unreachable' ? '' : ' (no stderr)';
  if (s.stderrTail.length === 0) return ['', `${c.red('✖')} ${c.bold(label)} ${why}${silent}`, ...note];
  return [
    '',
    `${c.red('✖')} ${c.bold(label)} ${why}, last ${s.stderrTail.length} lines of stderr:`,
    ...s.stderrTail.map((l) => `  ${c.dim('│')} ${terminalSafe(l, colour)}`),
    ...note,
  ];
}

/** The last line: its word says what the exit code means (docs/exit-codes.md). */
function finalLine(r: RunResult, c: ChalkInstance): string {
  const mark = r.exitCode === 0 ? c.green.bold('✔') : c.red.bold('✖');
  const failed = failedStepLabel(r);
  const at = failed ? ` at ${failed}` : '';
  const words: Record<RunResult['status'], string> = {
    ok: 'run ok',
    failed: `run failed${at}`,
    'timed-out': `run timed out${at}`,
    unreachable: `run unreachable${at || `: ${r.unreachableHosts.join(', ')}`}`,
    interrupted: `run interrupted by ${r.interrupted ?? 'a signal'}`,
    returned: `run returned ${r.returnCode ?? r.exitCode}`,
  };
  const word = r.error ? 'run could not start' : words[r.status];
  return `${mark} ${c.bold(word)}  exit code ${r.exitCode}  ${formatElapsed(r.durationMs)}`;
}

/** What the user calls a step: its id, or for an anonymous one its name (`clean then[1]`). */
function statusColour(status: StepStatus, c: ChalkInstance): (s: string) => string {
  switch (status) {
    case 'ok':
      return c.green;
    case 'failed':
    case 'timed-out':
      return c.red;
    case 'unreachable':
      return c.magenta;
    case 'cancelled':
      return c.yellow;
    case 'skipped':
      return c.dim;
  }
}
