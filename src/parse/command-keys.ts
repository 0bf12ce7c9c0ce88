import { isScalar, type Node } from 'yaml';
import type { AstCommandKeys, AstHostsSelector } from '../model/ast.js';
import type { Located, Span } from '../model/span.js';
import { spanOf, type ParseContext } from './context.js';
import { readEnv } from './env.js';
import type { FieldTable } from './fields.js';
import { wrongType } from './nodes.js';
import { readRetry, readLoop } from './repeat.js';
import { readBool, readInt, readNames, readString } from './scalars.js';
import { readExpr, readTemplate } from './templates.js';

/** Keys that only commands (`run`, `copy`) accept. */
export const COMMAND_KEYS = [
  'host',
  'hosts',
  'retry',
  'loop',
  'success',
  'failure',
  'env',
  'cwd',
  'stdin',
  'pty',
  'sudo',
  'sudo_password',
  'max_parallel',
  'max_failed',
] as const;

/** The command keys a `copy` step honours; the rest (loop, success, env, …) have no meaning for a transfer. */
export const COPY_KEYS = ['host', 'hosts', 'retry', 'max_parallel', 'max_failed'] as const;

export const COMMAND_FIELDS: FieldTable<AstCommandKeys> = {
  host: (ctx, e, out) => (out.host = readString(ctx, e.value, e.keySpan, '`host`')),
  hosts: (ctx, e, out) => (out.hosts = readHosts(ctx, e.value, e.keySpan)),
  retry: (ctx, e, out) => (out.retry = readRetry(ctx, e.value, e.keySpan)),
  loop: (ctx, e, out) => (out.loop = readLoop(ctx, e.value, e.keySpan)),
  success: (ctx, e, out) => (out.success = readExpr(ctx, e.value, e.keySpan, '`success`')),
  failure: (ctx, e, out) => (out.failure = readExpr(ctx, e.value, e.keySpan, '`failure`')),
  env: (ctx, e, out) => (out.env = readEnv(ctx, e.value, e.keySpan, '`env`')),
  cwd: (ctx, e, out) => (out.cwd = readTemplate(ctx, e.value, e.keySpan, '`cwd`')),
  stdin: (ctx, e, out) => (out.stdin = readTemplate(ctx, e.value, e.keySpan, '`stdin`')),
  pty: (ctx, e, out) => (out.pty = readBool(ctx, e.value, e.keySpan, '`pty`')),
  sudo: (ctx, e, out) => (out.sudo = readSudo(ctx, e.value, e.keySpan)),
  sudo_password: (ctx, e, out) => (out.sudoPassword = readString(ctx, e.value, e.keySpan, '`sudo_password`')),
  max_parallel: (ctx, e, out) =>
    (out.maxParallel = readInt(ctx, e.value, e.keySpan, '`max_parallel`', { min: 0 })),
  max_failed: (ctx, e, out) => (out.maxFailed = readInt(ctx, e.value, e.keySpan, '`max_failed`', { min: 0 })),
};

function readHosts(ctx: ParseContext, node: Node | undefined, at: Span): AstHostsSelector | undefined {
  const items = readNames(ctx, node, at, '`hosts`');
  return items && node ? { items, span: spanOf(ctx, node) } : undefined;
}

/** `sudo: true` (root), `sudo: <user>`, or `sudo: false` (same as leaving it out). */
function readSudo(ctx: ParseContext, node: Node | undefined, at: Span): Located<string | true> | undefined {
  if (isScalar(node) && node.value === false) return undefined;
  if (isScalar(node) && node.value === true) return { value: true, span: spanOf(ctx, node) };
  if (isScalar(node) && typeof node.value === 'string' && node.value !== '')
    return { value: node.value, span: spanOf(ctx, node) };
  wrongType(ctx, node, at, '`sudo`', 'true, false or a user name');
  return undefined;
}
