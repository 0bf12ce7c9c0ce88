import { realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOLD, TICK, raceForSlot, startHolding } from '../helpers/boxes.js';
import { runCli } from '../helpers/cli.js';
import { history, workspace } from './store-helpers.js';

// A period this long has a boundary every 20 days: a test never straddles one.
const PERIOD = '20d';

describe('run --once-per on the SQLite store (one box)', () => {
  it('of six starts racing for one slot, exactly one runs; the others exit 0 naming it', async () => {
    const w = workspace(TICK);
    const results = await raceForSlot(6, w.file, PERIOD, () => w.env);
    expect(results.map((r) => r.code)).toEqual([0, 0, 0, 0, 0, 0]);
    const runs = await history(w.home);
    expect(runs).toHaveLength(1);
    const skipped = results.filter((r) => !r.stdout.includes('ticked'));
    expect(skipped).toHaveLength(5);
    for (const r of skipped) {
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(
        /^tasker: the 20d slot of .*wf\.yaml from \S+ is taken: pid \d+ on \S+ claimed it at \S+ \(/,
      );
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('a crontab line that fires twice in one slot runs once; the second says nothing under -q', async () => {
    const w = workspace(TICK);
    expect((await runCli(['run', '-q', '--once-per', PERIOD, w.file], w.env)).code).toBe(0);
    const second = await runCli(['run', '-q', '--once-per', PERIOD, w.file], w.env);
    expect(second).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const [run] = await history(w.home);
    expect(await history(w.home)).toHaveLength(1);
    // The one who asks without -q learns which run has the slot.
    const third = await runCli(['run', '--once-per', PERIOD, w.file], w.env);
    expect(third.stderr).toContain(`(run ${run!.id})`);
    // Other vars are another workflow, with slots of its own.
    expect((await runCli(['run', '-q', '--once-per', PERIOD, '--var', 'x=1', w.file], w.env)).code).toBe(0);
    expect(await history(w.home)).toHaveLength(2);
  });

  it('an invalid file uses no slot; a dry run neither', async () => {
    const w = workspace('version: 1\nname: bad\nsteps:\n  - id: x\n    runn: echo\n');
    expect((await runCli(['run', '--once-per', PERIOD, w.file], w.env)).code).toBe(2);
    writeFileSync(w.file, TICK);
    expect((await runCli(['run', '--dry-run', '--once-per', PERIOD, w.file], w.env)).code).toBe(0);
    const real = await runCli(['run', '--output', 'plain', '--once-per', PERIOD, w.file], w.env);
    expect(real.stdout).toContain('| ticked');
  });

  it('the slot is claimed before the lock: a claimer that finds the last slot still running exits 75, alone', async () => {
    const w = workspace(HOLD);
    const go = join(w.dir, 'go');
    const env = { ...w.env, GO: go };
    // The previous slot's run, still going (started without --once-per, as a slot's run would hold the lock).
    const { child: first, done: firstDone } = await startHolding(w.file, env);
    const claimer = await runCli(['run', '--once-per', PERIOD, w.file], env);
    expect(claimer.code).toBe(75);
    expect(claimer.stderr).toContain(`another run of ${realpathSync(w.file)} is going on: pid ${first.pid}`);
    // The slot is used: a later start in the same slot does not run either, and is not a lock error.
    const later = await runCli(['run', '--once-per', PERIOD, w.file], env);
    expect(later.code).toBe(0);
    expect(later.stderr).toContain('is taken');
    writeFileSync(go, '');
    expect((await firstDone).code).toBe(0);
    expect(await history(w.home)).toHaveLength(1);
  });

  it('refuses --once-per with --resume or --start-from, a period of zero, a bad skew or lease, naming each', async () => {
    const w = workspace(TICK);
    const resume = await runCli(['run', '--once-per', '1h', '--resume', 'last', w.file], w.env);
    expect(resume).toMatchObject({ code: 2 });
    expect(resume.stderr).toContain('--once-per cannot be used with --resume');
    const from = await runCli(['run', '--once-per', '1h', '--start-from', 'tick', w.file], w.env);
    expect(from.stderr).toContain('--once-per cannot be used with --start-from');
    const zero = await runCli(['run', '--once-per', '0', w.file], w.env);
    expect(zero).toMatchObject({ code: 2 });
    expect(zero.stderr).toContain('--once-per "0"');
    const skew = await runCli(['run', '--once-per', '1h', w.file], { ...w.env, TASKER_CLOCK_SKEW: 'soon' });
    expect(skew.stderr).toContain('TASKER_CLOCK_SKEW "soon"');
    const lease = await runCli(['run', w.file], { ...w.env, TASKER_LOCK_LEASE: '500ms' });
    expect(lease).toMatchObject({ code: 2 });
    expect(lease.stderr).toContain('TASKER_LOCK_LEASE "500ms": expected a duration of at least 1s');
    expect(await history(w.home).catch(() => [])).toHaveLength(0);
  });
});
