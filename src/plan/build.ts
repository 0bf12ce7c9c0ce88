import type { AstCommandKeys, AstStep } from '../model/ast.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { CommandSpec, CopySpec, PlanCommon, PlanNode, Target } from '../model/plan.js';
import type { Located, Span } from '../model/span.js';
import { didYouMean } from '../expr/index.js';
import { mergeEnv, retryPolicy, applyDefaults, type Inherited } from './defaults.js';
import type { StepIndex, StepInfo } from './ids.js';
import { planError } from './diagnostics.js';
import { resolveHost, resolveItems, type HostCatalog } from './targets.js';

export interface BuildContext {
  index: StepIndex;
  catalog: HostCatalog;
  /** Host names `--limit` allows; undefined = all. */
  allowed?: ReadonlySet<string>;
  /** Names listed in `secrets:`; `sudo_password` must name one of them. */
  secrets: ReadonlySet<string>;
  diagnostics: Diagnostic[];
}

type CommandStep = Extract<AstStep, { kind: 'run' | 'copy' }>;
type LeafNode = Extract<PlanNode, { kind: 'command' | 'copy' }>;

export function buildList(steps: readonly AstStep[], inherited: Inherited, ctx: BuildContext): PlanNode[] {
  return steps.map((step) => buildStep(step, inherited, ctx));
}

function infoOf(step: AstStep, ctx: BuildContext): StepInfo {
  const info = ctx.index.byAst.get(step);
  if (!info) throw new Error('internal: step missing from the id index');
  return info;
}

function common(info: StepInfo, timeoutMs: number | null, continueOnError: boolean): PlanCommon {
  const s = info.step;
  const c: PlanCommon = {
    id: info.id,
    name: s.name?.value ?? (info.explicitId ? info.id : placeLabel(info)),
    explicitId: info.explicitId,
    span: s.span,
    timeoutMs,
    continueOnError,
    sleepMs: s.sleepMs?.value ?? 0,
    needs: (s.needs ?? []).map((n) => n.value),
  };
  if (s.when) c.when = s.when.expr;
  if (s.onSuccess) c.onSuccess = s.onSuccess.value;
  if (s.onFailure) c.onFailure = s.onFailure.value;
  if (s.returnCode) c.returnCode = s.returnCode.value;
  if (s.failureExit) c.failureExit = s.failureExit.value;
  return c;
}

function blockCommon(info: StepInfo): PlanCommon {
  return common(info, info.step.timeoutMs?.value ?? null, info.step.continueOnError?.value ?? false);
}

function buildStep(step: AstStep, inherited: Inherited, ctx: BuildContext): PlanNode {
  const info = infoOf(step, ctx);
  switch (step.kind) {
    case 'run':
    case 'copy':
      return buildCommand(step, info, inherited, ctx);
    case 'return':
      return { ...blockCommon(info), kind: 'return', code: step.code.value };
    case 'parallel':
      return {
        ...blockCommon(info),
        kind: 'parallel',
        children: buildList(step.steps, inherited, ctx),
        max: step.max?.value ?? 0,
        policy: step.policy?.value ?? { kind: 'all' },
        failFast: step.failFast?.value ?? false,
      };
    case 'steps': {
      checkSudoSecret(ctx, step.defaults?.sudoPassword, '`defaults.sudo_password`');
      const inner = applyDefaults(inherited, step.defaults);
      const children = buildList(step.steps, inner, ctx);
      return {
        ...blockCommon(info),
        kind: 'sequence',
        children,
        finally: buildList(step.finally, inner, ctx),
      };
    }
    case 'if': {
      const node: PlanNode = {
        ...blockCommon(info),
        kind: 'branch',
        condition: step.condition.expr,
        then: branchArm(info, 'then', buildList(step.then, inherited, ctx)),
      };
      if (step.else) node.else = branchArm(info, 'else', buildList(step.else, inherited, ctx));
      return node;
    }
  }
}

// An arm of an `if` is a plain sequence with a synthetic id (`steps.3.then`), never referenced by users.
function branchArm(info: StepInfo, arm: 'then' | 'else', children: PlanNode[]): PlanNode {
  const name = `${info.step.name?.value ?? (info.explicitId ? info.id : placeLabel(info))} ${arm}`;
  return implicitSequence(`${info.pathId}.${arm}`, name, info.step.span, children, []);
}

/** A sequence the file implies but does not write (the workflow root, an `if` arm): no routing of its own. */
export function implicitSequence(
  id: string,
  name: string,
  span: Span,
  children: PlanNode[],
  finallyNodes: PlanNode[],
): PlanNode & { kind: 'sequence' } {
  return {
    id,
    name,
    explicitId: false,
    span,
    timeoutMs: null,
    continueOnError: false,
    sleepMs: 0,
    needs: [],
    kind: 'sequence',
    children,
    finally: finallyNodes,
  };
}

function leaf(step: CommandStep, c: PlanCommon, target: Target, inherited: Inherited): LeafNode {
  if (step.kind === 'copy') {
    const spec: CopySpec = { src: step.src, dest: step.dest, retry: retryPolicy(inherited, step.retry) };
    if (step.mode) spec.mode = step.mode.value;
    return { ...c, kind: 'copy', target, spec };
  }
  return { ...c, kind: 'command', target, spec: commandSpec(step, step.command, inherited) };
}

function commandSpec(
  step: AstCommandKeys,
  command: CommandSpec['command'],
  inherited: Inherited,
): CommandSpec {
  const spec: CommandSpec = {
    command,
    env: mergeEnv(inherited.env, step.env),
    pty: step.pty?.value ?? false,
    retry: retryPolicy(inherited, step.retry),
  };
  const cwd = step.cwd ?? inherited.cwd;
  if (cwd) spec.cwd = cwd;
  if (step.stdin) spec.stdin = step.stdin;
  if (step.sudo) spec.sudo = step.sudo.value === true ? 'root' : step.sudo.value;
  const sudoPassword = step.sudoPassword ?? inherited.sudoPassword;
  if (spec.sudo !== undefined && sudoPassword) spec.sudoPasswordSecret = sudoPassword.value;
  if (step.success) spec.success = step.success.expr;
  if (step.failure) spec.failure = step.failure.expr;
  if (step.loop) {
    spec.loop = { max: step.loop.max.value, delayMs: step.loop.delayMs?.value ?? 0 };
    if (step.loop.until) spec.loop.until = step.loop.until.expr;
  }
  return spec;
}

/** `sudo_password` names a secret: its value is read at run time and masked like every secret. */
export function checkSudoSecret(ctx: BuildContext, name: Located<string> | undefined, what: string): void {
  if (!name || ctx.secrets.has(name.value)) return;
  ctx.diagnostics.push(
    planError(
      'unknown-secret',
      `${what} names "${name.value}", which is not listed in \`secrets\``,
      name.span,
      didYouMean(
        name.value,
        ctx.secrets,
        `add it to \`secrets: [${name.value}]\` and export it when running`,
      ),
    ),
  );
}

function buildCommand(step: CommandStep, info: StepInfo, inherited: Inherited, ctx: BuildContext): PlanNode {
  if (step.kind === 'run') checkSudoSecret(ctx, step.sudoPassword, '`sudo_password`');
  const c = common(
    info,
    step.timeoutMs?.value ?? inherited.timeoutMs,
    step.continueOnError?.value ?? inherited.continueOnError,
  );
  if (step.hosts) {
    const resolved = resolveItems(ctx.catalog, step.hosts.items, 'hosts');
    ctx.diagnostics.push(...resolved.diagnostics);
    return fanout(step, c, inherited, ctx, resolved.names);
  }
  const host = step.host ?? inherited.host;
  if (!host) return leaf(step, c, { kind: 'local' }, inherited);
  const resolved = resolveHost(ctx.catalog, host);
  ctx.diagnostics.push(...resolved.diagnostics);
  const target = resolved.target ?? { kind: 'local' };
  // A host step outside `--limit` becomes a fan-out over no hosts, which the runner reports as skipped.
  if (target.kind === 'ssh' && ctx.allowed && !ctx.allowed.has(target.name))
    return fanout(step, c, inherited, ctx, []);
  if (target.kind === 'ssh') refuseUnusable(ctx, target.name);
  return leaf(step, c, target, inherited);
}

/** A step on a host whose inventory values tasker cannot use is an error, once per host. */
function refuseUnusable(ctx: BuildContext, name: string): void {
  const d = ctx.catalog.unusable.get(name);
  if (d && !ctx.diagnostics.includes(d)) ctx.diagnostics.push(d);
}

/**
 * The fan-out keeps routing, `needs`, `sleep` and `continue_on_error`; the template carries what each
 * instance does: `when` (may use `host.*`), the per-instance timeout and the spec. The template's
 * target is a stand-in (the first target, else local): each instance runs on one of `targets`.
 */
function fanout(
  step: CommandStep,
  c: PlanCommon,
  inherited: Inherited,
  ctx: BuildContext,
  names: readonly string[],
): PlanNode {
  const allowed = ctx.allowed;
  const targets: Target[] = [];
  for (const name of names) {
    const target = ctx.catalog.hosts.get(name);
    if (target && (!allowed || allowed.has(name))) {
      targets.push(target);
      refuseUnusable(ctx, name);
    }
  }
  const { when, onSuccess: _s, onFailure: _f, returnCode: _r, failureExit: _x, ...instance } = c;
  const template = leaf(
    step,
    { ...instance, continueOnError: false, sleepMs: 0, needs: [] },
    targets[0] ?? { kind: 'local' },
    inherited,
  );
  if (when) template.when = when;
  const { when: _w, ...outer } = c;
  return {
    ...outer,
    timeoutMs: null,
    kind: 'fanout',
    targets,
    maxParallel: step.maxParallel?.value ?? inherited.maxParallel,
    maxFailed: step.maxFailed?.value ?? 0,
    template,
  };
}

/** Where an anonymous step sits, for people: `steps[3]`, `finally[1]`, `clean then[1]` (1-based). */
function placeLabel(info: StepInfo): string {
  const last = info.path[info.path.length - 1];
  const here = last ? `${last.list}[${last.index + 1}]` : info.id;
  const parent = info.parent;
  if (!parent) return here;
  const parentName = parent.step.name?.value ?? (parent.explicitId ? parent.id : placeLabel(parent));
  return `${parentName} ${here}`;
}
