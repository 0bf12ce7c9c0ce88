import { templateValue } from '../expr/index.js';
import type { EvalContext, StepView, Value } from '../model/expr.js';
import { fromWorkflowFile, workflowDir } from '../model/paths.js';
import type { Target } from '../model/plan.js';
import type { StepStatus } from '../model/result.js';
import type { RunContext, Scope } from './types.js';

/** What expressions see at this point of the run. */
export function evalContextFor(ctx: RunContext, scope: Scope, current?: StepView): EvalContext {
  const out: EvalContext = { vars: varsFor(ctx, scope), env: ctx.options.env, steps: ctx.views };
  if (ctx.options.dryRun) {
    out.dryRun = true;
    out.unknownVars = ctx.unknownVars;
  }
  if (scope.host) out.host = scope.host;
  if (scope.iteration !== undefined) out.iteration = scope.iteration;
  if (current) out.current = current;
  return out;
}

/**
 * Workflow vars with the host's own vars on top (the host wins, as in Ansible). Host vars may use
 * workflow vars, env and host.*; one that cannot be evaluated stays undefined, so a reference to it
 * fails the step with a render error naming it.
 */
function varsFor(ctx: RunContext, scope: Scope): EvalContext['vars'] {
  if (!scope.hostVars) return ctx.vars;
  const base: EvalContext = { vars: ctx.vars, env: ctx.options.env, steps: {} };
  if (scope.host) base.host = scope.host;
  const vars: Record<string, Value> = { ...ctx.vars };
  for (const [name, template] of Object.entries(scope.hostVars)) {
    const v = templateValue(template, base);
    if (v.ok) vars[name] = v.value;
    else delete vars[name];
  }
  return vars;
}

/** Puts an ssh target's `host.*` and its vars into a scope; local targets add nothing. */
export function scopeOnHost(scope: Scope, target: Target): Scope {
  if (target.kind === 'local') return { ...scope };
  const out: Scope = { ...scope };
  const host = hostOf(target);
  if (host) out.host = host;
  if (Object.keys(target.vars).length > 0) out.hostVars = target.vars;
  return out;
}

/** `host.*` for an ssh target; local targets have none. */
function hostOf(target: Target): EvalContext['host'] {
  if (target.kind === 'local') return undefined;
  const host: NonNullable<EvalContext['host']> = {
    name: target.name,
    address: target.address ?? target.sshHost ?? target.name,
  };
  if (target.user !== undefined) host.user = target.user;
  if (target.port !== undefined) host.port = target.port;
  return host;
}

export function hostName(target: Target): string | undefined {
  return target.kind === 'ssh' ? target.name : undefined;
}

/** The view of a step with no output of its own (blocks, skipped steps). */
export function bareView(status: StepStatus, durationMs: number, exit: number | null = null): StepView {
  return {
    exit,
    stdout: '',
    stderr: '',
    success: status === 'ok',
    status,
    stdout_file: '',
    stderr_file: '',
    stdout_bytes: 0,
    stderr_bytes: 0,
    duration: durationMs / 1000,
  };
}

/** In a dry run nothing really ran: later expressions see this step's outcome as unknown. */
export function unknownView(view: StepView): StepView {
  return { ...view, stdout: '', stderr: '', unknown: true };
}

/** Narrows a dry-run scope to where `condition` holds, which nobody can know before a real run. */
export function onlyIf(scope: Scope, condition: string): Scope {
  return { ...scope, onlyIf: scope.onlyIf ? `${scope.onlyIf} && (${condition})` : condition };
}

/**
 * A path on this machine as the workflow wrote it (a local `cwd`, a copy path), resolved against the
 * workflow file's directory; without one, local commands run in that directory. Paths on a remote
 * host are left to it. TASKER task files keep TASKER's rule: the directory tasker started in.
 */
export function localPath(ctx: RunContext, target: Target, path: string | undefined): string | undefined {
  if (target.kind !== 'local' || ctx.plan.format === 'tasker') return path;
  return path === undefined ? workflowDir(ctx.plan.file) : fromWorkflowFile(ctx.plan.file, path);
}
