import type { AstDefaults, AstEnvEntry, AstRetry } from '../model/ast.js';
import type { Template } from '../model/expr.js';
import type { RetryPolicy } from '../model/plan.js';
import type { Located } from '../model/span.js';

/** What `defaults:` blocks hand down to the commands inside them (inner blocks win). */
export interface Inherited {
  timeoutMs: number | null;
  connectTimeoutMs?: number;
  retry: Partial<Omit<AstRetry, 'span'>>;
  env: Readonly<Record<string, Template>>;
  cwd?: Template;
  host?: Located<string>;
  maxParallel: number;
  continueOnError: boolean;
  /** Secret name holding the sudo password (`defaults.sudo_password`). */
  sudoPassword?: Located<string>;
}

const DEFAULT_RETRY: RetryPolicy = {
  attempts: 1,
  delayMs: 0,
  backoff: 'fixed',
  maxDelayMs: 5 * 60_000,
  jitter: false,
  onExit: [],
};

export const ROOT_INHERITED: Inherited = {
  timeoutMs: null,
  retry: {},
  env: {},
  maxParallel: 0,
  continueOnError: false,
};

/** Applies one `defaults:` block on top of what the enclosing blocks set. */
export function applyDefaults(outer: Inherited, d: AstDefaults | undefined): Inherited {
  if (!d) return outer;
  const next: Inherited = {
    timeoutMs: d.timeoutMs?.value ?? outer.timeoutMs,
    retry: mergeRetry(outer.retry, d.retry),
    env: mergeEnv(outer.env, d.env),
    maxParallel: d.maxParallel?.value ?? outer.maxParallel,
    continueOnError: d.continueOnError?.value ?? outer.continueOnError,
  };
  const connectTimeoutMs = d.connectTimeoutMs?.value ?? outer.connectTimeoutMs;
  if (connectTimeoutMs !== undefined) next.connectTimeoutMs = connectTimeoutMs;
  const cwd = d.cwd ?? outer.cwd;
  if (cwd) next.cwd = cwd;
  const host = d.host ?? outer.host;
  if (host) next.host = host;
  const sudoPassword = d.sudoPassword ?? outer.sudoPassword;
  if (sudoPassword) next.sudoPassword = sudoPassword;
  return next;
}

export function mergeEnv(
  outer: Readonly<Record<string, Template>>,
  entries: readonly AstEnvEntry[],
): Record<string, Template> {
  const env: Record<string, Template> = { ...outer };
  for (const entry of entries) env[entry.name.value] = entry.value;
  return env;
}

// Retry merges field by field, so `retry: { attempts: 5 }` keeps a default delay.
function mergeRetry(outer: Inherited['retry'], r: AstRetry | undefined): Inherited['retry'] {
  if (!r) return outer;
  const merged: Inherited['retry'] = { ...outer };
  if (r.attempts) merged.attempts = r.attempts;
  if (r.delayMs) merged.delayMs = r.delayMs;
  if (r.backoff) merged.backoff = r.backoff;
  if (r.maxDelayMs) merged.maxDelayMs = r.maxDelayMs;
  if (r.jitter) merged.jitter = r.jitter;
  if (r.onExit) merged.onExit = r.onExit;
  return merged;
}

/** The retry policy of one command: defaults, then the step's own `retry:`. */
export function retryPolicy(inherited: Inherited, own: AstRetry | undefined): RetryPolicy {
  const r = mergeRetry(inherited.retry, own);
  return {
    attempts: r.attempts?.value ?? DEFAULT_RETRY.attempts,
    delayMs: r.delayMs?.value ?? DEFAULT_RETRY.delayMs,
    backoff: r.backoff?.value ?? DEFAULT_RETRY.backoff,
    maxDelayMs: r.maxDelayMs?.value ?? DEFAULT_RETRY.maxDelayMs,
    jitter: r.jitter?.value ?? DEFAULT_RETRY.jitter,
    onExit: [...(r.onExit?.value ?? DEFAULT_RETRY.onExit)],
  };
}
