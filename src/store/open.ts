import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { HistoryStore } from './history-store.js';
import { currentProcess } from './process.js';
import { migrate } from './schema.js';

export function historyFile(home: string): string {
  return join(home, 'history.db');
}

/**
 * Opens (creating or upgrading) the history in the state home, then marks runs of this host whose
 * process is gone as interrupted. better-sqlite3 is loaded here, so commands that never touch the
 * history do not pay for it.
 */
export async function openHistory(home: string): Promise<HistoryStore> {
  const { default: Database } = await import('better-sqlite3');
  mkdirSync(home, { recursive: true });
  const file = historyFile(home);
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 10000');
    // WAL + NORMAL: a commit survives the process being killed; only a power loss may drop the last ones.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, file);
  } catch (err) {
    db.close();
    throw err;
  }
  const store = new HistoryStore(db, file);
  store.sweepInterrupted(currentProcess().host);
  return store;
}
