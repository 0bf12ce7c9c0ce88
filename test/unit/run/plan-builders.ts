import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseExpression, parseTemplate } from '../../../src/expr/index.js';
import type { BlockPolicy } from '../../../src/model/ast.js';
import type { RunEvent } from '../../../src/model/events.js';
import type { Expr, Template, Value } from '../../../src/model/expr.js';
import type { CommandSpec, Plan, PlanCommon, PlanNode, Target } from '../../../src/model/plan.js';
import type { RunResult, StepResult } from '../../../src/model/result.js';
import type { Span } from '../../../src/model/span.js';
import { runPlan, type RunOptions } from '../../../src/run/index.js';
import { FakeExecutor, type Scripts } from './fake-executor.js';
import { NO_RETRY, planCommon } from '../model/plan-common.js';

type Node<K extends PlanNode['kind']> = Extract<PlanNode, { kind: K }>;
type CommandNode = Node<'command'>;

const locate = (start: number, end: number): Span => ({
  file: 't.yaml',
  line: 1,
  col: start + 1,
  endLine: 1,
  endCol: end + 1,
});

export function tpl(text: string): Template {
  const r = parseTemplate(text, locate);
  if (!r.template) throw new Error(`bad template in test: ${text}`);
  return r.template;
}

export function ex(source: string): Expr {
  const r = parseExpression(source, locate);
  if (!r.expr) throw new Error(`bad expression in test: ${source}: ${r.diagnostics[0]?.message}`);
  return r.expr;
}

function common(id: string, over: Partial<PlanCommon> = {}): PlanCommon {
  return planCommon(id, locate(0, 1), over);
}

export type CmdOver = Partial<PlanCommon> & { target?: Target; spec?: Partial<CommandSpec> };

/** A shell command; the fake executor scripts it by its rendered text. */
export function cmd(id: string, script: string, over: CmdOver = {}): CommandNode {
  const { target, spec, ...rest } = over;
  return {
    ...common(id, rest),
    kind: 'command',
    target: target ?? { kind: 'local' },
    spec: { command: { kind: 'shell', script: tpl(script) }, env: {}, pty: false, retry: NO_RETRY, ...spec },
  };
}

export function argv(id: string, args: string[], over: CmdOver = {}): CommandNode {
  const node = cmd(id, '', over);
  return { ...node, spec: { ...node.spec, command: { kind: 'argv', args: args.map(tpl) } } };
}

export function copy(id: string, src: string, dest: string, over: Partial<PlanCommon> = {}): Node<'copy'> {
  return {
    ...common(id, over),
    kind: 'copy',
    target: { kind: 'local' },
    spec: { src: tpl(src), dest: tpl(dest), retry: NO_RETRY },
  };
}

export function seq(
  id: string,
  children: PlanNode[],
  fin: PlanNode[] = [],
  over: Partial<PlanCommon> = {},
): Node<'sequence'> {
  return { ...common(id, over), kind: 'sequence', children, finally: fin };
}

export function par(
  id: string,
  children: PlanNode[],
  over: Partial<PlanCommon> & { max?: number; policy?: BlockPolicy; failFast?: boolean } = {},
): Node<'parallel'> {
  const { max = 0, policy = { kind: 'all' }, failFast = false, ...rest } = over;
  return { ...common(id, rest), kind: 'parallel', children, max, policy, failFast };
}

export function branch(id: string, condition: string, then: PlanNode, otherwise?: PlanNode): Node<'branch'> {
  const node: Node<'branch'> = { ...common(id), kind: 'branch', condition: ex(condition), then };
  if (otherwise) node.else = otherwise;
  return node;
}

export function ret(id: string, code: number): Node<'return'> {
  return { ...common(id), kind: 'return', code };
}

export function ssh(name: string): Target {
  return { kind: 'ssh', name, address: `${name}.example`, vars: {} };
}

export function fanout(
  id: string,
  script: string,
  hosts: string[],
  over: CmdOver & { maxParallel?: number; maxFailed?: number } = {},
): Node<'fanout'> {
  const { maxParallel = 0, maxFailed = 0, ...rest } = over;
  return {
    ...common(id, rest),
    kind: 'fanout',
    targets: hosts.map(ssh),
    maxParallel,
    maxFailed,
    template: cmd(id, script, rest),
  };
}

export function plan(
  children: PlanNode[],
  o: {
    finally?: PlanNode[];
    vars?: Record<string, string | Value>;
    secrets?: string[];
    timeoutMs?: number;
  } = {},
): Plan {
  const vars = Object.entries(o.vars ?? {}).map(([name, v]) => ({
    name,
    value: typeof v === 'string' ? tpl(v) : v,
  }));
  return {
    version: 1,
    file: 't.yaml',
    name: 'test',
    format: 'yaml',
    vars,
    secrets: o.secrets ?? [],
    hosts: {},
    root: seq('root', children, o.finally ?? [], { timeoutMs: o.timeoutMs ?? null }),
  };
}

export interface Ran {
  result: RunResult;
  events: RunEvent[];
  fake: FakeExecutor;
  /** step-end results by `id` or `id@host`, the last one when an id ends twice. */
  byId: Map<string, StepResult>;
  /** Ids (with @host) in step-end order. */
  endOrder: string[];
}

const runDirs: string[] = [];

export function tempRunDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tasker-run-'));
  runDirs.push(dir);
  return dir;
}

export function cleanRunDirs(): void {
  for (const d of runDirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** Runs a plan against a fake executor and collects everything. */
export async function run(
  p: Plan,
  scripts: Scripts | FakeExecutor = {},
  options: Partial<RunOptions> & { onEventToo?: (e: RunEvent) => void } = {},
): Promise<Ran> {
  const fake = scripts instanceof FakeExecutor ? scripts : new FakeExecutor(scripts);
  const events: RunEvent[] = [];
  const { onEventToo, ...rest } = options;
  const result = await runPlan(p, {
    runId: 'r1',
    runDir: tempRunDir(),
    executors: fake,
    env: {},
    onEvent: (e) => {
      events.push(e);
      onEventToo?.(e);
    },
    ...rest,
  });
  const byId = new Map<string, StepResult>();
  const endOrder: string[] = [];
  for (const e of events) {
    if (e.kind !== 'step-end') continue;
    const key = e.result.host ? `${e.result.id}@${e.result.host}` : e.result.id;
    byId.set(key, e.result);
    endOrder.push(key);
  }
  return { result, events, fake, byId, endOrder };
}

export function statusOf(ran: Ran, key: string): string | undefined {
  const r = ran.byId.get(key);
  return r?.status === 'skipped' ? `skipped/${r.skipReason}` : r?.status;
}

/** A promise that resolves at the first event matching `test`; pass `check` as onEventToo. */
export function eventSeen(test: (e: RunEvent) => boolean): {
  seen: Promise<RunEvent>;
  check: (e: RunEvent) => void;
} {
  let resolve!: (e: RunEvent) => void;
  const seen = new Promise<RunEvent>((r) => (resolve = r));
  return { seen, check: (e) => (test(e) ? resolve(e) : undefined) };
}

/** Under fake timers: yields to real I/O until the runner has a timer pending (it is waiting on a delay). */
export async function untilTimerPending(getTimerCount: () => number): Promise<void> {
  while (getTimerCount() === 0) await new Promise((resolve) => setImmediate(resolve));
}
