import type { ChalkInstance } from 'chalk';
import type { RunResult, StepResult, StepStatus } from '../model/result.js';
import { formatElapsed } from './durations.js';
import { baseId, instanceLabel, isInstanceResult, isProblem, outcomeText } from './labels.js';
import { terminalSafe } from './terminal-safe.js';

/** The end-of-run block: step table, unreachable hosts, stderr tails of failures, exit code, run dir. */
export function renderSummary(result: RunResult, c: ChalkInstance, colour = false): string[] {
  const steps = result.steps.filter(isInstanceResult);
  return [
    '',
    ...summaryTable(steps, c),
    ...unreachableBlock(result, c),
    ...steps.filter((s) => isProblem(s.status)).flatMap((s) => failureDetail(s, c, colour)),
    '',
    finalLine(result, c),
    ...(result.runDir ? [`  run dir: ${result.runDir}`] : []),
  ];
}

const HEADERS = ['STEP', 'HOST', 'STATUS', 'EXIT', 'DURATION'] as const;

/** Fixed-width columns: each is as wide as its widest cell; status is coloured after padding. */
export function summaryTable(steps: readonly StepResult[], c: ChalkInstance): string[] {
  if (steps.length === 0) return ['  (no steps ran)'];
  const rows = steps.map((s) => [
    baseId(s.id, s.host),
    s.host ?? '-',
    s.status,
    s.exitCode !== null ? String(s.exitCode) : (s.signal ?? '-'),
    formatElapsed(s.durationMs),
  ]);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[], colour?: (s: string) => string): string =>
    `  ${cells
      .map((cell, i) => {
        const padded = cell.padEnd(widths[i] ?? 0);
        return i === 2 && colour ? colour(padded) : padded;
      })
      .join('  ')}`.trimEnd();
  return [c.bold(line(HEADERS)), ...rows.map((r, i) => line(r, statusColour(steps[i]?.status ?? 'ok', c)))];
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
  const label = instanceLabel(s.id, s.host);
  const why = s.status === 'timed-out' ? `timed out after ${formatElapsed(s.durationMs)}` : outcomeText(s);
  const note = s.note ? [`  note: ${terminalSafe(s.note, false)}`] : [];
  if (s.stderrTail.length === 0) return ['', `${c.red('✖')} ${c.bold(label)} ${why} (no stderr)`, ...note];
  return [
    '',
    `${c.red('✖')} ${c.bold(label)} ${why}, last ${s.stderrTail.length} lines of stderr:`,
    ...s.stderrTail.map((l) => `  ${c.dim('│')} ${terminalSafe(l, colour)}`),
    ...note,
  ];
}

function finalLine(r: RunResult, c: ChalkInstance): string {
  const ok = r.status === 'ok' || (r.status === 'returned' && r.exitCode === 0);
  const mark = ok ? c.green.bold('✔') : c.red.bold('✖');
  const why = [
    r.interrupted ? `interrupted by ${r.interrupted}` : '',
    r.failedStep ? `at ${r.failedStep}` : '',
  ].filter(Boolean);
  const detail = why.length ? ` (${why.join(', ')})` : '';
  return `${mark} ${c.bold(`run ${r.status}${detail}`)}  exit code ${r.exitCode}  ${formatElapsed(r.durationMs)}`;
}

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
