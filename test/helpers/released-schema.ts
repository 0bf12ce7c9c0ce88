/**
 * The history schema's migrations as released before the tables were described once (src/store/tables.ts),
 * copied verbatim from commit fe4fc02 (src/store/schema.ts, src/store/pg/schema-history.ts,
 * schema-coord.ts). A frozen fixture: test/integration/schema-released.test.ts builds databases with
 * it and checks that today's migrations do exactly what these did. Never edit.
 */

export const SQLITE_RELEASED: readonly string[] = [
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

const HISTORY_TABLES = `
CREATE TABLE runs (
  id TEXT COLLATE "C" PRIMARY KEY,
  workflow TEXT NOT NULL,
  file TEXT NOT NULL,
  file_hash TEXT NOT NULL,
  vars_hash TEXT NOT NULL,
  status TEXT NOT NULL,
  exit_code INTEGER,
  pid INTEGER NOT NULL,
  pid_start TEXT,
  host TEXT NOT NULL,
  started_at BIGINT NOT NULL,
  ended_at BIGINT,
  duration_ms BIGINT,
  run_dir TEXT NOT NULL,
  failed_step TEXT,
  error TEXT,
  resumed_from TEXT,
  alert TEXT,
  plan TEXT
);
CREATE INDEX runs_by_start ON runs (started_at DESC, id DESC);
CREATE INDEX runs_by_file ON runs (file, vars_hash, started_at DESC);
CREATE INDEX runs_by_status ON runs (status, started_at DESC);
CREATE TABLE step_instances (
  seq BIGSERIAL PRIMARY KEY,
  run_id TEXT COLLATE "C" NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  step_id TEXT NOT NULL,
  host TEXT,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  exit_code INTEGER,
  signal TEXT,
  started_at BIGINT NOT NULL,
  ended_at BIGINT,
  duration_ms BIGINT,
  command TEXT,
  stdout_file TEXT,
  stderr_file TEXT,
  skip_reason TEXT,
  error_code TEXT,
  error_message TEXT,
  note TEXT,
  iterations INTEGER NOT NULL DEFAULT 0,
  reused_from TEXT,
  changed SMALLINT,
  stderr_tail TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX steps_by_run ON step_instances (run_id, seq);
CREATE TABLE attempts (
  step_seq BIGINT NOT NULL REFERENCES step_instances (seq) ON DELETE CASCADE,
  ord INTEGER NOT NULL,
  attempt INTEGER NOT NULL,
  iteration INTEGER NOT NULL,
  status TEXT NOT NULL,
  exit_code INTEGER,
  signal TEXT,
  started_at BIGINT NOT NULL,
  ended_at BIGINT NOT NULL,
  duration_ms BIGINT NOT NULL,
  stdout_file TEXT,
  stderr_file TEXT,
  error_code TEXT,
  error_message TEXT,
  PRIMARY KEY (step_seq, ord)
);
CREATE TABLE step_output (
  step_seq BIGINT NOT NULL REFERENCES step_instances (seq) ON DELETE CASCADE,
  stream TEXT NOT NULL CHECK (stream IN ('stdout', 'stderr')),
  part INTEGER NOT NULL,
  omitted_before BIGINT NOT NULL DEFAULT 0,
  data BYTEA NOT NULL,
  PRIMARY KEY (step_seq, stream, part)
);
CREATE TABLE history_mark (
  one BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one),
  mark BIGINT NOT NULL
);
INSERT INTO history_mark (mark) VALUES (0);
CREATE FUNCTION bump_history_mark() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE tasker.history_mark SET mark = mark + 1;
  RETURN NULL;
END $$;
CREATE TRIGGER runs_mark AFTER INSERT OR UPDATE OR DELETE ON runs
  FOR EACH STATEMENT EXECUTE FUNCTION bump_history_mark();
CREATE TRIGGER steps_mark AFTER INSERT OR UPDATE OR DELETE ON step_instances
  FOR EACH STATEMENT EXECUTE FUNCTION bump_history_mark();
`;

const COORD_TABLES = `
CREATE TABLE slot_claims (
  file TEXT NOT NULL,
  vars_hash TEXT NOT NULL,
  period_ms BIGINT NOT NULL,
  slot BIGINT NOT NULL,
  host TEXT NOT NULL,
  pid INTEGER NOT NULL,
  claimed_at BIGINT NOT NULL,
  run_id TEXT,
  PRIMARY KEY (file, vars_hash, period_ms, slot)
);
CREATE TABLE run_leases (
  lock_key TEXT PRIMARY KEY,
  file TEXT NOT NULL,
  run_id TEXT NOT NULL,
  host TEXT NOT NULL,
  pid INTEGER NOT NULL,
  pid_start TEXT,
  started_at BIGINT NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL
);
`;

export const PG_RELEASED: readonly { name: string; sql: string }[] = [
  { name: 'history: runs, steps, attempts, step output, change mark', sql: HISTORY_TABLES },
  { name: 'coordination: --once-per slot claims, overlap lock leases', sql: COORD_TABLES },
];
