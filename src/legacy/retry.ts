import { field, resolveGlobals, type Tx } from './context.js';
import type { LegacyTask } from './types.js';

const INTEGER = /^[+-]?\d+$/;

/** S9: why a block's `retry_count` / `retry_delay` (globals resolved) is refused, or undefined. */
export function retryProblem(tx: Tx, block: LegacyTask, key: string): string | undefined {
  const f = field(block, key);
  if (!f) return undefined;
  const text = resolveGlobals(tx, f.value).trim();
  const n = INTEGER.test(text) ? Number(text) : NaN;
  if (key === 'retry_count' && !(n >= 1 && n <= 1000))
    return `retry_count must be a whole number from 1 to 1000, got '${f.value}'`;
  if (key === 'retry_delay' && !(n >= 0))
    return `retry_delay must be a whole number of seconds ≥ 0, got '${f.value}'`;
  return undefined;
}

/**
 * S9: retry of a block's subtasks, set on the block: on with `retry_count` or `retry_failed=true`;
 * count default 1, delay default 1 s; a delay above 300 s falls back to 1 s as in TASKER.
 */
export function blockRetry(tx: Tx, block: LegacyTask): { attempts: number; delay: number } | undefined {
  const on =
    block.fields.has('retry_count') || field(block, 'retry_failed')?.value.trim().toLowerCase() === 'true';
  if (!on) return undefined;
  const read = (key: string): number | undefined => {
    const f = field(block, key);
    const text = f ? resolveGlobals(tx, f.value).trim() : '';
    return INTEGER.test(text) ? Number(text) : undefined;
  };
  const count = read('retry_count') ?? 1;
  const delay = read('retry_delay') ?? 1;
  return {
    attempts: 1 + (count >= 1 && count <= 1000 ? count : 1),
    delay: delay >= 0 && delay <= 300 ? delay : 1,
  };
}
