/**
 * Coordination across boxes. `slot_claims`: who claimed which `--once-per` slot of a workflow, as
 * in the SQLite file (store/schema.ts version 3). `run_leases`: the overlap lock of a workflow as a
 * lease: the holder renews `expires_at` while its run lives; a holder that stops renewing (killed,
 * its box gone, cut off from the database) loses it once `expires_at` has passed. Expiry is read on
 * the database server's clock, so the boxes' clocks do not matter to it.
 */
export const COORD_TABLES = `
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
