import type { AstCommand, BlockPolicy } from '../model/ast.js';
import type { LoopPolicy, PlanNode, RetryPolicy, Target } from '../model/plan.js';
import { formatExpr, templateSource } from '../expr/index.js';
import { formatConfigDuration } from './durations.js';

type Leaf = Extract<PlanNode, { kind: 'command' | 'copy' }>;

export function targetText(t: Target): string {
  return t.kind === 'local' ? 'local' : t.name;
}

/** A shell command as written; argv as `[curl, -sf, "a b"]`. */
export function commandText(cmd: AstCommand): string {
  if (cmd.kind === 'shell') return templateSource(cmd.script);
  const args = cmd.args.map((a) => {
    const s = templateSource(a);
    return s === '' || /[\s,[\]"]/.test(s) ? JSON.stringify(s) : s;
  });
  return `[${args.join(', ')}]`;
}

/** The node's own leaf (itself, or a fan-out's template), if it runs something. */
export function leafOf(node: PlanNode): Leaf | undefined {
  if (node.kind === 'command' || node.kind === 'copy') return node;
  return node.kind === 'fanout' ? node.template : undefined;
}

/** Short `key value` facts for the node's header line. */
export function nodeAttributes(node: PlanNode): string[] {
  const leaf = leafOf(node);
  return [
    ...kindAttributes(node),
    node.timeoutMs !== null ? `timeout ${formatConfigDuration(node.timeoutMs)}` : '',
    leaf && leaf.spec.retry.attempts > 1 ? retryText(leaf.spec.retry) : '',
    node.continueOnError ? 'continue_on_error' : '',
    node.onSuccess ? `on_success → ${node.onSuccess}` : '',
    node.onFailure ? `on_failure → ${node.onFailure}` : '',
    node.returnCode !== undefined ? `return ${node.returnCode}` : '',
    node.sleepMs > 0 ? `sleep ${formatConfigDuration(node.sleepMs)}` : '',
  ].filter(Boolean);
}

function kindAttributes(node: PlanNode): string[] {
  switch (node.kind) {
    case 'command':
    case 'copy':
      return [targetText(node.target)];
    case 'fanout':
      return [
        node.targets.map(targetText).join(', '),
        node.maxParallel > 0 ? `max_parallel ${node.maxParallel}` : '',
        node.maxFailed > 0 ? `max_failed ${node.maxFailed}` : '',
      ];
    case 'parallel':
      return [
        node.max > 0 ? `max ${node.max}` : '',
        node.policy.kind !== 'all' ? `success ${policyText(node.policy)}` : '',
        node.failFast ? 'fail_fast' : '',
      ];
    case 'branch':
      return [`if ${formatExpr(node.condition)}`];
    case 'return':
      return [`code ${node.code}`];
    case 'sequence':
      return [];
  }
}

/** Lines under the header: command, conditions, loop, needs, environment. */
export function nodeDetails(node: PlanNode): string[] {
  const leaf = leafOf(node);
  const lines: string[] = [];
  if (node.when) lines.push(`when: ${formatExpr(node.when)}`);
  if (node.needs.length) lines.push(`needs: ${node.needs.join(', ')}`);
  if (leaf) lines.push(...leafDetails(leaf));
  return lines;
}

function leafDetails(leaf: Leaf): string[] {
  if (leaf.kind === 'copy') {
    const mode = leaf.spec.mode !== undefined ? ` (mode ${leaf.spec.mode.toString(8).padStart(4, '0')})` : '';
    return [`copy: ${templateSource(leaf.spec.src)} → ${templateSource(leaf.spec.dest)}${mode}`];
  }
  const s = leaf.spec;
  const [first = '', ...rest] = commandText(s.command).split('\n');
  const envNames = Object.keys(s.env);
  return [
    `$ ${first}`,
    ...rest.map((l) => `  ${l}`),
    ...(s.success ? [`success: ${formatExpr(s.success)}`] : []),
    ...(s.failure ? [`failure: ${formatExpr(s.failure)}`] : []),
    ...(s.loop ? [loopText(s.loop)] : []),
    ...(s.cwd ? [`cwd: ${templateSource(s.cwd)}`] : []),
    ...(envNames.length ? [`env: ${envNames.join(', ')}`] : []),
    ...(s.sudo
      ? [`sudo: ${s.sudo}${s.sudoPasswordSecret ? ` (password from secret ${s.sudoPasswordSecret})` : ''}`]
      : []),
    ...(s.stdin ? ['stdin: (given)'] : []),
    ...(s.pty ? ['pty: true'] : []),
  ];
}

function retryText(r: RetryPolicy): string {
  const delay = r.delayMs > 0 ? ` ${r.backoff} ${formatConfigDuration(r.delayMs)}` : '';
  const cap =
    r.backoff === 'exponential' && r.maxDelayMs > 0 ? `..${formatConfigDuration(r.maxDelayMs)}` : '';
  const onExit = r.onExit.length ? ` on exit ${r.onExit.join(',')}` : '';
  return `retry ${r.attempts}×${delay}${cap}${r.jitter ? ' jitter' : ''}${onExit}`;
}

function loopText(l: LoopPolicy): string {
  const every = l.delayMs > 0 ? ` every ${formatConfigDuration(l.delayMs)}` : '';
  return `loop: max ${l.max}${every}${l.until ? ` until ${formatExpr(l.until)}` : ''}`;
}

export function policyText(p: BlockPolicy): string {
  return 'n' in p ? `${p.kind}(${p.n})` : p.kind;
}
