import { createLocalExecutor } from '../../src/exec/index.js';
import type { ExecCommand, ExecOutcome, ExecRequest, ExecSink } from '../../src/exec/types.js';
import type { Target } from '../../src/model/plan.js';

/** Request and sink builders shared by the executor tests (local and SSH). */
export function execRequest(
  target: Target,
  command: ExecCommand | string,
  extra: Partial<ExecRequest> = {},
): ExecRequest {
  const cmd = typeof command === 'string' ? { kind: 'shell' as const, script: command } : command;
  return {
    target,
    command: cmd,
    env: {},
    pty: false,
    signal: new AbortController().signal,
    killGraceMs: 1000,
    ...extra,
  };
}

export function collectSink(): { out: { stdout: string; stderr: string }; sink: ExecSink } {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    sink: {
      stdout: (c) => void (out.stdout += c.toString()),
      stderr: (c) => void (out.stderr += c.toString()),
    },
  };
}

/** A local request with a 2 s kill grace (the local tests' default). */
export const localRequest = (command: ExecCommand, extra: Partial<ExecRequest> = {}): ExecRequest =>
  execRequest({ kind: 'local' }, command, { killGraceMs: 2000, ...extra });

/** Runs `command` on a new local executor: the outcome and all it printed on each stream. */
export async function runLocal(
  command: ExecCommand,
  extra: Partial<ExecRequest> = {},
): Promise<ExecOutcome & { stdout: string; stderr: string }> {
  const { out, sink } = collectSink();
  const outcome = await createLocalExecutor().exec(localRequest(command, extra), sink);
  return { ...outcome, ...out };
}
