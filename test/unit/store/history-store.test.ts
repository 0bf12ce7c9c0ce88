import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import {
  openHistory,
  retentionFromEnv,
  SCHEMA_VERSION,
  type SqliteHistoryStore,
} from '../../../src/store/index.js';
import { MIGRATIONS } from '../../../src/store/schema.js';
import { newRun, tempHome } from './helpers.js';

let store: SqliteHistoryStore | undefined;
afterEach(async () => store?.close());

async function open(home = tempHome()) {
  store = await openHistory(home);
  return store;
}

// What both databases must do alike: test/integration/store-backends.test.ts.
describe('history store: SQLite schema', () => {
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
    await (await open(home)).beginRun(newRun('r1', { pid: process.pid }));
    await store!.close();
    const again = await open(home);
    expect((await again.getRun('r1'))?.status).toBe('running');
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
    expect((await s.stepsOf('r1')).map((r) => [r.id, r.reusedFrom, r.stderrTail, r.changed])).toEqual([
      ['a', '20261121T030000Z-abc123', [], null],
      ['b', null, [], null],
    ]);
  });
});

describe('retention settings', () => {
  it('reads TASKER_KEEP_RUNS / TASKER_KEEP_DAYS, 0 turning a limit off', () => {
    expect(retentionFromEnv({})).toEqual({ keep: 500, olderThanMs: 90 * 86_400_000 });
    expect(retentionFromEnv({ TASKER_KEEP_RUNS: '0', TASKER_KEEP_DAYS: '7' })).toEqual({
      olderThanMs: 7 * 86_400_000,
    });
    expect(() => retentionFromEnv({ TASKER_KEEP_RUNS: 'many' })).toThrow(/TASKER_KEEP_RUNS/);
  });
});
