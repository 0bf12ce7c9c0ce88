import { mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createHistoryRecorder,
  openHistory,
  pruneHistory,
  retentionFromEnv,
  SCHEMA_VERSION,
  type HistoryStore,
} from '../../../src/store/index.js';
import { MIGRATIONS } from '../../../src/store/schema.js';
import { deadPid, newRun, nextMacrotask, runResult, stepResult, tempHome } from './helpers.js';

let store: HistoryStore | undefined;
afterEach(() => store?.close());

async function open(home = tempHome()) {
  store = await openHistory(home);
  return store;
}

describe('history store: schema', () => {
  it('creates the file in WAL mode at the current schema version', async () => {
    const s = await open();
    expect(s.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(s.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(s.integrityCheck()).toBe('ok');
  });

  it('refuses a file written by a newer schema instead of touching it', async () => {
    const home = tempHome();
    const db = new Database(join(home, 'history.db'));
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    await expect(openHistory(home)).rejects.toThrow(/newer than this tasker understands/);
  });

  it('reopens an existing file without migrating twice', async () => {
    const home = tempHome();
    (await open(home)).beginRun(newRun('r1'));
    store!.close();
    const again = await open(home);
    expect(again.getRun('r1')?.status).toBe('running');
  });

  it('upgrades a version 1 file: reused_from is taken from the old note, the new columns get defaults', async () => {
    const home = tempHome();
    const db = new Database(join(home, 'history.db'));
    db.exec(MIGRATIONS[0]!);
    db.pragma('user_version = 1');
    db.prepare(
      `INSERT INTO runs (id, workflow, file, file_hash, vars_hash, status, pid, host, started_at, run_dir)
       VALUES ('r1', 'wf', '/srv/wf.yaml', 'f1', 'v1', 'failed', 1, 'here', 1000, '/x')`,
    ).run();
    const step = db.prepare(
      `INSERT INTO step_instances (run_id, step_id, kind, name, status, started_at, ended_at, duration_ms, note, iterations)
       VALUES ('r1', ?, 'command', ?, 'ok', 1000, 1500, 500, ?, 1)`,
    );
    step.run('a', 'a', 'reused from run 20261121T030000Z-abc123');
    step.run('b', 'b', 'unchanged: destination already matches (size and checksum)');
    db.close();
    const s = await open(home);
    expect(s.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(s.stepsOf('r1').map((r) => [r.id, r.reusedFrom, r.stderrTail, r.changed])).toEqual([
      ['a', '20261121T030000Z-abc123', [], null],
      ['b', null, [], null],
    ]);
  });
});

describe('history store: recording a run', () => {
  it('records steps as they start and end, attempts, and the run end', async () => {
    const s = await open();
    s.beginRun(newRun('r1'));
    const rec = createHistoryRecorder(s, 'r1');
    rec['step-start']!({
      kind: 'step-start',
      id: 'a',
      name: 'a',
      attempt: 1,
      iteration: 1,
      display: 'run a',
      at: 1_000,
    });
    await nextMacrotask();
    expect(s.stepsOf('r1')).toMatchObject([{ id: 'a', status: 'running', display: 'run a' }]);
    rec['step-end']!({ kind: 'step-end', result: stepResult('a', { stdoutFile: '/x/a.stdout' }), at: 1_500 });
    rec['step-end']!({
      kind: 'step-end',
      result: stepResult('b', { status: 'skipped', skipReason: 'not-reached', attempts: [] }),
      at: 1_500,
    });
    rec['run-end']!({
      kind: 'run-end',
      result: runResult('r1', { status: 'failed', exitCode: 1, failedStep: 'a' }),
      at: 2_000,
    });
    await rec.close!();
    const steps = s.stepsOf('r1');
    expect(steps).toMatchObject([
      { id: 'a', status: 'ok', exitCode: 0, durationMs: 500, stdoutFile: '/x/a.stdout' },
      { id: 'b', status: 'skipped', skipReason: 'not-reached' },
    ]);
    expect(s.attemptsOf(steps[0]!.seq)).toMatchObject([{ attempt: 1, status: 'ok', exitCode: 0 }]);
    expect(s.getRun('r1')).toMatchObject({ status: 'failed', exitCode: 1, failedStep: 'a', endedAt: 2_000 });
  });

  it('keeps fan-out hosts apart: one row per host plus the fan-out own', async () => {
    const s = await open();
    s.beginRun(newRun('r1'));
    const rec = createHistoryRecorder(s, 'r1');
    for (const host of ['web1', 'web2'])
      rec['step-start']!({
        kind: 'step-start',
        id: 'f',
        name: 'f',
        host,
        attempt: 1,
        iteration: 1,
        display: 'x',
        at: 1,
      });
    rec['step-end']!({
      kind: 'step-end',
      result: stepResult('f', { host: 'web2', exitCode: 3, status: 'failed' }),
      at: 2,
    });
    rec['step-end']!({ kind: 'step-end', result: stepResult('f', { host: 'web1' }), at: 2 });
    rec['step-end']!({
      kind: 'step-end',
      result: stepResult('f', { kind: 'fanout', status: 'failed' }),
      at: 3,
    });
    await rec.close!();
    expect(s.stepsOf('r1').map((r) => [r.host, r.status, r.exitCode])).toEqual([
      ['web1', 'ok', 0],
      ['web2', 'failed', 3],
      [null, 'failed', 0],
    ]);
  });
});

describe('history store: interrupted runs', () => {
  it('marks a running run whose process is gone as interrupted, its open step cancelled', async () => {
    const s = await open();
    s.beginRun(newRun('dead', { pid: deadPid() }));
    s.beginRun(newRun('alive', { pid: process.pid }));
    s.beginRun(newRun('elsewhere', { pid: deadPid(), host: 'other-host' }));
    s.steps.start({ runId: 'dead', stepId: 'a', name: 'a', kind: 'command', command: 'x', startedAt: 1_100 });
    expect(s.sweepInterrupted('here')).toEqual(['dead']);
    expect(s.getRun('dead')?.status).toBe('interrupted');
    expect(s.stepsOf('dead')[0]?.status).toBe('cancelled');
    expect(s.getRun('alive')?.status).toBe('running');
    expect(s.getRun('elsewhere')?.status).toBe('running');
  });

  it('does not take a recycled pid for the recorded process', async () => {
    const s = await open();
    s.beginRun(newRun('old', { pid: process.pid, pidStart: 'not-my-start-time' }));
    expect(s.sweepInterrupted('here')).toEqual(['old']);
  });
});

describe('history store: queries', () => {
  async function seeded() {
    const s = await open();
    const runs: [string, number, string, string][] = [
      ['20260101T000000Z-aaaaaa', 1_000, 'ok', '/srv/backup.yaml'],
      ['20260102T000000Z-bbbbbb', 2_000, 'failed', '/srv/backup.yaml'],
      ['20260103T000000Z-bbcccc', 3_000, 'ok', '/srv/deploy.yaml'],
    ];
    for (const [id, startedAt, status, file] of runs) {
      s.beginRun(newRun(id, { startedAt, file, workflow: file.includes('backup') ? 'backup' : 'deploy' }));
      s.finishRun(runResult(id, { status: status as 'ok', exitCode: status === 'ok' ? 0 : 1 }));
    }
    return s;
  }

  it('lists newest first with filters on workflow (name or file), status, since and limit', async () => {
    const s = await seeded();
    expect(s.listRuns().map((r) => r.startedAt)).toEqual([3_000, 2_000, 1_000]);
    expect(s.listRuns({ workflow: 'backup' })).toHaveLength(2);
    expect(s.listRuns({ workflow: 'deploy.yaml' })).toHaveLength(1);
    expect(s.listRuns({ workflow: '/srv/backup.yaml', status: 'failed' })).toHaveLength(1);
    expect(s.listRuns({ since: 2_000 })).toHaveLength(2);
    expect(s.listRuns({ limit: 1 })[0]?.startedAt).toBe(3_000);
  });

  it('finds a run by id, unique prefix or `last`, and reports ambiguity', async () => {
    const s = await seeded();
    expect(s.findRun('last')).toMatchObject({ kind: 'found', run: { startedAt: 3_000 } });
    expect(s.findRun('20260101')).toMatchObject({ kind: 'found', run: { startedAt: 1_000 } });
    expect(s.findRun('2026010')).toMatchObject({ kind: 'ambiguous' });
    expect(s.findRun('nope')).toEqual({ kind: 'none' });
  });

  it('lastFinished picks the newest finished run of that file and vars', async () => {
    const s = await seeded();
    expect(s.lastFinished('/srv/backup.yaml', 'v1')?.status).toBe('failed');
    expect(s.lastFinished('/srv/backup.yaml', 'other')).toBeUndefined();
  });
});

describe('retention', () => {
  it('deletes runs past --keep and --older-than with their run dirs, never running ones', async () => {
    const home = tempHome();
    const s = await open(home);
    for (let i = 1; i <= 4; i++) {
      const id = `r${i}`;
      const runDir = join(home, 'runs', id);
      mkdirSync(runDir, { recursive: true });
      s.beginRun(newRun(id, { startedAt: i * 1_000, runDir }));
      if (i !== 1) s.finishRun(runResult(id));
    }
    const kept = await pruneHistory(s, home, { keep: 2 });
    expect(kept.map((r) => r.id)).toEqual(['r2']);
    expect(existsSync(join(home, 'runs', 'r2'))).toBe(false);
    expect(existsSync(join(home, 'runs', 'r1'))).toBe(true);
    const old = await pruneHistory(s, home, { olderThanMs: 500 }, { now: 3_600 });
    expect(old.map((r) => r.id)).toEqual(['r3']);
    expect(s.listRuns().map((r) => r.id)).toEqual(['r4', 'r1']);
  });

  it('leaves run dirs outside the state home alone', async () => {
    const home = tempHome();
    const outside = tempHome();
    const s = await open(home);
    s.beginRun(newRun('r1', { runDir: outside }));
    s.finishRun(runResult('r1'));
    await pruneHistory(s, home, { keep: 1 });
    await pruneHistory(s, home, { olderThanMs: 1 }, { now: 10_000 });
    expect(s.listRuns()).toHaveLength(0);
    expect(existsSync(outside)).toBe(true);
  });

  it('reads TASKER_KEEP_RUNS / TASKER_KEEP_DAYS, 0 turning a limit off', () => {
    expect(retentionFromEnv({})).toEqual({ keep: 500, olderThanMs: 90 * 86_400_000 });
    expect(retentionFromEnv({ TASKER_KEEP_RUNS: '0', TASKER_KEEP_DAYS: '7' })).toEqual({
      olderThanMs: 7 * 86_400_000,
    });
    expect(() => retentionFromEnv({ TASKER_KEEP_RUNS: 'many' })).toThrow(/TASKER_KEEP_RUNS/);
  });
});
