import type { AttemptView, StepView } from '../api-types.js';
import { h } from './dom.js';
import { duration } from './format.js';

/** `?attempt=N` of the address: a 1-based place in the step's attempts, or undefined for the last one. */
export function chosenAttempt(params: URLSearchParams): number | undefined {
  const n = Number(params.get('attempt'));
  return Number.isSafeInteger(n) && n >= 1 ? n : undefined;
}

/** The query of an output address: the stream, and the attempt when one was chosen. */
export function outputQuery(stream: string, attempt: number | undefined): string {
  return attempt === undefined ? `stream=${stream}` : `stream=${stream}&attempt=${attempt}`;
}

/**
 * One link per execution of a retried or looping step (each kept its own output files); none for a
 * step that ran once. The step's own output is its last attempt's.
 */
export function attemptNav(
  runId: string,
  step: StepView,
  chosen: number | undefined,
  stream: string,
): HTMLElement | null {
  if (step.attempts.length < 2) return null;
  const current = chosen ?? step.attempts.length;
  const loops = step.attempts.some((a) => a.iteration > 1);
  return h(
    'nav',
    { class: 'attempts', id: 'attempts' },
    h('span', { class: 'muted' }, `${step.attempts.length} executions:`),
    step.attempts.map((a, i) =>
      h(
        'a',
        {
          href: `/runs/${encodeURIComponent(runId)}/steps/${step.seq}?${outputQuery(stream, i + 1)}`,
          class: `attempt st-${a.status}${i + 1 === current ? ' on' : ''}`,
          title: attemptTitle(a),
          data: { attempt: String(i + 1), status: a.status },
        },
        loops ? `#${a.iteration}.${a.attempt}` : `attempt ${a.attempt}`,
      ),
    ),
  );
}

function attemptTitle(a: AttemptView): string {
  const exit = a.exitCode !== null ? `, exit ${a.exitCode}` : '';
  const why = a.error ? `: ${a.error.message}` : '';
  return `iteration ${a.iteration}, attempt ${a.attempt}: ${a.status}${exit}, ${duration(a.durationMs)}${why}`;
}
