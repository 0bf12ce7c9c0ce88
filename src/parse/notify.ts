import { isScalar, isSeq, type Node } from 'yaml';
import type { AstNotify } from '../model/ast.js';
import type { Located, Span } from '../model/span.js';
import { report, spanOf, type ParseContext } from './context.js';
import { decodeFields, type FieldTable } from './fields.js';
import { asMap, items, knownEntries, wrongType } from './nodes.js';
import { readCommand } from './command.js';
import { missing } from './repeat.js';
import { readDuration } from './scalars.js';
import { readTemplate } from './templates.js';

type NotifyOn = 'failure' | 'success' | 'always';
type Draft = Partial<AstNotify>;
const EVENTS: readonly string[] = ['failure', 'success', 'always'];

const NOTIFY_FIELDS: FieldTable<Draft> = {
  on: (ctx, e, out) => (out.on = readOn(ctx, e.value, e.keySpan)),
  command: (ctx, e, out) => (out.command = readCommand(ctx, e.value, e.keySpan, '`notify.command`')),
  webhook: (ctx, e, out) => (out.webhook = readTemplate(ctx, e.value, e.keySpan, '`notify.webhook`')),
  timeout: (ctx, e, out) => (out.timeoutMs = readDuration(ctx, e.value, e.keySpan, '`notify.timeout`')),
};

/** `notify: { on, command, webhook, timeout }`: one of command/webhook is required; `on` defaults to failure. */
export function readNotify(ctx: ParseContext, node: Node | undefined, at: Span): AstNotify | undefined {
  const list = asMap(ctx, node, at, '`notify`');
  if (!list) return undefined;
  const out: Draft = {};
  const known = knownEntries(ctx, list, Object.keys(NOTIFY_FIELDS), '`notify`');
  decodeFields(ctx, known, NOTIFY_FIELDS, out);
  const has = (k: string): boolean => known.some((e) => e.key === k);
  // What an alert is for: a run that failed. `on: success` / `always` are the choices to write out.
  if (!has('on')) out.on = { value: ['failure'], span: at };
  if (!has('command') && !has('webhook'))
    missing(ctx, at, '`notify`', 'command', 'add `command:` or `webhook:`');
  if (!out.on) return undefined;
  return { ...out, on: out.on, span: spanOf(ctx, node) };
}

function readOn(ctx: ParseContext, node: Node | undefined, at: Span): Located<NotifyOn[]> | undefined {
  const list = isSeq(node) ? items(ctx, node) : [node];
  if (!node || list.length === 0) {
    wrongType(ctx, node, at, '`notify.on`', 'failure, success, always or a list of them');
    return undefined;
  }
  const out: NotifyOn[] = [];
  for (const item of list) {
    if (isScalar(item) && typeof item.value === 'string' && EVENTS.includes(item.value))
      out.push(item.value as NotifyOn);
    else if (isScalar(item) && typeof item.value === 'string')
      report(
        ctx,
        'bad-value',
        spanOf(ctx, item),
        `\`notify.on\` does not know "${item.value.slice(0, 40)}"`,
        'use failure, success or always',
      );
    else wrongType(ctx, item, at, '`notify.on`', 'failure, success or always');
  }
  return out.length > 0 ? { value: out, span: spanOf(ctx, node) } : undefined;
}
