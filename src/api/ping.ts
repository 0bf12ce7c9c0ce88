import pLimit from 'p-limit';
import type { PingResult, SshOptions } from '../exec/ssh/index.js';
import type { TaskFileOptions } from '../legacy/index.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Plan, PlanNode, SshTarget, Target } from '../model/plan.js';
import { walkPlan } from '../model/plan-walk.js';
import { validateWorkflowFile } from './validate.js';

/** Default number of hosts connected to at once. */
const DEFAULT_PING_CONCURRENCY = 32;

export interface PingOptions {
  vars?: Readonly<Record<string, string>>;
  limit?: string;
  ssh?: SshOptions;
  /** Hosts connected to at once; default 32. */
  concurrency?: number;
  legacy?: TaskFileOptions;
  /** Called as each host answers (in completion order). */
  onHost?: (host: HostPing, index: number) => void;
}

export interface HostPing {
  host: string;
  result: PingResult;
}

export type PingOutcome =
  | { kind: 'invalid'; diagnostics: Diagnostic[] }
  /** `exitCode` is 0 when every host answered, 3 when any did not. */
  | { kind: 'pinged'; hosts: HostPing[]; diagnostics: Diagnostic[]; exitCode: 0 | 3 };

/** Every distinct ssh target the plan's steps run on (after `--limit`), in first-use order. */
function pingTargets(plan: Plan): SshTarget[] {
  const found = new Map<string, SshTarget>();
  const add = (t: Target): void => {
    if (t.kind === 'ssh' && !found.has(t.name)) found.set(t.name, t);
  };
  walkPlan(plan.root, (node: PlanNode) => {
    if (node.kind === 'fanout') node.targets.forEach(add);
    if (node.kind === 'command' || node.kind === 'copy') add(node.target);
  });
  return [...found.values()];
}

/** Builds the plan, then connects to and authenticates on every target host, running nothing else. */
export async function pingWorkflowFile(path: string, options: PingOptions = {}): Promise<PingOutcome> {
  const v = await validateWorkflowFile(path, {
    vars: options.vars,
    limit: options.limit,
    legacy: options.legacy,
  });
  if (!v.plan) return { kind: 'invalid', diagnostics: v.diagnostics };
  const targets = pingTargets(v.plan);
  const hosts = await pingAll(targets, options);
  const exitCode = hosts.every((h) => h.result.kind === 'ok') ? 0 : 3;
  return { kind: 'pinged', hosts, diagnostics: v.diagnostics, exitCode };
}

/** Pings with bounded concurrency through one executor; results come back in target order. */
async function pingAll(targets: readonly SshTarget[], options: PingOptions = {}): Promise<HostPing[]> {
  if (targets.length === 0) return [];
  // Loaded only here: ssh2 costs start-up time.
  const { createSshExecutor } = await import('../exec/ssh/index.js');
  const executor = createSshExecutor(options.ssh);
  // p-limit: a batch of independent jobs under a cap, nothing to cancel one by one (run/limit.ts is
  // the runner's, which needs both).
  const limit = pLimit(Math.max(1, options.concurrency ?? DEFAULT_PING_CONCURRENCY));
  try {
    return await limit.map(targets, async (target, i) => {
      const ping: HostPing = { host: target.name, result: await executor.ping(target) };
      options.onHost?.(ping, i);
      return ping;
    });
  } finally {
    await executor.close();
  }
}
