import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { renderTemplate, templateValue } from '../expr/index.js';
import type { AstCommand } from '../model/ast.js';
import type { EvalContext, StepView, Template, Value } from '../model/expr.js';
import type { Plan, PlanNotify } from '../model/plan.js';
import type { RunResult } from '../model/result.js';
import { createMasker, type Masker } from '../output/index.js';

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

/** `failure` = any non-zero exit code (interrupts included); `success` = exit 0. */
export function alertMatches(notify: PlanNotify, exitCode: number): boolean {
  if (notify.on.includes('always')) return true;
  return notify.on.includes(exitCode === 0 ? 'success' : 'failure');
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
  const argv = renderCommand(command, ctx);
  if ('error' in argv) return { channel: 'command', ok: false, detail: masker.mask(argv.error) };
  const r = input.result;
  const env = {
    ...input.env,
    TASKER_RUN_ID: r.runId,
    TASKER_WORKFLOW: r.workflow,
    TASKER_STATUS: r.status,
    TASKER_EXIT_CODE: String(r.exitCode),
    TASKER_FAILED_STEP: r.failedStep ?? '',
    TASKER_REPORT: input.reportFile,
  };
  const detail = await spawnBounded(argv.args, env, timeoutMs, input.logFile, masker);
  return { channel: 'command', ok: detail === 'exit 0', detail: masker.mask(detail) };
}

function spawnBounded(
  args: string[],
  env: Record<string, string | undefined>,
  timeoutMs: number,
  logFile: string,
  masker: Masker,
): Promise<string> {
  return new Promise((resolve) => {
    const log = createWriteStream(logFile, { flags: 'a' });
    const child = spawn(args[0]!, args.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    // Chunks are masked one by one: a secret split across two chunks could slip through, so lines are joined first.
    let pending = '';
    const onData = (d: Buffer) => {
      pending += d.toString();
      const cut = pending.lastIndexOf('\n');
      if (cut >= 0) log.write(masker.mask(pending.slice(0, cut + 1)));
      if (cut >= 0) pending = pending.slice(cut + 1);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
      // A process that left the group (setsid) may hold the pipes open: 'close' must still come.
      child.stdout.destroy();
      child.stderr.destroy();
    }, timeoutMs);
    let ended = false;
    // A command that cannot start emits 'error' and then 'close': end the log once.
    const end = (detail: string) => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      log.end(masker.mask(pending), () => resolve(detail));
    };
    child.on('error', (err) => end(`could not start ${args[0]}: ${err.message}`));
    child.on('close', (code, signal) =>
      end(
        timedOut
          ? `timed out after ${timeoutMs / 1000}s`
          : code !== null
            ? `exit ${code}`
            : `killed by ${signal}`,
      ),
    );
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
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

function renderCommand(command: AstCommand, ctx: EvalContext): { args: string[] } | { error: string } {
  if (command.kind === 'shell') {
    const script = renderTemplate(command.script, ctx, 'shell');
    return script.ok
      ? { args: ['/bin/sh', '-c', script.value] }
      : { error: `cannot render command: ${script.error.message}` };
  }
  const args: string[] = [];
  for (const t of command.args) {
    const arg = renderTemplate(t, ctx, 'plain');
    if (!arg.ok) return { error: `cannot render command: ${arg.error.message}` };
    args.push(arg.value);
  }
  return args.length > 0 ? { args } : { error: 'notify.command is an empty list' };
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
  // End order: a fan-out's own result comes after its hosts' and so wins.
  for (const s of input.result.steps) {
    steps[s.id] = {
      exit: s.exitCode,
      stdout: '',
      stderr: '',
      success: s.status === 'ok',
      status: s.status,
      stdout_file: s.stdoutFile ?? '',
      stderr_file: s.stderrFile ?? '',
      duration: s.durationMs / 1000,
    };
  }
  return { vars, env: input.env, steps };
}

function isTemplate(v: Template | Value): v is Template {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'parts' in v;
}
