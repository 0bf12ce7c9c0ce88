import { chmodSync, closeSync, existsSync, mkdirSync, openSync, rmdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describeFault, driverFault, ELSEWHERE, isIoFault, StateFault } from './faults.js';
import { historyFile, storeLocation, type StoreLocation } from './location.js';
import type { HistoryStore } from './history-store.js';
import { SqliteHistoryStore } from './sqlite-store.js';
import { currentProcess } from './process.js';
import { migrate } from './schema.js';

/** Creates a directory of the state home: private (0700) when tasker creates it. */
export function makePrivateDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw describeFault(realMkdirError(dir, err), 'create the directory', dir, ELSEWHERE);
  }
}

/** A recursive mkdir says ENOENT on a read-only filesystem; one plain mkdir below the last existing parent tells the truth. */
function realMkdirError(dir: string, err: unknown): unknown {
  if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return err;
  let missing = resolve(dir);
  while (!existsSync(dirname(missing)) && dirname(missing) !== missing) missing = dirname(missing);
  try {
    mkdirSync(missing, { mode: 0o700 });
    rmdirSync(missing);
    return err;
  } catch (real) {
    return real;
  }
}

/**
 * Opens the history `spec` names (`--store` / `TASKER_STORE`; empty: the state home's SQLite file),
 * creating or upgrading it, then marks runs of this host whose process is gone as interrupted. The
 * database driver is loaded here, so commands that never touch the history do not pay for it. An
 * unusable store (a bad URL, an unreachable server, a full disk, a newer schema) is a StateFault.
 */
export async function openStore(spec: string | undefined, home: string): Promise<HistoryStore> {
  const parsed = storeLocation(spec, home);
  if (parsed.kind === 'invalid') throw new StateFault(parsed.message, spec ?? '', 'STORE_URL');
  return openLocation(parsed.location, home);
}

/** Opens the SQLite history of a state home (what `openStore(undefined, home)` opens). */
export async function openHistory(home: string): Promise<SqliteHistoryStore> {
  return openSqlite(historyFile(home), home);
}

async function openLocation(location: StoreLocation, home: string): Promise<HistoryStore> {
  if (location.kind === 'sqlite') return openSqlite(location.file, home);
  const { openPgStore } = await import('./pg/open.js');
  const store = await openPgStore(location);
  try {
    await store.sweepInterrupted(currentProcess().host);
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}

async function openSqlite(file: string, home: string): Promise<SqliteHistoryStore> {
  const { default: Database } = await import('better-sqlite3');
  makePrivateDir(file === historyFile(home) ? home : dirname(file));
  try {
    createPrivate(file);
    const db = openDriver(() => new Database(file));
    try {
      // First: every later statement (journal mode, migration) waits for a concurrent opener.
      db.pragma('busy_timeout = 10000');
      db.pragma('journal_mode = WAL');
      // WAL + NORMAL: a commit survives the process being killed; only a power loss may drop the last ones.
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      migrate(db, file);
      tighten(file);
      const store = new SqliteHistoryStore(db, file);
      await store.sweepInterrupted(currentProcess().host);
      return store;
    } catch (err) {
      db.close();
      throw err;
    }
  } catch (err) {
    if (isIoFault(err)) throw describeFault(err, 'open the run history', file, ELSEWHERE);
    throw err;
  }
}

function openDriver<T>(open: () => T): T {
  try {
    return open();
  } catch (err) {
    throw driverFault(err) ?? err;
  }
}

/** SQLite gives the -wal and -shm files the mode of the database, so creating it 0600 covers all three. */
function createPrivate(file: string): void {
  try {
    closeSync(openSync(file, 'wx', 0o600));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

/** A history made by an older tasker (0644) holds command output too: made private, when it is ours. */
function tighten(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      if ((statSync(f).mode & 0o077) !== 0) chmodSync(f, 0o600);
    } catch {
      // Not ours or gone: nothing to tighten.
    }
  }
}
