import type { AstCommand, BlockPolicy, ExitCodePolicy } from './ast.js';
import type { Expr, Template, Value } from './expr.js';
import type { Span } from './span.js';

/**
 * What will run: defaults applied, ids assigned, hosts resolved, references checked. Immutable and
 * serializable (`tasker plan --format json`). Runtime state never goes here.
 */

/** A user id (`build`) or a stable path id for anonymous steps (`steps.2`, `steps.3.then.0`). */
export type StepId = string;

export type Target =
  | { kind: 'local' }
  | {
      kind: 'ssh';
      /** Inventory name, used in ids, output prefixes and reports. */
      name: string;
      /** What to connect to; unset means "ask ~/.ssh/config for HostName, else the name". */
      address?: string;
      /** The name given to ssh instead of `name` (Ansible's ansible_host): ~/.ssh/config matches on it. */
      sshHost?: string;
      /** This host's host-key mode; the run's own setting (--accept-new-host-keys) wins. */
      hostKeyPolicy?: 'strict' | 'accept-new';
      port?: number;
      user?: string;
      keyFile?: string;
      proxyJump?: string;
      fingerprint?: string;
      connectTimeoutMs?: number;
      vars: Readonly<Record<string, Template>>;
    };

export interface RetryPolicy {
  attempts: number;
  delayMs: number;
  backoff: 'fixed' | 'exponential';
  maxDelayMs: number;
  jitter: boolean;
  /** Empty: retry on any failure. */
  onExit: readonly number[];
}

export interface LoopPolicy {
  max: number;
  until?: Expr;
  delayMs: number;
}

/** Routing and bookkeeping every node has. */
export interface PlanCommon {
  id: StepId;
  /** Display name: the `name:` key, else the id. */
  name: string;
  /** True when the id was written by the user (and so may be referenced). */
  explicitId: boolean;
  span: Span;
  when?: Expr;
  /** null = no timeout. */
  timeoutMs: number | null;
  continueOnError: boolean;
  onSuccess?: StepId;
  onFailure?: StepId;
  returnCode?: number;
  /** Exit code of the run when this node's unhandled failure ends it. */
  failureExit?: number;
  sleepMs: number;
  needs: readonly StepId[];
}

export interface CommandSpec {
  command: AstCommand;
  env: Readonly<Record<string, Template>>;
  cwd?: Template;
  stdin?: Template;
  pty: boolean;
  sudo?: string;
  /** Name of the secret whose value is sent to sudo on stdin; only with `sudo`. */
  sudoPasswordSecret?: string;
  retry: RetryPolicy;
  loop?: LoopPolicy;
  success?: Expr;
  failure?: Expr;
}

export interface CopySpec {
  src: Template;
  dest: Template;
  mode?: number;
  retry: RetryPolicy;
}

export type PlanNode =
  | (PlanCommon & { kind: 'command'; target: Target; spec: CommandSpec })
  | (PlanCommon & { kind: 'copy'; target: Target; spec: CopySpec })
  /** One instance of `template` per target; ids of instances are `<id>@<host>`. */
  | (PlanCommon & {
      kind: 'fanout';
      targets: readonly Target[];
      maxParallel: number;
      maxFailed: number;
      template:
        | (PlanCommon & { kind: 'command'; target: Target; spec: CommandSpec })
        | (PlanCommon & { kind: 'copy'; target: Target; spec: CopySpec });
    })
  | (PlanCommon & { kind: 'sequence'; children: readonly PlanNode[]; finally: readonly PlanNode[] })
  | (PlanCommon & {
      kind: 'parallel';
      children: readonly PlanNode[];
      /** 0 = unlimited. */
      max: number;
      policy: BlockPolicy;
      failFast: boolean;
    })
  | (PlanCommon & { kind: 'branch'; condition: Expr; then: PlanNode; else?: PlanNode })
  | (PlanCommon & { kind: 'return'; code: number });

export type PlanNodeKind = PlanNode['kind'];

export const PLAN_NODE_KINDS = [
  'command',
  'copy',
  'fanout',
  'sequence',
  'parallel',
  'branch',
  'return',
] as const satisfies readonly PlanNodeKind[];

/** An ssh target: a host from the inventory or `hosts:`. */
export type SshTarget = Extract<Target, { kind: 'ssh' }>;

export interface PlanVar {
  name: string;
  /** Evaluated in order at run start, so a var may use earlier vars and `env`. */
  value: Template | Value;
}

export interface PlanNotify {
  on: readonly ('failure' | 'success' | 'always')[];
  command?: AstCommand;
  webhook?: Template;
  timeoutMs: number;
}

export interface Plan {
  version: 1;
  file: string;
  name: string;
  description?: string;
  /** Which front end produced it; reports may show it, the runner ignores it. */
  format: 'yaml' | 'tasker';
  vars: readonly PlanVar[];
  /** Names of secrets, read from the environment at run time and masked everywhere. */
  secrets: readonly string[];
  hosts: Readonly<Record<string, Target>>;
  root: PlanNode & { kind: 'sequence' };
  notify?: PlanNotify;
  /** Exit-code mapping for unhandled failures; absent = docs/exit-codes.md defaults. */
  exitCodes?: ExitCodePolicy;
}
