import type { AstCommand, AstDefaults, Workflow } from '../model/ast.js';
import type { Expr, Template } from '../model/expr.js';
import type { Located } from '../model/span.js';
import type { StepIndex, StepInfo } from './ids.js';
import { resolveItems, type HostCatalog } from './targets.js';

/** What an expression may read where it is written. */
export interface Scope {
  /** The step the expression belongs to; absent for vars, hosts, defaults and notify. */
  owner?: StepInfo;
  /** `exit`, `stdout`, … of the owner: only in `success`, `failure` and `loop.until`. */
  bare: boolean;
  host: boolean;
  iteration: boolean;
  /** `before`: only steps that can have run before the owner. */
  steps: 'before' | 'any' | 'none';
  vars: ReadonlySet<string>;
  /** Names the place in messages, e.g. `vars`, `defaults`, `when`. */
  where: string;
}

export interface ScopedExpr {
  x: Expr | Template;
  scope: Scope;
}

export interface ExprInputs {
  workflow: Workflow;
  index: StepIndex;
  catalog: HostCatalog;
  /** Names of the plan's vars (file vars and `--var` additions). */
  varNames: readonly string[];
  /** Vars replaced by `--var`: their file values are never evaluated. */
  overridden: ReadonlySet<string>;
}

/** Every expression and template of the workflow with the scope it is evaluated in. */
export function scopedExprs(inputs: ExprInputs): ScopedExpr[] {
  const { workflow } = inputs;
  const all = new Set(inputs.varNames);
  const out: ScopedExpr[] = [];
  const plain = { bare: false, host: false, iteration: false, steps: 'none' as const };
  workflow.vars.forEach((v, i) => {
    if (inputs.overridden.has(v.name.value) || !('parts' in v.value)) return;
    const earlier = new Set(workflow.vars.slice(0, i).map((w) => w.name.value));
    out.push({ x: v.value, scope: { ...plain, vars: earlier, where: 'vars' } });
  });
  for (const host of workflow.hosts) {
    for (const v of host.vars)
      out.push({ x: v.value, scope: { ...plain, host: true, vars: all, where: 'host vars' } });
  }
  const defaultsScope: Scope = { ...plain, host: true, iteration: true, vars: all, where: 'defaults' };
  for (const t of defaultsTemplates(workflow.defaults)) out.push({ x: t, scope: defaultsScope });
  const notify = workflow.notify;
  if (notify) {
    const templates = [...commandTemplates(notify.command), ...(notify.webhook ? [notify.webhook] : [])];
    for (const t of templates)
      out.push({ x: t, scope: { ...plain, steps: 'any', vars: all, where: 'notify' } });
  }
  for (const info of inputs.index.all) out.push(...stepExprs(info, inputs, all));
  return out;
}

function stepExprs(info: StepInfo, inputs: ExprInputs, all: ReadonlySet<string>): ScopedExpr[] {
  const step = info.step;
  const hostNames = stepHostNames(info, inputs);
  const vars = hostNames.length === 0 ? all : new Set([...all, ...hostVarNames(hostNames, inputs.catalog)]);
  const onHost = runsOnHosts(info, inputs.workflow);
  const loops = 'loop' in step && step.loop !== undefined;
  const base: Scope = {
    owner: info,
    bare: false,
    host: onHost,
    iteration: false,
    steps: 'before',
    vars,
    where: 'when',
  };
  const out: ScopedExpr[] = [];
  if (step.when) out.push({ x: step.when.expr, scope: base });
  if (step.kind === 'if') out.push({ x: step.condition.expr, scope: { ...base, where: 'if' } });
  if (step.kind === 'steps')
    for (const t of defaultsTemplates(step.defaults))
      out.push({ x: t, scope: { ...base, steps: 'none', iteration: true, where: 'defaults' } });
  if (step.kind !== 'run' && step.kind !== 'copy') return out;
  const outcome: Scope = { ...base, bare: true, iteration: loops };
  if (step.success) out.push({ x: step.success.expr, scope: { ...outcome, where: 'success' } });
  if (step.failure) out.push({ x: step.failure.expr, scope: { ...outcome, where: 'failure' } });
  if (step.loop?.until) out.push({ x: step.loop.until.expr, scope: { ...outcome, where: 'loop.until' } });
  const templates = [
    ...(step.kind === 'run' ? commandTemplates(step.command) : [step.src, step.dest]),
    ...step.env.map((e) => e.value),
    ...(step.cwd ? [step.cwd] : []),
    ...(step.stdin ? [step.stdin] : []),
  ];
  for (const t of templates) out.push({ x: t, scope: { ...base, iteration: loops, where: step.kind } });
  return out;
}

function commandTemplates(command: AstCommand | undefined): Template[] {
  if (!command) return [];
  return command.kind === 'shell' ? [command.script] : command.args;
}

function defaultsTemplates(d: AstDefaults | undefined): Template[] {
  if (!d) return [];
  return [...d.env.map((e) => e.value), ...(d.cwd ? [d.cwd] : [])];
}

/** Hosts a command step runs on (before `--limit`); empty for local steps and blocks. */
function stepHostNames(info: StepInfo, inputs: ExprInputs): string[] {
  const step = info.step;
  if (step.kind !== 'run' && step.kind !== 'copy') return [];
  if (step.hosts) return resolveItems(inputs.catalog, step.hosts.items, 'hosts').names;
  const host = step.host ?? inheritedHost(info, inputs.workflow);
  return host && host.value !== 'local' && inputs.catalog.hosts.has(host.value) ? [host.value] : [];
}

function inheritedHost(info: StepInfo, workflow: Workflow): Located<string> | undefined {
  for (let p: StepInfo | undefined = info.parent; p; p = p.parent) {
    if (p.step.kind === 'steps' && p.step.defaults?.host) return p.step.defaults.host;
  }
  return workflow.defaults?.host;
}

function hostVarNames(hostNames: readonly string[], catalog: HostCatalog): string[] {
  return hostNames.flatMap((name) => Object.keys(catalog.hosts.get(name)?.vars ?? {}));
}

function runsOnHosts(info: StepInfo, workflow: Workflow): boolean {
  const step = info.step;
  if (step.kind !== 'run' && step.kind !== 'copy') return false;
  const host = step.host ?? inheritedHost(info, workflow);
  return step.hosts !== undefined || (host !== undefined && host.value !== 'local');
}
