import { describe, expect, it } from 'vitest';
import { ChannelLimiter } from '../../../../src/exec/ssh/channels.js';
import { buildKillCommand, buildRemoteCommand, pidFilePath } from '../../../../src/exec/ssh/remote-script.js';
import { quoteArgv, shellQuote } from '../../../../src/exec/ssh/quote.js';
import type { ExecRequest } from '../../../../src/exec/types.js';

describe('ChannelLimiter', () => {
  it('hands slots out first in, first out, and never more than the cap', async () => {
    const l = new ChannelLimiter(2);
    expect(await l.acquire()).toBe(true);
    expect(await l.acquire()).toBe(true);
    const order: number[] = [];
    const waits = [1, 2, 3].map((n) => l.acquire().then(() => order.push(n)));
    expect(l.inUse).toBe(2);
    l.release();
    l.release();
    l.release();
    await Promise.all(waits);
    expect(order).toEqual([1, 2, 3]);
    expect(l.inUse).toBe(2);
  });

  it('lowers the cap to what is open (at least one) and puts retries first', async () => {
    const l = new ChannelLimiter(8);
    await l.acquire();
    await l.acquire();
    l.lower();
    expect(l.capacity).toBe(2);
    const order: string[] = [];
    const a = l.acquire().then(() => order.push('new'));
    const b = l.acquire(true).then(() => order.push('retry'));
    l.release();
    l.release();
    await Promise.all([a, b]);
    expect(order).toEqual(['retry', 'new']);
    const empty = new ChannelLimiter(3);
    empty.lower();
    expect(empty.capacity).toBe(1);
  });

  it('an aborted wait leaves the queue', async () => {
    const l = new ChannelLimiter(1);
    await l.acquire();
    const ac = new AbortController();
    const waiting = l.acquire(false, ac.signal);
    ac.abort();
    expect(await waiting).toBe(false);
    l.release();
    expect(l.inUse).toBe(0);
  });
});

describe('remote command line', () => {
  const req = (extra: Partial<ExecRequest>): ExecRequest => ({
    target: { kind: 'local' },
    command: { kind: 'shell', script: 'echo hi' },
    env: {},
    pty: false,
    signal: new AbortController().signal,
    killGraceMs: 100,
    ...extra,
  });

  it('quotes words only when needed', () => {
    expect(shellQuote('plain-word_1.txt')).toBe('plain-word_1.txt');
    expect(shellQuote('')).toBe("''");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(quoteArgv(['a b', '$x'])).toBe("'a b' '$x'");
  });

  it('records the process group in a pid file and removes it at the end; env goes to stdin, not the line', () => {
    const { line, preamble } = buildRemoteCommand(req({ cwd: '/srv', env: { A: 'x y' } }), 'h', 'tok');
    expect(line.startsWith(`echo $$ >${pidFilePath('tok')} 2>/dev/null; `)).toBe(true);
    expect(line).toContain(`cd -- /srv && sh -c 'echo hi'; s=$?;`);
    expect(line.endsWith(`rm -f ${pidFilePath('tok')}; exit $s`)).toBe(true);
    expect(line).not.toContain('x y');
    expect(preamble).toBe(`A='x y'\nexport A\n.\n`);
    expect(buildKillCommand('tok', 'KILL')).toContain('kill -s KILL -- -"$p"');
  });

  it('runs sudo with -S and an empty prompt, the password never on the line', () => {
    const { line, preamble } = buildRemoteCommand(
      req({ sudo: 'app', sudoPassword: 'hunter2', env: { K: 'v' } }),
      'h',
      't',
    );
    expect(line).toContain("sudo -S -p '' -u app -- sh -c ");
    expect(line).not.toContain('hunter2');
    expect(preamble).toBe(`hunter2\nK=v\nexport K\n.\n`.replace('K=v', "K='v'"));
  });

  it('runs sudo -n without a password, so a needed password fails at once instead of reading stdin', () => {
    const { line } = buildRemoteCommand(req({ sudo: 'app', stdin: 'data' }), 'h', 't');
    expect(line).toContain('sudo -n -u app -- sh -c ');
    expect(line).not.toContain('-S');
  });

  it('rejects env names the shell cannot assign, with code spawn', () => {
    expect(() => buildRemoteCommand(req({ env: { 'A-B': '1' } }), 'h', 't')).toThrow(
      expect.objectContaining({ code: 'spawn' }),
    );
  });
});
