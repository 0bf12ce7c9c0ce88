import type { Workflow } from '../model/ast.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Plan, PlanNode, PlanNotify, PlanVar } from '../model/plan.js';
import { buildList, checkSudoSecret, implicitSequence, type BuildContext } from './build.js';
import { checkNeeds } from './check-needs.js';
import { checkRefs } from './check-refs.js';
import { checkRouting } from './check-routing.js';
import { applyDefaults, ROOT_INHERITED } from './defaults.js';
import { scopedExprs } from './exprs.js';
import { frozenCopy } from './freeze.js';
import { indexSteps, type StepIndex } from './ids.js';
import { buildCatalog, resolveLimit, type HostCatalog } from './targets.js';
import { findUnreachable, findUnusedVars } from './warnings.js';

export interface PlanOptions {
  /** `--var name=value`: replaces a declared var's value with this string, or adds a var. */
  vars?: Readonly<Record<string, string>>;
  /** `--limit web1,web*`: comma-separated host names, groups or globs; steps run only on those hosts. */
  limit?: string;
  /** Which front end produced the workflow; defaults to `yaml`. */
  format?: Plan['format'];
  /** false: run every check but build no Plan (`tasker validate` needs only the diagnostics). */
  materialize?: boolean;
}

const DEFAULT_NOTIFY_TIMEOUT_MS = 30_000;

/** All plan-level checks; `plan` is set only when there is no error. The plan is deeply frozen. */
export function buildPlan(
  workflow: Workflow,
  options: PlanOptions = {},
): { plan?: Plan; diagnostics: Diagnostic[] } {
  const ids = indexSteps(workflow);
  const inherited = applyDefaults(ROOT_INHERITED, workflow.defaults);
  const hosts = buildCatalog(workflow, inherited.connectTimeoutMs);
  const limit = resolveLimit(hosts.catalog, options.limit, workflow.file);
  const ctx: BuildContext = {
    index: ids.index,
    catalog: hosts.catalog,
    secrets: new Set(workflow.secrets.map((s) => s.value)),
    diagnostics: [],
  };
  checkSudoSecret(ctx, workflow.defaults?.sudoPassword, '`defaults.sudo_password`');
  if (limit.allowed) ctx.allowed = limit.allowed;
  const root = rootNode(
    workflow,
    buildList(workflow.steps, inherited, ctx),
    buildList(workflow.finally, inherited, ctx),
  );
  const vars = planVars(workflow, options.vars ?? {});
  const checks = checkWorkflow(
    workflow,
    ids.index,
    hosts.catalog,
    vars,
    new Set(Object.keys(options.vars ?? {})),
  );
  const diagnostics = sortByPosition([
    ...ids.diagnostics,
    ...hosts.diagnostics,
    ...limit.diagnostics,
    ...ctx.diagnostics,
    ...checks,
  ]);
  if (diagnostics.some((d) => d.severity === 'error') || options.materialize === false)
    return { diagnostics };
  const plan: Plan = {
    version: 1,
    file: workflow.file,
    name: planName(workflow),
    format: options.format ?? 'yaml',
    vars,
    secrets: workflow.secrets.map((s) => s.value),
    hosts: Object.fromEntries(hosts.catalog.hosts),
    root,
  };
  if (workflow.description) plan.description = workflow.description.value;
  if (workflow.notify) plan.notify = planNotify(workflow.notify);
  if (workflow.exitCodes) plan.exitCodes = workflow.exitCodes.value;
  // Copied: the plan would otherwise share templates and expressions with the caller's AST.
  return { plan: frozenCopy(plan), diagnostics };
}

/** Reference, routing and `needs` checks, then warnings. */
function checkWorkflow(
  workflow: Workflow,
  index: StepIndex,
  catalog: HostCatalog,
  vars: readonly PlanVar[],
  overridden: ReadonlySet<string>,
): Diagnostic[] {
  const varNames = vars.map((v) => v.name);
  const exprs = scopedExprs({ workflow, index, catalog, varNames, overridden });
  return [
    ...checkRefs(exprs, { index, declared: varNames }),
    ...checkRouting(index),
    ...checkNeeds(index),
    ...findUnreachable(workflow, index),
    ...findUnusedVars(workflow, exprs),
  ];
}

function rootNode(workflow: Workflow, children: PlanNode[], finallyNodes: PlanNode[]): Plan['root'] {
  return implicitSequence('steps', planName(workflow), workflow.span, children, finallyNodes);
}

function planVars(workflow: Workflow, overrides: Readonly<Record<string, string>>): PlanVar[] {
  const vars: PlanVar[] = workflow.vars.map((v) => {
    // Own keys only: `vars: {constructor: x}` must not read Object.prototype.constructor.
    const override = Object.hasOwn(overrides, v.name.value) ? overrides[v.name.value] : undefined;
    if (override !== undefined) return { name: v.name.value, value: override };
    return { name: v.name.value, value: 'parts' in v.value ? v.value : v.value.value };
  });
  const declared = new Set(vars.map((v) => v.name));
  for (const [name, value] of Object.entries(overrides)) if (!declared.has(name)) vars.push({ name, value });
  return vars;
}

function planNotify(notify: NonNullable<Workflow['notify']>): PlanNotify {
  const out: PlanNotify = {
    on: notify.on.value,
    timeoutMs: notify.timeoutMs?.value ?? DEFAULT_NOTIFY_TIMEOUT_MS,
  };
  if (notify.command) out.command = notify.command;
  if (notify.webhook) out.webhook = notify.webhook;
  return out;
}

function planName(workflow: Workflow): string {
  if (workflow.name) return workflow.name.value;
  const base = workflow.file.split(/[\\/]/).pop() ?? workflow.file;
  return base.replace(/\.[^.]+$/, '') || base;
}

// Sorted by position; a default shared by many steps reports its problem once.
function sortByPosition(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const unique = ds.filter((d) => {
    const key = `${d.code}:${d.span.file}:${d.span.line}:${d.span.col}:${d.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
  return unique.sort(
    (a, b) => a.span.file.localeCompare(b.span.file) || a.span.line - b.span.line || a.span.col - b.span.col,
  );
}
