import type { ChalkInstance } from 'chalk';
import type { RunEvent } from '../model/events.js';
import type { StepResult } from '../model/result.js';
import { formatElapsed } from './durations.js';
import { displayName, instanceLabel, outcomeText } from '../model/labels.js';
import { countsText } from './fleet-view.js';

type StepStart = Extract<RunEvent, { kind: 'step-start' }>;
type StepRetry = Extract<RunEvent, { kind: 'step-retry' }>;

const MIN_WIDTH = 20;
const MIN_COMMAND = 16;

/** `▶ build  npm ci && npm run build`, cut to `width` columns when given. */
export function stepStartLine(e: StepStart, c: ChalkInstance, width?: number): string {
  const shown = displayName(e.id, e.name);
  const label = instanceLabel(shown, e.host);
  const extras = [
    e.name !== shown ? e.name : '',
    e.attempt > 1 ? `attempt ${e.attempt}` : '',
    e.iteration > 1 ? `iteration ${e.iteration}` : '',
  ].filter(Boolean);
  const extrasText = extras.length ? ` (${extras.join(', ')})` : '';
  const [first = '', ...rest] = e.display.split('\n');
  let command = rest.length ? `${first} …` : first;
  // 2 for `▶ `, 2 for the gap before the command.
  // Some terminals (script, serial consoles) report 0 columns: that means unknown, not "no room".
  if (width !== undefined && width >= MIN_WIDTH)
    command = truncate(command, Math.max(MIN_COMMAND, width - label.length - extrasText.length - 4));
  const head = `${c.cyan('▶')} ${c.bold(label)}${extrasText}`;
  return command ? `${head}  ${c.dim(command)}` : head;
}

/** `↻ build exit 3, retry in 2.0s (attempt 2)`. */
export function stepRetryLine(e: StepRetry, c: ChalkInstance): string {
  const why = e.exitCode === null ? 'failed' : `exit ${e.exitCode}`;
  return `${c.yellow('↻')} ${instanceLabel(displayName(e.id, e.name), e.host)} ${why}, retry in ${formatElapsed(e.delayMs)} (attempt ${e.attempt + 1})`;
}

/** One line per finished step: `✔ build 1.2s`, `✖ deploy@web1 exit 3 4.5s`, `↷ x skipped (condition)`. */
export function stepEndLine(r: StepResult, c: ChalkInstance): string {
  const label = c.bold(instanceLabel(displayName(r.id, r.name), r.host));
  const took = c.dim(formatElapsed(r.durationMs));
  const tries = retriesOf(r) > 1 ? ` after ${retriesOf(r)} attempts` : '';
  const loops = r.iterations > 1 ? ` (${r.iterations} loop iterations)` : '';
  switch (r.status) {
    case 'ok':
      return `${c.green('✔')} ${label} ${took}${tries}${loops}`;
    case 'failed':
      return `${c.red('✖')} ${label} ${c.red(outcomeText(r))} ${took}${tries}${loops}`;
    case 'timed-out':
      return `${c.red('⏱')} ${label} ${c.red(`timed out after ${formatElapsed(r.durationMs)}`)}${tries}`;
    case 'unreachable':
      return `${c.magenta('⚠')} ${label} ${c.magenta(`unreachable: ${r.error?.message ?? 'host could not be reached'}`)}`;
    case 'cancelled':
      return `${c.yellow('⊘')} ${label} cancelled ${took}`;
    case 'skipped':
      return `${c.dim('↷')} ${label} ${c.dim(`skipped${r.skipReason ? ` (${r.skipReason})` : ''}`)}`;
  }
}

/** `✔ ping 2 unreachable, within max_failed 9ms`: a fan-out that is ok although hosts were not. */
export function toleratedFanoutLine(
  r: StepResult,
  hosts: ReadonlyMap<string, number> | undefined,
  c: ChalkInstance,
): string | undefined {
  if (r.status !== 'ok' || !hosts || [...hosts.keys()].every((s) => s === 'ok' || s === 'skipped'))
    return undefined;
  const label = c.bold(displayName(r.id, r.name));
  return `${c.green('✔')} ${label} ${c.yellow(`${countsText(hosts)}, within max_failed`)} ${c.dim(formatElapsed(r.durationMs))}`;
}

/** Cuts `text` to `max` columns with a trailing `…`. */
export function truncate(text: string, max: number): string {
  if (max <= 1) return text.length > 0 ? '…' : '';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Attempts of the last loop iteration: a loop's iterations are not retries. */
export function retriesOf(r: Pick<StepResult, 'attempts' | 'iterations'>): number {
  const last = r.attempts[r.attempts.length - 1]?.iteration ?? 1;
  return r.attempts.filter((a) => (a.iteration ?? 1) === last).length;
}
