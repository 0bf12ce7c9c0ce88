import { afterEach, describe, expect, it } from 'vitest';
import { FakeExecutor } from './fake-executor.js';
import { cleanRunDirs, cmd, ex, fanout, plan, run, statusOf } from './plan-builders.js';

afterEach(cleanRunDirs);

const HOSTS = ['web1', 'web2', 'web3', 'web4'];

/** Scripts by host: the command text includes the host name. */
function perHost(over: Record<string, object> = {}) {
  return Object.fromEntries(HOSTS.map((h) => [`deploy ${h}`, { delayMs: 5, ...over[h] }]));
}

describe('fanout', () => {
  it('runs one instance per host with host.* in scope, results as <id>@<host>, then the fan-out', async () => {
    const ran = await run(plan([fanout('up', 'deploy ${{ host.name }}', HOSTS)]), perHost());
    expect(ran.fake.calls.map((c) => c.host).sort()).toEqual(HOSTS);
    expect(ran.fake.calls.every((c) => c.key === `deploy ${c.host}`)).toBe(true);
    for (const h of HOSTS) expect(statusOf(ran, `up@${h}`)).toBe('ok');
    expect(ran.endOrder.at(-1)).toBe('up');
    expect(ran.byId.get('up')).toMatchObject({ kind: 'fanout', status: 'ok' });
    const starts = ran.events.filter((e) => e.kind === 'step-start');
    expect(starts.map((e) => e.host).sort()).toEqual(HOSTS);
  });

  it('never runs more than maxParallel instances at once', async () => {
    const ran = await run(
      plan([fanout('up', 'deploy ${{ host.name }}', HOSTS, { maxParallel: 1 })]),
      perHost(),
    );
    expect(ran.fake.maxRunning).toBe(1);
    expect(ran.fake.calls).toHaveLength(4);
  });

  it('stops starting instances once failures exceed maxFailed; the rest are cancelled', async () => {
    const node = fanout('up', 'deploy ${{ host.name }}', HOSTS, { maxParallel: 1, maxFailed: 1 });
    const ran = await run(
      plan([node, cmd('next', 'next')]),
      perHost({ web1: { exit: 1 }, web2: { exit: 2 } }),
    );
    expect(ran.fake.calls.map((c) => c.host)).toEqual(['web1', 'web2']);
    expect(statusOf(ran, 'up@web3')).toBe('skipped/cancelled');
    expect(statusOf(ran, 'up@web4')).toBe('skipped/cancelled');
    expect(statusOf(ran, 'up')).toBe('failed');
    expect(statusOf(ran, 'next')).toBe('skipped/not-reached');
    expect(ran.result).toMatchObject({ exitCode: 1, failedStep: 'up' });
  });

  it('is ok while failures stay within maxFailed', async () => {
    const node = fanout('up', 'deploy ${{ host.name }}', HOSTS, { maxFailed: 1 });
    const ran = await run(plan([node]), perHost({ web3: { exit: 1 } }));
    expect(statusOf(ran, 'up')).toBe('ok');
    expect(ran.result.exitCode).toBe(0);
  });

  it('an unreachable host is tolerated by maxFailed, others go on, and the run exits 3 naming it', async () => {
    const node = fanout('up', 'deploy ${{ host.name }}', HOSTS, { maxFailed: 1 });
    const ran = await run(
      plan([node, cmd('after', 'after')]),
      perHost({ web2: { error: { code: 'unreachable', message: 'no route' } } }),
    );
    expect(ran.byId.get('up@web2')).toMatchObject({ status: 'unreachable', error: { code: 'unreachable' } });
    expect(statusOf(ran, 'up@web3')).toBe('ok');
    expect(statusOf(ran, 'after')).toBe('ok');
    expect(ran.result).toMatchObject({ status: 'unreachable', exitCode: 3, unreachableHosts: ['web2'] });
  });

  it('exposes steps.<id>.hosts.<host> and the worst non-zero exit to later steps', async () => {
    const node = fanout('up', 'deploy ${{ host.name }}', ['web1', 'web2'], { continueOnError: true });
    const later = cmd(
      'report',
      'report ${{ steps.up.hosts.web1.stdout }} ${{ steps.up.exit }} ${{ steps.up.status }}',
    );
    const ran = await run(plan([node, later]), {
      'deploy web1': { stdout: ['v1\n'] },
      'deploy web2': { exit: 9 },
    });
    expect(ran.fake.callsOf('report v1 9 failed')).toHaveLength(1);
  });

  it('judges when per host, with host.* in scope', async () => {
    const node = fanout('up', 'deploy ${{ host.name }}', HOSTS, { when: ex('host.name != "web2"') });
    const ran = await run(plan([node]), perHost());
    expect(statusOf(ran, 'up@web2')).toBe('skipped/condition');
    expect(ran.fake.calls).toHaveLength(3);
    expect(statusOf(ran, 'up')).toBe('ok');
  });

  it('with zero targets (all filtered out) is skipped', async () => {
    const ran = await run(plan([fanout('up', 'deploy', []), cmd('next', 'next')]));
    expect(statusOf(ran, 'up')).toBe('skipped/condition');
    expect(statusOf(ran, 'next')).toBe('ok');
  });

  it('numbers output files per host and execution', async () => {
    const fake = new FakeExecutor({ 'deploy web1': [{ exit: 1 }, { exit: 0 }] });
    const node = fanout('up', 'deploy ${{ host.name }}', ['web1'], {
      spec: {
        retry: { attempts: 2, delayMs: 0, backoff: 'fixed', maxDelayMs: 0, jitter: false, onExit: [] },
      },
    });
    const ran = await run(plan([node]), fake);
    const files = ran.byId.get('up@web1')!.attempts.map((a) => a.stdoutFile?.split('/').at(-1));
    expect(files).toEqual(['up@web1.stdout', 'up@web1.2.stdout']);
  });
});
