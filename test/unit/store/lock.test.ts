import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireRunLock } from '../../../src/api/lock.js';
import { currentProcess, lockKey, lockPath, tryLock, type LockHolder } from '../../../src/store/index.js';
import { removeStale } from '../../../src/store/lock.js';
import { deadPid, tempHome } from './helpers.js';

const me = (runId: string): LockHolder => ({ ...currentProcess(), startedAt: 1_000, runId });

function lockFileIn(home: string) {
  return lockPath(home, lockKey('/srv/wf.yaml', {}));
}

describe('lock key', () => {
  it('is the same for the same vars in any order, different for other vars or files', () => {
    expect(lockKey('/a.yaml', { x: '1', y: '2' })).toBe(lockKey('/a.yaml', { y: '2', x: '1' }));
    expect(lockKey('/a.yaml', { x: '1' })).not.toBe(lockKey('/a.yaml', { x: '2' }));
    expect(lockKey('/a.yaml', {})).not.toBe(lockKey('/b.yaml', {}));
  });
});

describe('tryLock', () => {
  it('takes a free lock, writing the holder, and a second attempt sees that holder', async () => {
    const path = lockFileIn(tempHome());
    const first = await tryLock(path, me('r1'));
    expect(first.kind).toBe('acquired');
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid, runId: 'r1' });
    const second = await tryLock(path, me('r2'));
    expect(second).toMatchObject({ kind: 'held', holder: { pid: process.pid, runId: 'r1' } });
  });

  it('takes over a lock whose holder process is gone on this host, and says so', async () => {
    const path = lockFileIn(tempHome());
    mkdirSync(join(path, '..'), { recursive: true });
    const stale = { ...me('old'), pid: deadPid() };
    writeFileSync(path, JSON.stringify(stale));
    const got = await tryLock(path, me('new'));
    expect(got).toMatchObject({ kind: 'acquired', tookOver: { runId: 'old' } });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ runId: 'new' });
  });

  it('never takes over a holder on another host (it cannot tell whether it is alive)', async () => {
    const path = lockFileIn(tempHome());
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, JSON.stringify({ ...me('remote'), host: 'elsewhere', pid: deadPid() }));
    expect(await tryLock(path, me('new'))).toMatchObject({ kind: 'held', holder: { host: 'elsewhere' } });
  });

  it('release removes the file only while it is still ours', async () => {
    const path = lockFileIn(tempHome());
    const got = await tryLock(path, me('r1'));
    if (got.kind !== 'acquired') throw new Error('expected the lock');
    writeFileSync(path, JSON.stringify(me('someone-else')));
    await got.lock.release();
    expect(existsSync(path)).toBe(true);
    const again = await tryLock(lockFileIn(tempHome()), me('r3'));
    if (again.kind !== 'acquired') throw new Error('expected the lock');
    again.lock.releaseSync();
    expect(existsSync(again.lock.path)).toBe(false);
  });

  it('reports a corrupt lock file by path instead of guessing', async () => {
    const path = lockFileIn(tempHome());
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, '{not json');
    await expect(tryLock(path, me('r1'))).rejects.toThrow(/not valid JSON/);
  });
});

describe('acquireRunLock --wait-lock', () => {
  it('waits for the holder to release, then takes the lock', async () => {
    const home = tempHome();
    const opts = { home, realFile: '/srv/wf.yaml', vars: {} };
    const first = await acquireRunLock({ ...opts, runId: 'r1' });
    if (first.kind !== 'acquired') throw new Error('expected the lock');
    const waiting = acquireRunLock({ ...opts, runId: 'r2', waitMs: 60_000 });
    await first.lock.release();
    expect((await waiting).kind).toBe('acquired');
  });

  it('gives up when the wait runs out, reporting the holder', async () => {
    const home = tempHome();
    const opts = { home, realFile: '/srv/wf.yaml', vars: {} };
    await acquireRunLock({ ...opts, runId: 'r1' });
    let t = 0;
    const got = await acquireRunLock({ ...opts, runId: 'r2', waitMs: 1_000, now: () => (t += 600) });
    expect(got).toMatchObject({ kind: 'held', holder: { runId: 'r1' } });
  });
});

describe('tryLock under contention', () => {
  it('gives a stale lock to exactly one of many simultaneous takers, every time', async () => {
    for (let round = 0; round < 25; round++) {
      const path = lockFileIn(tempHome());
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(
        path,
        JSON.stringify({ ...currentProcess(), pid: deadPid(), startedAt: 1, runId: 'dead' }),
      );
      const attempts = await Promise.all(Array.from({ length: 12 }, (_, i) => tryLock(path, me(`r${i}`))));
      const winners = attempts.filter((a) => a.kind === 'acquired');
      expect(winners).toHaveLength(1);
      const onDisk = JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
      expect(winners[0]!.kind === 'acquired' && winners[0]!.lock).toBeTruthy();
      expect(onDisk.runId).toMatch(/^r\d+$/);
    }
  }, 60_000);

  it('never drops a fresh lock for a taker acting on an old read of a stale one', async () => {
    for (let round = 0; round < 25; round++) {
      const path = lockFileIn(tempHome());
      mkdirSync(join(path, '..'), { recursive: true });
      const staleText = JSON.stringify({ ...currentProcess(), pid: deadPid(), startedAt: 1, runId: 'dead' });
      const fresh = await tryLock(path, me('fresh'));
      expect(fresh.kind).toBe('acquired');
      // One taker removes what it read as stale while the fresh holder's lock is in place; others race it.
      const [removed, ...others] = await Promise.all([
        removeStale(path, staleText),
        ...Array.from({ length: 12 }, (_, i) => tryLock(path, me(`r${i}`))),
      ]);
      expect(removed).toBe(false);
      expect(others.filter((a) => a.kind === 'acquired')).toHaveLength(0);
      expect((JSON.parse(readFileSync(path, 'utf8')) as LockHolder).runId).toBe('fresh');
    }
  }, 60_000);
});
