/**
 * TASKER 2.2's input screening (reference S1, S2): the exact patterns and limits it applies to
 * `command`, `arguments`, `hostname` and global variables. A hit is a validation error (exit 20).
 */

/** Shell injection patterns, matched case-insensitively anywhere in the text. */
const INJECTION: readonly RegExp[] = [
  /;\s*rm\s+/i,
  /;\s*curl\s+/i,
  /;\s*wget\s+/i,
  /;\s*cat\s+/i,
  /\|\s*nc\s+/i,
  /\$\([^)]+\)/i,
  /`[^`]+`/i,
  /&&\s*rm\s+/i,
  /\|\|\s*curl\s+/i,
  />\s*\/dev\//i,
  /<\s*\/dev\//i,
];

/** Path traversal patterns, matched case-insensitively anywhere in the text. */
const TRAVERSAL: readonly RegExp[] = [
  /\.\.\//i,
  /\.\.\\/i,
  /%2e%2e%2f/i,
  /%2e%2e%5c/i,
  /\.\.%2f/i,
  /\.\.%5c/i,
  /%252e%252e%252f/i,
  /\/etc\/passwd/i,
  /\/etc\/shadow/i,
  /\/proc\/version/i,
  /c:\\windows\\/i,
];

const METACHARS = /[;&|$`()<>\\"'\n\r]/;
const HAS_GLOBAL = /@[A-Za-z_][A-Za-z0-9_]*@/;

const ARGUMENTS_MAX = 2000;
const COMMAND_MAX = 4096;
const HOSTNAME_MAX = 253;
const GLOBAL_VALUE_MAX = 1024;

/** The first pattern of a list that matches, as its source text. */
function firstHit(patterns: readonly RegExp[], text: string): string | undefined {
  return patterns.find((p) => p.test(text))?.source;
}

const show = (text: string): string => JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);

/** Whether an `exec=` value (globals resolved) is screened leniently: only `shell` and its aliases are. */
export function isLenientExec(exec: string | undefined): boolean {
  if (exec === undefined) return false;
  return ['shell', 'sh', 'bash', '/bin/sh', '/bin/bash'].includes(exec.trim().toLowerCase());
}

/** S1 for `arguments`: why it is refused, or undefined. */
export function screenArguments(text: string, lenient: boolean): string | undefined {
  if (text.length > ARGUMENTS_MAX)
    return `arguments are ${text.length} characters long (maximum ${ARGUMENTS_MAX})`;
  const injection = lenient ? undefined : firstHit(INJECTION, text);
  if (injection) return `arguments ${show(text)} match the injection pattern /${injection}/`;
  const traversal = firstHit(TRAVERSAL, text);
  if (traversal) return `arguments ${show(text)} contain the path traversal pattern /${traversal}/`;
  return undefined;
}

/** S1 for `command`. */
export function screenCommand(text: string, lenient: boolean): string | undefined {
  if (text === '') return 'command is empty';
  if (text.length > COMMAND_MAX && !HAS_GLOBAL.test(text))
    return `command is ${text.length} characters long (maximum ${COMMAND_MAX})`;
  if (lenient) return undefined;
  if (METACHARS.test(text)) return `command ${show(text)} contains shell metacharacters`;
  const injection = firstHit(INJECTION, text);
  if (injection) return `command ${show(text)} matches the injection pattern /${injection}/`;
  return undefined;
}

/** S1 for `hostname`, for every exec type. */
export function screenHostname(text: string): string | undefined {
  if (text === '') return 'hostname is empty';
  if (text.length > HOSTNAME_MAX && !HAS_GLOBAL.test(text))
    return `hostname is ${text.length} characters long (maximum ${HOSTNAME_MAX})`;
  if (METACHARS.test(text)) return `hostname ${show(text)} contains shell metacharacters`;
  return undefined;
}

/** S2: a global's value after `$VAR` expansion. */
export function screenGlobalValue(value: string): string | undefined {
  if (value.length > GLOBAL_VALUE_MAX)
    return `value is ${value.length} characters long (maximum ${GLOBAL_VALUE_MAX})`;
  // A `-c "…"` script is allowed its shell syntax; traversal never is.
  const script = value.startsWith('-c ') && /["']/.test(value);
  const injection = script ? undefined : firstHit(INJECTION, value);
  if (injection) return `value ${show(value)} matches the injection pattern /${injection}/`;
  const traversal = firstHit(TRAVERSAL, value);
  if (traversal) return `value ${show(value)} contains the path traversal pattern /${traversal}/`;
  return undefined;
}

/** S3 (`--strict-env-validation`): the first `$VAR`/`${VAR}` in a raw value not starting with `TASKER_`. */
export function strictEnvViolation(raw: string): string | undefined {
  for (const m of raw.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g)) {
    const name = m[1] ?? m[2]!;
    if (!name.startsWith('TASKER_')) return name;
  }
  return undefined;
}
