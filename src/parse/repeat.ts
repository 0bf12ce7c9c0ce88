import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { AstLoop, AstRetry } from '../model/ast.js';
import type { Located, Span } from '../model/span.js';
import { report, spanOf, type ParseContext } from './context.js';
import { decodeFields, type FieldTable } from './fields.js';
import { entries, items, knownEntries, reportUnknownKey, wrongType } from './nodes.js';
import { readBool, readDuration, readInt } from './scalars.js';
import { readExitCode } from './common.js';
import { readExpr } from './templates.js';

/** A record being filled in, before required fields are checked. */
type Draft<T> = { [K in keyof T]?: T[K] };

const RETRY_FIELDS: FieldTable<Draft<AstRetry>> = {
  attempts: (ctx, e, out) =>
    (out.attempts = readInt(ctx, e.value, e.keySpan, '`retry.attempts`', { min: 1 })),
  delay: (ctx, e, out) => (out.delayMs = readDuration(ctx, e.value, e.keySpan, '`retry.delay`')),
  backoff: (ctx, e, out) => (out.backoff = readBackoff(ctx, e.value, e.keySpan)),
  max_delay: (ctx, e, out) => (out.maxDelayMs = readDuration(ctx, e.value, e.keySpan, '`retry.max_delay`')),
  jitter: (ctx, e, out) => (out.jitter = readBool(ctx, e.value, e.keySpan, '`retry.jitter`')),
  on_exit: (ctx, e, out) => (out.onExit = readExitCodes(ctx, e.value, e.keySpan)),
};

/** `retry: 3` (attempts) or `retry: { attempts, delay, backoff, max_delay, jitter, on_exit }`. */
export function readRetry(ctx: ParseContext, node: Node | undefined, at: Span): AstRetry | undefined {
  if (isScalar(node) && typeof node.value === 'number') {
    const attempts = readInt(ctx, node, at, '`retry`', { min: 1 });
    return attempts && { attempts, span: spanOf(ctx, node) };
  }
  if (!isMap(node)) {
    wrongType(ctx, node, at, '`retry`', 'a number of attempts or a mapping');
    return undefined;
  }
  const out: Draft<AstRetry> = { span: spanOf(ctx, node) };
  const list = entries(ctx, node);
  for (const e of decodeFields(ctx, list, RETRY_FIELDS, out))
    reportUnknownKey(ctx, e, Object.keys(RETRY_FIELDS), '`retry`');
  if (!out.attempts) {
    if (!list.some((e) => e.key === 'attempts'))
      missing(ctx, at, '`retry`', 'attempts', 'add `attempts: 3` (total tries, including the first)');
    return undefined;
  }
  return { ...out, attempts: out.attempts, span: spanOf(ctx, node) };
}

function readBackoff(
  ctx: ParseContext,
  node: Node | undefined,
  at: Span,
): Located<'fixed' | 'exponential'> | undefined {
  if (isScalar(node) && (node.value === 'fixed' || node.value === 'exponential'))
    return { value: node.value, span: spanOf(ctx, node) };
  if (!isScalar(node) || typeof node.value !== 'string') {
    wrongType(ctx, node, at, '`retry.backoff`', 'fixed or exponential');
    return undefined;
  }
  report(
    ctx,
    'bad-value',
    spanOf(ctx, node),
    `\`retry.backoff\` must be fixed or exponential, got "${node.value.slice(0, 60)}"`,
    'write `backoff: fixed` or `backoff: exponential`',
  );
  return undefined;
}

function readExitCodes(ctx: ParseContext, node: Node | undefined, at: Span): Located<number[]> | undefined {
  const codes =
    isScalar(node) && typeof node.value === 'number' ? [node] : isSeq(node) ? items(ctx, node) : undefined;
  if (!codes || !node) {
    wrongType(ctx, node, at, '`retry.on_exit`', 'an exit code or a list of exit codes');
    return undefined;
  }
  const values = codes.map((c) => readExitCode(ctx, c, at, 'each item of `retry.on_exit`')?.value);
  return { value: values.filter((v): v is number => v !== undefined), span: spanOf(ctx, node) };
}

const LOOP_FIELDS: FieldTable<Draft<AstLoop>> = {
  max: (ctx, e, out) => (out.max = readInt(ctx, e.value, e.keySpan, '`loop.max`', { min: 1 })),
  until: (ctx, e, out) => (out.until = readExpr(ctx, e.value, e.keySpan, '`loop.until`')),
  delay: (ctx, e, out) => (out.delayMs = readDuration(ctx, e.value, e.keySpan, '`loop.delay`')),
};

/** `loop: 5` (max iterations) or `loop: { max, until, delay }`. */
export function readLoop(ctx: ParseContext, node: Node | undefined, at: Span): AstLoop | undefined {
  if (isScalar(node) && typeof node.value === 'number') {
    const max = readInt(ctx, node, at, '`loop`', { min: 1 });
    return max && { max, span: spanOf(ctx, node) };
  }
  if (!isMap(node)) {
    wrongType(ctx, node, at, '`loop`', 'a number of iterations or a mapping');
    return undefined;
  }
  const out: Draft<AstLoop> = {};
  const list = knownEntries(ctx, entries(ctx, node), Object.keys(LOOP_FIELDS), '`loop`');
  decodeFields(ctx, list, LOOP_FIELDS, out);
  if (!out.max) {
    if (!list.some((e) => e.key === 'max'))
      missing(ctx, at, '`loop`', 'max', 'add `max: 10` (the most iterations to run)');
    return undefined;
  }
  return { ...out, max: out.max, span: spanOf(ctx, node) };
}

export function missing(ctx: ParseContext, at: Span, what: string, field: string, hint: string): void {
  report(ctx, 'missing-field', at, `${what} needs \`${field}\``, hint);
}
