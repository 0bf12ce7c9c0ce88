import type { StepView } from '../api-types.js';
import { FAILING } from './format.js';

/** Text and links about step rows, without the DOM (the graph's state and the tests use them too). */

/** `hosts: 37/200 done · 2 failed · 1 unreachable`, as the terminal shows it. */
export function hostProgress(steps: readonly StepView[], total = steps.length): string {
  const done = steps.filter((s) => s.status !== 'running').length;
  const count = (st: string): number => steps.filter((s) => s.status === st).length;
  const parts = [`hosts: ${done}/${Math.max(total, steps.length)} done`];
  for (const st of ['failed', 'timed-out', 'unreachable', 'cancelled', 'skipped'])
    if (count(st)) parts.push(`${count(st)} ${st}`);
  return parts.join(' · ');
}

export function outputHref(runId: string, s: StepView): string {
  const stream = FAILING.includes(s.status) ? '?stream=stderr' : '';
  return `/runs/${encodeURIComponent(runId)}/steps/${s.seq}${stream}`;
}

/** The short form a graph box has room for: `37/200 done · 3 failing`. */
export function shortProgress(steps: readonly StepView[], total = steps.length): string {
  const done = steps.filter((s) => s.status !== 'running').length;
  const failing = steps.filter((s) => FAILING.includes(s.status)).length;
  const text = `${done}/${Math.max(total, steps.length)} done`;
  return failing ? `${text} · ${failing} failing` : text;
}
