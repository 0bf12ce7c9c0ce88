import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { lookup } from 'node:dns/promises';
import { delimiter, join } from 'node:path';
import { shlexSplit, type ExecType, type HostChecks } from '../legacy/index.js';
import type { Io } from './io.js';

export interface HostValidationOptions {
  /** `--skip-command-validation`: no check that each exec type's binary is installed. */
  skipCommand: boolean;
  env: NodeJS.ProcessEnv;
}

type HostOutcome = 'ok' | 'unresolved' | 'unreachable' | 'test-failed';

const LOOKUP_LIMIT_MS = 5000;
const PING_LIMIT_MS = 5000;
const DEFAULT_TEST_TIMEOUT_S = 10;

/**
 * TASKER's host pre-validation (S14 steps 3-5): each exec type's binary on PATH (61), then per host
 * name resolution, `ping -c 1 -W 1` and each type's `validation_test`. Resolves to 0, or TASKER's
 * exit code: 61 if a connection test failed, else 60 if a host is unreachable, else 21.
 */
export async function validateHosts(checks: HostChecks, o: HostValidationOptions, io: Io): Promise<number> {
  if (!o.skipCommand) {
    const missing = checks.types.filter((t) => !onPath(t.binary, o.env));
    if (missing.length > 0) {
      const list = missing.map((t) => `${t.binary} (${t.name})`).join(', ');
      io.err(
        `tasker: required remote execution commands not found: ${list}; install them or pass --skip-command-validation`,
      );
      return 61;
    }
  }
  if (checks.hosts.length === 0) return 0;
  const ping = onPath('ping', o.env);
  if (!ping)
    io.err('tasker: warning: ping is not installed; host reachability is not tested (difference 22)');
  const types = new Map(checks.types.map((t) => [t.name, t]));
  const outcomes = await Promise.all(
    checks.hosts.map(async ({ host, types: names }) => {
      const outcome = await checkHost(
        host,
        names.flatMap((n) => (types.has(n) ? [types.get(n)!] : [])),
        {
          ping,
          timeoutS: testTimeout(checks, o.env),
        },
      );
      if (outcome !== 'ok') io.err(`tasker: host validation failed for ${host}: ${DESCRIBE[outcome]}`);
      return outcome;
    }),
  );
  if (outcomes.includes('test-failed')) return 61;
  if (outcomes.includes('unreachable')) return 60;
  return outcomes.includes('unresolved') ? 21 : 0;
}

const DESCRIBE: Readonly<Record<HostOutcome, string>> = {
  ok: 'ok',
  unresolved: 'the name does not resolve (/etc/hosts, DNS)',
  unreachable: 'it does not answer ping',
  'test-failed': "an exec type's validation_test failed",
};

async function checkHost(
  host: string,
  types: readonly ExecType[],
  o: { ping: boolean; timeoutS: (t: ExecType) => number },
): Promise<HostOutcome> {
  if (!(await resolves(host))) return 'unresolved';
  if (o.ping && (await run(['ping', '-c', '1', '-W', '1', host], PING_LIMIT_MS)).code !== 0)
    return 'unreachable';
  for (const type of types) {
    const test = type.validationTest;
    if (!test) continue;
    const r = await run(testArgv(type, host), o.timeoutS(type) * 1000);
    const output = test.expectedOutput === undefined || r.stdout.includes(test.expectedOutput);
    if (r.code !== test.expectedExit || !output) return 'test-failed';
  }
  return 'ok';
}

async function resolves(host: string): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<boolean>(
    (resolve) => (timer = setTimeout(() => resolve(false), LOOKUP_LIMIT_MS)),
  );
  try {
    return await Promise.race([
      lookup(host).then(
        () => true,
        () => false,
      ),
      limit,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The validation test run through the type's `command_template`. */
function testArgv(type: ExecType, host: string): string[] {
  const test = type.validationTest!;
  return type.template.flatMap((part) =>
    part === '{arguments_split}'
      ? (shlexSplit(test.arguments) ?? [])
      : [
          part
            .replaceAll('{binary}', type.binary)
            .replaceAll('{hostname}', host)
            .replaceAll('{command}', test.command)
            .replaceAll('{arguments}', test.arguments)
            .trimEnd(),
        ],
  );
}

/** The test's own timeout, else `default_validation_timeout`, else 10 s; `$VALIDATION_TEST_TIMEOUT` overrides. */
function testTimeout(checks: HostChecks, env: NodeJS.ProcessEnv): (t: ExecType) => number {
  const forced = Number(env.VALIDATION_TEST_TIMEOUT);
  return (t) =>
    forced > 0 ? forced : (t.validationTest?.timeoutS ?? checks.validationTimeoutS ?? DEFAULT_TEST_TIMEOUT_S);
}

function onPath(binary: string, env: NodeJS.ProcessEnv): boolean {
  const candidates = binary.includes('/')
    ? [binary]
    : (env.PATH ?? '')
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, binary));
  return candidates.some((p) => {
    try {
      accessSync(p, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Runs argv with a time limit; a spawn error or the limit is a failure (code -1). */
function run(argv: readonly string[], limitMs: number): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    let stdout = '';
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'ignore'], timeout: limitMs });
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('error', () => resolve({ code: -1, stdout }));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout }));
  });
}
