import { Writable } from 'node:stream';
import type { AstCommand } from '../../../src/model/ast.js';
import type { Reporter, RunEvent } from '../../../src/model/events.js';
import type { Expr, Template } from '../../../src/model/expr.js';
import type { CommandSpec, Plan, PlanCommon, PlanNode, Target } from '../../../src/model/plan.js';
import type { AttemptResult, RunResult, StepResult } from '../../../src/model/result.js';
import type { Span } from '../../../src/model/span.js';
import { NO_RETRY, planCommon } from '../model/plan-common.js';

/** 2026-11-22T03:00:00.000Z: a fixed clock for event `at` values. */
export const T0 = Date.UTC(2026, 10, 22, 3, 0, 0, 0);

export function span(line = 1, col = 1, endCol = col + 1, file = 'wf.yaml'): Span {
  return { file, line, col, endLine: line, endCol };
}

/** A string sink whose writes land synchronously, so tests read it right after emitting. */
export function sink(): { out: Writable; text: () => string; lines: () => string[] } {
  const chunks: string[] = [];
  const out = new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  const text = (): string => chunks.join('');
  return { out, text, lines: () => text().split('\n').slice(0, -1) };
}

export function emit(reporter: Reporter, events: readonly RunEvent[]): void {
  for (const e of events) (reporter[e.kind] as ((e: RunEvent) => void) | undefined)?.(e);
}

/** How a step, and its one attempt, ends unless a test says otherwise: ok after 1.2 s. */
const ENDED = {
  status: 'ok',
  exitCode: 0,
  signal: null,
  startedAt: T0,
  endedAt: T0 + 1200,
  durationMs: 1200,
} as const;

export function attempt(over: Partial<AttemptResult> = {}): AttemptResult {
  return { attempt: 1, ...ENDED, ...over };
}

export function stepResult(over: Partial<StepResult> & { id: string }): StepResult {
  const base: StepResult = {
    id: over.id,
    kind: 'command',
    name: over.id,
    ...ENDED,
    attempts: [],
    iterations: 1,
    stderrTail: [],
  };
  const merged = { ...base, ...over };
  return {
    ...merged,
    attempts: over.attempts ?? [attempt({ status: merged.status, exitCode: merged.exitCode })],
  };
}

export function runResult(over: Partial<RunResult> = {}): RunResult {
  return {
    runId: 'r-1',
    workflow: 'deploy',
    file: 'deploy.yaml',
    status: 'ok',
    exitCode: 0,
    startedAt: T0,
    endedAt: T0 + 12_345,
    durationMs: 12_345,
    steps: [],
    unreachableHosts: [],
    ...over,
  };
}

// ---- plan builders ----

function text(s: string): Template {
  return { parts: [{ kind: 'text', text: s, span: span() }], span: span() };
}

export function ref(root: string, ...path: string[]): Expr {
  return { kind: 'ref', root, path, span: span() };
}

export function eq(left: Expr, value: string | number): Expr {
  return { kind: 'binary', op: '==', left, right: { kind: 'literal', value, span: span() }, span: span() };
}

function common(id: string, over: Partial<PlanCommon> = {}): PlanCommon {
  return planCommon(id, span(), over);
}

const LOCAL: Target = { kind: 'local' };

function sshTarget(name: string): Target {
  return { kind: 'ssh', name, vars: {} };
}

export function command(
  id: string,
  script: string | string[],
  over: Partial<PlanCommon> & { target?: Target; spec?: Partial<CommandSpec> } = {},
): Extract<PlanNode, { kind: 'command' }> {
  const { target = LOCAL, spec = {}, ...rest } = over;
  const cmd: AstCommand =
    typeof script === 'string'
      ? { kind: 'shell', script: text(script) }
      : { kind: 'argv', args: script.map(text) };
  return {
    ...common(id, rest),
    kind: 'command',
    target,
    spec: { command: cmd, env: {}, pty: false, retry: NO_RETRY, ...spec },
  };
}

export function sequence(
  id: string,
  children: PlanNode[],
  fin: PlanNode[] = [],
  over: Partial<PlanCommon> = {},
) {
  return { ...common(id, over), kind: 'sequence' as const, children, finally: fin };
}

export function returnNode(id: string, code: number): Extract<PlanNode, { kind: 'return' }> {
  return { ...common(id, { explicitId: false }), kind: 'return', code };
}

export function plan(children: PlanNode[], fin: PlanNode[] = []): Plan {
  return {
    version: 1,
    file: 'deploy.yaml',
    name: 'deploy',
    format: 'yaml',
    vars: [],
    secrets: [],
    hosts: {},
    root: sequence('steps', children, fin, { explicitId: false }),
  };
}

/** A plan with every node kind, routing, needs, retry, loop, a branch with else, and finally. */
export function everyKindPlan(): Plan {
  const fanTemplate = command('upload', './deploy.sh v2', {
    spec: { retry: { ...NO_RETRY, attempts: 3, delayMs: 2000, backoff: 'exponential', maxDelayMs: 30_000 } },
  });
  const nodes: PlanNode[] = [
    command('build', 'npm ci && npm run build', { timeoutMs: 600_000, name: 'Build it' }),
    command('health', ['curl', '-sf', 'https://x.example/health'], {
      onFailure: 'rollback',
      spec: { success: eq(ref('exit'), 0) },
    }),
    {
      ...common('upload'),
      kind: 'fanout',
      targets: [sshTarget('web1'), sshTarget('web2')],
      maxParallel: 1,
      maxFailed: 0,
      template: fanTemplate,
    },
    {
      ...common('steps.3', { explicitId: false }),
      kind: 'parallel',
      max: 4,
      policy: { kind: 'min_success', n: 2 },
      failFast: false,
      children: [
        command('warm-a', './warm.sh a', { target: sshTarget('web1') }),
        command('warm-b', './warm.sh b', { target: sshTarget('web2') }),
        command('smoke', './smoke.sh', { needs: ['warm-a', 'warm-b'] }),
      ],
    },
    {
      ...common('steps.4', { explicitId: false, when: eq(ref('vars', 'env'), 'prod') }),
      kind: 'branch',
      condition: eq(ref('steps', 'health', 'exit'), 0),
      then: sequence('steps.4.then', [command('steps.4.then.0', './notify.sh ok')]),
      else: sequence('steps.4.else', [command('steps.4.else.0', './notify.sh "degraded"')]),
    },
    {
      ...common('copy-cfg'),
      kind: 'copy',
      target: sshTarget('web1'),
      spec: { src: text('./app.conf'), dest: text('/etc/app.conf'), mode: 0o644, retry: NO_RETRY },
    },
    returnNode('steps.6', 0),
    command('rollback', './rollback.sh', { returnCode: 1 }),
  ];
  return plan(nodes, [command('cleanup', 'rm -rf ./build')]);
}
