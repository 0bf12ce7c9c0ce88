import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  buildLocalSpawn,
  createDryExecutor,
  createExecutorSet,
  createLocalExecutor,
  ExecError,
} from '../../src/exec/index.js';
import type { ExecCommand, Executor, ExecRequest, ExecSink } from '../../src/exec/index.js';
import type { CancelReason, Target } from '../../src/model/index.js';
import { createMasker, openStepOutput } from '../../src/output/index.js';
import { isAlive } from '../helpers/cli.js';
import { localRequest as request, runLocal as run } from '../helpers/exec.js';

const BIN = resolve(import.meta.dirname, '../../fixtures/bin');
const bin = (name: string): string => join(BIN, name);

let dir: string;
const strays: number[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tasker-local-'));
});
afterEach(() => {
  for (const pid of strays.splice(0)) kill(pid);
  rmSync(dir, { recursive: true, force: true });
});

function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

const sh = (script: string): ExecCommand => ({ kind: 'shell', script });
const argv = (...args: string[]): ExecCommand => ({ kind: 'argv', argv: args });

/** Collects output; `waitFor` resolves once stdout contains the text. */
function collector() {
  let stdout = '';
  let stderr = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  const sink: ExecSink = {
    stdout(chunk) {
      stdout += chunk.toString();
      for (const w of waiters.filter((w) => stdout.includes(w.text))) w.resolve();
    },
    stderr(chunk) {
      stderr += chunk.toString();
    },
  };
  const waitFor = (text: string) => new Promise<void>((resolve) => waiters.push({ text, resolve }));
  return { sink, waitFor, out: () => stdout, err: () => stderr };
}

function pidsFrom(file: string): number[] {
  const pids = readFileSync(file, 'utf8').trim().split(/\s+/).map(Number);
  strays.push(...pids);
  return pids;
}

const timeout: CancelReason = { kind: 'timeout', afterMs: 1 };

describe('local executor: commands', () => {
  it('runs a shell script through /bin/sh', async () => {
    const r = await run(sh('echo "$((1 + 2))" && echo err >&2'));
    expect(r).toMatchObject({ exitCode: 0, signal: null, stdout: '3\n', stderr: 'err\n' });
  });

  it('passes argv elements intact with no shell interpretation', async () => {
    const args = ['a b', `it's "quoted"`, '$HOME', '*', '; echo injected', ''];
    const r = await run(argv(bin('args.js'), ...args));
    expect(JSON.parse(r.stdout)).toEqual(args);
  });

  it('adds env on top of the parent environment', async () => {
    const r = await run(sh('echo "$TASKER_TEST_VAR:$PATH"'), { env: { TASKER_TEST_VAR: 'v 1' } });
    expect(r.stdout).toBe(`v 1:${process.env.PATH}\n`);
  });

  it('runs in cwd', async () => {
    const r = await run(argv('pwd'), { cwd: dir });
    expect(realpathSync(r.stdout.trim())).toBe(realpathSync(dir));
  });

  it('runs a -c script too long for one argument (E2BIG) through a pipe, stdin and args intact', async () => {
    const big = 'x'.repeat(1024 * 1024);
    const script = `printf %s "${big}" | wc -c; echo "$0 $1"; cat; if [ -e /proc/$$/fd/3 ]; then echo open; else echo closed; fi`;
    const viaSh = await run(argv('/bin/bash', '-c', script, 'name', 'arg1'), { stdin: 'in' });
    expect(viaSh).toMatchObject({ exitCode: 0, stdout: '1048576\nname arg1\ninclosed\n' });
    expect((await run(sh(`${script}; exit 7`))).exitCode).toBe(7);
    const spawn = buildLocalSpawn({ command: argv('/bin/bash', '-c', script), env: {} });
    expect(spawn.args).toEqual(['-c', 'eval "$(cat <&3)" 3<&-']);
    expect(spawn.script).toBe(script);
    // A short script stays an argument, so ps shows it.
    expect(buildLocalSpawn({ command: argv('/bin/sh', '-c', 'true'), env: {} }).script).toBeUndefined();
  });

  it('feeds stdin, and closes it when none is given', async () => {
    expect((await run(argv('cat'), { stdin: 'line1\nline2' })).stdout).toBe('line1\nline2');
    expect(await run(argv('cat'))).toMatchObject({ exitCode: 0, stdout: '' });
  });

  it('reports exit codes, including 127 from sh for a missing command', async () => {
    expect(await run(argv(bin('exit-with.sh'), '3'))).toMatchObject({ exitCode: 3, signal: null });
    expect(await run(sh('nosuchcmd-tasker-test'))).toMatchObject({ exitCode: 127, signal: null });
  });

  it('reports death by signal', async () => {
    expect(await run(argv(bin('exit-with.sh'), '-KILL'))).toMatchObject({
      exitCode: null,
      signal: 'SIGKILL',
    });
    expect(await run(argv(bin('exit-with.sh'), '-TERM'))).toMatchObject({
      exitCode: null,
      signal: 'SIGTERM',
    });
  });

  it('runs nothing when the signal is already aborted', async () => {
    const marker = join(dir, 'ran');
    const ac = new AbortController();
    ac.abort(timeout);
    const r = await run(sh(`touch ${marker}`), { signal: ac.signal });
    expect(r.exitCode).toBeNull();
    expect(existsSync(marker)).toBe(false);
  });
});

describe('local executor: spawn failures', () => {
  async function failure(command: ExecCommand, extra: Partial<ExecRequest> = {}): Promise<ExecError> {
    const error: unknown = await run(command, extra).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ExecError);
    return error as ExecError;
  }

  it('rejects a missing binary, naming it', async () => {
    const e = await failure(argv('nosuchcmd-tasker-test', 'x'));
    expect(e.code).toBe('spawn');
    expect(e.message).toContain('"nosuchcmd-tasker-test"');
    expect(e.message).toContain('ENOENT');
  });

  it('rejects a file that is not executable', async () => {
    const e = await failure(argv(bin('not-executable.sh')));
    expect(e.code).toBe('spawn');
    expect(e.message).toContain('not-executable.sh');
    expect(e.message).toContain('EACCES');
  });

  it('rejects a missing or non-directory cwd, naming the directory', async () => {
    const missing = join(dir, 'nope');
    const e1 = await failure(sh('true'), { cwd: missing });
    expect(e1.code).toBe('spawn');
    expect(e1.message).toContain(missing);
    const e2 = await failure(argv('true'), { cwd: bin('args.js') });
    expect(e2.message).toContain(bin('args.js'));
  });

  it('rejects an argument the OS cannot pass', async () => {
    const e = await failure(argv('echo', 'a\0b'));
    expect(e.code).toBe('spawn');
    expect(e.message).toContain('"echo"');
  });

  it.skipIf(existsSync('/usr/bin/sudo') || existsSync('/bin/sudo'))(
    'rejects sudo when it is not installed',
    async () => {
      const e = await failure(argv('id'), { sudo: 'root' });
      expect(e.code).toBe('spawn');
      expect(e.message).toContain('sudo');
    },
  );

  it('rejects an empty argv', async () => {
    expect((await failure(argv())).code).toBe('spawn');
  });
});

describe('local executor: timeouts and cancellation', () => {
  it('kills the whole process group, background grandchild included', async () => {
    const pidFile = join(dir, 'pids');
    const ac = new AbortController();
    const c = collector();
    const done = createLocalExecutor().exec(
      request(argv(bin('forever.sh'), pidFile), { signal: ac.signal, killGraceMs: 5000 }),
      c.sink,
    );
    await c.waitFor('ready');
    const [leader, grandchild] = pidsFrom(pidFile);
    expect(isAlive(grandchild!)).toBe(true);
    ac.abort(timeout);
    expect(await done).toMatchObject({ exitCode: null, signal: 'SIGTERM' });
    expect(isAlive(leader!)).toBe(false);
    expect(isAlive(grandchild!)).toBe(false);
  });

  it('KILLs a process that ignores SIGTERM after the grace', async () => {
    const ac = new AbortController();
    const c = collector();
    const done = createLocalExecutor().exec(
      request(argv(bin('ignore-term.sh')), { signal: ac.signal, killGraceMs: 200 }),
      c.sink,
    );
    await c.waitFor('ready');
    ac.abort(timeout);
    expect(await done).toMatchObject({ exitCode: null, signal: 'SIGKILL' });
  });

  it('settles when an escaped grandchild still holds the pipes', async () => {
    const pidFile = join(dir, 'pid');
    const ac = new AbortController();
    const c = collector();
    const done = createLocalExecutor().exec(
      request(argv(bin('escape.sh'), pidFile), { signal: ac.signal, killGraceMs: 200 }),
      c.sink,
    );
    await c.waitFor('ready');
    const [escaped] = pidsFrom(pidFile);
    ac.abort(timeout);
    expect(await done).toMatchObject({ exitCode: null, signal: 'SIGTERM' });
    // It left our process group on purpose (setsid), so it survives; afterEach cleans it up.
    expect(isAlive(escaped!)).toBe(true);
  });

  it('settles with a note when a background process keeps the pipes after a normal exit', async () => {
    const pidFile = join(dir, 'pid');
    const r = await run(argv(bin('leave-background.sh'), pidFile));
    pidsFrom(pidFile);
    expect(r).toMatchObject({ exitCode: 0, signal: null, stdout: 'done\n' });
    expect(r.note).toBeTypeOf('string');
  });

  it('close() kills groups still running', async () => {
    const executor = createLocalExecutor();
    const c = collector();
    const done = executor.exec(request(argv(bin('ignore-term.sh'))), c.sink);
    await c.waitFor('ready');
    await executor.close();
    expect(await done).toMatchObject({ signal: 'SIGKILL' });
  });
});

describe('local executor: output', () => {
  it('does not call the sink again while its promise is pending, not even after the child exits', async () => {
    let busy = false;
    let overlapped = false;
    let bytes = 0;
    const sink: ExecSink = {
      stdout(chunk) {
        if (busy) overlapped = true;
        busy = true;
        bytes += chunk.length;
        return new Promise((resolve) =>
          setImmediate(() => {
            busy = false;
            resolve();
          }),
        );
      },
      stderr: () => undefined,
    };
    // Node resumes paused stdio when the child exits; a few rounds make that race near certain.
    for (let round = 0; round < 5; round++) {
      const r = await createLocalExecutor().exec(request(argv(bin('spam.sh'), String(1024 * 1024))), sink);
      expect(r.exitCode).toBe(0);
    }
    expect(bytes).toBe(5 * 1024 * 1024);
    expect(overlapped).toBe(false);
  });

  it('writes every byte of 50 MB to the output file with a bounded capture', async () => {
    const size = 50 * 1000 * 1000;
    const output = openStepOutput({
      dir,
      baseName: 'spam',
      masker: createMasker([]),
      captureLimitBytes: 1024,
      tailLines: 5,
    });
    const r = await createLocalExecutor().exec(
      request(argv(bin('spam.sh'), String(size), 'stderr')),
      output.sink,
    );
    const captured = await output.finish();
    expect(r.exitCode).toBe(0);
    expect(captured.stderrBytes).toBe(size);
    expect(statSync(captured.stderrFile).size).toBe(size);
    const expected = Buffer.from('0123456789abcdef\n'.repeat(Math.ceil(size / 17))).subarray(0, size);
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(sha(readFileSync(captured.stderrFile))).toBe(sha(expected));
    expect(captured.truncated).toBe(true);
    // The first and last 512 bytes, cut at line ends, and one marker line between.
    const kept = captured.stderr.split('\n');
    expect(captured.stderr.length).toBeLessThan(1024 + 120);
    expect(kept[0]).toBe('0123456789abcdef');
    expect(kept.at(-1)).toBe('01234567');
    expect(kept.filter((l) => l.startsWith('[tasker: '))).toHaveLength(1);
    expect(captured.stderrTail).toHaveLength(5);
  });

  it('masks secrets in files and lines from a real process', async () => {
    const lines: string[] = [];
    const output = openStepOutput({
      dir,
      baseName: 'mask',
      masker: createMasker(['hunter2']),
      captureLimitBytes: 1024,
      tailLines: 5,
      onLine: (_s, l) => lines.push(l),
    });
    await createLocalExecutor().exec(request(sh('printf "pw=hun"; printf "ter2\\n"')), output.sink);
    const captured = await output.finish();
    expect(readFileSync(captured.stdoutFile, 'utf8')).toBe('pw=***\n');
    expect(lines).toEqual(['pw=***']);
  });
});

describe('buildLocalSpawn (sudo)', () => {
  const base = { env: {}, command: sh('id -u') } as const;

  it('runs the command directly without sudo', () => {
    expect(buildLocalSpawn({ ...base, stdin: 'in' })).toEqual({
      file: '/bin/sh',
      args: ['-c', 'id -u'],
      input: 'in',
    });
  });

  it('passes the sudo password on stdin, never in argv', () => {
    const s = buildLocalSpawn({ ...base, sudo: 'deploy', sudoPassword: 'pw', stdin: 'data' });
    expect(s).toEqual({
      file: 'sudo',
      args: ['-S', '-p', '', '-u', 'deploy', '--', '/bin/sh', '-c', 'id -u'],
      input: 'pw\ndata',
    });
  });

  it('uses -n without a password and preserves request env names', () => {
    const s = buildLocalSpawn({ env: { A: '1', B: '2' }, command: argv('ls', '-l'), sudo: 'root' });
    expect(s).toEqual({
      file: 'sudo',
      args: ['-n', '--preserve-env=A,B', '-u', 'root', '--', 'ls', '-l'],
      input: undefined,
    });
  });
});

describe('createDryExecutor', () => {
  it('succeeds at once and runs nothing', async () => {
    const marker = join(dir, 'ran');
    const c = collector();
    expect(await createDryExecutor().exec(request(sh(`touch ${marker}`)), c.sink)).toEqual({
      exitCode: 0,
      signal: null,
    });
    expect(existsSync(marker)).toBe(false);
    expect(c.out()).toBe('');
  });
});

describe('createExecutorSet', () => {
  const web1: Target = { kind: 'ssh', name: 'web1', vars: {} };
  const web2: Target = { kind: 'ssh', name: 'web2', vars: {} };

  function fake(closeError?: Error): Executor & { closed: number } {
    const e = {
      closed: 0,
      exec: () => Promise.resolve({ exitCode: 0, signal: null }),
      close: () => {
        e.closed++;
        return closeError === undefined ? Promise.resolve() : Promise.reject(closeError);
      },
    };
    return e;
  }

  it('routes local targets to local and creates the ssh executor once, on first use', async () => {
    const local = fake();
    const ssh = fake();
    let created = 0;
    const set = createExecutorSet({ local, ssh: () => (created++, ssh) });
    expect(set.for({ kind: 'local' })).toBe(local);
    expect(created).toBe(0);
    expect(set.for(web1)).toBe(ssh);
    expect(set.for(web2)).toBe(ssh);
    expect(created).toBe(1);
    await set.close();
    expect([local.closed, ssh.closed]).toEqual([1, 1]);
  });

  it('does not create the ssh executor just to close it', async () => {
    let created = 0;
    await createExecutorSet({ local: fake(), ssh: () => (created++, fake()) }).close();
    expect(created).toBe(0);
  });

  it('closes every executor even when one fails, then reports the failure', async () => {
    const local = fake(new Error('boom'));
    const ssh = fake();
    const set = createExecutorSet({ local, ssh: () => ssh });
    set.for(web1);
    await expect(set.close()).rejects.toThrow('boom');
    expect(ssh.closed).toBe(1);
  });

  it('fails the step, not the run, when an ssh target has no ssh executor', async () => {
    const error: unknown = await createExecutorSet({ local: fake() })
      .for(web1)
      .exec(request(sh('true'), { target: web1 }), collector().sink)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExecError);
    expect((error as ExecError).code).toBe('internal');
    expect((error as ExecError).message).toContain('web1');
  });
});
