import type { Database } from 'better-sqlite3';
import { StateFault } from './faults.js';

/** Each entry upgrades the schema by one version; `PRAGMA user_version` records how far a file got. */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE runs (
     id TEXT PRIMARY KEY,
     workflow TEXT NOT NULL,
     file TEXT NOT NULL,
     file_hash TEXT NOT NULL,
     vars_hash TEXT NOT NULL,
     status TEXT NOT NULL,
     exit_code INTEGER,
     pid INTEGER NOT NULL,
     pid_start TEXT,
     host TEXT NOT NULL,
     started_at INTEGER NOT NULL,
     ended_at INTEGER,
     duration_ms INTEGER,
     run_dir TEXT NOT NULL,
     failed_step TEXT,
     error TEXT,
     resumed_from TEXT,
     alert TEXT
   );
   CREATE INDEX runs_by_start ON runs(started_at DESC);
   CREATE INDEX runs_by_file ON runs(file, started_at DESC);
   CREATE INDEX runs_by_status ON runs(status, started_at DESC);
   CREATE TABLE step_instances (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
     step_id TEXT NOT NULL,
     host TEXT,
     kind TEXT NOT NULL,
     name TEXT NOT NULL,
     status TEXT NOT NULL,
     exit_code INTEGER,
     signal TEXT,
     started_at INTEGER NOT NULL,
     ended_at INTEGER,
     duration_ms INTEGER,
     command TEXT,
     stdout_file TEXT,
     stderr_file TEXT,
     skip_reason TEXT,
     error_code TEXT,
     error_message TEXT,
     note TEXT,
     iterations INTEGER NOT NULL DEFAULT 0
   );
   CREATE INDEX steps_by_run ON step_instances(run_id, seq);
   CREATE TABLE attempts (
     step_seq INTEGER NOT NULL REFERENCES step_instances(seq) ON DELETE CASCADE,
     ord INTEGER NOT NULL,
     attempt INTEGER NOT NULL,
     iteration INTEGER NOT NULL,
     status TEXT NOT NULL,
     exit_code INTEGER,
     signal TEXT,
     started_at INTEGER NOT NULL,
     ended_at INTEGER NOT NULL,
     duration_ms INTEGER NOT NULL,
     stdout_file TEXT,
     stderr_file TEXT,
     error_code TEXT,
     error_message TEXT,
     PRIMARY KEY (step_seq, ord)
   );`,
  // 2: what the note used to carry as text is a column; the tail of stderr and `changed` are kept.
  `ALTER TABLE step_instances ADD COLUMN reused_from TEXT;
   ALTER TABLE step_instances ADD COLUMN changed INTEGER;
   ALTER TABLE step_instances ADD COLUMN stderr_tail TEXT NOT NULL DEFAULT '[]';
   UPDATE step_instances SET reused_from = substr(note, 17) WHERE note LIKE 'reused from run %';`,
  // 3: `run --once-per`: who claimed which schedule slot of a workflow (file + vars hash + period).
  `CREATE TABLE slot_claims (
     file TEXT NOT NULL,
     vars_hash TEXT NOT NULL,
     period_ms INTEGER NOT NULL,
     slot INTEGER NOT NULL,
     host TEXT NOT NULL,
     pid INTEGER NOT NULL,
     claimed_at INTEGER NOT NULL,
     run_id TEXT,
     PRIMARY KEY (file, vars_hash, period_ms, slot)
   );`,
  // 4: the plan's outline (model/plan-outline.ts, JSON) that `tasker serve` draws; null for older runs.
  `ALTER TABLE runs ADD COLUMN plan TEXT;`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the file up to SCHEMA_VERSION; a file from a newer tasker is refused rather than damaged.
 * The version is read and the migrations run in one IMMEDIATE transaction: of several processes
 * opening a fresh state home at once, one migrates and the others then see its version.
 */
export function migrate(db: Database, file: string): void {
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > SCHEMA_VERSION)
      throw new StateFault(
        `${file}: history schema version ${current} is newer than this tasker understands (${SCHEMA_VERSION}); upgrade tasker, or set TASKER_HOME to another directory`,
        file,
        'SCHEMA_NEWER',
      );
    for (let v = current; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v]!);
    if (current < SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
