/**
 * The history tables, column for column those of the SQLite file (store/schema.ts), so rows decode
 * through the same checked readers (records.ts, step-row.ts). Run ids compare bytewise ("C"), as in
 * SQLite, so id prefixes and keyset pages mean the same in both. Times are epoch ms (BIGINT);
 * `changed` is 0/1 as in SQLite. `step_output` keeps each step's output, head and tail past a cap
 * (pg/output.ts). `history_mark` is bumped by every write statement: what `tasker serve` polls.
 */
export const HISTORY_TABLES = `
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
