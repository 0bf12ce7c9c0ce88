import { mkdirSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockKey } from '../../src/store/index.js';
import { HOLD, startHolding } from '../helpers/boxes.js';
import { collect, runCli, startCli, waitForOutput } from '../helpers/cli.js';
import { history, workspace } from './store-helpers.js';

async function startHolder() {
  const w = workspace(HOLD);
  const go = join(w.dir, 'go');
  const env = { ...w.env, GO: go };
  const { child: first, done: firstDone } = await startHolding(w.file, env);
  return { w, env, go, first, firstDone };
}

describe('overlap lock', () => {
  it('a second run of the same workflow exits 75 naming the holder; --no-lock runs anyway', async () => {
    const { w, env, go, first, firstDone } = await startHolder();
    const second = await runCli(['run', w.file], env);
    expect(second.code).toBe(75);
    expect(second.stderr).toContain(`pid ${first.pid} on ${hostname()} since `);
    writeFileSync(go, '');
    const forced = await runCli(['run', '--no-lock', w.file], env);
    expect(forced.code).toBe(0);
    expect((await firstDone).code).toBe(0);
    // The 75 never reached the history: only the runs that ran are there.
    expect((await history(w.home)).map((r) => r.status)).toEqual(['ok', 'ok']);
  });

  it('a different set of --vars is a different lock', async () => {
    const { w, env, go, firstDone } = await startHolder();
    const { done: otherDone } = await startHolding(w.file, env, ['--var', 'x=1']);
    writeFileSync(go, '');
    expect((await otherDone).code).toBe(0);
    expect((await firstDone).code).toBe(0);
  });

  it('--wait-lock waits for the holder, then runs; it exits 75 when the wait runs out', async () => {
    const { w, env, go, firstDone } = await startHolder();
    const timedOut = await runCli(['run', '--wait-lock', '300ms', w.file], env);
    expect(timedOut.code).toBe(75);
    const waiter = startCli(['run', '--wait-lock', '2m', w.file], env);
    const waited = collect(waiter);
    writeFileSync(go, '');
    expect((await firstDone).code).toBe(0);
    expect((await waited).code).toBe(0);
    const [second, first] = await history(w.home);
    // It ran only after the first had ended: the lock is taken before the run is recorded.
    expect(Date.parse(second!.startedAt)).toBeGreaterThanOrEqual(Date.parse(first!.endedAt!));
  });

  it('--quiet prints nothing on success, also after waiting for the lock', async () => {
    const { w, env, go, firstDone } = await startHolder();
    const waiter = startCli(['run', '-q', '--wait-lock', '2m', w.file], env);
    const waited = collect(waiter);
    // Let it reach the wait before the holder goes on.
    await new Promise((r) => setTimeout(r, 1500));
    writeFileSync(go, '');
    expect((await firstDone).code).toBe(0);
    expect(await waited).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const [second, first] = await history(w.home);
    // It did wait: it began only after the holder had ended.
    expect(Date.parse(second!.startedAt)).toBeGreaterThanOrEqual(Date.parse(first!.endedAt!));
  });

  it('Ctrl+C while waiting on --wait-lock exits 130, not 75, and runs nothing', async () => {
    const { w, env, go, firstDone } = await startHolder();
    const waiter = startCli(['run', '--wait-lock', '2m', w.file], env);
    const waited = collect(waiter);
    await waitForOutput(waiter, (t) => t.includes('waiting up to 2m for the lock: pid'), 30_000, 'stderr');
    waiter.kill('SIGINT');
    const r = await waited;
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('interrupted while waiting for the lock');
    writeFileSync(go, '');
    expect((await firstDone).code).toBe(0);
    expect((await history(w.home)).map((x) => x.status)).toEqual(['ok']);
  });

  it('takes over a lock whose holder is dead, with a warning', async () => {
    const w = workspace(`version: 1\nname: stale\nsteps:\n  - run: "true"\n`);
    // A lock left by a process that is gone, where this workflow's lock goes.
    const locks = join(w.home, 'locks');
    mkdirSync(locks, { recursive: true });
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const key = lockKey(realpathSync(w.file), {});
    writeFileSync(
      join(locks, `${key}.lock`),
      JSON.stringify({ pid: dead, host: hostname(), startedAt: 0, runId: 'gone' }),
    );
    const r = await runCli(['run', w.file], w.env);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`took over the lock .*pid ${dead} `));
    expect(readdirSync(locks)).toEqual([]);
  });
});
