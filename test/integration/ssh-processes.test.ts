import { execFileSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createSshExecutor, type SshExecutor } from '../../src/exec/ssh/index.js';
import { collectSink, execRequest } from '../helpers/exec.js';
import { sshdTarget, startSshd } from '../helpers/sshd.js';

/**
 * What other users of the host can see while a remote step runs (argv in `ps`), and what is left
 * when a step times out. The sshd runs on this host, so `ps` here is `ps` on the remote host.
 */
const sshd = await startSshd();
const executors: SshExecutor[] = [];
afterAll(async () => {
  await Promise.all(executors.map((e) => e.close()));
  await sshd?.stop();
});

function executor(): SshExecutor {
  const e = createSshExecutor({
    knownHostsFiles: [sshd!.knownHostsFile],
    sshConfigFile: null,
    agentSocket: null,
  });
  executors.push(e);
  return e;
}

const allArgs = (): string => execFileSync('ps', ['-eo', 'args='], { encoding: 'utf8' });
const live = (marker: string): string[] =>
  execFileSync('ps', ['-eo', 'pid=,stat=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(marker) && !/^\s*\d+\s+Z/.test(l));

/** Runs `req` while sampling `ps` until it ends; returns the outcome, output and every sample. */
async function sampled(e: SshExecutor, req: ReturnType<typeof execRequest>) {
  const { out, sink } = collectSink();
  const samples: string[] = [];
  let running = true;
  const sampler = (async () => {
    while (running) {
      samples.push(allArgs());
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const outcome = await e.exec(req, sink).finally(() => (running = false));
  await sampler;
  return { outcome, out, samples };
}

describe.skipIf(!sshd)('remote env never on a command line', () => {
  const secret = () => `S3CR3T-${randomBytes(6).toString('hex')}`;
  const hostile = (s: string) => `${s} it's "q" $(touch /tmp/PWNED-${s}) \`id\`\nline2\n\ttab\r${s}-end`;

  it('env values reach the command exactly and never appear in any argv on the host', async () => {
    const s = secret();
    const value = hostile(s);
    const req = execRequest(sshdTarget(sshd!), 'sleep 1.5; printf "%s" "$SECRET"', {
      env: { SECRET: value },
    });
    const { outcome, out, samples } = await sampled(executor(), req);
    expect(outcome.exitCode).toBe(0);
    expect(out.stdout).toBe(value);
    expect(samples.length).toBeGreaterThan(5);
    expect(samples.some((p) => p.includes('sleep 1.5'))).toBe(true);
    for (const p of samples) expect(p).not.toContain(s);
  });

  it('keeps the step stdin and a pty working alongside env', async () => {
    const s = secret();
    const e = executor();
    const piped = await sampled(
      e,
      execRequest(sshdTarget(sshd!), 'printf "%s|" "$A"; cat', { env: { A: s }, stdin: 'in\n.\nput' }),
    );
    expect(piped.out.stdout).toBe(`${s}|in\n.\nput`);
    const tty = await sampled(
      e,
      execRequest(sshdTarget(sshd!), 'tty -s && printf "%s" "$A"', { env: { A: hostile(s) }, pty: true }),
    );
    expect(tty.outcome.exitCode).toBe(0);
    // A terminal turns \n into \r\n on output; the value is otherwise exact, and nothing was echoed.
    expect(tty.out.stdout.replace(/\r\n/g, '\n')).toBe(hostile(s).replace(/\r\n/g, '\n'));
    for (const p of [...piped.samples, ...tty.samples]) expect(p).not.toContain(s);
  });

  it('through sudo (root login, sudo -u nobody): env is applied inside and not on sudo’s argv', async () => {
    const s = secret();
    const target = sshdTarget(sshd!, undefined, { user: 'root' });
    const req = execRequest(target, 'sleep 1; id -un; printf "%s" "$SECRET"', {
      env: { SECRET: hostile(s) },
      sudo: 'nobody',
    });
    const { outcome, out, samples } = await sampled(executor(), req);
    expect(outcome.exitCode, out.stderr).toBe(0);
    expect(out.stdout).toBe(`nobody\n${hostile(s)}`);
    for (const p of samples) expect(p).not.toContain(s);
  });
});

describe.skipIf(!sshd)('remote timeout with a pty', () => {
  it('a process that ignores TERM (and HUP) does not survive its timeout', async () => {
    const marker = `7${randomInt(100000, 999999)}`;
    const ac = new AbortController();
    const { out, sink } = collectSink();
    const running = executor().exec(
      execRequest(sshdTarget(sshd!), `trap '' TERM HUP; echo started; sleep ${marker}; echo after`, {
        pty: true,
        signal: ac.signal,
        killGraceMs: 500,
      }),
      sink,
    );
    await expect.poll(() => out.stdout, { timeout: 10_000 }).toContain('started');
    ac.abort({ kind: 'timeout', afterMs: 1 });
    const r = await running;
    expect(r.note).toBeUndefined();
    expect(live(`sleep ${marker}`)).toEqual([]);
    expect(out.stdout).not.toContain('after');
  });
});
