import type { Database } from 'better-sqlite3';
import { renderDdl } from './ddl.js';
import { StateFault } from './faults.js';

/**
 * Each entry upgrades the schema by one version; `PRAGMA user_version` records how far a file got.
 * The tables come from the one description both databases share (tables.ts, rendered by ddl.ts);
 * the SQL here is what it cannot say. Released entries are never edited.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: the first shape of the two runs indexes that version 5 replaces.
  `${renderDdl('sqlite', 1)}
   CREATE INDEX runs_by_start ON runs(started_at DESC);
   CREATE INDEX runs_by_file ON runs(file, started_at DESC);`,
  // 2: what the note used to carry as text is a column; the tail of stderr and `changed` are kept.
  `${renderDdl('sqlite', 2)}
   UPDATE step_instances SET reused_from = substr(note, 17) WHERE note LIKE 'reused from run %';`,
  // 3: `run --once-per`: who claimed which schedule slot of a workflow.
  renderDdl('sqlite', 3),
  // 4: the plan's outline that `tasker serve` draws.
  renderDdl('sqlite', 4),
  // 5: the runs indexes as PostgreSQL has them: keyset pages order by (started_at, id), the last run by file and vars.
  `DROP INDEX runs_by_start;
   DROP INDEX runs_by_file;
   ${renderDdl('sqlite', 5)}`,
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
