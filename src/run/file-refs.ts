import type { Plan } from '../model/plan.js';

const FILE_FIELDS: ReadonlySet<unknown> = new Set(['stdout_file', 'stderr_file']);

/**
 * Whether any expression of the plan reads a step's `stdout_file`/`stderr_file` (a ref path or an
 * index string). Then every output file is created even when its stream stays empty, so the path a
 * later command gets always names a file; otherwise a stream that prints nothing leaves no file.
 */
export function readsOutputFiles(plan: Plan): boolean {
  const stack: unknown[] = [plan.root, plan.vars, plan.notify];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    if (isFileRef(value)) return true;
    for (const child of Object.values(value)) if (typeof child === 'object') stack.push(child);
  }
  return false;
}

function isFileRef(value: object): boolean {
  if (!('kind' in value)) return false;
  if (value.kind === 'ref' && 'path' in value && Array.isArray(value.path))
    return value.path.some((p) => FILE_FIELDS.has(p));
  return value.kind === 'literal' && 'value' in value && FILE_FIELDS.has(value.value);
}
