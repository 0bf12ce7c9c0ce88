import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createSshExecutor, type SshExecutor, type SshOptions } from '../../src/exec/ssh/index.js';
import {
  startFakeSshServer,
  startFreezableProxy,
  startSilentTcpServer,
  type ExecBehaviour,
  type FakeOptions,
  type FakeSshServer,
} from '../helpers/fake-ssh-server.js';
import { collectSink, execRequest } from '../helpers/exec.js';
import { sshdTarget, startSshd, type SshTestTarget } from '../helpers/sshd.js';
import { freePort } from '../helpers/ports.js';

const dir = mkdtempSync(join(tmpdir(), 'tasker-fake-'));
const clientKey = join(dir, 'client_key');
const ssh2 = (await import('ssh2')).default;
writeFileSync(clientKey, ssh2.utils.generateKeyPairSync('ed25519').private);

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function executor(extra: SshOptions = {}): SshExecutor {
  const e = createSshExecutor({ knownHostsFiles: [], sshConfigFile: null, agentSocket: null, ...extra });
  cleanups.push(() => e.close());
  return e;
}

/** A fake server answering `exec` (closed after the test), and a target with its key pinned. */
async function fake(
  exec: ExecBehaviour,
  more: Omit<FakeOptions, 'exec'> = {},
): Promise<{ server: FakeSshServer; target: SshTestTarget }> {
  const server = await startFakeSshServer({ ...more, exec });
  cleanups.push(() => server.close());
  const target: SshTestTarget = {
    kind: 'ssh',
    name: 'fake',
    address: '127.0.0.1',
    port: server.port,
    user: 'u',
    keyFile: clientKey,
    fingerprint: server.hostKeyFingerprint,
    vars: {},
  };
  return { server, target };
}

/** A target named `name` at `address` with the client key and nothing pinned: a host the client cannot reach or log in to. */
function bare(name: string, address: string, extra: Partial<SshTestTarget> = {}): SshTestTarget {
  return { kind: 'ssh', name, address, keyFile: clientKey, vars: {}, ...extra };
}

/** What `true` on `target` fails with (the error itself, for its code and message). */
const failureOf = (target: SshTestTarget): Promise<unknown> =>
  executor()
    .exec(execRequest(target, 'true'), collectSink().sink)
    .catch((e: unknown) => e);

describe('connection faults', () => {
  it('connection refused is unreachable', async () => {
    const err = await failureOf(bare('down', '127.0.0.1', { port: await freePort() }));
    expect(err).toMatchObject({ code: 'unreachable' });
    expect((err as Error).message).toContain('refused');
  });

  it('a handshake that never completes is unreachable after the connect timeout', async () => {
    const silent = await startSilentTcpServer();
    cleanups.push(() => silent.close());
    const err = await failureOf(bare('mute', '127.0.0.1', { port: silent.port, connectTimeoutMs: 300 }));
    expect(err).toMatchObject({ code: 'unreachable' });
    expect((err as Error).message).toContain('handshake timeout');
  });

  it('an unresolvable name is unreachable', async () => {
    const target = bare('nowhere', 'no-such-host.invalid', { connectTimeoutMs: 20_000 });
    expect(await failureOf(target)).toMatchObject({ code: 'unreachable' });
  });

  it('refused authentication is auth and names what was tried', async () => {
    const { target } = await fake(() => undefined, { acceptAuth: false });
    const err = await failureOf(target);
    expect(err).toMatchObject({ code: 'auth' });
    expect((err as Error).message).toContain(clientKey);
  });

  it('a connection dropped mid-command is connection-lost, after the output so far', async () => {
    const { target } = await fake((_cmd, ch, client) => {
      ch.write('partial\n');
      setImmediate(() => client.end());
    });
    const { out, sink } = collectSink();
    await expect(executor().exec(execRequest(target, 'work'), sink)).rejects.toMatchObject({
      code: 'connection-lost',
    });
    expect(out.stdout).toBe('partial\n');
  });

  it('reconnects after a dropped connection', async () => {
    let calls = 0;
    const { target } = await fake((_cmd, ch, client) => {
      if (++calls === 1) return void client.end();
      ch.exit(0);
      ch.end();
    });
    const e = executor();
    await expect(e.exec(execRequest(target, 'x'), collectSink().sink)).rejects.toMatchObject({
      code: 'connection-lost',
    });
    expect((await e.exec(execRequest(target, 'x'), collectSink().sink)).exitCode).toBe(0);
  });

  it('a channel closed without an exit status says so', async () => {
    const { target } = await fake((_cmd, ch) => {
      ch.write('x');
      ch.end();
    });
    const r = await executor().exec(execRequest(target, 'x'), collectSink().sink);
    expect(r).toEqual({ exitCode: null, signal: null, note: 'no exit status from fake' });
  });

  it('reports an exit signal with the SIG prefix', async () => {
    const { target } = await fake((_cmd, ch) => {
      ch.exit('KILL');
      ch.end();
    });
    expect(await executor().exec(execRequest(target, 'x'), collectSink().sink)).toEqual({
      exitCode: null,
      signal: 'SIGKILL',
    });
  });

  it('treats a refused channel as back-pressure: lowers the cap and retries', async () => {
    const { server, target } = await fake(
      (_cmd, ch) => {
        setTimeout(() => {
          ch.exit(0);
          ch.end();
        }, 20);
      },
      { maxSessions: 3 },
    );
    const e = executor({ maxChannelsPerHost: 10 });
    const results = await Promise.all(
      Array.from({ length: 12 }, () => e.exec(execRequest(target, 'x'), collectSink().sink)),
    );
    expect(results.map((r) => r.exitCode)).toEqual(Array(12).fill(0));
    expect(server.refusedSessions).toBeGreaterThan(0);
  });

  it('a remote that ignores every signal: TERM, KILL, then "may still be running"', async () => {
    let markStarted!: () => void;
    const started = new Promise<void>((r) => (markStarted = r));
    const { server, target } = await fake((cmd, ch) => {
      if (cmd.includes('hang')) return markStarted();
      ch.exit(1);
      ch.end();
    });
    const ac = new AbortController();
    const running = executor().exec(
      execRequest(target, 'hang', { signal: ac.signal, killGraceMs: 100 }),
      collectSink().sink,
    );
    await started;
    ac.abort({ kind: 'cancel', why: 'interrupt' });
    const r = await running;
    expect(r).toEqual({ exitCode: null, signal: null, note: 'may still be running on fake' });
    // ssh2's server drops signal requests after the client's EOF, so only the first one shows here.
    expect(server.signals[0]).toBe('TERM');
    expect(
      server.commands
        .filter((c) => !c.includes('hang') && /kill -s (TERM|KILL)/.test(c))
        .map((c) => /kill -s (\w+)/.exec(c)![1]),
    ).toEqual(['TERM', 'KILL']);
  });
});

describe('a remote that never answers', () => {
  it('after the command started: drops the connection, notes "may still be running", reconnects next time', async () => {
    const { target } = await fake((cmd, ch) => {
      if (cmd.includes('hang')) return void ch.write('started\n');
      ch.exit(0);
      ch.end();
    });
    const proxy = await startFreezableProxy(target.port!);
    cleanups.push(() => proxy.close());
    const viaProxy = { ...target, port: proxy.port };
    const e = executor();
    const ac = new AbortController();
    const sink = {
      stdout: () => {
        proxy.freeze();
        ac.abort({ kind: 'timeout', afterMs: 1 });
      },
      stderr: () => undefined,
    };
    const r = await e.exec(execRequest(viaProxy, 'hang', { signal: ac.signal, killGraceMs: 100 }), sink);
    expect(r).toEqual({ exitCode: null, signal: null, note: 'may still be running on fake' });
    expect((await e.exec(execRequest(viaProxy, 'next'), collectSink().sink)).exitCode).toBe(0);
  });

  it('while the channel is opening: gives up after the grace and drops the connection', async () => {
    let markHeld!: () => void;
    const held = new Promise<void>((r) => (markHeld = r));
    const { target } = await fake(
      (_cmd, ch) => {
        ch.exit(0);
        ch.end();
      },
      { hold: (cmd) => cmd.includes('hang') && (markHeld(), true) },
    );
    const e = executor();
    const ac = new AbortController();
    const running = e.exec(
      execRequest(target, 'hang', { signal: ac.signal, killGraceMs: 100 }),
      collectSink().sink,
    );
    await held;
    ac.abort({ kind: 'cancel', why: 'interrupt' });
    expect(await running).toEqual({ exitCode: null, signal: null, note: 'may still be running on fake' });
    expect((await e.exec(execRequest(target, 'next'), collectSink().sink)).exitCode).toBe(0);
  });

  it('while queued behind the channel cap: nothing starts', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let markFirst!: () => void;
    const firstArrived = new Promise<void>((r) => (markFirst = r));
    const { server, target } = await fake((_cmd, ch) => {
      markFirst();
      void gate.then(() => {
        ch.exit(0);
        ch.end();
      });
    });
    const e = executor({ maxChannelsPerHost: 1 });
    const first = e.exec(execRequest(target, 'first'), collectSink().sink);
    await firstArrived;
    const ac = new AbortController();
    const queued = e.exec(execRequest(target, 'second', { signal: ac.signal }), collectSink().sink);
    ac.abort({ kind: 'cancel', why: 'fail-fast' });
    expect(await queued).toMatchObject({ exitCode: null, signal: null });
    release();
    expect((await first).exitCode).toBe(0);
    expect(server.commands.some((c) => c.includes('second'))).toBe(false);
  });
});

const sshd = await startSshd();
afterAll(async () => sshd?.stop());

describe.skipIf(!sshd)('faults against a real sshd', () => {
  it('a key the server does not know is auth', async () => {
    const target = sshdTarget(sshd!, undefined, { keyFile: clientKey });
    await expect(
      executor({ knownHostsFiles: [sshd!.knownHostsFile] }).exec(
        execRequest(target, 'true'),
        collectSink().sink,
      ),
    ).rejects.toMatchObject({ code: 'auth' });
  });

  it('ping reports the error code instead of throwing', async () => {
    const port = await freePort();
    expect(await executor().ping(bare('down', '127.0.0.1', { port }))).toMatchObject({
      kind: 'error',
      code: 'unreachable',
    });
  });

  it('a command running when the server-side sshd dies is connection-lost', async () => {
    const e = executor({ knownHostsFiles: [sshd!.knownHostsFile] });
    let pids: number[] = [];
    let resolveStarted!: () => void;
    const started = new Promise<void>((r) => (resolveStarted = r));
    const sink = {
      stdout: (c: Buffer) => {
        pids = c.toString().trim().split(' ').map(Number);
        resolveStarted();
      },
      stderr: () => undefined,
    };
    // The parent of the login shell ($PPID here) is the per-connection sshd: killing it drops the connection.
    const script = "echo $(cut -d' ' -f4 /proc/$PPID/stat) $$; exec sleep 300";
    const running = e.exec(execRequest(sshdTarget(sshd!), script), sink);
    await started;
    process.kill(pids[0]!, 'SIGKILL');
    await expect(running).rejects.toMatchObject({ code: 'connection-lost' });
    process.kill(pids[1]!, 'SIGKILL');
  });
});
