import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSshExecutor, type SshExecutor, type SshOptions } from '../../src/exec/ssh/index.js';
import type { ExecSink } from '../../src/exec/types.js';
import { repoRoot } from '../helpers/cli.js';
import { collectSink, execRequest } from '../helpers/exec.js';
import { sshdTarget, startSshd } from '../helpers/sshd.js';

const sshd = await startSshd({ hosts: 16 });
const executors: SshExecutor[] = [];

afterAll(async () => {
  await Promise.all(executors.map((e) => e.close()));
  await sshd?.stop();
});

function executor(extra: SshOptions = {}): SshExecutor {
  const e = createSshExecutor({
    knownHostsFiles: [sshd!.knownHostsFile],
    sshConfigFile: null,
    agentSocket: null,
    ...extra,
  });
  executors.push(e);
  return e;
}

/** Runs a shell script on the first address and returns the outcome plus output. */
async function run(e: SshExecutor, script: string, extra: Parameters<typeof execRequest>[2] = {}) {
  const { out, sink } = collectSink();
  const outcome = await e.exec(execRequest(sshdTarget(sshd!), script, extra), sink);
  return { ...outcome, ...out };
}

describe.skipIf(!sshd)('ssh executor against a real sshd', () => {
  it('keeps stdout and stderr apart and reports the exit code', async () => {
    const r = await run(executor(), 'echo out; echo err >&2; exit 3');
    expect(r).toMatchObject({ exitCode: 3, signal: null, stdout: 'out\n', stderr: 'err\n' });
    expect(r.note).toBeUndefined();
  });

  it('quotes argv so every word arrives unchanged', async () => {
    const words = ['a b', "it's", '$HOME', '"q"', '', 'back\\slash', '*', 'semi;colon', 'new\nline', '`id`'];
    const { out, sink } = collectSink();
    const r = await executor().exec(
      execRequest(sshdTarget(sshd!), { kind: 'argv', argv: ['printf', '[%s]', ...words] }),
      sink,
    );
    expect(r.exitCode).toBe(0);
    expect(out.stdout).toBe(words.map((w) => `[${w}]`).join(''));
  });

  it('applies env, cwd and stdin', async () => {
    const r = await run(executor(), 'pwd; printf "%s\\n" "$FOO" "$BAR"; cat', {
      env: { FOO: "x y'z", BAR: '$(echo no)' },
      cwd: '/usr/share',
      stdin: 'line1\nline2\n',
    });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe("/usr/share\nx y'z\n$(echo no)\nline1\nline2\n");
  });

  it('fails the command (not the executor) when cwd does not exist', async () => {
    const r = await run(executor(), 'echo never', { cwd: '/no/such/dir' });
    expect(r.exitCode).not.toBe(0);
    expect(r.stdout).toBe('');
  });

  it('allocates a pty only when asked', async () => {
    const e = executor();
    expect((await run(e, 'tty -s', { pty: true })).exitCode).toBe(0);
    expect((await run(e, 'tty -s')).exitCode).not.toBe(0);
  });

  it('reuses one connection for sequential commands', async () => {
    const e = executor();
    const ports = new Set<string>();
    for (let i = 0; i < 20; i++) ports.add((await run(e, 'echo $SSH_CONNECTION')).stdout.split(' ')[1]!);
    expect(ports.size).toBe(1);
  });

  it('runs 30 concurrent commands on one host under the channel cap', async () => {
    const e = executor({ maxChannelsPerHost: 4 });
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => run(e, `echo ${i}; echo $SSH_CONNECTION`)),
    );
    expect(results.map((r) => r.exitCode)).toEqual(Array(30).fill(0));
    expect(results.map((r) => r.stdout.split('\n')[0])).toEqual(
      Array.from({ length: 30 }, (_, i) => String(i)),
    );
    expect(new Set(results.map((r) => r.stdout.split('\n')[1]!.split(' ')[1])).size).toBe(1);
  });

  it('reaches 16 distinct hosts', async () => {
    const e = executor();
    const names = await Promise.all(
      sshd!.addresses.map(async (a) => {
        const { out, sink } = collectSink();
        await e.exec(execRequest(sshdTarget(sshd!, a), 'echo $TASKER_TEST_HOST'), sink);
        return out.stdout.trim();
      }),
    );
    expect(names).toEqual(Array.from({ length: 16 }, (_, i) => `host${String(i + 1).padStart(2, '0')}`));
  });

  it('streams into a slow sink with back-pressure and loses nothing', async () => {
    let bytes = 0;
    let busy = false;
    let overlapped = false;
    const sink: ExecSink = {
      stdout: (c) => {
        if (busy) overlapped = true;
        busy = true;
        bytes += c.length;
        return new Promise<void>((r) => setImmediate(() => ((busy = false), r())));
      },
      stderr: () => undefined,
    };
    const r = await executor().exec(execRequest(sshdTarget(sshd!), 'head -c 3000000 /dev/zero'), sink);
    expect(r.exitCode).toBe(0);
    expect(bytes).toBe(3_000_000);
    expect(overlapped).toBe(false);
  });

  it('pings: connects, authenticates and runs true', async () => {
    const r = await executor().ping(sshdTarget(sshd!));
    expect(r).toMatchObject({ kind: 'ok', address: sshd!.addresses[0], user: sshd!.user });
  });
});

describe.skipIf(!sshd)('host keys', () => {
  const tmp = (): string => mkdtempSync(join(tmpdir(), 'tasker-kh-'));

  it('refuses an unknown host under strict', async () => {
    const file = join(tmp(), 'known_hosts');
    writeFileSync(file, '');
    await expect(run(executor({ knownHostsFiles: [file] }), 'true')).rejects.toMatchObject({
      code: 'host-key',
    });
  });

  it('accept-new records the host, and strict accepts it afterwards', async () => {
    const file = join(tmp(), 'ssh', 'known_hosts');
    expect(
      (await run(executor({ knownHostsFiles: [file], hostKeyPolicy: 'accept-new' }), 'true')).exitCode,
    ).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(`[${sshd!.addresses[0]}]:${sshd!.port} ${sshd!.hostKeyPublic}\n`);
    expect((await run(executor({ knownHostsFiles: [file] }), 'true')).exitCode).toBe(0);
  });

  it('names both fingerprints on a mismatch, even under accept-new', async () => {
    const other = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
    const file = join(tmp(), 'known_hosts');
    writeFileSync(file, `[${sshd!.addresses[0]}]:${sshd!.port} ${other}\n`);
    const expected = execFileSync('ssh-keygen', ['-l', '-f', file], { encoding: 'utf8' }).split(' ')[1]!;
    const err = await run(executor({ knownHostsFiles: [file], hostKeyPolicy: 'accept-new' }), 'true').catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'host-key' });
    expect((err as Error).message).toContain(sshd!.hostKeyFingerprint);
    expect((err as Error).message).toContain(expected);
  });

  it('fails closed, naming the file, when a known_hosts path cannot be read (EISDIR), even under accept-new', async () => {
    const dir = join(tmp(), 'known_hosts');
    mkdirSync(dir);
    const err = await run(executor({ knownHostsFiles: [dir], hostKeyPolicy: 'accept-new' }), 'true').catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'host-key' });
    expect((err as Error).message).toContain(`cannot read known_hosts file ${dir} (EISDIR)`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('fails closed on EACCES: a write-only (chmod 200) file, read without CAP_DAC_OVERRIDE, is never appended to', () => {
    // Root reads any file; setpriv drops the two capabilities that let it, so the read really fails.
    const file = join(tmp(), 'known_hosts');
    writeFileSync(file, '');
    chmodSync(file, 0o200);
    const script = `
      import { createSshExecutor } from ${JSON.stringify(join(repoRoot, 'dist/src/exec/ssh/index.js'))};
      const e = createSshExecutor({ knownHostsFiles: [${JSON.stringify(file)}], hostKeyPolicy: 'accept-new', sshConfigFile: null, agentSocket: null });
      const target = ${JSON.stringify(sshdTarget(sshd!))};
      const sink = { stdout() {}, stderr() {} };
      const req = { target, command: { kind: 'shell', script: 'true' }, env: {}, pty: false, signal: new AbortController().signal, killGraceMs: 1000 };
      e.exec(req, sink).then((o) => console.log('RAN ' + JSON.stringify(o)), (err) => console.log(err.code + ': ' + err.message)).finally(() => e.close());`;
    const out = execFileSync(
      'setpriv',
      [
        '--bounding-set',
        '-dac_override,-dac_read_search',
        '--inh-caps',
        '-dac_override,-dac_read_search',
        process.execPath,
        '--input-type=module',
        '-e',
        script,
      ],
      { encoding: 'utf8' },
    );
    expect(out).toContain(`host-key: cannot read known_hosts file ${file} (EACCES)`);
    chmodSync(file, 0o600);
    expect(readFileSync(file, 'utf8')).toBe('');
  });

  it('accepts a hashed entry (ssh-keygen -H)', async () => {
    const file = join(tmp(), 'known_hosts');
    writeFileSync(file, readFileSync(sshd!.knownHostsFile));
    execFileSync('ssh-keygen', ['-q', '-H', '-f', file], { stdio: 'ignore' });
    expect(readFileSync(file, 'utf8')).toMatch(/^\|1\|/);
    expect((await run(executor({ knownHostsFiles: [file] }), 'true')).exitCode).toBe(0);
  });

  it('a pinned fingerprint wins over known_hosts', async () => {
    const e = executor({ knownHostsFiles: [] });
    const ok = await e.exec(
      execRequest(sshdTarget(sshd!, undefined, { fingerprint: sshd!.hostKeyFingerprint }), 'true'),
      collectSink().sink,
    );
    expect(ok.exitCode).toBe(0);
    const wrong = sshdTarget(sshd!, sshd!.addresses[1], {
      fingerprint: 'SHA256:rwVm3GbYMPb0ouBC6jRUjZpsStoiqN9jmtDGEJD7Gh8',
    });
    await expect(executor().exec(execRequest(wrong, 'true'), collectSink().sink)).rejects.toMatchObject({
      code: 'host-key',
    });
  });
});

/** True when a TCP socket with this local port belongs to this process (so the connection was direct). */
function socketIsOurs(localPort: number): boolean {
  const hexPort = localPort.toString(16).toUpperCase().padStart(4, '0');
  const inodes = readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f[1]?.endsWith(`:${hexPort}`))
    .map((f) => f[9]);
  const ours = readdirSync('/proc/self/fd').map((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      return '';
    }
  });
  return inodes.some((i) => ours.includes(`socket:[${i}]`));
}

describe.skipIf(!sshd)('ssh_config and ProxyJump', () => {
  it('resolves a Host pattern to HostName, Port, User and IdentityFile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tasker-cfg-'));
    const cfg = join(dir, 'config');
    writeFileSync(
      cfg,
      `Host web-*\n  HostName ${sshd!.addresses[2]}\n  Port ${sshd!.port}\n  User ${sshd!.user}\n  IdentityFile ${sshd!.keyFile}\n`,
    );
    const e = executor({ sshConfigFile: cfg });
    const { out, sink } = collectSink();
    const r = await e.exec(
      execRequest({ kind: 'ssh', name: 'web-7', vars: {} }, 'echo $TASKER_TEST_HOST; id -un'),
      sink,
    );
    expect(r.exitCode).toBe(0);
    expect(out.stdout).toBe(`host03\n${sshd!.user}\n`);
  });

  it('tunnels through a jump host', async () => {
    const jump = `${sshd!.user}@${sshd!.addresses[0]}:${sshd!.port}`;
    const e = executor({ identityFiles: [sshd!.keyFile] });
    const { out, sink } = collectSink();
    const target = sshdTarget(sshd!, sshd!.addresses[4], { proxyJump: jump });
    const r = await e.exec(execRequest(target, 'echo $TASKER_TEST_HOST $SSH_CONNECTION'), sink);
    expect(r, JSON.stringify([out, r])).toMatchObject({ exitCode: 0 });
    const [name, , srcPort] = out.stdout.trim().split(' ');
    expect(name).toBe('host05');
    expect(socketIsOurs(Number(srcPort))).toBe(false);
    const direct = collectSink();
    await e.exec(execRequest(sshdTarget(sshd!, sshd!.addresses[5]), 'echo $SSH_CONNECTION'), direct.sink);
    expect(socketIsOurs(Number(direct.out.stdout.split(' ')[1]))).toBe(true);
  });
});

describe.skipIf(!sshd)('abort', () => {
  const alive = (pid: number): boolean => {
    try {
      return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
    } catch {
      return false;
    }
  };
  /** A killed process can take a moment to leave /proc after its pipes closed; poll, bounded at 10 s. */
  async function gone(pid: number): Promise<boolean> {
    const deadline = Date.now() + 10_000;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return !alive(pid);
  }

  /** Starts `script` (which must print `PIDS a b` then keep running), aborts once it printed, returns outcome and pids. */
  async function abortAfterStart(user: string | undefined, script: string, killGraceMs: number) {
    const ac = new AbortController();
    let stdout = '';
    const sink: ExecSink = {
      stdout: (c) => {
        stdout += c.toString();
        if (stdout.includes('\n')) ac.abort({ kind: 'timeout', afterMs: 1 });
      },
      stderr: () => undefined,
    };
    const target = sshdTarget(sshd!, undefined, user ? { user } : {});
    const outcome = await executor().exec(
      execRequest(target, script, { signal: ac.signal, killGraceMs }),
      sink,
    );
    const pids = stdout.trim().split(' ').slice(1).map(Number);
    return { outcome, pids };
  }

  it('kills a timed-out command and everything it started', async () => {
    const { outcome, pids } = await abortAfterStart(undefined, 'sleep 300 & echo PIDS $$ $!; wait', 1000);
    expect(outcome.note).toBeUndefined();
    expect(outcome.exitCode).toBeNull();
    expect(outcome.signal).toBe('SIGTERM');
    expect(pids).toHaveLength(2);
    for (const pid of pids) expect(await gone(pid)).toBe(true);
  });

  it('kills a command that ignores TERM', async () => {
    const { outcome, pids } = await abortAfterStart(
      undefined,
      "trap '' TERM; sleep 300 & echo PIDS $$ $!; wait; wait",
      300,
    );
    expect(outcome.note).toBeUndefined();
    for (const pid of pids) expect(await gone(pid)).toBe(true);
  });

  it('kills the remote command for a root login, where sshd ignores signal requests', async () => {
    const { outcome, pids } = await abortAfterStart('root', 'sleep 300 & echo PIDS $$ $!; wait', 1000);
    expect(outcome.note).toBeUndefined();
    expect(pids).toHaveLength(2);
    for (const pid of pids) expect(await gone(pid)).toBe(true);
  });

  it('leaves no pid file behind', async () => {
    await Promise.all(executors.map((e) => e.close()));
    const before = readdirSync('/tmp').filter((f) => f.startsWith('.tasker-')).length;
    await run(executor(), 'true');
    await abortAfterStart(undefined, 'sleep 300 & echo PIDS $$ $!; wait', 1000);
    const e = executors.at(-1)!;
    await e.close();
    expect(readdirSync('/tmp').filter((f) => f.startsWith('.tasker-')).length).toBe(before);
  });
});

describe.skipIf(!sshd)('copy', () => {
  it('uploads a tree, then skips it when nothing changed', async () => {
    const src = mkdtempSync(join(tmpdir(), 'tasker-copy-'));
    writeFileSync(join(src, 'a.txt'), 'alpha\n');
    mkdirSync(join(src, 'sub', 'deep'), { recursive: true });
    writeFileSync(join(src, 'sub', 'deep', 'b.txt'), 'beta\n');
    const dest = `/var/tmp/taskert-home/copy-${Date.now()}`;
    const e = executor();
    const target = sshdTarget(sshd!);
    const signal = new AbortController().signal;
    const first = await e.copy({ target, src, dest, mode: 0o640, signal });
    expect(first).toEqual({ changed: true, files: 2, bytes: 11 });
    const check = await run(e, `cat ${dest}/a.txt ${dest}/sub/deep/b.txt; stat -c %a ${dest}/a.txt`);
    expect(check.stdout).toBe('alpha\nbeta\n640\n');
    expect(await e.copy({ target, src, dest, mode: 0o640, signal })).toEqual({
      changed: false,
      files: 0,
      bytes: 0,
    });
    writeFileSync(join(src, 'a.txt'), 'ALPHA\n');
    expect(await e.copy({ target, src, dest, mode: 0o640, signal })).toEqual({
      changed: true,
      files: 1,
      bytes: 6,
    });
    expect(await e.copy({ target, src, dest, mode: 0o600, signal })).toMatchObject({
      changed: true,
      files: 0,
    });
  });

  it('copies a single file into a directory path ending in /', async () => {
    const src = join(mkdtempSync(join(tmpdir(), 'tasker-copy-')), 'one.txt');
    writeFileSync(src, 'one\n');
    const dest = `/var/tmp/taskert-home/single-${Date.now()}/`;
    const e = executor();
    expect(
      await e.copy({ target: sshdTarget(sshd!), src, dest, signal: new AbortController().signal }),
    ).toMatchObject({ changed: true, files: 1 });
    expect((await run(e, `cat ${dest}one.txt`)).stdout).toBe('one\n');
  });

  it('fails with code copy when the destination is not writable', async () => {
    const src = join(mkdtempSync(join(tmpdir(), 'tasker-copy-')), 'x.txt');
    writeFileSync(src, 'x');
    const req = {
      target: sshdTarget(sshd!),
      src,
      dest: '/root/forbidden/x.txt',
      signal: new AbortController().signal,
    };
    await expect(executor().copy(req)).rejects.toMatchObject({ code: 'copy' });
  });
});
