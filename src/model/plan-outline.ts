import { CheckedRecord, isRecord } from './checked.js';
import { PLAN_NODE_KINDS, type PlanNodeKind } from './plan.js';

/**
 * The shape of a plan, small enough to keep with every run in the history: what `tasker serve` draws
 * as the run's graph, even after the workflow file changed or moved. Node ids are the step ids of the
 * run's step rows, so a node takes the status of its rows.
 */
export interface PlanOutline {
  version: 1;
  name: string;
  root: OutlineNode;
}

export interface OutlineNode {
  id: string;
  /** The step's name (its place, `steps[2] then[1]`, when anonymous); null in outlines kept before names were. */
  name: string | null;
  kind: PlanNodeKind;
  /** One line: the command's first line, a copy, a branch's condition; '' for blocks. */
  label: string;
  /** Sibling ids this node waits for (inside a parallel block). */
  needs: string[];
  /** Forward jumps: `on_success`/`on_failure` targets. */
  onSuccess: string | null;
  onFailure: string | null;
  /** A sequence's or parallel's children; a branch's [then, else]; a fan-out's none. */
  children: OutlineNode[];
  /** A branch with an `else` (its second child). */
  hasElse: boolean;
  /** A sequence's `finally` steps. */
  finally: OutlineNode[];
  /** A fan-out: how many hosts. */
  hosts: number | null;
  /** Attempts when retried (> 1), loop iterations at most. */
  retry: number | null;
  loop: number | null;
  /** `return N` (a return node's code, or a step's `return:`). */
  returnCode: number | null;
}

/** At most this many nodes are kept: a generated plan of thousands of steps is cut, not stored whole. */
export const MAX_OUTLINE_NODES = 2000;

/** Reads an outline back from its JSON (the history), checking every field; throws a TypeError naming it. */
export function checkOutline(value: unknown, where: string): PlanOutline {
  if (!isRecord(value)) throw new TypeError(`${where}: the plan is not an object`);
  const c = new CheckedRecord(value, where);
  if (c.integer('version') !== 1) c.fail('version', '1');
  return { version: 1, name: c.string('name'), root: checkNode(record(c, 'root', value.root)) };
}

function checkNode(c: CheckedRecord): OutlineNode {
  return {
    id: c.string('id'),
    name: c.stringOrNull('name'),
    kind: c.oneOf('kind', PLAN_NODE_KINDS),
    label: c.string('label'),
    needs: c.stringList('needs'),
    onSuccess: c.stringOrNull('onSuccess'),
    onFailure: c.stringOrNull('onFailure'),
    children: c.list('children').map((v, i) => checkNode(record(c, `children[${i}]`, v))),
    hasElse: c.boolOrNull('hasElse') === true,
    finally: c.list('finally').map((v, i) => checkNode(record(c, `finally[${i}]`, v))),
    hosts: c.integerOrNull('hosts'),
    retry: c.integerOrNull('retry'),
    loop: c.integerOrNull('loop'),
    returnCode: c.integerOrNull('returnCode'),
  };
}

function record(c: CheckedRecord, key: string, v: unknown): CheckedRecord {
  return isRecord(v) ? new CheckedRecord(v, `${c.where} ${key}`) : c.fail(key, 'an object', v);
}
