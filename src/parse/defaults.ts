import type { Node } from 'yaml';
import type { AstDefaults } from '../model/ast.js';
import type { Span } from '../model/span.js';
import { report, spanOf, type ParseContext } from './context.js';
import { readEnv } from './env.js';
import { decodeFields, type FieldTable } from './fields.js';
import { asMap, knownEntries } from './nodes.js';
import { readRetry } from './repeat.js';
import { readBool, readDuration, readInt, readString } from './scalars.js';
import { readTemplate } from './templates.js';

const DEFAULTS_FIELDS: FieldTable<AstDefaults> = {
  timeout: (ctx, e, out) => (out.timeoutMs = readDuration(ctx, e.value, e.keySpan, '`defaults.timeout`')),
  connect_timeout: (ctx, e, out) =>
    (out.connectTimeoutMs = readDuration(ctx, e.value, e.keySpan, '`defaults.connect_timeout`')),
  retry: (ctx, e, out) => (out.retry = readRetry(ctx, e.value, e.keySpan)),
  env: (ctx, e, out) => (out.env = readEnv(ctx, e.value, e.keySpan, '`defaults.env`')),
  cwd: (ctx, e, out) => (out.cwd = readTemplate(ctx, e.value, e.keySpan, '`defaults.cwd`')),
  host: (ctx, e, out) => (out.host = readString(ctx, e.value, e.keySpan, '`defaults.host`')),
  max_parallel: (ctx, e, out) =>
    (out.maxParallel = readInt(ctx, e.value, e.keySpan, '`defaults.max_parallel`', { min: 0 })),
  continue_on_error: (ctx, e, out) =>
    (out.continueOnError = readBool(ctx, e.value, e.keySpan, '`defaults.continue_on_error`')),
  sudo_password: (ctx, e, out) =>
    (out.sudoPassword = readString(ctx, e.value, e.keySpan, '`defaults.sudo_password`')),
};

/**
 * `defaults:` at the top level or on a `steps:` block. `connect_timeout` belongs to the top level only:
 * a connection is per host and shared by every block, so a block cannot have its own.
 */
export function readDefaults(
  ctx: ParseContext,
  node: Node | undefined,
  at: Span,
  where: 'workflow' | 'block' = 'workflow',
): AstDefaults | undefined {
  const list = asMap(ctx, node, at, '`defaults`');
  if (!list) return undefined;
  const out: AstDefaults = { env: [], span: spanOf(ctx, node) };
  const known = knownEntries(ctx, list, Object.keys(DEFAULTS_FIELDS), '`defaults`');
  const kept = known.filter((e) => {
    if (where === 'workflow' || e.key !== 'connect_timeout') return true;
    report(
      ctx,
      'key-not-allowed',
      e.keySpan,
      "`connect_timeout` is not allowed in a block's `defaults`",
      'connections are per host and shared by the whole run: set it in the top-level `defaults`',
    );
    return false;
  });
  decodeFields(ctx, kept, DEFAULTS_FIELDS, out);
  return out;
}
