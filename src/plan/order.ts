import { commonDepth, type StepInfo } from './ids.js';

/**
 * Where step `t` runs relative to step `s`: `before` means t can have finished when s starts.
 * `enclosing`: t is a block around s; `inside`: t is within s; `exclusive`: the other arm of an `if`;
 * `parallel`: a concurrent sibling not ordered by `needs`.
 */
export type Order = 'before' | 'self' | 'enclosing' | 'inside' | 'later' | 'exclusive' | 'parallel';

export function orderOf(t: StepInfo, s: StepInfo): Order {
  if (t === s) return 'self';
  const d = commonDepth(t.path, s.path);
  if (d === t.path.length) return 'enclosing';
  if (d === s.path.length) return 'inside';
  const ts = t.path[d];
  const ss = s.path[d];
  if (!ts || !ss) return 'later';
  if (ts.list !== ss.list) {
    if (ts.list === 'steps' && ss.list === 'finally') return 'before';
    return ts.list === 'then' || ts.list === 'else' ? 'exclusive' : 'later';
  }
  if (ts.list === 'parallel') {
    const ct = ancestorAt(t, d + 1);
    const cs = ancestorAt(s, d + 1);
    return needsClosure(cs).has(ct) ? 'before' : 'parallel';
  }
  return ts.index < ss.index ? 'before' : 'later';
}

/** The step itself or its ancestor whose path has `length` segments. */
export function ancestorAt(info: StepInfo, length: number): StepInfo {
  let current = info;
  while (current.path.length > length && current.parent) current = current.parent;
  return current;
}

/** Siblings a step waits for through `needs`, directly or transitively. */
function needsClosure(info: StepInfo): Set<StepInfo> {
  const seen = new Set<StepInfo>();
  const queue = [info];
  while (queue.length > 0) {
    const current = queue.pop();
    for (const need of current?.step.needs ?? []) {
      const sibling = info.siblings.find((x) => x.explicitId && x.id === need.value);
      if (sibling && !seen.has(sibling)) {
        seen.add(sibling);
        queue.push(sibling);
      }
    }
  }
  return seen;
}
