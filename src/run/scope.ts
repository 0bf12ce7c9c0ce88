import type { EvalContext, StepView } from '../model/expr.js';
import type { Target } from '../model/plan.js';
import type { StepStatus } from '../model/result.js';
import type { RunContext, Scope } from './types.js';

/** What expressions see at this point of the run. */
export function evalContextFor(ctx: RunContext, scope: Scope, current?: StepView): EvalContext {
  const out: EvalContext = { vars: ctx.vars, env: ctx.options.env, steps: ctx.views };
  if (scope.host) out.host = scope.host;
  if (scope.iteration !== undefined) out.iteration = scope.iteration;
  if (current) out.current = current;
  return out;
}

/** `host.*` for an ssh target; local targets have none. */
export function hostOf(target: Target): EvalContext['host'] {
  if (target.kind === 'local') return undefined;
  const host: NonNullable<EvalContext['host']> = {
    name: target.name,
    address: target.address ?? target.name,
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
    duration: durationMs / 1000,
  };
}

/** In a dry run nothing really printed, so later templates show where the output would go. */
export function withPlaceholders(view: StepView, path: string): StepView {
  return { ...view, stdout: `<steps.${path}.stdout>`, stderr: `<steps.${path}.stderr>` };
}
