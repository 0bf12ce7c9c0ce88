import type { Expr, Template } from './expr.js';
import type { Located, Span } from './span.js';

/**
 * What the file says, with spans and nothing resolved: optional keys stay undefined, durations are
 * already milliseconds, expressions are parsed. Both front ends (YAML and TASKER files) produce this.
 */

/** An expression written as a plain string (`success: exit == 0`) or wrapped in `${{ }}`. */
export interface AstExpr {
  source: string;
  expr: Expr;
  span: Span;
}

export type AstCommand =
  /** A string: runs through `/bin/sh -c` on its target. */
  | { kind: 'shell'; script: Template }
  /** A list: argv, no shell. */
  | { kind: 'argv'; args: Template[] };

export type BlockPolicy =
  | { kind: 'all' }
  | { kind: 'any' }
  | { kind: 'majority' }
  | { kind: 'min_success'; n: number }
  | { kind: 'max_failed'; n: number }
  /** At most N children succeeded (TASKER's `max_success=N`). */
  | { kind: 'max_success'; n: number }
  /** At least N children failed (TASKER's `min_failed=N`). */
  | { kind: 'min_failed'; n: number };

/** How an unhandled failure maps to the process exit code (`exit_codes:`); absent keys keep docs/exit-codes.md. */
export interface ExitCodePolicy {
  /** `step`: the exit code of the step whose failure ended the run (1 when it had none or 0). */
  failed?: 'step' | number;
  /** Exit code when a timed-out step ended the run. */
  timedOut?: number;
}

export interface AstRetry {
  /** Total attempts, including the first. */
  attempts: Located<number>;
  delayMs?: Located<number>;
  backoff?: Located<'fixed' | 'exponential'>;
  maxDelayMs?: Located<number>;
  jitter?: Located<boolean>;
  /** Retry only when the exit code is one of these. */
  onExit?: Located<number[]>;
  span: Span;
}

export interface AstLoop {
  max: Located<number>;
  until?: AstExpr;
  delayMs?: Located<number>;
  span: Span;
}

/** `hosts:` value: a group or host name, a glob pattern (`web*`), or a list of those. */
export interface AstHostsSelector {
  items: Located<string>[];
  span: Span;
}

export interface AstEnvEntry {
  name: Located<string>;
  value: Template;
}

/** Keys every step kind accepts. The parser rejects command-only keys on blocks (`key-not-allowed`). */
export interface AstCommon {
  id?: Located<string>;
  name?: Located<string>;
  when?: AstExpr;
  timeoutMs?: Located<number>;
  continueOnError?: Located<boolean>;
  onSuccess?: Located<string>;
  onFailure?: Located<string>;
  /** After this step (any kind), end the workflow with this exit code. */
  returnCode?: Located<number>;
  /** When this step's unhandled failure ends the workflow, exit with this code (`failure_exit`). */
  failureExit?: Located<number>;
  sleepMs?: Located<number>;
  /** Edges inside a `parallel` block: ids of siblings that must finish first. */
  needs?: Located<string>[];
  /** The whole step mapping. */
  span: Span;
  /** The kind key (`run`, `parallel`, …), where diagnostics about the step point. */
  keySpan: Span;
}

/** Keys that apply to commands (`run`, `copy`). */
export interface AstCommandKeys {
  host?: Located<string>;
  hosts?: AstHostsSelector;
  maxParallel?: Located<number>;
  maxFailed?: Located<number>;
  retry?: AstRetry;
  loop?: AstLoop;
  success?: AstExpr;
  failure?: AstExpr;
  env: AstEnvEntry[];
  cwd?: Template;
  stdin?: Template;
  pty?: Located<boolean>;
  /** Run as this user through sudo on the target. */
  sudo?: Located<string | true>;
  /** Name of the secret (listed in `secrets:`) holding the sudo password (`sudo_password`). */
  sudoPassword?: Located<string>;
}

export type AstStep =
  | (AstCommon & AstCommandKeys & { kind: 'run'; command: AstCommand })
  | (AstCommon & AstCommandKeys & { kind: 'copy'; src: Template; dest: Template; mode?: Located<number> })
  | (AstCommon & {
      kind: 'parallel';
      steps: AstStep[];
      max?: Located<number>;
      policy?: Located<BlockPolicy>;
      failFast?: Located<boolean>;
    })
  | (AstCommon & { kind: 'steps'; steps: AstStep[]; defaults?: AstDefaults; finally: AstStep[] })
  | (AstCommon & { kind: 'if'; condition: AstExpr; then: AstStep[]; else?: AstStep[] })
  | (AstCommon & { kind: 'return'; code: Located<number> });

export type AstStepKind = AstStep['kind'];

export interface AstDefaults {
  timeoutMs?: Located<number>;
  connectTimeoutMs?: Located<number>;
  retry?: AstRetry;
  env: AstEnvEntry[];
  cwd?: Template;
  host?: Located<string>;
  maxParallel?: Located<number>;
  continueOnError?: Located<boolean>;
  /** Secret name for the sudo password of the commands below (`sudo_password`). */
  sudoPassword?: Located<string>;
  span: Span;
}

export interface AstHost {
  name: Located<string>;
  address?: Located<string>;
  /**
   * The name given to ssh when it differs from `name` (Ansible's `ansible_host`): ~/.ssh/config is
   * matched on it, and it is the address unless that config's HostName says otherwise.
   */
  sshHost?: Located<string>;
  /** Host-key mode for this host (Ansible's `-o StrictHostKeyChecking=…` in its ssh args). */
  hostKeyPolicy?: Located<'strict' | 'accept-new'>;
  /** Why a step on this host cannot run (an inventory value tasker cannot use); an error where a step targets it. */
  unusable?: { message: string; hint: string; span: Span };
  user?: Located<string>;
  port?: Located<number>;
  /** Private key file. */
  key?: Located<string>;
  proxyJump?: Located<string>;
  /** Pinned host key fingerprint (`SHA256:…`). */
  fingerprint?: Located<string>;
  vars: { name: Located<string>; value: Template }[];
  span: Span;
}

export interface AstGroup {
  name: Located<string>;
  /** Host names, or other group names (children). */
  members: Located<string>[];
  span: Span;
}

export interface AstVar {
  name: Located<string>;
  /** Plain values are templates with one text part; a lone `${{ expr }}` keeps the value's type. */
  value: Template | Located<number | boolean | null>;
}

export interface AstNotify {
  on: Located<('failure' | 'success' | 'always')[]>;
  command?: AstCommand;
  webhook?: Template;
  timeoutMs?: Located<number>;
  span: Span;
}

export interface Workflow {
  file: string;
  version: Located<number>;
  name?: Located<string>;
  description?: Located<string>;
  vars: AstVar[];
  secrets: Located<string>[];
  hosts: AstHost[];
  groups: AstGroup[];
  /** Path as written; its hosts and groups are already merged into `hosts`/`groups` by the loader. */
  inventory?: Located<string>;
  defaults?: AstDefaults;
  steps: AstStep[];
  finally: AstStep[];
  notify?: AstNotify;
  exitCodes?: Located<ExitCodePolicy>;
  span: Span;
}
