import {
  collectRefs,
  CURRENT_FIELDS,
  didYouMean,
  ROOTS as ROOT_NAMES,
  STEP_FIELDS as VIEW_FIELDS,
  type Ref,
} from '../expr/index.js';

const BARE: readonly string[] = CURRENT_FIELDS;
import type { Diagnostic } from '../model/diagnostic.js';
import { planError } from './diagnostics.js';
import type { ScopedExpr, Scope } from './exprs.js';
import { commonDepth, type StepIndex, type StepInfo } from './ids.js';
import { orderOf, ancestorAt } from './order.js';

// What `steps.<id>.` may be followed by: expr's StepView fields, and `hosts` on fan-outs.
const STEP_FIELDS: readonly string[] = [...VIEW_FIELDS, 'hosts'];
const HOST_FIELDS = ['name', 'address', 'user', 'port'];

interface RefContext {
  index: StepIndex;
  /** Every var name of the file and `--var`, for "declared later" messages and hints. */
  declared: readonly string[];
}

/** Checks every reference of every expression against the scope it is evaluated in. */
export function checkRefs(exprs: readonly ScopedExpr[], ctx: RefContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { x, scope } of exprs) {
    for (const ref of collectRefs(x)) {
      const d = checkRef(ref, scope, ctx);
      if (d) out.push(d);
    }
  }
  return out;
}

function checkRef(ref: Ref, scope: Scope, ctx: RefContext): Diagnostic | undefined {
  const name = ref.path[0];
  switch (ref.root) {
    case 'vars':
      return name === undefined || ref.path.length > 1
        ? needsName(ref, 'vars.NAME')
        : checkVar(ref, name, scope, ctx);
    case 'env':
      return name === undefined || ref.path.length > 1 ? needsName(ref, 'env.NAME') : undefined;
    case 'steps':
      return checkStepRef(ref, scope, ctx);
    case 'host':
      if (!scope.host)
        return planError(
          'undefined-ref',
          `host.* is not available in \`${scope.where}\``,
          ref.span,
          'host.* works only in a step with `host:` or `hosts:`',
        );
      if (name === undefined || ref.path.length > 1) return needsName(ref, 'host.name');
      return HOST_FIELDS.includes(name) ? undefined : unknownField(ref, `host.${name}`, name, HOST_FIELDS);
    case 'iteration':
      if (ref.path.length > 0)
        return planError('undefined-ref', '`iteration` has no fields', ref.span, 'write iteration');
      return scope.iteration
        ? undefined
        : planError(
            'undefined-ref',
            `iteration is not available in \`${scope.where}\``,
            ref.span,
            'iteration works only in a step with `loop:`',
          );
    default:
      if (BARE.includes(ref.root)) return checkBare(ref, scope);
      return planError(
        'undefined-ref',
        `unknown name "${ref.root}"`,
        ref.span,
        didYouMean(ref.root, ROOT_NAMES, `names start with one of: ${ROOT_NAMES.join(', ')}`),
      );
  }
}

function needsName(ref: Ref, example: string): Diagnostic {
  return planError(
    'undefined-ref',
    `"${[ref.root, ...ref.path].join('.')}" is not a reference`,
    ref.span,
    `write ${example}`,
  );
}

function unknownField(ref: Ref, written: string, field: string, fields: readonly string[]): Diagnostic {
  return planError(
    'undefined-ref',
    `${written}: "${field}" is not a field`,
    ref.span,
    didYouMean(field, fields, `fields: ${fields.join(', ')}`),
  );
}

function checkVar(ref: Ref, name: string, scope: Scope, ctx: RefContext): Diagnostic | undefined {
  if (scope.vars.has(name)) return undefined;
  if (scope.where === 'vars' && ctx.declared.includes(name)) {
    return planError(
      'undefined-var',
      `vars.${name} is declared after the var that uses it`,
      ref.span,
      'a var can use only vars declared above it; move it up',
    );
  }
  const hint = didYouMean(name, scope.vars, `declare it under \`vars:\` or pass --var ${name}=VALUE`);
  return planError('undefined-var', `vars.${name} is not declared`, ref.span, hint);
}

function checkBare(ref: Ref, scope: Scope): Diagnostic | undefined {
  if (ref.path.length > 0)
    return planError('undefined-ref', `"${ref.root}" has no fields`, ref.span, `write ${ref.root}`);
  if (scope.bare) return undefined;
  const owner = scope.owner;
  const hint = owner?.explicitId
    ? `use steps.<id>.${ref.root} for an earlier step, e.g. steps.${owner.id}.${ref.root} from a later step`
    : `use steps.<id>.${ref.root} with the id of an earlier step`;
  return planError(
    'undefined-ref',
    `"${ref.root}" alone means the current step's result: only in success, failure and loop.until`,
    ref.span,
    hint,
  );
}

function checkStepRef(ref: Ref, scope: Scope, ctx: RefContext): Diagnostic | undefined {
  const id = ref.path[0];
  if (scope.steps === 'none')
    return planError(
      'undefined-ref',
      `step results are not available in \`${scope.where}\``,
      ref.span,
      'use steps.* inside a step, after the step it reads',
    );
  if (id === undefined) return needsName(ref, 'steps.<id>.stdout');
  const target = ctx.index.byId.get(id);
  if (!target) {
    return planError(
      'unknown-step',
      `steps.${id}: no step has the id "${id}"`,
      ref.span,
      didYouMean(id, ctx.index.byId.keys(), 'give the step an `id:`'),
    );
  }
  if (scope.steps === 'before' && scope.owner) {
    const d = notBefore(target, scope.owner, scope, ref);
    if (d) return d;
  }
  return checkStepField(ref, id, ref.path.slice(1));
}

// `steps.ID.FIELD` or `steps.ID.hosts.HOST.FIELD`.
function checkStepField(ref: Ref, id: string, rest: readonly string[]): Diagnostic | undefined {
  const [field, hostName, hostField, ...extra] = rest;
  const fields = STEP_FIELDS.filter((f) => f !== 'hosts');
  const shape = `write steps.${id}.stdout or steps.${id}.hosts.HOST.exit (fields: ${fields.join(', ')})`;
  if (field === undefined) return planError('undefined-ref', `steps.${id} needs a field`, ref.span, shape);
  if (!STEP_FIELDS.includes(field)) return unknownField(ref, `steps.${id}.${field}`, field, STEP_FIELDS);
  if (field !== 'hosts')
    return hostName === undefined
      ? undefined
      : planError('undefined-ref', `steps.${id}.${field} has no fields`, ref.span, shape);
  if (hostName === undefined || hostField === undefined || extra.length > 0)
    return planError('undefined-ref', `steps.${id}.hosts needs a host and a field`, ref.span, shape);
  return fields.includes(hostField)
    ? undefined
    : unknownField(ref, `steps.${id}.hosts.${hostName}.${hostField}`, hostField, fields);
}

function notBefore(target: StepInfo, owner: StepInfo, scope: Scope, ref: Ref): Diagnostic | undefined {
  const order = orderOf(target, owner);
  const id = target.id;
  const line = target.step.span.line;
  const fail = (message: string, hint: string): Diagnostic =>
    planError('step-not-before', message, ref.span, hint);
  switch (order) {
    case 'before':
      return undefined;
    case 'self':
      return scope.bare
        ? fail(
            `steps.${id} is this step itself`,
            `use bare exit, stdout, stderr, success… for this step's own result`,
          )
        : fail(
            `steps.${id} is this step itself: its result does not exist yet in \`${scope.where}\``,
            'reference an earlier step',
          );
    case 'enclosing':
      return fail(
        `step "${id}" (line ${line}) encloses this step and has not finished when it runs`,
        'reference a step before the block',
      );
    case 'inside':
      return fail(
        `step "${id}" (line ${line}) is inside this step and has not run when its \`${scope.where}\` is evaluated`,
        'move the check after the block',
      );
    case 'later':
      return fail(`step "${id}" (line ${line}) runs after this step`, `move "${id}" above this step`);
    case 'exclusive':
      return fail(
        `step "${id}" (line ${line}) is in the other branch of the same if`,
        'only one branch runs; reference a step before the if',
      );
    case 'parallel': {
      const sibling = ancestorAt(owner, commonDepth(target.path, owner.path) + 1);
      return fail(
        `step "${id}" (line ${line}) runs in parallel with this step`,
        `add needs: [${ancestorAt(target, sibling.path.length).id}] to "${sibling.id}" so it waits`,
      );
    }
  }
}
