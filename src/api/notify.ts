import { createLocalExecutor, type ExecCommand } from '../exec/index.js';
import { renderTemplate, templateValue } from '../expr/index.js';
import type { AstCommand } from '../model/ast.js';
import type { CancelReason } from '../model/cancel.js';
import type { EvalContext, StepView, Template, Value } from '../model/expr.js';
import type { Plan } from '../model/plan.js';
import { alertMatches } from '../model/notify.js';
import { workflowDir } from '../model/paths.js';
import { failedStepLabel } from '../model/labels.js';
import type { RunResult } from '../model/result.js';
import {
  createMasker,
  createStreamMasker,
  DEFAULT_CAPTURE_LIMIT_BYTES,
  openFileWriter,
  readCapture,
  type Masker,
} from '../output/index.js';

const LOCAL = { kind: 'local' } as const;
/** Between TERM and KILL of a timed-out alert command's process group. */
const KILL_GRACE_MS = 1000;

/** What one alert channel did; `detail` is masked. */
export interface AlertOutcome {
  channel: 'command' | 'webhook';
  ok: boolean;
  detail: string;
}

export interface AlertInput {
  plan: Plan;
  result: RunResult;
  /** report.json as written to the run dir (already masked). */
  reportJson: string;
  reportFile: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Where the command's output goes, masked. */
  logFile: string;
}

/** Sends the workflow's alerts when they match; never throws: a failing channel is an outcome. */
export async function sendAlerts(input: AlertInput): Promise<AlertOutcome[]> {
  const notify = input.plan.notify;
  if (!notify || !alertMatches(notify, input.result.exitCode)) return [];
  const masker = createMasker(input.plan.secrets.map((n) => input.env[n] ?? ''));
  const ctx = contextFor(input);
  const jobs: Promise<AlertOutcome>[] = [];
  if (notify.command) jobs.push(runAlertCommand(notify.command, notify.timeoutMs, ctx, input, masker));
  if (notify.webhook) jobs.push(postWebhook(notify.webhook, notify.timeoutMs, ctx, input, masker));
  return Promise.all(jobs);
}

async function runAlertCommand(
  command: AstCommand,
  timeoutMs: number,
  ctx: EvalContext,
  input: AlertInput,
  masker: Masker,
): Promise<AlertOutcome> {
  const rendered = renderCommand(command, ctx);
  if ('error' in rendered) return { channel: 'command', ok: false, detail: masker.mask(rendered.error) };
  const r = input.result;
  const env = {
    ...input.env,
    TASKER_RUN_ID: r.runId,
    TASKER_WORKFLOW: r.workflow,
    TASKER_STATUS: r.status,
    TASKER_EXIT_CODE: String(r.exitCode),
    TASKER_FAILED_STEP: r.failedStep ?? '',
    TASKER_FAILED_STEP_NAME: failedStepLabel(r) ?? '',
    TASKER_REPORT: input.reportFile,
  };
  // Relative paths in the command are the workflow's (docs/workflow-format.md#relative-paths).
  const cwd = workflowDir(input.plan.file);
  const detail = await execBounded(rendered, { env, cwd }, timeoutMs, input.logFile, masker);
  return { channel: 'command', ok: detail === 'exit 0', detail: masker.mask(detail) };
}

/**
 * Runs the alert command as a step runs: the local executor (its own process group, TERM then KILL
 * of the whole group on timeout, pipes let go when a background process holds them) and the output
 * layer's stream masking (a secret split across chunks is caught) and file writer.
 */
async function execBounded(
  command: ExecCommand,
  { env, cwd }: { env: Record<string, string | undefined>; cwd: string },
  timeoutMs: number,
  logFile: string,
  masker: Masker,
): Promise<string> {
  const program = command.kind === 'shell' ? '/bin/sh' : command.argv[0]!;
  // The alert runs even when its log cannot be written (a full disk is when it matters most).
  const log = openFileWriter(logFile, { createEmpty: true });
  const streams = { stdout: createStreamMasker(masker.secrets), stderr: createStreamMasker(masker.secrets) };
  const timeout = new AbortController();
  const reason: CancelReason = { kind: 'timeout', afterMs: timeoutMs };
  const timer = setTimeout(() => timeout.abort(reason), timeoutMs);
  const executor = createLocalExecutor({ baseEnv: env });
  try {
    const sink = {
      stdout: (c: Buffer) => log.write(streams.stdout.push(c)),
      stderr: (c: Buffer) => log.write(streams.stderr.push(c)),
    };
    const request = {
      target: LOCAL,
      command,
      env: {},
      cwd,
      pty: false,
      signal: timeout.signal,
      killGraceMs: KILL_GRACE_MS,
    };
    const out = await executor.exec(request, sink);
    if (timeout.signal.aborted) return `timed out after ${timeoutMs / 1000}s`;
    return out.exitCode !== null ? `exit ${out.exitCode}` : `killed by ${out.signal}`;
  } catch (err) {
    return `could not start ${program}: ${(err as Error).message}`;
  } finally {
    clearTimeout(timer);
    await executor.close();
    await log.write(Buffer.concat([streams.stdout.flush(), streams.stderr.flush()]));
    await log.close().catch(() => undefined);
  }
}

async function postWebhook(
  url: Template,
  timeoutMs: number,
  ctx: EvalContext,
  input: AlertInput,
  masker: Masker,
): Promise<AlertOutcome> {
  const rendered = renderTemplate(url, ctx, 'plain');
  if (!rendered.ok)
    return {
      channel: 'webhook',
      ok: false,
      detail: masker.mask(`cannot render webhook: ${rendered.error.message}`),
    };
  try {
    const res = await fetch(rendered.value, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'tasker' },
      body: masker.mask(input.reportJson),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.arrayBuffer().catch(() => undefined);
    return { channel: 'webhook', ok: res.ok, detail: `HTTP ${res.status}` };
  } catch (err) {
    const timedOut = err instanceof Error && err.name === 'TimeoutError';
    const why = timedOut ? `timed out after ${timeoutMs / 1000}s` : describeFetchError(err);
    return { channel: 'webhook', ok: false, detail: masker.mask(why) };
  }
}

function describeFetchError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return `${err.message}${cause}`;
}

function renderCommand(command: AstCommand, ctx: EvalContext): ExecCommand | { error: string } {
  if (command.kind === 'shell') {
    const script = renderTemplate(command.script, ctx, 'shell');
    return script.ok
      ? { kind: 'shell', script: script.value }
      : { error: `cannot render command: ${script.error.message}` };
  }
  const args: string[] = [];
  for (const t of command.args) {
    const arg = renderTemplate(t, ctx, 'plain');
    if (!arg.ok) return { error: `cannot render command: ${arg.error.message}` };
    args.push(arg.value);
  }
  return args.length > 0 ? { kind: 'argv', argv: args } : { error: 'notify.command is an empty list' };
}

/** `vars`, `env` and `steps.*` (status, exit, duration; outputs are not read back). */
function contextFor(input: AlertInput): EvalContext {
  const vars: Record<string, Value> = {};
  for (const v of input.plan.vars) {
    if (!isTemplate(v.value)) vars[v.name] = v.value;
    else {
      const r = templateValue(v.value, { vars, env: input.env, steps: {} });
      if (r.ok) vars[v.name] = r.value;
    }
  }
  const steps: Record<string, StepView> = {};
  // End order: a fan-out's own result comes after its hosts' and so wins. Outputs are read back
  // from the (masked) files, as a later step would have seen them.
  for (const s of input.result.steps) {
    steps[s.id] = {
      exit: s.exitCode,
      stdout: readCapture(s.stdoutFile, DEFAULT_CAPTURE_LIMIT_BYTES).text,
      stderr: readCapture(s.stderrFile, DEFAULT_CAPTURE_LIMIT_BYTES).text,
      success: s.status === 'ok',
      status: s.status,
      stdout_file: s.stdoutFile ?? '',
      stderr_file: s.stderrFile ?? '',
      stdout_bytes: 0,
      stderr_bytes: 0,
      duration: s.durationMs / 1000,
    };
  }
  return { vars, env: input.env, steps };
}

function isTemplate(v: Template | Value): v is Template {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'parts' in v;
}
