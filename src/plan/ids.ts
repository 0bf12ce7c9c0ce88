import type { AstStep, Workflow } from '../model/ast.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { planError, planWarning } from './diagnostics.js';

/** Which list of its owner a step sits in: the workflow or a `steps` block (`steps`, `finally`), an `if`, or a `parallel`. */
export type ListKey = 'steps' | 'finally' | 'then' | 'else' | 'parallel';

export interface Segment {
  list: ListKey;
  index: number;
}

/** One step of the workflow with its place in the tree. */
export interface StepInfo {
  step: AstStep;
  /** The user id, else the path id. */
  id: string;
  explicitId: boolean;
  /** Position from the workflow root, e.g. steps.3 → then.0. */
  path: readonly Segment[];
  pathId: string;
  parent?: StepInfo;
  /** The steps of the same list, this one included, in document order. */
  siblings: readonly StepInfo[];
}

export interface StepIndex {
  all: readonly StepInfo[];
  byAst: ReadonlyMap<AstStep, StepInfo>;
  /** Explicit ids only; the first step wins when an id is duplicated. */
  byId: ReadonlyMap<string, StepInfo>;
}

/** Lists of steps a step owns, keyed by how they appear in path ids. */
export function childLists(step: AstStep): [ListKey, AstStep[]][] {
  switch (step.kind) {
    case 'parallel':
      return [['parallel', step.steps]];
    case 'steps':
      return [
        ['steps', step.steps],
        ['finally', step.finally],
      ];
    case 'if':
      return step.else
        ? [
            ['then', step.then],
            ['else', step.else],
          ]
        : [['then', step.then]];
    default:
      return [];
  }
}

function pathIdOf(path: readonly Segment[]): string {
  return path.map((s) => `${s.list}.${s.index}`).join('.');
}

/** Assigns ids (user ids kept, anonymous steps get path ids) and reports duplicate user ids. */
export function indexSteps(workflow: Workflow): { index: StepIndex; diagnostics: Diagnostic[] } {
  const all: StepInfo[] = [];
  const byAst = new Map<AstStep, StepInfo>();
  const visitList = (
    list: ListKey,
    steps: AstStep[],
    prefix: readonly Segment[],
    parent?: StepInfo,
  ): void => {
    const siblings: StepInfo[] = [];
    steps.forEach((step, index) => {
      const path = [...prefix, { list, index }];
      const pathId = pathIdOf(path);
      const id = step.id?.value ?? pathId;
      const info: StepInfo = { step, id, explicitId: step.id !== undefined, path, pathId, siblings };
      if (parent) info.parent = parent;
      siblings.push(info);
      all.push(info);
      byAst.set(step, info);
      for (const [key, children] of childLists(step)) visitList(key, children, path, info);
    });
  };
  visitList('steps', workflow.steps, []);
  visitList('finally', workflow.finally, []);
  const { byId, diagnostics } = indexIds(all);
  return { index: { all, byAst, byId }, diagnostics };
}

function indexIds(all: readonly StepInfo[]): { byId: Map<string, StepInfo>; diagnostics: Diagnostic[] } {
  const byId = new Map<string, StepInfo>();
  const diagnostics: Diagnostic[] = [];
  for (const info of all) {
    const id = info.step.id;
    if (!id) continue;
    const first = byId.get(id.value);
    if (!first) {
      byId.set(id.value, info);
      continue;
    }
    const line = first.step.id?.span.line ?? first.step.span.line;
    diagnostics.push(
      planError(
        'duplicate-id',
        `step id "${id.value}" is already used`,
        id.span,
        `the first "${id.value}" is on line ${line}; rename one of them`,
      ),
    );
  }
  // An anonymous step is shown by its name (model/labels.ts): one named like another step's id
  // would read as that step in every report, `show` and `logs`.
  for (const info of all) {
    const name = info.step.id ? undefined : info.step.name;
    const owner = name && byId.get(name.value);
    if (!name || !owner) continue;
    diagnostics.push(
      planWarning(
        'name-shadows-id',
        `step name "${name.value}" is the id of the step on line ${owner.step.id?.span.line ?? owner.step.span.line}; reports, \`show\` and \`logs\` would show both as "${name.value}"`,
        name.span,
        `give this step an id of its own (\`id: ${name.value}-2\`), or another name`,
      ),
    );
  }
  return { byId, diagnostics };
}

/** Number of leading segments two paths share. */
export function commonDepth(a: readonly Segment[], b: readonly Segment[]): number {
  let d = 0;
  while (d < a.length && d < b.length && a[d]?.list === b[d]?.list && a[d]?.index === b[d]?.index) d++;
  return d;
}
