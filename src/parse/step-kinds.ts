import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { AstCommandKeys, AstCommon, AstStep, BlockPolicy } from '../model/ast.js';
import type { Located, Span } from '../model/span.js';
import { readCommand, emptyTemplate } from './command.js';
import { COMMAND_FIELDS } from './command-keys.js';
import { readExitCode } from './common.js';
import { report, spanOf, type ParseContext } from './context.js';
import { readDefaults } from './defaults.js';
import { decodeFields } from './fields.js';
import { entries, knownEntries, wrongType, type Entry } from './nodes.js';
import { POLICY_FORMS, parsePolicy } from './policy.js';
import { missing } from './repeat.js';
import { readBool, readInt, scalarText } from './scalars.js';
import { readExpr, readTemplate } from './templates.js';

export type StepKind = AstStep['kind'];
/** Reads a nested list of steps one level deeper (steps.ts passes itself, avoiding an import cycle). */
type StepListReader = (
  ctx: ParseContext,
  node: Node | undefined,
  at: Span,
  what: string,
  depth: number,
) => AstStep[];

export interface KindInput {
  kind: Entry;
  /** Keys this kind accepts besides the common ones (see KIND_KEYS in steps.ts). */
  extra: Entry[];
  common: AstCommon;
  depth: number;
  readList: StepListReader;
}

export const KIND_DECODERS: Readonly<Record<StepKind, (ctx: ParseContext, k: KindInput) => AstStep>> = {
  run: (ctx, k) => {
    const command = readCommand(ctx, k.kind.value, k.kind.keySpan, '`run`') ?? {
      kind: 'shell',
      script: emptyTemplate(k.kind.keySpan),
    };
    return { ...k.common, ...commandKeys(ctx, k.extra), kind: 'run', command };
  },
  copy: decodeCopy,
  parallel: decodeParallel,
  steps: (ctx, k) => {
    const steps = k.readList(ctx, k.kind.value, k.kind.keySpan, '`steps`', k.depth + 1);
    const out: AstStep = { ...k.common, kind: 'steps', steps, finally: [] };
    for (const e of k.extra) {
      if (e.key === 'defaults') out.defaults = readDefaults(ctx, e.value, e.keySpan, 'block');
      else out.finally = k.readList(ctx, e.value, e.keySpan, '`finally`', k.depth + 1);
    }
    return out;
  },
  if: (ctx, k) => {
    const condition = readExpr(ctx, k.kind.value, k.kind.keySpan, '`if`') ?? {
      source: '',
      expr: { kind: 'literal', value: false, span: k.kind.keySpan },
      span: k.kind.keySpan,
    };
    const out: AstStep = { ...k.common, kind: 'if', condition, then: [] };
    for (const e of k.extra) {
      const list = k.readList(ctx, e.value, e.keySpan, `\`${e.key}\``, k.depth + 1);
      if (e.key === 'then') out.then = list;
      else out.else = list;
    }
    if (!k.extra.some((e) => e.key === 'then'))
      missing(
        ctx,
        k.kind.keySpan,
        'an `if` step',
        'then',
        'add `then:` with the steps to run when the condition holds',
      );
    return out;
  },
  return: (ctx, k) => {
    const code = readExitCode(ctx, k.kind.value, k.kind.keySpan, '`return`') ?? {
      value: 0,
      span: k.kind.keySpan,
    };
    return { ...k.common, kind: 'return', code };
  },
};

function commandKeys(ctx: ParseContext, extra: Entry[]): AstCommandKeys {
  const out: AstCommandKeys = { env: [] };
  decodeFields(ctx, extra, COMMAND_FIELDS, out);
  const hosts = extra.find((e) => e.key === 'hosts');
  if (hosts && extra.some((e) => e.key === 'host')) {
    report(
      ctx,
      'key-not-allowed',
      hosts.keySpan,
      '`host` and `hosts` together',
      'use `host:` for one target or `hosts:` to fan out, not both',
    );
  }
  return out;
}

function decodeCopy(ctx: ParseContext, k: KindInput): AstStep {
  const at = k.kind.keySpan;
  const out: AstStep = {
    ...k.common,
    ...commandKeys(ctx, k.extra),
    kind: 'copy',
    src: emptyTemplate(at),
    dest: emptyTemplate(at),
  };
  if (!isMap(k.kind.value)) {
    wrongType(ctx, k.kind.value, at, '`copy`', 'a mapping with src and dest');
    return out;
  }
  const fields = knownEntries(ctx, entries(ctx, k.kind.value), ['src', 'dest', 'mode'], '`copy`');
  for (const e of fields) {
    if (e.key === 'mode') out.mode = readMode(ctx, e.value, e.keySpan);
    else
      out[e.key as 'src' | 'dest'] =
        readTemplate(ctx, e.value, e.keySpan, `\`copy.${e.key}\``) ?? emptyTemplate(e.keySpan);
  }
  for (const field of ['src', 'dest']) {
    if (!fields.some((e) => e.key === field)) missing(ctx, at, '`copy`', field, `add \`${field}:\` (a path)`);
  }
  return out;
}

/** File mode in octal: `0644`, `"0644"`, `644` or `0o644`. */
function readMode(ctx: ParseContext, node: Node | undefined, at: Span): Located<number> | undefined {
  if (!isScalar(node) || !['string', 'number'].includes(typeof node.value)) {
    wrongType(ctx, node, at, '`copy.mode`', 'an octal mode like "0644"');
    return undefined;
  }
  const text = scalarText(node);
  const m = /^(?:0o?)?([0-7]{3,4})$/.exec(text);
  if (!m) {
    report(
      ctx,
      'bad-value',
      spanOf(ctx, node),
      `\`copy.mode\` "${text.slice(0, 40)}" is not an octal file mode`,
      'write it as octal digits, e.g. "0644" or "0755"',
    );
    return undefined;
  }
  return { value: parseInt(m[1]!, 8), span: spanOf(ctx, node) };
}

function decodeParallel(ctx: ParseContext, k: KindInput): AstStep {
  const value = k.kind.value;
  const at = k.kind.keySpan;
  if (isSeq(value) || !isMap(value)) {
    return { ...k.common, kind: 'parallel', steps: k.readList(ctx, value, at, '`parallel`', k.depth + 1) };
  }
  const out: AstStep = { ...k.common, kind: 'parallel', steps: [] };
  const fields = knownEntries(
    ctx,
    entries(ctx, value),
    ['steps', 'max', 'success', 'fail_fast'],
    '`parallel`',
  );
  for (const e of fields) {
    if (e.key === 'steps') out.steps = k.readList(ctx, e.value, e.keySpan, '`parallel.steps`', k.depth + 1);
    else if (e.key === 'max') out.max = readInt(ctx, e.value, e.keySpan, '`parallel.max`', { min: 0 });
    else if (e.key === 'fail_fast') out.failFast = readBool(ctx, e.value, e.keySpan, '`parallel.fail_fast`');
    else out.policy = readPolicy(ctx, e.value, e.keySpan);
  }
  if (!fields.some((e) => e.key === 'steps'))
    missing(ctx, at, '`parallel`', 'steps', 'add `steps:` with the steps to run side by side');
  return out;
}

function readPolicy(ctx: ParseContext, node: Node | undefined, at: Span): Located<BlockPolicy> | undefined {
  if (!isScalar(node) || typeof node.value !== 'string') {
    wrongType(ctx, node, at, '`parallel.success`', POLICY_FORMS);
    return undefined;
  }
  const policy = parsePolicy(node.value);
  if (!policy) {
    report(
      ctx,
      'bad-policy',
      spanOf(ctx, node),
      `"${node.value.slice(0, 60)}" is not a success policy`,
      `use ${POLICY_FORMS}`,
    );
    return undefined;
  }
  return { value: policy, span: spanOf(ctx, node) };
}
