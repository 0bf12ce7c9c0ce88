import { report, type Tx } from './context.js';
import { listedIds } from './blocks.js';

const REFERENCING = ['on_success', 'on_failure'];
const LISTS = ['tasks', 'if_true_tasks', 'if_false_tasks'];
const ROUTES_ON = ['on_success', 'on_failure', 'next', 'return'];

/**
 * S13: TASKER refuses a file whose task ids have a gap, unless the task after it is referenced, the
 * task before it routes (`on_success`, `on_failure`, `next`, `return`), or the task after is in 90-999.
 */
export function checkGaps(tx: Tx): void {
  const referenced = new Set<number>();
  for (const t of tx.tasks.values()) {
    for (const k of REFERENCING) {
      const v = t.fields.get(k)?.value.trim();
      if (v !== undefined && /^\d+$/.test(v)) referenced.add(Number(v));
    }
    for (const k of LISTS) for (const n of listedIds(t, k)) referenced.add(n);
  }
  const ids = [...tx.tasks.keys()].sort((a, b) => a - b);
  for (let i = 1; i < ids.length; i++) {
    const before = tx.tasks.get(ids[i - 1]!)!;
    const after = tx.tasks.get(ids[i]!)!;
    if (after.id === before.id + 1) continue;
    const routes = ROUTES_ON.some((k) => before.fields.has(k));
    if (referenced.has(after.id) || routes || (after.id >= 90 && after.id <= 999)) continue;
    report(
      tx,
      after.line,
      'sequence-gap',
      `Task sequence has gaps: task ${after.id} follows task ${before.id}, and nothing leads to it`,
      `renumber task ${after.id} to ${before.id + 1}, or reach it with on_success=/on_failure=${after.id}`,
    );
  }
}
