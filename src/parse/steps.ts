import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { AstCommon, AstStep } from '../model/ast.js';
import type { Span } from '../model/span.js';
import { COMMAND_KEYS, COPY_KEYS } from './command-keys.js';
import { COMMON_FIELDS, COMMON_KEYS } from './common.js';
import { MAX_STEP_DEPTH, report, spanOf, type ParseContext } from './context.js';
import { decodeFields } from './fields.js';
import { entries, items, reportUnknownKey, wrongType, type Entry } from './nodes.js';
import { KIND_DECODERS, type StepKind } from './step-kinds.js';
import { readScript } from './templates.js';

/** The keys that choose a step's kind; `return` is a kind only when alone. */
const KIND_KEYS = ['run', 'copy', 'parallel', 'steps', 'if'] as const;
type KeyedKind = (typeof KIND_KEYS)[number];

/** Keys a kind accepts besides the common ones. */
const KIND_EXTRA: Readonly<Record<StepKind, readonly string[]>> = {
  run: COMMAND_KEYS,
  copy: COPY_KEYS,
  parallel: [],
  steps: ['defaults', 'finally'],
  if: ['then', 'else'],
  return: [],
};

/** Where a misplaced key belongs, for `key-not-allowed` hints. */
const PLACEMENT: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    COMMAND_KEYS.map((k) => [
      k,
      `\`${k}\` applies only to \`run\` and \`copy\` steps; set it on the commands inside the block`,
    ]),
  ),
  defaults: '`defaults` belongs on a `steps:` block or at the top level',
  finally: '`finally` belongs on a `steps:` block or at the top level',
  then: '`then` belongs to an `if` step',
  else: '`else` belongs to an `if` step',
  max: 'write the limit inside the block: `parallel: { max: 4, steps: [...] }`',
  fail_fast: 'write it inside the block: `parallel: { fail_fast: true, steps: [...] }`',
};
const ALL_KEYS: readonly string[] = [...new Set([...KIND_KEYS, ...COMMON_KEYS, ...Object.keys(PLACEMENT)])];

/** A list of steps; every step list must hold at least one step. */
export function readStepList(
  ctx: ParseContext,
  node: Node | undefined,
  at: Span,
  what: string,
  depth: number,
): AstStep[] {
  if (!isSeq(node)) {
    wrongType(ctx, node, at, what, 'a list of steps');
    return [];
  }
  if (depth > MAX_STEP_DEPTH) {
    report(
      ctx,
      'too-deep',
      at,
      `steps are nested more than ${MAX_STEP_DEPTH} blocks deep`,
      'flatten the blocks',
    );
    return [];
  }
  const list = items(ctx, node);
  if (list.length === 0)
    report(ctx, 'empty-block', at, `${what} has no steps`, 'add at least one step, or remove the key');
  return list.flatMap((item) => readStep(ctx, item, depth) ?? []);
}

function readStep(ctx: ParseContext, node: Node, depth: number): AstStep | undefined {
  const span = spanOf(ctx, node);
  if (isScalar(node) && typeof node.value === 'string') {
    // `- echo hi` is shorthand for `- run: echo hi`.
    const script = readScript(ctx, node, span, 'a step');
    return script && { kind: 'run', command: { kind: 'shell', script }, env: [], span, keySpan: span };
  }
  if (!isMap(node)) {
    wrongType(ctx, node, span, 'a step', 'a mapping or a command string');
    return undefined;
  }
  const list = entries(ctx, node);
  const kind = chooseKind(ctx, list, span);
  const common: AstCommon = { span, keySpan: kind?.entry.keySpan ?? span };
  const isReturn = kind?.kind === 'return';
  const rest = decodeFields(
    ctx,
    list.filter((e) => !(isReturn && e.key === 'return')),
    COMMON_FIELDS,
    common,
  );
  const extra = sortKeys(ctx, rest, kind?.kind);
  if (!kind) return undefined;
  return KIND_DECODERS[kind.kind](ctx, { kind: kind.entry, extra, common, depth, readList: readStepList });
}

function chooseKind(
  ctx: ParseContext,
  list: Entry[],
  span: Span,
): { kind: StepKind; entry: Entry } | undefined {
  // A repeated key is already a `duplicate-key`; count each kind key once.
  const kinds = list.filter(
    (e, i) =>
      (KIND_KEYS as readonly string[]).includes(e.key) && list.findIndex((o) => o.key === e.key) === i,
  );
  for (const extra of kinds.slice(1)) {
    report(
      ctx,
      'multiple-kinds',
      extra.keySpan,
      `a step has one kind, but this one also has \`${kinds[0]!.key}\``,
      `split \`${extra.key}\` into its own step`,
    );
  }
  if (kinds[0]) return { kind: kinds[0].key as KeyedKind, entry: kinds[0] };
  const ret = list.find((e) => e.key === 'return');
  if (ret) return { kind: 'return', entry: ret };
  report(
    ctx,
    'no-kind',
    span,
    'this step has no kind key',
    'add one of run, copy, parallel, steps, if or return',
  );
  return undefined;
}

/** Keeps the keys the kind accepts; reports the rest as misplaced or unknown. */
function sortKeys(ctx: ParseContext, rest: Entry[], kind: StepKind | undefined): Entry[] {
  const allowed = kind ? KIND_EXTRA[kind] : ALL_KEYS;
  return rest.filter((e) => {
    if ((KIND_KEYS as readonly string[]).includes(e.key)) return false;
    if (allowed.includes(e.key)) return true;
    const place =
      kind === 'copy' && (COMMAND_KEYS as readonly string[]).includes(e.key)
        ? `a \`copy\` step takes only ${COPY_KEYS.join(', ')}; \`${e.key}\` applies to \`run\` steps`
        : PLACEMENT[e.key];
    if (place !== undefined)
      report(
        ctx,
        'key-not-allowed',
        e.keySpan,
        `\`${e.key}\` is not allowed on a \`${kind ?? 'step'}\` step`,
        place,
      );
    else reportUnknownKey(ctx, e, ALL_KEYS, 'a step');
    return false;
  });
}
