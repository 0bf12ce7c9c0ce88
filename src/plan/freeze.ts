/**
 * A frozen deep copy of a plain data tree (objects, arrays, scalars; no cycles, as a Plan is JSON).
 * One pass copies and freezes: the Plan must not share the caller's AST, and structuredClone plus a
 * separate freeze walk cost twice as much on big workflows.
 */
export function frozenCopy<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return Object.freeze(value.map((v: unknown) => frozenCopy(v))) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = frozenCopy(v);
  return Object.freeze(out) as T;
}
