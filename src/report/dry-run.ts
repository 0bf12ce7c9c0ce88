import type { ChalkInstance } from 'chalk';
import type { RunEvent } from '../model/events.js';
import type { RunResult, StepResult } from '../model/result.js';
import type { Plan } from '../model/plan.js';
import { alertChannels } from '../model/notify.js';
import { displayName, instanceLabel, outcomeText } from '../model/labels.js';

type StepStart = Extract<RunEvent, { kind: 'step-start' }>;

/*
 * A dry run's lines say they are one: nothing started and nothing was ok, so a command "would run",
 * a skipped step "would be skipped", and the end says what exit code this path would have.
 */

export const DRY_RUN_HEADER = 'DRY RUN: nothing runs, nothing connects; commands are shown as they would run';

/** The plain-format event word and fields of a dry-run step end, or undefined to print nothing. */
export function dryStepEnd(
  r: StepResult,
): { word: string; fields: Record<string, string | undefined> } | undefined {
  // A command that "would run" was already said by its would-run line; blocks say nothing new.
  if (r.status === 'ok') return undefined;
  const word = r.status === 'skipped' ? 'would-skip' : 'would-fail';
  return {
    word,
    fields: {
      id: displayName(r.id, r.name),
      host: r.host,
      reason: r.skipReason,
      error: r.error?.code,
      message: r.error?.message,
      note: r.note,
    },
  };
}

/** `▷ build would run  npm ci (only if …)`. */
export function dryStepStartLine(e: StepStart, c: ChalkInstance, command: string): string {
  const label = c.bold(instanceLabel(displayName(e.id, e.name), e.host));
  const iteration = e.iteration > 1 ? ` (iteration ${e.iteration})` : '';
  const condition = e.onlyIf ? c.yellow(`  only if ${e.onlyIf}`) : '';
  return `${c.cyan('▷')} ${label} would run${iteration}${command ? `  ${c.dim(command)}` : ''}${condition}`;
}

/** A dry-run step end for a terminal, or undefined to print nothing. */
export function dryStepEndLine(r: StepResult, c: ChalkInstance): string | undefined {
  const label = c.bold(instanceLabel(displayName(r.id, r.name), r.host));
  if (r.status === 'ok') return undefined;
  if (r.status === 'skipped')
    return `${c.dim('↷')} ${label} ${c.dim(`would be skipped${r.skipReason ? ` (${r.skipReason})` : ''}`)}`;
  return `${c.red('✖')} ${label} ${c.red(`would fail: ${outcomeText(r)}`)}`;
}

/** The end of a dry run: what would run, the exit code this path would have in a real run, and its alerts. */
export function drySummary(r: RunResult, c: ChalkInstance, plan?: Plan): string[] {
  const leaves = r.steps.filter((s) => s.kind === 'command' || s.kind === 'copy' || s.kind === 'fanout');
  const would = leaves.filter((s) => s.status === 'ok' && s.kind !== 'fanout').length;
  const skipped = leaves.filter((s) => s.status === 'skipped').length;
  const failing = r.steps.filter((s) => s.status !== 'ok' && s.status !== 'skipped');
  const lines = [
    '',
    `${c.cyan.bold('◇')} ${c.bold('dry run')}: ${would} command${would === 1 ? '' : 's'} would run, ${skipped} would be skipped; nothing ran`,
  ];
  for (const s of failing)
    lines.push(
      `  ${c.red('✖')} ${instanceLabel(displayName(s.id, s.name), s.host)} would fail: ${outcomeText(s)}`,
    );
  lines.push(`  a real run on this path would exit ${r.exitCode}; this dry run exits 0 (the file is valid)`);
  const notify = alertChannels(plan?.notify, r.exitCode);
  if (notify.length > 0)
    lines.push(`  and would alert (notify: ${notify.join(' and ')}); this dry run does not`);
  return lines;
}

/** `would_notify=command,webhook` for the plain run-end line of a dry run, or undefined. */
export function dryNotifyField(plan: Plan | undefined, r: RunResult): string | undefined {
  const notify = alertChannels(plan?.notify, r.exitCode);
  return notify.length > 0 ? notify.join(',') : undefined;
}
