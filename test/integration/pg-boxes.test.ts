import { realpathSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { box, HOLD, raceForSlot, startHolding, TICK } from '../helpers/boxes.js';
import { collect, isAlive, runCli, startCli, waitForOutput } from '../helpers/cli.js';
import { pgClusterForFile } from '../helpers/pg-cluster.js';
import { freePort } from '../helpers/ports.js';
import { history, workspace } from './store-helpers.js';

/* Boxes (test/helpers/boxes.ts) with one PostgreSQL store: several machines running one crontab. */
const { reason, pg } = pgClusterForFile('PostgreSQL tests');

/** The runs in the shared store, as any box lists them. */
const runsIn = (store: string) => history(box(store));

describe.skipIf(reason !== undefined)('several boxes on one PostgreSQL store (real processes)', () => {
  it.each([2, 10])(
    '%i boxes racing for one slot: exactly one runs, every other exits 0 naming it',
    async (n) => {
      const store = pg.createDatabase();
      const w = workspace(TICK);
      const results = await raceForSlot(n, w.file, '20d', () => box(store));
      expect(results.map((r) => r.code)).toEqual(results.map(() => 0));
      const ran = results.filter((r) => r.stdout.includes('| ticked'));
      expect(ran).toHaveLength(1);
      const runs = await runsIn(store);
      expect(runs).toHaveLength(1);
      for (const r of results.filter((x) => !x.stdout.includes('| ticked')))
        expect(r.stderr.trim()).toMatch(
          new RegExp(
            `^tasker: the 20d slot of .* is taken: pid \\d+ on ${hostname()} claimed it at \\S+ \\(`,
          ),
        );
    },
  );

  it('with the database unreachable, --once-per runs nothing and says so loudly: exit 2, even under -q', async () => {
    const w = workspace(TICK);
    const dead = `postgres://tasker:pw@127.0.0.1:${await freePort()}/tasker`;
    const r = await runCli(['run', '-q', '--once-per', '20d', w.file], box(dead));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^tasker: cannot reach the PostgreSQL history at 127\.0\.0\.1:\d+ .*; nothing ran\n$/,
    );
    expect(r.stderr).not.toContain(':pw@');
  });

  it('a second run of the same workflow on another box exits 75 naming the holder; --wait-lock waits for it', async () => {
    const store = pg.createDatabase();
    const w = workspace(HOLD);
    const go = join(w.dir, 'go');
    const { child: first, done: firstDone } = await startHolding(w.file, box(store, { GO: go }));
    const second = await runCli(['run', w.file], box(store, { GO: go }));
    expect(second.code).toBe(75);
    expect(second.stderr).toContain(
      `another run of ${realpathSync(w.file)} is going on: pid ${first.pid} on ${hostname()} since `,
    );
    const waiter = startCli(
      ['run', '--wait-lock', '2m', '--output', 'plain', w.file],
      box(store, { GO: go }),
    );
    const waited = collect(waiter);
    await waitForOutput(waiter, (t) => t.includes('waiting up to 2m for the lock'), 30_000, 'stderr');
    writeFileSync(go, '');
    expect((await firstDone).code).toBe(0);
    expect((await waited).code).toBe(0);
    const [later, earlier] = await runsIn(store);
    expect(Date.parse(later!.startedAt)).toBeGreaterThanOrEqual(Date.parse(earlier!.endedAt!));
  });

  it('a holder killed with -9 keeps the lock until its lease expires, then another box takes it over', async () => {
    const store = pg.createDatabase();
    const w = workspace(HOLD);
    const env = { GO: join(w.dir, 'never'), TASKER_LOCK_LEASE: '2s' };
    const { child: first, done: firstDone } = await startHolding(w.file, box(store, env));
    first.kill('SIGKILL');
    await firstDone;
    const right = await runCli(['run', w.file], box(store, env));
    expect(right.code).toBe(75);
    expect(right.stderr).toContain(`pid ${first.pid} on ${hostname()}`);
    // The taker's step ends at once ($GO exists); the killed holder's never would.
    writeFileSync(join(w.dir, 'go'), '');
    let taken = right;
    const until = Date.now() + 30_000;
    while (taken.code === 75 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 500));
      taken = await runCli(
        ['run', '--output', 'plain', w.file],
        box(store, { ...env, GO: join(w.dir, 'go') }),
      );
    }
    expect(taken.code).toBe(0);
    expect(isAlive(first.pid!)).toBe(false);
    expect(taken.stderr).toContain(`took over the lock of a run whose lease expired`);
    expect(taken.stderr).toContain(`pid ${first.pid} on ${hostname()}`);
  });
});
