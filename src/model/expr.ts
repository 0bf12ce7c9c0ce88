import type { Span } from './span.js';

/** A runtime value inside expressions. Lists come from `lines()` and `split()`. */
export type Value = string | number | boolean | null | Value[];

export type BinaryOp = '&&' | '||' | '??' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '~' | '!~';

/** Expression AST. No arithmetic and no side effects: expressions are pure. */
export type Expr =
  | { kind: 'literal'; value: string | number | boolean | null; span: Span }
  | { kind: 'regex'; pattern: string; flags: string; span: Span }
  /** `steps.build.stdout` → root `steps`, path ['build', 'stdout']; `exit` → root `exit`, path []. */
  | { kind: 'ref'; root: string; path: string[]; span: Span }
  | { kind: 'unary'; op: '!'; operand: Expr; span: Span }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; span: Span }
  | { kind: 'call'; name: string; args: Expr[]; span: Span }
  | { kind: 'index'; target: Expr; index: Expr; span: Span };

export type TemplatePart =
  | { kind: 'text'; text: string; span: Span }
  /** `${{ expr }}`; `raw` is true for `${{ raw(expr) }}`, which opts out of shell quoting. */
  | { kind: 'expr'; expr: Expr; raw: boolean; span: Span };

/** A string from the file with its `${{ }}` parts parsed. A plain string has one text part. */
export interface Template {
  parts: TemplatePart[];
  span: Span;
}

/** What a step exposes to later expressions (`steps.<id>.…`) and to its own `success`/`until`. */
export interface StepView {
  exit: number | null;
  stdout: string;
  stderr: string;
  success: boolean;
  status: string;
  stdout_file: string;
  stderr_file: string;
  /** Size of each whole stream in bytes (after masking); `stdout` may hold only its head. */
  stdout_bytes: number;
  stderr_bytes: number;
  /** Seconds, as a float. */
  duration: number;
  /** Per-host results of a fan-out step, by host name. */
  hosts?: Record<string, StepView>;
  /** Dry run: the step did not really run, so every field but the output file paths is unknown. */
  unknown?: boolean;
}

/** Everything an expression can read. Missing entries are `undefined`, and reading them is an error. */
export interface EvalContext {
  vars: Readonly<Record<string, Value>>;
  env: Readonly<Record<string, string | undefined>>;
  steps: Readonly<Record<string, StepView>>;
  /** The step being judged (for `exit`, `stdout`, … in `success`, `failure`, `loop.until`). */
  current?: StepView;
  host?: { name: string; address: string; user?: string; port?: number };
  /** Loop iteration, 1-based, inside `loop`. */
  iteration?: number;
  /**
   * Dry run: a reference without a value (an unset env var or secret, a step that did not run) is
   * unknown instead of an error, and so is everything computed from it.
   */
  dryRun?: boolean;
  /** Vars whose value only a real run would know (computed from an unset secret in a dry run). */
  unknownVars?: ReadonlySet<string>;
}
