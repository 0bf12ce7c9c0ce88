import type { Span } from './span.js';

/** Stable diagnostic codes: tests and `--format json` consumers rely on these, never on message text. */
export type DiagCode =
  // file and YAML level
  | 'bad-file' // unreadable, binary, not UTF-8, too large
  | 'yaml-syntax'
  | 'yaml-alias' // aliases are refused (alias bombs) or too many
  | 'too-deep'
  | 'duplicate-key'
  // shape
  | 'unknown-key'
  | 'wrong-type'
  | 'missing-field'
  | 'multiple-kinds'
  | 'no-kind'
  | 'empty-block'
  | 'bad-value'
  | 'bad-version'
  | 'bad-duration'
  | 'bad-regex'
  | 'bad-exit-code'
  | 'bad-id'
  | 'bad-policy'
  | 'key-not-allowed' // a key valid elsewhere but not on this step kind
  // expressions and templates
  | 'expr-syntax'
  | 'unknown-function'
  | 'bad-arguments'
  | 'unsafe-template' // a `${{ }}` value in a script position no quoting makes safe
  | 'shell-syntax' // a script with `${{ }}` values that does not parse as POSIX sh and bash
  // references and structure (plan)
  | 'duplicate-id'
  | 'unknown-step'
  | 'backward-jump'
  | 'needs-cycle'
  | 'needs-outside-block'
  | 'undefined-var'
  | 'undefined-ref'
  | 'step-not-before'
  | 'unknown-host'
  | 'unknown-group'
  | 'inventory'
  | 'unknown-secret'
  // TASKER task files (src/legacy)
  | 'no-tasks'
  | 'inline-comment'
  | 'unsafe-value'
  | 'bad-flag' // a task-file header flag TASKER refuses with exit 2
  | 'sequence-gap'
  | 'unsupported'
  // warnings
  | 'name-shadows-id' // an anonymous step named like another step's id: both would be shown alike
  | 'ambiguous-precedence' // `a ?? b == c` without parentheses: reads as `a ?? (b == c)`
  | 'unreachable-step'
  | 'unused-var';

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  code: DiagCode;
  severity: Severity;
  message: string;
  span: Span;
  /** How to fix it, e.g. `did you mean "timeout"?`. */
  hint?: string;
  /** The span is in a file outside the workflow's directory: its text is never shown (no code frame). */
  foreign?: boolean;
}

/** Stage results are data: either a value or the diagnostics that prevented it. Warnings ride along. */
export type Result<T> =
  { ok: true; value: T; diagnostics: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };
