import type {
  AstDefaults,
  AstExpr,
  AstGroup,
  AstHost,
  AstRetry,
  AstStep,
  AstVar,
  Workflow,
} from '../../../src/model/ast.js';
import type { BinaryOp, Expr, Template } from '../../../src/model/expr.js';
import type { Located, Span } from '../../../src/model/span.js';

/** Hand-built ASTs for plan tests: every node gets its own line, so spans identify it. */
const FILE = 'test.yaml';
let nextLine = 1;

function sp(line = nextLine++, col = 1): Span {
  return { file: FILE, line, col, endLine: line, endCol: col + 1 };
}

export function loc<T>(value: T, span: Span = sp()): Located<T> {
  return { value, span };
}

/** `steps.build.stdout` → a ref node. */
export function ref(text: string): Expr {
  const [root = '', ...path] = text.split('.');
  return { kind: 'ref', root, path, span: sp() };
}

export function bin(op: BinaryOp, left: Expr, right: Expr): Expr {
  return { kind: 'binary', op, left, right, span: left.span };
}

export function lit(value: string | number | boolean | null): Expr {
  return { kind: 'literal', value, span: sp() };
}

/** Text and `${{ }}` parts: strings are text, refs are expressions. */
export function tpl(...parts: (string | Expr)[]): Template {
  const span = sp();
  return {
    parts: parts.map((p) =>
      typeof p === 'string'
        ? { kind: 'text', text: p, span }
        : { kind: 'expr', expr: p, raw: false, span: p.span },
    ),
    span,
  };
}

function cond(expr: Expr): AstExpr {
  return { source: 'expr', expr, span: expr.span };
}

export interface CommonOpts {
  id?: string;
  name?: string;
  when?: Expr;
  timeoutMs?: number;
  continueOnError?: boolean;
  onSuccess?: string;
  onFailure?: string;
  returnCode?: number;
  sleepMs?: number;
  needs?: string[];
}

export interface CommandOpts extends CommonOpts {
  host?: string;
  hosts?: string[];
  maxParallel?: number;
  maxFailed?: number;
  retry?: Partial<Record<'attempts' | 'delayMs' | 'maxDelayMs', number>> & {
    backoff?: 'fixed' | 'exponential';
  };
  loop?: { max: number; until?: Expr };
  success?: Expr;
  failure?: Expr;
  env?: Record<string, Template>;
  cwd?: Template;
}

function common(o: CommonOpts) {
  const span = sp();
  return {
    span,
    keySpan: { ...span, col: 3 },
    ...(o.id !== undefined && { id: loc(o.id) }),
    ...(o.name !== undefined && { name: loc(o.name) }),
    ...(o.when && { when: cond(o.when) }),
    ...(o.timeoutMs !== undefined && { timeoutMs: loc(o.timeoutMs) }),
    ...(o.continueOnError !== undefined && { continueOnError: loc(o.continueOnError) }),
    ...(o.onSuccess !== undefined && { onSuccess: loc(o.onSuccess) }),
    ...(o.onFailure !== undefined && { onFailure: loc(o.onFailure) }),
    ...(o.returnCode !== undefined && { returnCode: loc(o.returnCode) }),
    ...(o.sleepMs !== undefined && { sleepMs: loc(o.sleepMs) }),
    ...(o.needs && { needs: o.needs.map((n) => loc(n)) }),
  };
}

function retry(r: NonNullable<CommandOpts['retry']>): AstRetry {
  return {
    attempts: loc(r.attempts ?? 1),
    ...(r.delayMs !== undefined && { delayMs: loc(r.delayMs) }),
    ...(r.maxDelayMs !== undefined && { maxDelayMs: loc(r.maxDelayMs) }),
    ...(r.backoff !== undefined && { backoff: loc(r.backoff) }),
    span: sp(),
  };
}

function commandKeys(o: CommandOpts) {
  return {
    env: Object.entries(o.env ?? {}).map(([name, value]) => ({ name: loc(name), value })),
    ...(o.host !== undefined && { host: loc(o.host) }),
    ...(o.hosts && { hosts: { items: o.hosts.map((h) => loc(h)), span: sp() } }),
    ...(o.maxParallel !== undefined && { maxParallel: loc(o.maxParallel) }),
    ...(o.maxFailed !== undefined && { maxFailed: loc(o.maxFailed) }),
    ...(o.retry && { retry: retry(o.retry) }),
    ...(o.loop && {
      loop: { max: loc(o.loop.max), ...(o.loop.until && { until: cond(o.loop.until) }), span: sp() },
    }),
    ...(o.success && { success: cond(o.success) }),
    ...(o.failure && { failure: cond(o.failure) }),
    ...(o.cwd && { cwd: o.cwd }),
  };
}

export function run(script: string | Template, o: CommandOpts = {}): AstStep {
  const t = typeof script === 'string' ? tpl(script) : script;
  return { ...common(o), ...commandKeys(o), kind: 'run', command: { kind: 'shell', script: t } };
}

export function copy(src: string, dest: string, o: CommandOpts = {}): AstStep {
  return { ...common(o), ...commandKeys(o), kind: 'copy', src: tpl(src), dest: tpl(dest) };
}

export function ret(code: number, o: CommonOpts = {}): AstStep {
  return { ...common(o), kind: 'return', code: loc(code) };
}

export function parallel(
  steps: AstStep[],
  o: CommonOpts & { max?: number; failFast?: boolean } = {},
): AstStep {
  return {
    ...common(o),
    kind: 'parallel',
    steps,
    ...(o.max !== undefined && { max: loc(o.max) }),
    ...(o.failFast !== undefined && { failFast: loc(o.failFast) }),
  };
}

export function block(
  steps: AstStep[],
  o: CommonOpts & { defaults?: AstDefaults; finally?: AstStep[] } = {},
): AstStep {
  return {
    ...common(o),
    kind: 'steps',
    steps,
    finally: o.finally ?? [],
    ...(o.defaults && { defaults: o.defaults }),
  };
}

export function ifStep(condition: Expr, then: AstStep[], otherwise?: AstStep[], o: CommonOpts = {}): AstStep {
  return {
    ...common(o),
    kind: 'if',
    condition: cond(condition),
    then,
    ...(otherwise && { else: otherwise }),
  };
}

export function defaults(o: {
  timeoutMs?: number;
  connectTimeoutMs?: number;
  retry?: CommandOpts['retry'];
  env?: Record<string, Template>;
  cwd?: Template;
  host?: string;
  maxParallel?: number;
  continueOnError?: boolean;
}): AstDefaults {
  return {
    env: Object.entries(o.env ?? {}).map(([name, value]) => ({ name: loc(name), value })),
    ...(o.timeoutMs !== undefined && { timeoutMs: loc(o.timeoutMs) }),
    ...(o.connectTimeoutMs !== undefined && { connectTimeoutMs: loc(o.connectTimeoutMs) }),
    ...(o.retry && { retry: retry(o.retry) }),
    ...(o.cwd && { cwd: o.cwd }),
    ...(o.host !== undefined && { host: loc(o.host) }),
    ...(o.maxParallel !== undefined && { maxParallel: loc(o.maxParallel) }),
    ...(o.continueOnError !== undefined && { continueOnError: loc(o.continueOnError) }),
    span: sp(),
  };
}

export function host(
  name: string,
  o: { address?: string; user?: string; port?: number; vars?: Record<string, Template> } = {},
): AstHost {
  return {
    name: loc(name),
    ...(o.address !== undefined && { address: loc(o.address) }),
    ...(o.user !== undefined && { user: loc(o.user) }),
    ...(o.port !== undefined && { port: loc(o.port) }),
    vars: Object.entries(o.vars ?? {}).map(([n, value]) => ({ name: loc(n), value })),
    span: sp(),
  };
}

export function group(name: string, members: string[]): AstGroup {
  return { name: loc(name), members: members.map((m) => loc(m)), span: sp() };
}

export function variable(name: string, value: Template | number | boolean | null): AstVar {
  return { name: loc(name), value: typeof value === 'object' && value !== null ? value : loc(value) };
}

export function workflow(o: Partial<Workflow> = {}): Workflow {
  return {
    file: FILE,
    version: loc(1),
    vars: [],
    secrets: [],
    hosts: [],
    groups: [],
    steps: [],
    finally: [],
    span: sp(1),
    ...o,
  };
}
