import { isMap, isScalar, type Node } from 'yaml';
import type { Workflow } from '../model/ast.js';
import type { Span } from '../model/span.js';
import { report, spanAt, spanOf, type ParseContext } from './context.js';
import { readDefaults } from './defaults.js';
import { decodeFields, type FieldTable } from './fields.js';
import { readGroups, readHosts } from './hosts.js';
import { describe, entries, knownEntries } from './nodes.js';
import { readNotify } from './notify.js';
import { readString } from './scalars.js';
import { readStepList } from './steps.js';
import { readExitCodes } from './exit-codes.js';
import { readSecrets, readVars } from './vars.js';

const TOP_FIELDS: FieldTable<Workflow> = {
  version: (ctx, e, out) => readVersion(ctx, e.value, e.keySpan, out),
  name: (ctx, e, out) => (out.name = readString(ctx, e.value, e.keySpan, '`name`', true)),
  description: (ctx, e, out) =>
    (out.description = readString(ctx, e.value, e.keySpan, '`description`', true)),
  vars: (ctx, e, out) => (out.vars = readVars(ctx, e.value, e.keySpan)),
  secrets: (ctx, e, out) => (out.secrets = readSecrets(ctx, e.value, e.keySpan)),
  hosts: (ctx, e, out) => (out.hosts = readHosts(ctx, e.value, e.keySpan)),
  groups: (ctx, e, out) => (out.groups = readGroups(ctx, e.value, e.keySpan)),
  inventory: (ctx, e, out) => (out.inventory = readString(ctx, e.value, e.keySpan, '`inventory`')),
  defaults: (ctx, e, out) => (out.defaults = readDefaults(ctx, e.value, e.keySpan)),
  steps: (ctx, e, out) => (out.steps = readStepList(ctx, e.value, e.keySpan, '`steps`', 1)),
  finally: (ctx, e, out) => (out.finally = readStepList(ctx, e.value, e.keySpan, '`finally`', 1)),
  notify: (ctx, e, out) => (out.notify = readNotify(ctx, e.value, e.keySpan)),
  exit_codes: (ctx, e, out) => (out.exitCodes = readExitCodes(ctx, e.value, e.keySpan)),
};

/** The top-level mapping; undefined (with a diagnostic) when the document is not a mapping. */
export function readWorkflow(ctx: ParseContext): Workflow | undefined {
  const root = ctx.doc.contents;
  const docSpan = spanAt(ctx, 0, ctx.text.length);
  if (!isMap(root)) {
    const empty = root === null || (isScalar(root) && root.value === null);
    const msg = empty ? 'the workflow file is empty' : `a workflow must be a mapping, got ${describe(root)}`;
    report(
      ctx,
      empty ? 'missing-field' : 'wrong-type',
      empty ? docSpan : spanOf(ctx, root),
      msg,
      'start the file with `version: 1` and `steps:`',
    );
    return undefined;
  }
  const start: Span = { ...docSpan, endLine: docSpan.line, endCol: docSpan.col };
  const out: Workflow = {
    file: ctx.file,
    version: { value: 1, span: start },
    vars: [],
    secrets: [],
    hosts: [],
    groups: [],
    steps: [],
    finally: [],
    span: spanOf(ctx, root),
  };
  // `x-` keys are free for anchors and tooling, as in Compose files.
  const own = entries(ctx, root).filter((e) => !e.key.startsWith('x-'));
  const list = knownEntries(ctx, own, Object.keys(TOP_FIELDS), 'the workflow');
  decodeFields(ctx, list, TOP_FIELDS, out);
  const has = (k: string): boolean => list.some((e) => e.key === k);
  if (!has('version'))
    report(ctx, 'missing-field', start, 'the workflow needs `version`', 'add `version: 1` as the first line');
  if (!has('steps'))
    report(ctx, 'missing-field', start, 'the workflow needs `steps`', 'add `steps:` with at least one step');
  return out;
}

function readVersion(ctx: ParseContext, node: Node | undefined, at: Span, out: Workflow): void {
  const span = node ? spanOf(ctx, node) : at;
  if (isScalar(node) && node.value === 1) {
    out.version = { value: 1, span };
    return;
  }
  const got = isScalar(node) ? String(node.value) : describe(node);
  report(
    ctx,
    'bad-version',
    span,
    `unsupported workflow version ${got.slice(0, 40)}`,
    'this tasker reads `version: 1`',
  );
}
