import type { ChalkInstance } from 'chalk';
import type { RunEvent } from '../model/events.js';
import type { StepResult } from '../model/result.js';
import { formatElapsed } from './durations.js';
import { tallyText } from './fleet-view.js';
import { hostsWithCount } from './host-ranges.js';
import { displayName, outcomeText } from '../model/labels.js';
import type { OutputGroup, ShownLine } from './output-groups.js';
import { truncate } from './pretty-lines.js';

type StepStart = Extract<RunEvent, { kind: 'step-start' }>;

/** `▶ uptime on web[001-256] (256 hosts)  uptime -p`: once for the whole fan-out. */
export function fanoutStartLine(
  e: StepStart,
  hosts: readonly string[],
  c: ChalkInstance,
  width?: number,
): string {
  const label = displayName(e.id, e.name);
  const on = hostsWithCount(hosts, Math.max(40, (width ?? 120) - 40));
  const [first = '', ...rest] = e.display.split('\n');
  const command = truncate(
    rest.length ? `${first} …` : first,
    Math.max(16, (width ?? 200) - label.length - on.length - 8),
  );
  return `${c.cyan('▶')} ${c.bold(label)} on ${on}${command ? `  ${c.dim(command)}` : ''}`;
}

/** How a group ended, in words: `ok`, `exit 1`, `timed out after 5.0s`, `unreachable: …`. */
function outcome(r: StepResult): string {
  switch (r.status) {
    case 'ok':
      return 'ok';
    case 'timed-out':
      return `timed out after ${formatElapsed(r.durationMs)}`;
    case 'unreachable':
      return `unreachable: ${r.error?.message ?? 'host could not be reached'}`;
    case 'cancelled':
      return 'cancelled';
    case 'skipped':
      return `skipped${r.skipReason ? ` (${r.skipReason})` : ''}`;
    case 'failed':
      return outcomeText(r);
  }
}

function mark(r: StepResult, c: ChalkInstance): string {
  if (r.status === 'ok') return c.green('✔');
  if (r.status === 'skipped') return c.dim('↷');
  if (r.status === 'cancelled') return c.yellow('⊘');
  if (r.status === 'unreachable') return c.magenta('⚠');
  return c.red('✖');
}

/**
 * The fan-out's output, grouped: each distinct output once under its host list (ok groups first),
 * failures with their outcome and output; what the capture did not keep is counted, with the file
 * that holds all of it.
 */
export function groupBlock(id: string, groups: readonly OutputGroup[], c: ChalkInstance): string[] {
  if (groups.length === 0) return [];
  const lines = [c.dim(`── ${id}: ${tallyText(groups)}`)];
  for (const g of groups) {
    const bad = g.result.status !== 'ok' && g.result.status !== 'skipped';
    const what = outcome(g.result);
    const head = `${mark(g.result, c)} ${c.bold(hostsWithCount(g.hosts))}`;
    lines.push(
      g.lines === 0
        ? `${head}  ${bad ? c.red(what) : what}${c.dim('  (no output)')}`
        : `${head}  ${bad ? c.red(what) : what}`,
    );
    const bar = (l: ShownLine): string => `    ${l.stream === 'stderr' ? c.red('│') : c.dim('│')} ${l.text}`;
    lines.push(...g.head.map(bar));
    if (g.omitted > 0) {
      const file = g.result.stdoutFile ?? g.result.stderrFile;
      lines.push(
        c.dim(
          `    ┆ … ${g.omitted} more line${g.omitted === 1 ? '' : 's'}${file ? ` (all of ${g.hosts[0]}'s: ${file})` : ''}`,
        ),
      );
    }
    lines.push(...g.tail.map(bar));
  }
  return lines;
}

/** `✔ check 256 ok 6.6s`, `✖ check 254 ok · 2 failed 6.6s`: the fan-out's own end line. */
export function fanoutEndLine(r: StepResult, groups: readonly OutputGroup[], c: ChalkInstance): string {
  const label = c.bold(displayName(r.id, r.name));
  const counts = groups.length > 0 ? tallyText(groups) : 'no hosts';
  const took = c.dim(formatElapsed(r.durationMs));
  if (r.status === 'ok') return `${c.green('✔')} ${label} ${counts} ${took}`;
  if (r.status === 'skipped')
    return `${c.dim('↷')} ${label} ${c.dim(`skipped${r.skipReason ? ` (${r.skipReason})` : ''}`)}`;
  return `${mark(r, c)} ${label} ${c.red(counts)} ${took}`;
}
