import type { AstCommon } from '../model/ast.js';
import type { Located } from '../model/span.js';
import type { Node } from 'yaml';
import type { Span } from '../model/span.js';
import { report, type ParseContext } from './context.js';
import type { FieldTable } from './fields.js';
import { readBool, readDuration, readInt, readNames, readString } from './scalars.js';
import { readExpr } from './templates.js';

const ID = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Keys every step kind accepts. */
export const COMMON_KEYS = [
  'id',
  'name',
  'when',
  'timeout',
  'continue_on_error',
  'on_success',
  'on_failure',
  'return',
  'failure_exit',
  'sleep',
  'needs',
] as const;

function readId(
  ctx: ParseContext,
  node: Node | undefined,
  at: Span,
  what: string,
): Located<string> | undefined {
  const s = readString(ctx, node, at, what);
  if (!s || ID.test(s.value)) return s;
  const msg = `${what} "${s.value.slice(0, 60)}" is not a valid id`;
  report(ctx, 'bad-id', s.span, msg, 'start with a letter or _, then letters, digits, _ or -');
  return undefined;
}

export function readExitCode(
  ctx: ParseContext,
  node: Node | undefined,
  at: Span,
  what: string,
): Located<number> | undefined {
  return readInt(ctx, node, at, what, { min: 0, max: 255, code: 'bad-exit-code' });
}

/** `return` is the kind of a lone return step; on any other kind it is `returnCode` (see steps.ts). */
export const COMMON_FIELDS: FieldTable<AstCommon> = {
  id: (ctx, e, out) => (out.id = readId(ctx, e.value, e.keySpan, '`id`')),
  name: (ctx, e, out) => (out.name = readString(ctx, e.value, e.keySpan, '`name`', true)),
  when: (ctx, e, out) => (out.when = readExpr(ctx, e.value, e.keySpan, '`when`')),
  timeout: (ctx, e, out) => (out.timeoutMs = readDuration(ctx, e.value, e.keySpan, '`timeout`')),
  continue_on_error: (ctx, e, out) =>
    (out.continueOnError = readBool(ctx, e.value, e.keySpan, '`continue_on_error`')),
  on_success: (ctx, e, out) => (out.onSuccess = readString(ctx, e.value, e.keySpan, '`on_success`')),
  on_failure: (ctx, e, out) => (out.onFailure = readString(ctx, e.value, e.keySpan, '`on_failure`')),
  return: (ctx, e, out) => (out.returnCode = readExitCode(ctx, e.value, e.keySpan, '`return`')),
  failure_exit: (ctx, e, out) => (out.failureExit = readExitCode(ctx, e.value, e.keySpan, '`failure_exit`')),
  sleep: (ctx, e, out) => (out.sleepMs = readDuration(ctx, e.value, e.keySpan, '`sleep`')),
  needs: (ctx, e, out) => (out.needs = readNames(ctx, e.value, e.keySpan, '`needs`')),
};
