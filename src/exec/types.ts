import type { Target } from '../model/plan.js';
import type { StepError } from '../model/result.js';

/** A fully rendered command: templates are already expanded and quoted by the runner. */
export type ExecCommand = { kind: 'shell'; script: string } | { kind: 'argv'; argv: string[] };

export interface ExecRequest {
  target: Target;
  command: ExecCommand;
  /** Extra variables on top of the target's environment. */
  env: Readonly<Record<string, string>>;
  cwd?: string;
  stdin?: string;
  pty: boolean;
  /** Run as this user through sudo; the password (if any) comes from `sudoPassword`, never argv. */
  sudo?: string;
  sudoPassword?: string;
  /** Aborted on timeout or cancel; its `reason` is a CancelReason. */
  signal: AbortSignal;
  /** Grace between TERM and KILL. */
  killGraceMs: number;
  /** Who runs this (`step[@host]`), for the process registry and messages about leftovers. */
  label?: string;
}

/**
 * Raw bytes as they arrive; the output layer masks, splits lines and writes files. A returned promise
 * is back-pressure: the executor pauses that stream until it settles, so memory stays bounded.
 */
export interface ExecSink {
  stdout(chunk: Buffer): void | Promise<void>;
  stderr(chunk: Buffer): void | Promise<void>;
}

export interface ExecOutcome {
  /** null when killed by a signal. */
  exitCode: number | null;
  signal: string | null;
  /** E.g. "may still be running on web1" when a remote kill was never confirmed. */
  note?: string;
}

/** Thrown (rejected) only when the command could not run at all; a non-zero exit is an outcome. */
export class ExecError extends Error {
  constructor(
    readonly code: StepError['code'],
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ExecError';
  }
}

export interface CopyRequest {
  target: Target;
  src: string;
  dest: string;
  mode?: number;
  signal: AbortSignal;
}

export interface CopyOutcome {
  /** false when the destination already matched (size and checksum). */
  changed: boolean;
  files: number;
  bytes: number;
}

export interface Executor {
  /** Resolves for any exit code; rejects with ExecError only when the command could not run. */
  exec(req: ExecRequest, sink: ExecSink): Promise<ExecOutcome>;
  /** Optional: SFTP copy for `copy` steps. */
  copy?(req: CopyRequest): Promise<CopyOutcome>;
  close(): Promise<void>;
}

/** Chooses the executor for a target; built by the CLI or library caller and injected into the runner. */
export interface ExecutorSet {
  for(target: Target): Executor;
  close(): Promise<void>;
}
