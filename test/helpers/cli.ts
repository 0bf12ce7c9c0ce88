import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '../..');
export const cliPath = join(repoRoot, 'dist/src/cli/main.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function tempDir(prefix = 'tasker-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes `DIR/NAME.yaml`: a workflow named NAME with `steps` (YAML lines indented under `steps:`). */
export function writeWorkflow(dir: string, name: string, steps: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `version: 1\nname: ${name}\nsteps:\n${steps}`);
  return file;
}

/** Starts the BUILT CLI (npm test builds first) with an isolated state home. */
export function startCli(args: readonly string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [cliPath, ...args], {
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: '1', TASKER_HOME: env.TASKER_HOME ?? tempDir('tasker-home-'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function collect(child: ChildProcess, hangMs = 60_000): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolvePromise, reject) => {
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`CLI hung for ${hangMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, hangMs);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      resolvePromise({ code, signal, stdout, stderr });
    });
    // A CLI that cannot be started (EACCES, ENOENT) emits 'error' and may never 'close': fail now, saying why.
    child.on('error', (error) => {
      clearTimeout(guard);
      reject(new Error(`the CLI could not be started: ${error.message}`));
    });
  });
}

export function runCli(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  return collect(startCli(args, env));
}

/** Resolves once `predicate` holds for the text seen so far on stdout (or stderr). */
export function waitForOutput(
  child: ChildProcess,
  predicate: (text: string) => boolean,
  hangMs = 30_000,
  stream: 'stdout' | 'stderr' = 'stdout',
): Promise<void> {
  let seen = '';
  return new Promise((resolvePromise, reject) => {
    const guard = setTimeout(() => reject(new Error(`output never matched; saw: ${seen}`)), hangMs);
    child[stream]?.on('data', (d: Buffer) => {
      seen += d.toString();
      if (predicate(seen)) {
        clearTimeout(guard);
        resolvePromise();
      }
    });
  });
}

/** A zombie (exited, not yet reaped by a PID 1 that never reaps) counts as dead. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
