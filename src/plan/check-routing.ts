import type { Diagnostic } from '../model/diagnostic.js';
import type { Located } from '../model/span.js';
import { planError } from './diagnostics.js';
import { commonDepth, type Segment, type StepIndex, type StepInfo } from './ids.js';
import { didYouMean } from '../expr/index.js';

/** `on_success` / `on_failure` must name a later step of the same or an enclosing sequence. */
export function checkRouting(index: StepIndex): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const info of index.all) {
    for (const [key, jump] of [
      ['on_success', info.step.onSuccess],
      ['on_failure', info.step.onFailure],
    ] as const) {
      if (!jump) continue;
      const target = index.byId.get(jump.value);
      const d = target
        ? checkJump(info, target, key, jump)
        : planError(
            'unknown-step',
            `${key}: no step has the id "${jump.value}"`,
            jump.span,
            didYouMean(jump.value, index.byId.keys(), 'jump to a step that has an `id:`'),
          );
      if (d) out.push(d);
    }
  }
  return out;
}

const FORWARD_HINT = 'jumps only go forward; repeat work with `loop` or `retry`';

function checkJump(s: StepInfo, t: StepInfo, key: string, jump: Located<string>): Diagnostic | undefined {
  const fail = (message: string, hint: string): Diagnostic =>
    planError('backward-jump', `${key}: ${message}`, jump.span, hint);
  const where = `"${t.id}" (line ${t.step.span.line})`;
  if (t === s) return fail('a step cannot jump to itself', FORWARD_HINT);
  const d = commonDepth(t.path, s.path);
  if (d === t.path.length) return fail(`${where} is a block around this step`, FORWARD_HINT);
  if (d === s.path.length) return fail(`${where} is inside this block`, 'jump to a step after the block');
  const ts = t.path[d] as Segment;
  const ss = s.path[d] as Segment;
  if (t.path.length === d + 1 && ts.list === ss.list) {
    if (ts.list === 'parallel')
      return fail(`${where} is in the same parallel block`, 'order steps of a parallel block with `needs`');
    if (hasParallel(s.path.slice(d + 1)))
      return fail(
        `cannot jump out of a parallel block to ${where}`,
        'let the block finish and route from the block itself',
      );
    return ts.index > ss.index ? undefined : fail(`${where} comes before this step`, FORWARD_HINT);
  }
  if (hasParallel(t.path.slice(d)))
    return fail(
      `cannot jump into a parallel block to ${where}`,
      'jump to the parallel block itself (give it an `id:`)',
    );
  if (ts.list !== ss.list && (ts.list === 'then' || ts.list === 'else'))
    return fail(`${where} is in the other branch of the same if`, 'jump to a step after the if');
  if (ts.list !== ss.list)
    return fail(
      `${where} is in ${ts.list} while this step is in ${ss.list}`,
      `jump to a later step of the same list`,
    );
  return fail(
    `${where} is inside another block`,
    'jump to a later step of the same or an enclosing sequence',
  );
}

function hasParallel(segments: readonly Segment[]): boolean {
  return segments.some((seg) => seg.list === 'parallel');
}
