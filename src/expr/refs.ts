import type { EvalContext, Expr, StepView, Template, Value } from '../model/expr.js';
import type { Span } from '../model/span.js';
import { refText } from './format.js';

/** Names an expression may start with. */
export const ROOTS: readonly string[] = [
  'exit',
  'stdout',
  'stderr',
  'success',
  'duration',
  'status',
  'steps',
  'vars',
  'env',
  'host',
  'iteration',
];

/** What an expression reads of the step being judged (`success`, `failure`, `loop.until`). */
export const CURRENT_FIELDS = ['exit', 'stdout', 'stderr', 'success', 'duration', 'status'] as const;
/** The fields of `steps.<id>` (StepView), besides `hosts.<host>.<field>` on fan-out steps. */
export const STEP_FIELDS = [
  'exit',
  'stdout',
  'stderr',
  'success',
  'status',
  'stdout_file',
  'stderr_file',
  'stdout_bytes',
  'stderr_bytes',
  'duration',
] as const;
const HOST_FIELDS = ['name', 'address', 'user', 'port'] as const;

export type Ref = { root: string; path: readonly string[]; span: Span };

/**
 * `missing`: the name is valid but has no value here, which `??` and `default()` turn into a fallback.
 * `unknown`: a dry run cannot know the value (a step that did not really run); `value` is a placeholder.
 */
export type Lookup =
  { ok: true; value: Value; unknown?: true } | { ok: false; message: string; missing: boolean };

const found = (value: Value): Lookup => ({ ok: true, value });
const unknownRef = (name: string): Lookup => ({ ok: true, value: `<${name}>`, unknown: true });
/** What a dry run knows of a step that did not really run: where its output would go. */
const KNOWN_WHEN_DRY: readonly string[] = ['stdout_file', 'stderr_file'];
const missing = (message: string): Lookup => ({ ok: false, message, missing: true });
const invalid = (message: string): Lookup => ({ ok: false, message, missing: false });

function oneOf<T extends string>(list: readonly T[], key: string | undefined): key is T {
  return list.some((k) => k === key);
}

/** Reads a reference from the context. */
export function lookupRef(root: string, path: readonly string[], ctx: EvalContext): Lookup {
  const name = refText(root, path);
  if (oneOf(CURRENT_FIELDS, root)) {
    if (path.length > 0) return invalid(`\`${root}\` has no fields; write \`${root}\``);
    if (!ctx.current)
      return missing(`\`${root}\` is only set in success, failure and loop.until of a command`);
    return ctx.current.unknown ? unknownRef(name) : found(ctx.current[root]);
  }
  switch (root) {
    case 'steps':
      return lookupStep(path, ctx, name);
    case 'vars':
      if (path.length === 1 && ctx.unknownVars?.has(path[0] ?? '')) return unknownRef(name);
      return lookupLeaf(path, ctx.vars, name, 'vars.NAME', 'define it under `vars:` or pass --var');
    case 'env':
      return lookupLeaf(path, ctx.env, name, 'env.NAME', 'set it in the environment');
    case 'host':
      return lookupHost(path, ctx, name);
    case 'iteration':
      if (path.length > 0) return invalid('`iteration` has no fields');
      return ctx.iteration === undefined
        ? missing('`iteration` is only set inside a `loop`')
        : found(ctx.iteration);
    default:
      return invalid(`unknown reference \`${name}\`; references start with ${ROOTS.join(', ')}`);
  }
}

function lookupLeaf(
  path: readonly string[],
  table: Readonly<Record<string, Value | undefined>>,
  name: string,
  shape: string,
  fix: string,
): Lookup {
  const [key, ...rest] = path;
  if (key === undefined || rest.length > 0)
    return invalid(`\`${name}\` is not a reference; write \`${shape}\``);
  const value = Object.hasOwn(table, key) ? table[key] : undefined;
  if (value === undefined)
    return missing(`\`${name}\` is not set; ${fix}, or write \`${name} ?? 'fallback'\``);
  return found(value);
}

function lookupStep(path: readonly string[], ctx: EvalContext, name: string): Lookup {
  const [id, ...rest] = path;
  if (id === undefined) return invalid('`steps` needs a step id and a field: `steps.ID.exit`');
  const view = Object.hasOwn(ctx.steps, id) ? ctx.steps[id] : undefined;
  if (rest[0] === 'hosts') return lookupStepHost(view, rest.slice(1), name, `steps.${id}`);
  if (!view)
    return missing(
      `step \`${id}\` has no result yet (it was skipped or has not run); write \`${name} ?? …\``,
    );
  return stepField(view, rest, name);
}

type StepField = (typeof STEP_FIELDS)[number];

function badField(name: string): Lookup {
  return invalid(`\`${name}\` is not a step field; fields are ${STEP_FIELDS.join(', ')}, hosts.HOST.FIELD`);
}

function fieldOf(rest: readonly string[]): StepField | undefined {
  const [field, ...extra] = rest;
  return oneOf(STEP_FIELDS, field) && extra.length === 0 ? field : undefined;
}

function stepField(view: StepView, rest: readonly string[], name: string): Lookup {
  const field = fieldOf(rest);
  if (field === undefined) return badField(name);
  return view.unknown && !KNOWN_WHEN_DRY.includes(field) ? unknownRef(name) : found(view[field]);
}

function lookupStepHost(
  view: StepView | undefined,
  rest: readonly string[],
  name: string,
  step: string,
): Lookup {
  const [host, ...fieldPath] = rest;
  if (host === undefined || fieldPath.length === 0) {
    return invalid(`write \`${step}.hosts.HOST.FIELD\`, e.g. \`${step}.hosts.web1.exit\``);
  }
  const field = fieldOf(fieldPath);
  if (field === undefined) return badField(name);
  const hostView = view?.hosts && Object.hasOwn(view.hosts, host) ? view.hosts[host] : undefined;
  if (!hostView) return missing(`\`${name}\` has no result: host \`${host}\` did not run in ${step}`);
  return hostView.unknown && !KNOWN_WHEN_DRY.includes(field) ? unknownRef(name) : found(hostView[field]);
}

function lookupHost(path: readonly string[], ctx: EvalContext, name: string): Lookup {
  const [field, ...extra] = path;
  if (!oneOf(HOST_FIELDS, field) || extra.length > 0)
    return invalid(`\`${name}\` is not a host field; fields are ${HOST_FIELDS.join(', ')}`);
  if (!ctx.host) return missing(`\`${name}\` is only set on a remote host`);
  const value = ctx.host[field];
  return value === undefined ? missing(`\`${name}\` is not set for host \`${ctx.host.name}\``) : found(value);
}

/** Every `ref` node, in source order, for plan checks. */
export function collectRefs(x: Expr | Template): Ref[] {
  const out: Ref[] = [];
  const walk = (e: Expr): void => {
    switch (e.kind) {
      case 'literal':
      case 'regex':
        return;
      case 'ref':
        out.push({ root: e.root, path: e.path, span: e.span });
        return;
      case 'unary':
        return walk(e.operand);
      case 'binary':
        walk(e.left);
        return walk(e.right);
      case 'call':
        return e.args.forEach(walk);
      case 'index':
        walk(e.target);
        return walk(e.index);
    }
  };
  if ('parts' in x) for (const p of x.parts) if (p.kind === 'expr') walk(p.expr);
  if (!('parts' in x)) walk(x);
  return out;
}
