import { isScalar, type Node } from 'yaml';
import type { ExitCodePolicy } from '../model/ast.js';
import type { Located, Span } from '../model/span.js';
import { report, spanOf, type ParseContext } from './context.js';
import { asMap, knownEntries } from './nodes.js';
import { readInt } from './scalars.js';

const KEYS = ['failed', 'timed_out'] as const;
const CODE = { min: 0, max: 255, code: 'bad-exit-code' } as const;

/** `exit_codes: { failed: step | N, timed_out: N }`: how an unhandled failure becomes the exit code. */
export function readExitCodes(
  ctx: ParseContext,
  node: Node | undefined,
  at: Span,
): Located<ExitCodePolicy> | undefined {
  const list = asMap(ctx, node, at, '`exit_codes`');
  if (!list) return undefined;
  const policy: ExitCodePolicy = {};
  for (const e of knownEntries(ctx, list, KEYS, '`exit_codes`')) {
    if (e.key === 'timed_out') {
      const n = readInt(ctx, e.value, e.keySpan, '`exit_codes.timed_out`', CODE);
      if (n) policy.timedOut = n.value;
      continue;
    }
    if (isScalar(e.value) && e.value.value === 'step') {
      policy.failed = 'step';
      continue;
    }
    if (isScalar(e.value) && typeof e.value.value === 'string') {
      const msg = `\`exit_codes.failed\` must be \`step\` or an exit code, got "${e.value.value.slice(0, 40)}"`;
      report(ctx, 'bad-value', spanOf(ctx, e.value), msg, 'write `failed: step` or `failed: 1`');
      continue;
    }
    const n = readInt(ctx, e.value, e.keySpan, '`exit_codes.failed`', CODE);
    if (n) policy.failed = n.value;
  }
  return { value: policy, span: node ? spanOf(ctx, node) : at };
}
